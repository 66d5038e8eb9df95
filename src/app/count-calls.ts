/**
 * The calling step of `oligotrack count` and `pon`: targets and their probe sites, the background
 * model (PoN, in-sample from targets, or the default rate), per-site calls and the per-sample
 * summary. Every function here is wiring; the statistics themselves are in src/stats/.
 */
import { readFileSync } from 'node:fs';
import { ContigResolver } from '../count/contigs.js';
import type { CallFields } from '../count/output/row.js';
import type { ObservationTable, Site, SiteCounts } from '../count/types.js';
import type { BamRef } from '../io/bam-header.js';
import { IndexedFastaFile } from '../io/fasta.js';
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
import { siteAlphaSummary, summarizeSample } from '../stats/sample-test.js';
import { parseTargetsBed } from '../stats/targets.js';
import { StatsInputError, type BackgroundModel, type CalledRow, type SampleSummary } from '../stats/types.js';
import { fileError } from '../util/errors.js';
import { info, warn } from '../util/log.js';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** A targets BED (capture intervals, sorted and non-overlapping). */
export function readTargets(targetsPath: string): TargetInterval[] {
  return parseTargetsBed(readText(targetsPath), targetsPath);
}

/** Targets → intervals in the BAM's contig naming and their probe sites (three per position). */
export function targetProbes(
  targets: readonly TargetInterval[],
  targetsPath: string,
  refs: readonly BamRef[],
  tested: Site[],
  bamPath: string,
): { intervals: TargetInterval[]; probes: Site[] } {
  const resolver = new ContigResolver(refs);
  const intervals: TargetInterval[] = targets.map((t) => {
    const ref = resolver.resolve(t.chrom);
    if (!ref) throw fileError(targetsPath, `contig ${t.chrom} is not in the header of ${bamPath}`);
    if (t.end0 > ref.length)
      throw fileError(targetsPath, `interval ${t.chrom}:${t.start0}-${t.end0} runs past the end of ${ref.name} (length ${ref.length})`);
    return { ...t, chrom: ref.name };
  });
  return { intervals, probes: probeSitesForTargets(intervals, tested) };
}

/**
 * `--reference genome.fa`: the reference bases of the target intervals (±1 base for the
 * trinucleotide context), read once through the .fai index (plain or bgzipped FASTA) so that the in-sample background can
 * look bases up synchronously. A FASTA contig whose length differs from the BAM's is an error:
 * the bases would come from another assembly.
 */
export async function referenceBaseLookup(
  fastaPath: string,
  intervals: readonly TargetInterval[],
  refs: readonly BamRef[],
  bamPath: string,
): Promise<(chrom: string, pos1: number) => string> {
  // The one FASTA reader (plain or bgzipped with its .gzi), as for CRAM decoding.
  const fasta = new IndexedFastaFile(fastaPath);
  const spans = new Map<string, { start0: number; bases: string }[]>();
  try {
    const resolver = new ContigResolver([...fasta.contigs.keys()].map((name) => ({ name, length: 0 })));
    const bamLength = new Map(refs.map((r) => [r.name, r.length]));
    for (const t of intervals) {
      const fastaName = resolver.resolve(t.chrom)?.name;
      if (fastaName === undefined) throw fileError(fastaPath, `has no contig ${t.chrom} (needed for the --targets intervals)`);
      const size = fasta.length(fastaName);
      if (size !== bamLength.get(t.chrom)) {
        throw fileError(
          fastaPath,
          `contig ${fastaName} has length ${size} but ${t.chrom} in ${bamPath} has ${bamLength.get(t.chrom)}: another assembly`,
        );
      }
      const start0 = Math.max(0, t.start0 - 1);
      const bases = fasta.fetch(fastaName, start0, t.end0 + 1);
      const list = spans.get(t.chrom) ?? [];
      list.push({ start0, bases });
      spans.set(t.chrom, list);
    }
  } finally {
    fasta.close();
  }
  return (chrom, pos1) => {
    for (const span of spans.get(chrom) ?? []) {
      const i = pos1 - 1 - span.start0;
      if (i >= 0 && i < span.bases.length) return span.bases[i];
    }
    return 'N';
  };
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
  /** Reference bases (--reference) for the in-sample trinucleotide contexts. */
  referenceBase?: (chrom: string, pos1: number) => string;
}

/** PoN when given, else in-sample from --targets, else the default rate (with a warning). */
export function chooseBackground(c: BackgroundChoice): BackgroundModel {
  if (c.ponPath) {
    const path = c.ponPath;
    const model = parsePon(readText(path), path);
    for (const w of [...model.warnings, ...checkPonFits(model, c.sites, c.build)]) warn(w);
    return model;
  }
  if (c.targetsPath) {
    const targetsPath = c.targetsPath;
    let estimate: ReturnType<typeof inSampleBackground>;
    try {
      estimate = inSampleBackground(probeRowsToBaseCounts(c.probeRows), {
        origin: c.bamPath,
        build: c.build,
        ...(c.referenceBase ? { referenceBase: c.referenceBase } : {}),
      });
    } catch (e) {
      // The message names the problem; the targets file is what the user can change.
      if (e instanceof StatsInputError) throw new StatsInputError(`${targetsPath}: ${e.message}`);
      throw e;
    }
    const { model, positionsUsed } = estimate;
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
  return annotateCounts({ rows }, opts);
}

/**
 * `--summary`: the integrated per-sample test over the tumour-informed rows (indices into
 * `called`), with the fragment-size-weighted variant when the observations are at hand.
 */
export function sampleSummary(
  sample: string,
  called: CalledRow[],
  tumourInformed: number[],
  opts: {
    alpha: number;
    siteAlpha: number;
    minDepth: number;
    background: BackgroundModel;
    observations?: ObservationTable;
    nSites: number;
    minBaseq: number;
  },
): SampleSummary {
  const lengths = opts.observations ? fragmentLengthsFromObservations(opts.observations, opts.nSites, opts.minBaseq) : undefined;
  const rows = tumourInformed.map((i) => called[i]);
  const siteAlpha = siteAlphaSummary(rows);
  const summary = summarizeSample(rows, {
    sample,
    alpha: opts.alpha,
    siteAlpha: opts.siteAlpha,
    minDepth: opts.minDepth,
    background: opts.background.kind,
    ...(lengths ? { fragmentLengths: tumourInformed.map((i) => lengths[i]) } : {}),
  });
  return siteAlpha ? { ...summary, site_alpha_effective: siteAlpha } : summary;
}
