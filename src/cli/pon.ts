/**
 * `oligotrack pon`: build a panel of normals (per-site and per-substitution-class background error
 * rates with pseudocounts and dispersion) from normal plasma / healthy donor BAMs.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { countBam } from '../count/count-bam.js';
import { ContigResolver } from '../count/contigs.js';
import { detectBuild } from '../count/genome-build.js';
import { settingsRecord } from '../count/sites-output-row.js';
import { checkBuilds, resolveSites, type ResolvedSite } from '../count/sites-resolve.js';
import { mergeSiteFiles, type SiteFile } from '../count/sites.js';
import { loadSiteSpec } from '../count/sites-load.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings, type MatesMode, type Site, type SiteCounts } from '../count/types.js';
import { collapseUmiFamilies, NoUmiError } from '../count/umi.js';
import { readBamHeader, type BamHeader } from '../io/bam-header.js';
import { writeOutput } from '../io/output.js';
import { type PositionBaseCounts, probeRowsToBaseCounts, probeSitesForTargets, type TargetInterval } from '../stats/background.js';
import { buildPon, formatPon } from '../stats/pon.js';
import { parseTargetsBed } from '../stats/targets.js';
import { StatsInputError } from '../stats/types.js';
import { fileError, UsageError, UserError } from '../util/errors.js';
import { info, warn } from '../util/log.js';
import { handler } from './command.js';
import { countSettingsFromArgs, integerOption, sampleName } from './count-options.js';

interface PonArgs {
  bam: string[];
  sites: string[];
  targets?: string;
  out: string;
  'min-mapq': number;
  'min-baseq': number;
  mates: MatesMode;
  'exclude-flags': string;
  umi: boolean;
  'umi-source': CountSettings['umiSource'];
  'keep-singletons': boolean;
  threads: number;
}

function readTargets(path: string): TargetInterval[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTargetsBed(text, path);
}

/** Probe sites (three per target position) in the BAM's contig naming. */
function probesFor(targets: TargetInterval[], tested: Site[], header: BamHeader, targetsPath: string, bamPath: string): Site[] {
  const resolver = new ContigResolver(header.refs);
  const renamed = targets.map((t) => {
    const ref = resolver.resolve(t.chrom);
    if (!ref) throw fileError(targetsPath, `contig ${t.chrom} is not in the header of ${bamPath}`);
    if (t.end0 > ref.length) throw fileError(targetsPath, `interval ${t.chrom}:${t.start0}-${t.end0} runs past the end of ${ref.name} (length ${ref.length})`);
    return { ...t, chrom: ref.name };
  });
  return probeSitesForTargets(renamed, tested);
}

async function countNormal(
  bam: string,
  header: BamHeader,
  resolved: ResolvedSite[],
  targets: TargetInterval[] | undefined,
  targetsPath: string | undefined,
  settings: CountSettings,
  threads: number,
): Promise<{ rows: SiteCounts[]; positions: PositionBaseCounts[] }> {
  const tested = resolved.map((r) => r.bamSite);
  const probes = targets ? probesFor(targets, tested, header, targetsPath!, bam) : [];
  const all = [...tested, ...probes];
  const result = await countBam(bam, all, settings, { threads, observations: settings.umi });
  for (const w of result.warnings) warn(w);
  let rows = result.rows;
  if (settings.umi) {
    try {
      const collapsed = collapseUmiFamilies(result.observations!, all, { minBaseq: settings.minBaseq, keepSingletons: settings.keepSingletons }, rows);
      for (const w of collapsed.warnings) warn(`${bam}: ${w}`);
      rows = collapsed.rows;
    } catch (e) {
      if (e instanceof NoUmiError) throw fileError(bam, `${e.message} (--umi-source ${settings.umiSource}); drop --umi or give the BAM with UMIs`);
      throw e;
    }
  }
  return { rows: rows.slice(0, tested.length), positions: probes.length ? probeRowsToBaseCounts(rows.slice(tested.length)) : [] };
}

async function runPon(args: PonArgs): Promise<void> {
  if (args.bam.length === 0) throw new UsageError('--bam: give at least one normal BAM');
  if (args.out === '') throw new UsageError('--out must name a file (or - for stdout)');
  const settings: CountSettings = countSettingsFromArgs(args);
  const threads = integerOption('threads', args.threads, 1, 256);
  if (new Set(args.bam).size !== args.bam.length) throw new UsageError('--bam: the same BAM is given twice');
  if (args.bam.length < 2) warn('one normal BAM: no dispersion can be estimated (every dispersion is 0); 10 or more normals are advised');

  const headers: BamHeader[] = [];
  for (const bam of args.bam) headers.push(await readBamHeader(bam));
  const builds = headers.map((h) => detectBuild(h.refs));
  const build = builds.find((b) => b !== 'unknown') ?? 'unknown';
  builds.forEach((b, i) => {
    if (b !== 'unknown' && b !== build) throw new UserError(`${args.bam[i]}: genome build ${b} differs from ${build} of the other normals`);
  });

  const files: SiteFile[] = [];
  for (const spec of args.sites) files.push(await loadSiteSpec(spec, { bamBuild: build }));
  const targets = args.targets ? readTargets(args.targets) : undefined;

  const sampleNames: string[] = [];
  const siteCounts: SiteCounts[][] = [];
  const positions: PositionBaseCounts[][] = [];
  let userSites: Site[] | null = null;
  for (let i = 0; i < args.bam.length; i++) {
    const bam = args.bam[i];
    checkBuilds(bam, builds[i], headers[i].refs, files);
    const resolved = resolveSites(mergeSiteFiles(files), bam, headers[i].refs);
    if (resolved.length === 0) throw new UserError(`${args.sites.join(', ')}: no sites to build a PoN on`);
    userSites ??= resolved.map((r) => r.site);
    const name = sampleName(undefined, headers[i].text, bam);
    info(`${name}: counting ${resolved.length} sites${targets ? ` and ${targets.reduce((n, t) => n + t.end0 - t.start0, 0)} target positions` : ''}`);
    const counted = await countNormal(bam, headers[i], resolved, targets, args.targets, settings, threads);
    sampleNames.push(name);
    siteCounts.push(counted.rows);
    positions.push(counted.positions);
  }
  const record = settingsRecord(settings);
  const settingsText = Object.entries(record).map(([k, v]) => `${k}=${v}`).join(';');
  const pon = buildPon({ sampleNames, build, sites: userSites!, siteCounts, settingsText, ...(targets ? { targetPositions: positions } : {}) });
  for (const w of pon.warnings) warn(w);
  const flagged = pon.sites.filter((s) => s.germlineOrChip).length;
  const carried = pon.sites.filter((s) => !s.germlineOrChip && (s.carriers ?? 0) > 0).length;
  if (flagged > 0) info(`${flagged} of ${pon.sites.length} sites flagged germline_or_chip (alt fraction above 1% in at least half the normals)`);
  if (carried > 0) info(`${carried} site(s) carried by fewer normals: those normals are left out of the site's rates only`);
  writeOutput(args.out, formatPon(pon));
}

export const ponCommand: CommandModule<object, PonArgs> = {
  command: 'pon',
  describe: 'Build a panel of normals: per-site and per-substitution background error rates from normal BAMs',
  builder: (y: Argv<object>) =>
    y
      .option('bam', { type: 'string', array: true, demandOption: true, describe: 'Normal plasma / healthy donor BAMs (indexed, coordinate-sorted)' })
      .option('sites', { type: 'string', array: true, demandOption: true, describe: 'Sites the PoN is for (VCF, panel TSV or panel:NAME), as given to count' })
      .option('targets', { type: 'string', describe: 'Capture targets BED (sorted, non-overlapping): class rates from every target position' })
      .option('out', { type: 'string', demandOption: true, describe: 'PoN TSV to write (atomically), - for stdout' })
      .option('min-mapq', { type: 'number', default: DEFAULT_COUNT_SETTINGS.minMapq, describe: 'Minimum mapping quality (use the value count will use)' })
      .option('min-baseq', { type: 'number', default: DEFAULT_COUNT_SETTINGS.minBaseq, describe: 'Minimum base quality at the site' })
      .option('mates', { choices: ['fragment', 'reads'] as const, default: 'fragment' as MatesMode, describe: 'fragment: overlapping mates count once' })
      .option('exclude-flags', { type: 'string', default: '0xF04', describe: 'Reads with any of these flags are skipped' })
      .option('umi', { type: 'boolean', default: false, describe: 'Count UMI families (build the PoN the way the samples will be counted)' })
      .option('umi-source', { choices: ['RX', 'MI', 'name'] as const, default: 'RX' as const, describe: 'Where the UMI is read from' })
      .option('keep-singletons', { type: 'boolean', default: true, describe: 'Keep UMI families of one read' })
      .option('threads', { type: 'number', default: 1, describe: 'Worker threads per BAM' })
      .strictOptions() as unknown as Argv<PonArgs>,
  handler: handler('pon', async (args: PonArgs) => {
    try {
      await runPon(args);
    } catch (e) {
      if (e instanceof StatsInputError) throw new UserError(e.message);
      throw e;
    }
  }),
};
