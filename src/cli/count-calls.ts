/**
 * The calling step of `oligotrack count` (issue 4; statistics by helper E in src/stats/): counts →
 * background model → per-site calls, and optionally the per-sample summary. Kept apart from the
 * command file so that counting alone stays a few lines; every function here is wiring, the
 * statistics themselves are in src/stats/.
 */
import { readFileSync } from 'node:fs';
import { ContigResolver } from '../count/contigs.js';
import type { CallFields } from '../count/sites-output-row.js';
import type { CountSettings, ObservationTable, Site, SiteCounts } from '../count/types.js';
import { collapseUmiFamilies, NoUmiError, type UmiCollapseResult } from '../count/umi.js';
import type { BamRef } from '../io/bam-header.js';
import { annotateCounts } from '../stats/annotate.js';
import {
  defaultBackground,
  DEFAULT_BACKGROUND_RATE,
  inSampleBackground,
  probeRowsToBaseCounts,
  probeSitesForTargets,
  type TargetInterval,
} from '../stats/background.js';
import { fragmentLengthsFromObservations } from '../stats/fragment-size.js';
import { checkPonFits, parsePon } from '../stats/pon.js';
import { summarizeSample } from '../stats/sample-test.js';
import { parseTargetsBed } from '../stats/targets.js';
import { StatsInputError, type BackgroundModel, type CalledRow, type SampleSummary } from '../stats/types.js';
import { fileError, UserError } from '../util/errors.js';
import { info, warn } from '../util/log.js';

/** Statistics errors are about the user's input: one stderr line, exit 1. */
export function asUserError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof StatsInputError) throw new UserError(e.message);
    throw e;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Targets BED → probe sites (three per position) in the BAM's contig naming, tested positions left out. */
export function targetProbes(targetsPath: string, refs: readonly BamRef[], tested: Site[], bamPath: string): Site[] {
  const targets = asUserError(() => parseTargetsBed(readText(targetsPath), targetsPath));
  const resolver = new ContigResolver(refs);
  const renamed: TargetInterval[] = targets.map((t) => {
    const ref = resolver.resolve(t.chrom);
    if (!ref) throw fileError(targetsPath, `contig ${t.chrom} is not in the header of ${bamPath}`);
    if (t.end0 > ref.length) throw fileError(targetsPath, `interval ${t.chrom}:${t.start0}-${t.end0} runs past the end of ${ref.name} (length ${ref.length})`);
    return { ...t, chrom: ref.name };
  });
  return probeSitesForTargets(renamed, tested);
}

/** `--umi`: engine read counts → family counts (same row order), with the JSON section. */
export function collapseFamilies(
  bamPath: string,
  observations: ObservationTable,
  sites: Site[],
  rows: SiteCounts[],
  settings: CountSettings,
): { rows: SiteCounts[]; umi: UmiCollapseResult } {
  try {
    const umi = collapseUmiFamilies(observations, sites, { minBaseq: settings.minBaseq, keepSingletons: settings.keepSingletons }, rows);
    for (const w of umi.warnings) warn(`${bamPath}: ${w}`);
    return { rows: umi.rows, umi };
  } catch (e) {
    if (e instanceof NoUmiError) throw fileError(bamPath, `${e.message} (--umi-source ${settings.umiSource}); drop --umi or give a BAM with UMIs`);
    throw e;
  }
}

export interface BackgroundChoice {
  ponPath?: string;
  targetsPath?: string;
  /** Probe rows counted for --targets (three per position), when given. */
  probeRows: SiteCounts[];
  bamPath: string;
  build: string;
  /** Tested sites, output spelling (as the PoN keys them). */
  sites: Site[];
}

/** PoN when given, else in-sample from --targets, else the default rate (with a warning). */
export function chooseBackground(c: BackgroundChoice): BackgroundModel {
  if (c.ponPath) {
    const path = c.ponPath;
    const model = asUserError(() => parsePon(readText(path), path));
    asUserError(() => checkPonFits(model, c.sites, c.build));
    return model;
  }
  if (c.targetsPath) {
    const targetsPath = c.targetsPath;
    const { model, positionsUsed } = asUserError(() => {
      try {
        return inSampleBackground(probeRowsToBaseCounts(c.probeRows), { origin: c.bamPath, build: c.build });
      } catch (e) {
        if (e instanceof StatsInputError) throw new StatsInputError(`${targetsPath}: ${e.message}`);
        throw e;
      }
    });
    info(`in-sample background from ${positionsUsed} non-variant target positions of ${targetsPath}`);
    return model;
  }
  warn(`no --pon or --targets: every site is tested against the default background rate ${DEFAULT_BACKGROUND_RATE}`);
  return defaultBackground();
}

export function callFields(row: CalledRow): CallFields {
  return {
    background_rate: row.backgroundRate,
    p_value: row.pValue,
    vaf_low: row.vafLow,
    vaf_high: row.vafHigh,
    lod: row.lod,
    call: row.call,
  };
}

export interface CallStepOptions {
  background: BackgroundModel;
  alpha: number;
  minDepth: number;
}

export function callRows(rows: SiteCounts[], opts: CallStepOptions): CalledRow[] {
  return asUserError(() => annotateCounts({ rows }, opts));
}

/**
 * `--summary`: the integrated per-sample test over the tumour-informed rows (indices into
 * `called`), with the fragment-size-weighted variant when the observations are at hand.
 */
export function sampleSummary(
  sample: string,
  called: CalledRow[],
  tumourInformed: number[],
  opts: { alpha: number; siteAlpha: number; minDepth: number; background: BackgroundModel; observations?: ObservationTable; nSites: number; minBaseq: number },
): SampleSummary {
  const lengths = opts.observations ? fragmentLengthsFromObservations(opts.observations, opts.nSites, opts.minBaseq) : undefined;
  return asUserError(() =>
    summarizeSample(
      tumourInformed.map((i) => called[i]),
      {
        sample,
        alpha: opts.alpha,
        siteAlpha: opts.siteAlpha,
        minDepth: opts.minDepth,
        background: opts.background.kind,
        ...(lengths ? { fragmentLengths: tumourInformed.map((i) => lengths[i]) } : {}),
      },
    ),
  );
}
