import { statSync } from 'node:fs';
import { BamHeaderReader, type BamHeader } from './bam-header-reader.js';
import { BgzfFile, type BgzfBlock } from './bgzf-reader.js';

// The parser and its limits live in bam-header-reader.ts; this file reads a header from a path.
export { BAM_HEADER_LIMITS, BamHeaderReader, parseBamHeader, type BamHeader, type BamRef } from './bam-header-reader.js';

/**
 * A BAM read as a stream (standard input, a named pipe, a device) can be read once: when its header
 * is read, the stream (its block iterator and the record bytes already inflated after the header)
 * is kept here, by path, for the count to continue.
 */
export interface StdinBam {
  header: BamHeader;
  /** Inflated bytes after the header, already taken from the stream. */
  leftover: Buffer;
  blocks: Iterator<BgzfBlock>;
  file: BgzfFile;
}
const streams = new Map<string, StdinBam>();

/** Whether `bamPath` is read as a stream (one sequential pass, no index): `-`, a FIFO, a device. */
export function isBamStream(bamPath: string): boolean {
  if (bamPath === '-' || streams.has(bamPath)) return true;
  try {
    const stat = statSync(bamPath);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false; // opening it reports the error
  }
}

/** The stream state of a streamed BAM after its header (reads the header now if nobody has), else null. */
export function bamStream(bamPath: string): StdinBam | null {
  if (!streams.has(bamPath) && isBamStream(bamPath)) readHeaderFrom(bamPath);
  return streams.get(bamPath) ?? null;
}

/** The stdin stream state after its header (reads the header now if nobody has). */
export function stdinBamStream(): StdinBam {
  return bamStream('-')!;
}

function readHeaderFrom(bamPath: string): BamHeader {
  const file = new BgzfFile(bamPath);
  let keepOpen = false;
  try {
    const reader = new BamHeaderReader(bamPath);
    const blocks = file.blocksFrom(0);
    for (;;) {
      const next = blocks.next();
      if (next.done) break;
      const data = next.value.data;
      const used = reader.push(data);
      if (used < 0) continue;
      const header = reader.header!;
      if (file.isStdin) {
        streams.set(bamPath, { header, leftover: Buffer.from(data.subarray(used)), blocks, file });
        keepOpen = true;
      }
      return header;
    }
    throw reader.truncated();
  } finally {
    if (!keepOpen) file.close();
  }
}

/** Reads the header of a BAM file; a stream (`-`, a FIFO) is read once (see bamStream). */
export async function readBamHeader(bamPath: string): Promise<BamHeader> {
  const kept = streams.get(bamPath);
  if (kept) return kept.header;
  return readHeaderFrom(bamPath);
}
