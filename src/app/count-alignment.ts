import { countAlignments } from '../count/alignments.js';
import type { CountResult, CountSettings, ObservationTable, Site } from '../count/types.js';
import { collapseUmiFamilies, NoUmiError, type UmiCollapseResult } from '../count/umi.js';
import type { BamHeader } from '../io/bam-header.js';
import { fileError } from '../util/errors.js';

/**
 * The one counting path of every command: the engine over a BAM or CRAM, then, with UMIs on,
 * family collapsing. Rows come back in the order of `sites` (spelled as the file's header).
 */

export interface CountAlignmentOptions {
  threads?: number;
  sample?: string;
  /** Already-read header of this file. */
  header?: BamHeader;
  /** Indexed FASTA that decodes a reference-based CRAM (ignored for a BAM). */
  referencePath?: string;
  /** Keep the per-read observations (the per-sample test's fragment lengths). */
  observations?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface AlignmentCounts extends CountResult {
  /** Per-read observations, when asked for (and always with UMIs on). */
  observations?: ObservationTable;
  /** Family statistics, with UMIs on. */
  umi?: UmiCollapseResult;
}

export async function countAlignmentSites(
  path: string,
  sites: Site[],
  settings: CountSettings,
  opts: CountAlignmentOptions = {},
): Promise<AlignmentCounts> {
  const result = await countAlignments(path, sites, settings, {
    threads: opts.threads,
    sample: opts.sample,
    header: opts.header,
    referencePath: opts.referencePath,
    observations: Boolean(opts.observations || settings.umi),
    onProgress: opts.onProgress,
  });
  if (!settings.umi) return result;
  const umi = collapseFamilies(path, result.observations!, sites, result, settings);
  return { ...result, rows: umi.rows, umi, warnings: [...result.warnings, ...umi.warnings.map((w) => `${path}: ${w}`)] };
}

/**
 * Read counts → family counts (same row order; raw_* keep the read counts). A file where no read
 * at the sites carries a UMI is the user's mistake whichever command counts it.
 */
function collapseFamilies(
  path: string,
  observations: ObservationTable,
  sites: Site[],
  reads: CountResult,
  settings: CountSettings,
): UmiCollapseResult {
  try {
    return collapseUmiFamilies(observations, sites, { minBaseq: settings.minBaseq, keepSingletons: settings.keepSingletons }, reads.rows);
  } catch (e) {
    if (e instanceof NoUmiError)
      throw fileError(path, `${e.message} (--umi-source ${settings.umiSource}); drop --umi or give a file with UMIs`);
    throw e;
  }
}
