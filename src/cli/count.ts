import type { Argv, CommandModule } from 'yargs';
import { countAlignments, isCram, readAlignmentHeader } from '../count/alignments.js';
import { detectBuild } from '../count/genome-build.js';
import { formatRegion, parseRegion, type Region } from '../count/region.js';
import { mergeSiteFiles, siteIdentity, type SiteFile } from '../count/sites.js';
import { loadSiteSpec } from '../count/sites-load.js';
import { settingsRecord, toOutputRow, type CountOutputRow, type CountRunInfo } from '../count/sites-output-row.js';
import { checkBuilds, resolveSites } from '../count/sites-resolve.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings, type MatesMode } from '../count/types.js';
import type { BamHeader } from '../io/bam-header.js';
import { writeOutput } from '../io/output.js';
import { formatCountJson } from '../report/count-json.js';
import { formatCountTsv } from '../report/count-tsv.js';
import { formatCountVcf } from '../report/count-vcf.js';
import { UsageError } from '../util/errors.js';
import { info, warn } from '../util/log.js';
import { checkPathId } from '../util/safe-path.js';
import { VERSION } from '../version.js';
import { handler } from './command.js';
import { commandLine, countSettingsFromArgs, integerOption, parseFlagMask, progressReporter, sampleName } from './count-options.js';
import { callFields, callRows, chooseBackground, collapseFamilies, referenceBaseLookup, sampleSummary, targetProbes } from './count-calls.js';
import type { UmiCollapseResult } from '../count/umi.js';
import { DEFAULT_MIN_DEPTH, DEFAULT_SITE_ALPHA } from '../stats/annotate.js';
import type { CalledRow, SampleSummary } from '../stats/types.js';

// Re-exported for `oligotrack pon`, which parses the same options.
export { parseFlagMask, sampleName };

type OutputFormat = 'tsv' | 'vcf' | 'json';

interface CountArgs {
  bam: string;
  sites: string[];
  format?: OutputFormat;
  out: string;
  sample?: string;
  'min-mapq': number;
  'min-baseq': number;
  mates: MatesMode;
  threads: number;
  region?: string;
  'exclude-flags': string;
  umi: boolean;
  'umi-source': CountSettings['umiSource'];
  'keep-singletons': boolean;
  pon?: string;
  targets?: string;
  alpha?: number;
  'min-depth': number;
  summary?: string;
  'sample-alpha': number;
  reference?: string;
}

/** `--format`, or from the `--out` extension (.vcf, .json), else TSV. */
function outputFormat(args: CountArgs): OutputFormat {
  if (/\.(gz|bgz|bcf)$/i.test(args.out)) {
    throw new UsageError(`--out ${args.out}: compressed output is not written; write plain text and pipe to bgzip`);
  }
  if (args.format) return args.format;
  if (/\.vcf$/i.test(args.out)) return 'vcf';
  if (/\.json$/i.test(args.out)) return 'json';
  return 'tsv';
}

/** Real-valued option in (0, 1). */
function fractionOption(name: string, value: number): number {
  if (!(value > 0 && value < 1)) throw new UsageError(`--${name} must be a number between 0 and 1 (exclusive), got ${String(value)}`);
  return value;
}

/** Whether the calling step runs: any of its options turns it on. */
function wantsCalls(args: CountArgs): boolean {
  return args.pon !== undefined || args.targets !== undefined || args.alpha !== undefined || args.summary !== undefined;
}

async function runCount(args: CountArgs): Promise<void> {
  const format = outputFormat(args);
  const settings = countSettingsFromArgs(args);
  const threads = integerOption('threads', args.threads, 1, 256);
  if (args.sample !== undefined) checkPathId(args.sample, '--sample', 'usage');
  const calls = wantsCalls(args);
  const siteAlpha = fractionOption('alpha', args.alpha ?? DEFAULT_SITE_ALPHA);
  const sampleAlpha = fractionOption('sample-alpha', args['sample-alpha']);
  const minDepth = integerOption('min-depth', args['min-depth'], 0, Number.MAX_SAFE_INTEGER);
  if (args.summary !== undefined && (args.summary === '' || args.summary === '-')) {
    throw new UsageError('--summary must name a file (stdout carries the count output)');
  }

  const header: BamHeader = await readAlignmentHeader(args.bam);
  const cram = isCram(args.bam);
  const bamBuild = detectBuild(header.refs);
  const region: Region | undefined = args.region === undefined ? undefined : parseRegion(args.region, new Set(header.refs.map((r) => r.name)));

  const files: SiteFile[] = [];
  for (const spec of args.sites) files.push(await loadSiteSpec(spec, { bamBuild, region }));
  checkBuilds(args.bam, bamBuild, header.refs, files);
  const resolved = resolveSites(mergeSiteFiles(files), args.bam, header.refs, region);
  if (resolved.length === 0) warn(region ? `no site lies in --region ${args.region}` : 'the sites inputs hold no sites');

  const sample = checkPathId(sampleName(args.sample, header.text, args.bam), 'the sample name from the BAM (@RG SM, else its file name; give --sample)');
  // The region is applied to the sites above (by overlap, so a deletion starting before the region
  // but reaching into it is kept); the engine then reads only the chunks those sites need.
  // --targets adds probe sites (three per target position) after the tested ones, for the
  // in-sample background; they are counted in the same pass and never printed.
  const tested = resolved.map((r) => r.bamSite);
  const targets = calls && args.targets !== undefined && args.pon === undefined ? targetProbes(args.targets, header.refs, tested, args.bam) : undefined;
  const probes = targets?.probes ?? [];
  const allSites = [...tested, ...probes];
  // Reference bases are read before counting, so a wrong FASTA fails before the long pass.
  const referenceBase =
    targets && args.reference !== undefined ? await referenceBaseLookup(args.reference, targets.intervals, header.refs, args.bam) : undefined;
  if (args.reference !== undefined && !targets && !cram) warn('--reference is used only for the in-sample background (--targets without --pon); ignored');
  const wantObservations = settings.umi || args.summary !== undefined;
  const result = await countAlignments(args.bam, allSites, settings, {
    referencePath: args.reference,
    threads,
    sample,
    header,
    observations: wantObservations,
    onProgress: progressReporter(),
  });
  for (const message of result.warnings) warn(message);

  let counted = result.rows;
  let umi: UmiCollapseResult | undefined;
  if (settings.umi) ({ rows: counted, umi } = collapseFamilies(args.bam, result.observations!, allSites, counted, settings));
  const testedCounts = counted.slice(0, tested.length).map((c, i) => ({ ...c, site: resolved[i].site }));

  let called: CalledRow[] | undefined;
  let summary: SampleSummary | undefined;
  let backgroundKind = 'none';
  if (calls) {
    const background = chooseBackground({
      ...(args.pon !== undefined ? { ponPath: args.pon } : {}),
      ...(args.targets !== undefined ? { targetsPath: args.targets } : {}),
      probeRows: counted.slice(tested.length),
      bamPath: args.bam,
      build: bamBuild,
      sites: resolved.map((r) => r.site),
      ...(referenceBase ? { referenceBase } : {}),
    });
    backgroundKind = background.kind;
    called = callRows(testedCounts, { background, alpha: siteAlpha, minDepth });
    if (args.summary !== undefined) {
      summary = sampleSummary(sample, called, tumourInformedRows(files, resolved), {
        alpha: sampleAlpha,
        siteAlpha,
        minDepth,
        background,
        observations: result.observations,
        nSites: allSites.length,
        minBaseq: settings.minBaseq,
      });
    }
  }

  const rows: CountOutputRow[] = testedCounts.map((counts, i) =>
    toOutputRow(sample, counts, resolved[i].site.chrom, called ? callFields(called[i]) : undefined),
  );
  const runInfo: CountRunInfo = {
    toolVersion: VERSION,
    command: commandLine(),
    sample,
    bamPath: args.bam,
    build: bamBuild,
    settings,
    contigs: outputContigs(header, resolved),
    region: region ? formatRegion(region) : '',
    siteSources: args.sites,
    readsSeen: result.readsSeen,
    readsPassing: result.readsPassing,
    ...(calls ? { calls: { alpha: siteAlpha, min_depth: minDepth, background: backgroundKind } } : {}),
    ...(umi ? { umi: umiSection(umi) } : {}),
  };
  if (format === 'tsv') {
    const s = settingsRecord(settings);
    info(`${sample}: ${rows.length} sites; settings ${Object.entries(s).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  const text =
    format === 'vcf' ? formatCountVcf(runInfo, rows) : format === 'json' ? formatCountJson(runInfo, rows) : formatCountTsv(rows);
  writeOutput(args.out, text);
  if (summary && args.summary !== undefined) writeOutput(args.summary, `${JSON.stringify(summary, null, 2)}\n`);
}

/**
 * Rows of the sites the user brought (VCF or TSV inputs): the tumour-informed sites of the
 * per-sample test. Sites only in a bundled hotspot panel are tested per site but are not evidence
 * of this patient's tumour, so they stay out of the integrated test.
 */
function tumourInformedRows(files: readonly SiteFile[], resolved: readonly { site: { chrom: string; pos1: number; ref: string; alt: string } }[]): number[] {
  const userKeys = new Set(files.filter((f) => f.kind !== 'bundled-panel').flatMap((f) => f.sites.map((s) => siteIdentity(s.site))));
  return resolved.flatMap((r, i) => (userKeys.has(siteIdentity(r.site)) ? [i] : []));
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

/** BAM header contigs for the VCF header, renamed to the sites' spelling where a site uses one. */
function outputContigs(header: BamHeader, resolved: readonly { outputChrom: string; contigIndex: number }[]): { name: string; length: number }[] {
  const rename = new Map<number, string>();
  for (const r of resolved) rename.set(r.contigIndex, r.outputChrom);
  return header.refs.map((ref, i) => ({ name: rename.get(i) ?? ref.name, length: ref.length }));
}

export const countCommand: CommandModule<object, CountArgs> = {
  command: 'count',
  describe: 'Count ref/alt fragments at known sites in a BAM (TSV, VCF or JSON)',
  builder: (y: Argv<object>) =>
    y
      .option('bam', { type: 'string', nargs: 1, demandOption: true, describe: 'Coordinate-sorted BAM or CRAM, - for stdin (BAM only; .bai/.csi/.crai beside it is used when present)' })
      .option('sites', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Sites: VCF(.gz), panel TSV (chrom pos ref alt [gene protein id build]) or panel:breast; repeatable, merged without double counting',
      })
      .option('format', { choices: ['tsv', 'vcf', 'json'] as const, describe: 'Output format (default: from --out extension, else tsv)' })
      .option('out', { type: 'string', nargs: 1, default: '-', describe: 'Output file, - for stdout (written atomically)' })
      .option('sample', { type: 'string', describe: 'Sample name (default: @RG SM, else the BAM file name)' })
      .option('min-mapq', { type: 'number', default: DEFAULT_COUNT_SETTINGS.minMapq, describe: 'Minimum mapping quality' })
      .option('min-baseq', { type: 'number', default: DEFAULT_COUNT_SETTINGS.minBaseq, describe: 'Minimum base quality at the site' })
      .option('mates', { choices: ['fragment', 'reads'] as const, default: 'fragment' as MatesMode, describe: 'fragment: overlapping mates count once; reads: every read counts' })
      .option('threads', { type: 'number', default: 1, describe: 'Worker threads counting in parallel (output identical for any value)' })
      .option('region', { type: 'string', describe: 'Only sites in this htslib region (chr6:152,098,000-152,099,000; {name:with:colons}:1-2)' })
      .option('exclude-flags', { type: 'string', default: '0xF04', describe: 'Reads with any of these flags are skipped (number or samtools names)' })
      .option('umi', { type: 'boolean', default: false, describe: 'Count UMI families (consensus per family) instead of reads; raw_* keep the read counts' })
      .option('umi-source', { choices: ['RX', 'MI', 'name'] as const, default: 'RX' as const, describe: 'Where the UMI is read from' })
      .option('keep-singletons', { type: 'boolean', default: true, describe: 'Keep UMI families of one read (--no-keep-singletons drops them)' })
      .option('pon', { type: 'string', nargs: 1, describe: 'Panel of normals (oligotrack pon) for the background error rates; turns calls on' })
      .option('targets', { type: 'string', nargs: 1, describe: 'Targets BED: in-sample background from its non-variant positions (without --pon); turns calls on' })
      .option('alpha', { type: 'number', describe: `Per-site one-sided significance level (default ${DEFAULT_SITE_ALPHA}); turns calls on` })
      .option('min-depth', { type: 'number', default: DEFAULT_MIN_DEPTH, describe: 'Below this depth a site is called low_depth' })
      .option('summary', { type: 'string', nargs: 1, describe: 'Write the per-sample test over the tumour-informed sites (JSON) here; turns calls on' })
      .option('sample-alpha', { type: 'number', default: 0.01, describe: 'Significance level of the per-sample test (0.01: the level the accuracy run validates)' })
      .option('reference', { type: 'string', nargs: 1, describe: 'Indexed FASTA (.fai): the reference a CRAM was written with; reference bases and trinucleotide contexts for the --targets background' })
      .strictOptions() as unknown as Argv<CountArgs>,
  handler: handler('count', runCount),
};
