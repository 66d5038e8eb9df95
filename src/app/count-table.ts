import { isCram } from '../count/alignments.js';
import { formatRegion, parseRegion, type Region } from '../count/region.js';
import { toOutputRow, type CountOutputRow, type CountRunInfo } from '../count/output/row.js';
import type { CountSettings, Site } from '../count/types.js';
import type { UmiCollapseResult } from '../count/umi.js';
import type { BamHeader } from '../io/bam-header.js';
import type { TargetInterval } from '../stats/background.js';
import type { CalledRow, SampleSummary } from '../stats/types.js';
import { readAlignmentHeader } from '../count/alignments.js';
import { info, warn } from '../util/log.js';
import { checkPathId } from '../util/safe-path.js';
import { VERSION } from '../version.js';
import { countSample } from './count-sample.js';
import { rowsFromFiles, type SiteInput } from './sites.js';
import { sampleNameFromHeader } from './sample-name.js';

/**
 * `oligotrack count`'s use case: one file's count table, optionally with per-site calls and the
 * per-sample summary. The command formats the result (TSV, VCF or JSON) and writes it.
 */

/** The calling step; absent: counts only. */
export interface CallRequest {
  /** Panel of normals (oligotrack pon). */
  ponPath?: string;
  /** Targets BED: the in-sample background from its non-variant positions (without a PoN). */
  targetsPath?: string;
  siteAlpha: number;
  minDepth: number;
  /** The per-sample test over the tumour-informed sites, at this significance level. */
  summaryAlpha?: number;
}

export interface CountTableRequest {
  path: string;
  sites: readonly SiteInput[];
  settings: CountSettings;
  /** Sample name; default: the read groups' single SM, else the file name. */
  sample?: string;
  /** An htslib region string (`chr6:152,098,000-152,099,000`). */
  region?: string;
  threads: number;
  /** Indexed FASTA: decodes a CRAM; with targets, the reference bases of the in-sample background. */
  referencePath?: string;
  calls?: CallRequest;
  /** The command line, recorded in the VCF and JSON headers. */
  commandLine: string;
  onProgress?: (done: number, total: number) => void;
}

export interface CountTable {
  rows: CountOutputRow[];
  runInfo: CountRunInfo;
  /** The per-sample summary, when asked for. */
  summary?: SampleSummary;
}

export async function countSampleTable(req: CountTableRequest): Promise<CountTable> {
  const header: BamHeader = await readAlignmentHeader(req.path);
  const region: Region | undefined =
    req.region === undefined ? undefined : parseRegion(req.region, new Set(header.refs.map((r) => r.name)));
  const sample = checkPathId(
    sampleNameFromHeader(req.sample, header.text, req.path),
    'the sample name from the BAM (@RG SM, else its file name; give --sample)',
  );
  const calls = req.calls;
  // The calling step's modules (src/stats, ~15 modules) load only when calls are asked for.
  const callSteps = calls ? await import('./count-calls.js') : undefined;
  // Targets give probe sites (three per target position) counted after the tested ones in the
  // same pass, for the in-sample background; they are never printed. A PoN replaces them.
  const targets = calls?.targetsPath !== undefined && calls.ponPath === undefined ? callSteps!.readTargets(calls.targetsPath) : undefined;
  let intervals: TargetInterval[] = [];
  let referenceBase: ((chrom: string, pos1: number) => string) | undefined;
  if (req.referencePath !== undefined && !targets && !isCram(req.path))
    warn('--reference is used only for a CRAM and for the in-sample background (--targets without --pon); ignored');

  const counted = await countSample({
    path: req.path,
    sites: req.sites,
    settings: req.settings,
    name: sample,
    threads: req.threads,
    referencePath: req.referencePath,
    region,
    header,
    observations: calls?.summaryAlpha !== undefined,
    onProgress: req.onProgress,
    extraSites: async (loaded) => {
      // The region is applied to the sites by overlap (a deletion starting before the region but
      // reaching into it is kept); the engine then reads only the chunks those sites need.
      if (loaded.resolved.length === 0) warn(region ? `no site lies in --region ${req.region}` : 'the sites inputs hold no sites');
      if (!targets || !calls?.targetsPath) return [];
      const tested: Site[] = loaded.resolved.map((r) => r.bamSite);
      const probes = callSteps!.targetProbes(targets, calls.targetsPath, header.refs, tested, req.path);
      intervals = probes.intervals;
      // Reference bases are read before counting, so a wrong FASTA fails before the long pass.
      if (req.referencePath !== undefined)
        referenceBase = await callSteps!.referenceBaseLookup(req.referencePath, intervals, header.refs, req.path);
      return probes.probes;
    },
  });
  for (const message of counted.warnings) warn(message);
  const resolved = counted.sites.resolved;

  let called: CalledRow[] | undefined;
  let summary: SampleSummary | undefined;
  let backgroundKind = 'none';
  if (calls && callSteps) {
    const { callRows, chooseBackground, sampleSummary } = callSteps;
    const background = chooseBackground({
      ...(calls.ponPath !== undefined ? { ponPath: calls.ponPath } : {}),
      ...(calls.targetsPath !== undefined ? { targetsPath: calls.targetsPath } : {}),
      probeRows: counted.extraRows,
      bamPath: req.path,
      build: counted.sites.bamBuild,
      sites: resolved.map((r) => r.site),
      ...(referenceBase ? { referenceBase } : {}),
    });
    backgroundKind = background.kind;
    called = callRows(counted.rows, { background, alpha: calls.siteAlpha, minDepth: calls.minDepth });
    info(effectiveAlphaLine(called, calls.siteAlpha));
    if (calls.summaryAlpha !== undefined) {
      // The sites the user brought (VCF or TSV inputs) are the tumour-informed sites of the
      // per-sample test; sites only in a bundled hotspot panel are tested per site but are not
      // evidence of this patient's tumour.
      const userFiles = counted.sites.files.filter((f) => f.kind !== 'bundled-panel');
      summary = sampleSummary(sample, called, rowsFromFiles(resolved, userFiles), {
        alpha: calls.summaryAlpha,
        siteAlpha: calls.siteAlpha,
        minDepth: calls.minDepth,
        background,
        observations: counted.observations,
        nSites: resolved.length + counted.extraRows.length,
        minBaseq: req.settings.minBaseq,
      });
    }
  }

  const rows = counted.rows.map((counts, i) =>
    toOutputRow(sample, counts, resolved[i].site.chrom, called ? callSteps!.callFields(called[i]) : undefined),
  );
  const runInfo: CountRunInfo = {
    toolVersion: VERSION,
    command: req.commandLine,
    sample,
    bamPath: req.path,
    build: counted.sites.bamBuild,
    settings: req.settings,
    contigs: outputContigs(header, resolved),
    region: region ? formatRegion(region) : '',
    siteSources: req.sites.filter((s): s is string => typeof s === 'string'),
    readsSeen: counted.readsSeen,
    readsPassing: counted.readsPassing,
    ...(calls ? { calls: { alpha: calls.siteAlpha, min_depth: calls.minDepth, background: backgroundKind } } : {}),
    ...(counted.umi ? { umi: umiSection(counted.umi) } : {}),
  };
  return { rows, runInfo, ...(summary ? { summary } : {}) };
}

function umiSection(umi: UmiCollapseResult): NonNullable<CountRunInfo['umi']> {
  return {
    families: umi.families,
    duplex_families: umi.duplexFamilies,
    singletons_dropped: umi.singletonsDropped,
    no_consensus: umi.noConsensus,
    reads_without_umi: umi.readsWithoutUmi,
    family_size_histogram: umi.familySizeHistogram,
  };
}

/** Header contigs for the VCF header, renamed to the sites' spelling where a site uses one. */
function outputContigs(
  header: BamHeader,
  resolved: readonly { outputChrom: string; contigIndex: number }[],
): { name: string; length: number }[] {
  const rename = new Map<number, string>();
  for (const r of resolved) rename.set(r.contigIndex, r.outputChrom);
  return header.refs.map((ref, i) => ({ name: rename.get(i) ?? ref.name, length: ref.length }));
}

/** The per-site test's effective α at the sites' depths (CalledRow.effectiveAlpha), in one line. */
function effectiveAlphaLine(rows: CalledRow[], alpha: number): string {
  const tested = rows.filter((r) => r.call !== 'low_depth' && !r.germlineOrChip && r.effectiveAlpha !== undefined);
  const sum = tested.reduce((a, r) => a + r.effectiveAlpha!, 0);
  const max = tested.reduce((a, r) => Math.max(a, r.effectiveAlpha!), 0);
  const fmt = (x: number): string => x.toPrecision(2);
  return tested.length === 0
    ? `per-site test at α ${alpha}: no site tested`
    : `per-site test at α ${alpha}: effective α ${fmt(sum / tested.length)} on average, at most ${fmt(max)}, over ${tested.length} site(s); expected false calls in a sample without tumour DNA ${fmt(sum)}`;
}
