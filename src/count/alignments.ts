import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isBamStream, readBamHeader, type BamHeader } from '../io/bam-header.js';
import { countBam, type CountBamOptions } from './count-bam.js';
import type { CountResult, CountSettings, ObservationTable, Site } from './types.js';

/**
 * BAM or CRAM behind one call: commands that take an alignment file call these instead of
 * readBamHeader/countBam, and a CRAM is recognised by its first bytes ("CRAM"), whatever its name.
 * The CRAM reader (@gmod/cram, ~55 ms to import) is imported only when a file is a CRAM.
 */

/**
 * True when the file starts with the CRAM magic. Standard input, pipes and devices are read once as
 * BAM streams (peeking would consume them), and a directory is left to the BAM reader's error.
 */
export function isCram(path: string): boolean {
  if (isBamStream(path)) return false;
  try {
    if (!statSync(path).isFile()) return false;
  } catch {
    return /\.cram$/i.test(path); // unreadable: the BAM/CRAM reader reports it
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return /\.cram$/i.test(path); // unreadable: the BAM/CRAM reader reports it
  }
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.toString('latin1') === 'CRAM';
  } finally {
    closeSync(fd);
  }
}

/** The header (contigs and SAM text) of a BAM or CRAM. */
export async function readAlignmentHeader(path: string): Promise<BamHeader> {
  if (!isCram(path)) return readBamHeader(path);
  const { CramReader } = await import('../io/cram/cram-reader.js');
  const reader = await CramReader.open(path, { headerOnly: true });
  try {
    return reader.header;
  } finally {
    reader.close();
  }
}

export interface CountAlignmentsOptions extends CountBamOptions {
  /** Indexed FASTA for reference-based CRAM slices (ignored for BAM). */
  referencePath?: string;
}

/** countBam for a BAM, countCram for a CRAM: the same rows for the same reads. */
export async function countAlignments(
  path: string,
  sites: Site[],
  settings: CountSettings,
  opts: CountAlignmentsOptions = {},
): Promise<CountResult & { observations?: ObservationTable }> {
  if (!isCram(path)) return countBam(path, sites, settings, opts);
  const { header: _header, ...rest } = opts;
  const { countCram } = await import('./count-cram.js');
  return countCram(path, sites, settings, rest);
}
