import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_COUNT_SETTINGS, type CountSettings, type MatesMode } from '../count/types.js';
import { type SampleRow, readSamplesheet } from '../io/samplesheet.js';
import { annotateCounts, DEFAULT_MIN_DEPTH, DEFAULT_SITE_ALPHA } from '../stats/annotate.js';
import { defaultBackground, DEFAULT_BACKGROUND_RATE } from '../stats/background.js';
import { checkPonFits, parsePon } from '../stats/pon.js';
import { loadIdentitySnps } from '../reference/identity-snps.js';
import { type BackgroundModel, type CalledRow, StatsInputError } from '../stats/types.js';
import { buildPatientTimeline, siteKeyOf } from '../timeline/build.js';
import { alignRows, countSample, type SampleCounts, tumourInformedVcfsByPatient } from '../timeline/count-samples.js';
import { attachSampleTests } from '../timeline/sample-test.js';
import { type CalledDraw, DEFAULT_EVENT_SETTINGS, type EventSettings, type PatientTimeline, type WhiteCellInput } from '../timeline/types.js';
import { checkOutputDir, writeTimelineDir } from '../timeline/write-dir.js';
import { type CohortStore, openStore } from '../store/store.js';
import { UserError, UsageError, fileError } from '../util/errors.js';
import { info, warn } from '../util/log.js';
import { handler } from './command.js';

interface TrackArgs {
  samplesheet: string;
  sites?: string[];
  'out-dir': string;
  pon?: string;
  umi: boolean;
  'drop-singletons': boolean;
  threads: number;
  alpha: number;
  'min-fold': number;
  'site-alpha': number;
  'min-depth': number;
  'min-mapq': number;
  'min-baseq': number;
  mates: MatesMode;
  cache: boolean;
  'counts-dir'?: string;
  store?: string;
}

function checkNumber(name: string, v: number, ok: (x: number) => boolean, rule: string): number {
  if (!Number.isFinite(v) || !ok(v)) throw new UsageError(`--${name} ${rule}, got ${String(v)}`);
  return v;
}

/** Stats input errors (a PoN that does not fit) are the user's: one line, exit 1. */
function statsErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof StatsInputError) throw new UserError(e.message);
    throw e;
  }
}

async function runTrack(args: TrackArgs): Promise<void> {
  if (args['counts-dir'] !== undefined && args.store !== undefined) throw new UsageError('--counts-dir and --store are exclusive (ingest the count JSONs with: oligotrack store ingest)');
  const events: EventSettings = {
    ...DEFAULT_EVENT_SETTINGS,
    alpha: checkNumber('alpha', args.alpha, (x) => x > 0 && x < 1, 'must be in (0, 1)'),
    min_fold: checkNumber('min-fold', args['min-fold'], (x) => x >= 1, 'must be ≥ 1'),
  };
  const siteAlpha = checkNumber('site-alpha', args['site-alpha'], (x) => x > 0 && x < 1, 'must be in (0, 1)');
  const minDepth = checkNumber('min-depth', args['min-depth'], (x) => Number.isInteger(x) && x >= 0, 'must be a whole number ≥ 0');
  const threads = checkNumber('threads', args.threads, (x) => Number.isInteger(x) && x >= 1 && x <= 256, 'must be an integer from 1 to 256');
  const settings: CountSettings = {
    ...DEFAULT_COUNT_SETTINGS,
    minMapq: checkNumber('min-mapq', args['min-mapq'], (x) => Number.isInteger(x) && x >= 0 && x <= 255, 'must be an integer from 0 to 255'),
    minBaseq: checkNumber('min-baseq', args['min-baseq'], (x) => Number.isInteger(x) && x >= 0 && x <= 255, 'must be an integer from 0 to 255'),
    mates: args.mates,
    umi: args.umi,
    keepSingletons: !args['drop-singletons'],
  };
  const samples = readSamplesheet(args.samplesheet);
  checkOutputDir(args['out-dir']);
  const siteSpecs = args.sites ?? [];
  const informedByPatient = tumourInformedVcfsByPatient(samples);
  if (siteSpecs.length === 0) {
    const bare = samples.find((s) => !informedByPatient.has(s.patient));
    if (bare) throw fileError(args.samplesheet, `patient ${bare.patient} has no 'vcf' (tumour-informed sites) and no --sites was given: nothing to count`, bare.line);
  }
  let background: BackgroundModel;
  if (args.pon) {
    let text: string;
    try {
      text = readFileSync(args.pon, 'utf8');
    } catch (e) {
      throw new UserError(`${args.pon}: cannot read panel of normals (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const pon = statsErrors(() => parsePon(text, args.pon!));
    for (const w of pon.warnings) warn(w);
    background = pon;
  } else {
    background = defaultBackground();
  }
  const callSettings = {
    background: background.kind,
    background_origin: args.pon ?? `default rate ${DEFAULT_BACKGROUND_RATE}`,
    site_alpha: siteAlpha,
    min_depth: minDepth,
  };
  const countsDir = args['counts-dir'] ?? null;
  if (countsDir !== null && (!existsSync(countsDir) || !statSync(countsDir).isDirectory())) throw new UserError(`${countsDir}: --counts-dir is not a directory`);
  // --store creates the file on first use: a lab's cohort store starts with its first track run.
  const store = args.store !== undefined ? openStore(args.store, { create: true }) : null;
  try {
    await trackWithStore(args, { samples, siteSpecs, settings, threads, countsDir, store, background, callSettings, events, siteAlpha, minDepth, informedByPatient });
  } finally {
    store?.close();
  }
}

interface TrackPlan {
  samples: SampleRow[];
  siteSpecs: string[];
  settings: CountSettings;
  threads: number;
  countsDir: string | null;
  store: CohortStore | null;
  background: BackgroundModel;
  callSettings: { background: string; background_origin: string; site_alpha: number; min_depth: number };
  events: EventSettings;
  siteAlpha: number;
  minDepth: number;
  informedByPatient: Map<string, string[]>;
}

async function trackWithStore(args: TrackArgs, p: TrackPlan): Promise<void> {
  const { samples, settings, background, callSettings, events, siteAlpha, minDepth, informedByPatient } = p;
  const cacheDir = args.cache ? join(args['out-dir'], 'counts') : null;
  const countOpts = { siteSpecs: p.siteSpecs, settings, threads: p.threads, cacheDir, countsDir: p.countsDir, store: p.store };

  // Count every draw (and each patient's matched white cells once), in samplesheet order.
  const whiteCells = new Map<string, WhiteCellInput>();
  const called = new Map<string, CalledDraw>();
  const calledRows = new Map<string, CalledRow[]>();
  const bySource = { counted: 0, cache: 0, store: 0, 'counts-dir': 0 };
  const ponNotes = new Set<string>();
  for (const s of samples) {
    const tumourInformedSpecs = informedByPatient.get(s.patient) ?? [];
    const counts: SampleCounts = await countSample(s.bam, { ...countOpts, tumourInformedSpecs, cacheName: s.sample });
    bySource[counts.source]++;
    for (const w of counts.warnings) warn(w);
    const sites = counts.rows.map((r) => r.site);
    // Private tumour-informed sites the PoN lacks take their class's rate: say so once per message.
    for (const w of statsErrors(() => checkPonFits(background, sites, counts.build))) {
      if (ponNotes.has(w)) continue;
      ponNotes.add(w);
      warn(w);
    }
    const rows = statsErrors(() => annotateCounts({ rows: counts.rows }, { background, alpha: siteAlpha, minDepth }));
    const known = whiteCells.get(s.patient);
    if (s.normal && !known) {
      // Counted at the patient's sites (panel + tissue VCF) and called against the same background:
      // classify tests each site there against that background and its dispersion (never ≥ 1% / ≥ 3 reads).
      const n = await countSample(s.normal, { ...countOpts, tumourInformedSpecs, cacheName: `${s.sample}.normal` });
      for (const w of n.warnings) warn(w);
      const nRows = statsErrors(() => annotateCounts({ rows: n.rows }, { background, alpha: siteAlpha, minDepth }));
      whiteCells.set(s.patient, { bam: normalAsWritten(args.samplesheet, s.normal), sample: `${s.patient} white cells`, rows: nRows });
    } else if (s.normal && known && normalAsWritten(args.samplesheet, s.normal) !== known.bam) {
      warn(`${args.samplesheet}: patient ${s.patient} names two white-cell BAMs; ${known.bam} is used, ${normalAsWritten(args.samplesheet, s.normal)} is ignored`);
    }
    called.set(s.sample, drawOf(s, counts, rows));
    calledRows.set(s.sample, rows);
    info(`${s.sample}: ${SOURCE_WORDS[counts.source]} (${rows.length} sites)`);
  }

  // Identity SNPs (panel:identity) are checked for sample identity and never tracked.
  const identityIds = new Set(loadIdentitySnps().map((x) => x.rsid));
  const timelines: PatientTimeline[] = [];
  const byPatient = new Map<string, SampleRow[]>();
  for (const s of samples) byPatient.set(s.patient, [...(byPatient.get(s.patient) ?? []), s]);
  for (const [patient, rows] of byPatient) {
    const draws = rows.map((r) => called.get(r.sample)!);
    const order = draws[0].rows.map((r) => siteKeyOf(r.site));
    for (const d of draws) d.rows = alignRows(d.rows, order, `${args.samplesheet}: sample ${d.sample}`);
    const wc = whiteCells.get(patient);
    if (wc) wc.rows = alignRows(wc.rows, order, `${args.samplesheet}: white cells of ${patient}`);
    const timeline = buildPatientTimeline({ patient, draws, countSettings: settings, eventSettings: events, callSettings, whiteCells: wc, identityIds });
    const rowsByDraw = rows.map((r) => calledRows.get(r.sample)!);
    statsErrors(() => attachSampleTests(timeline, rowsByDraw, { alpha: siteAlpha, siteAlpha, minDepth, background: background.kind }));
    timelines.push(timeline);
  }
  writeTimelineDir(args['out-dir'], timelines);
  info(`counts: ${bySource.counted} counted, ${bySource.cache} from cache, ${bySource.store} from store, ${bySource['counts-dir']} from counts dir`);
  info(`${samples.length} draws of ${timelines.length} patients (${bySource.cache} from cache) → ${args['out-dir']}/timeline.tsv, patients/*.json`);
}

/** The white-cell BAM relative to the samplesheet, so the timeline does not depend on where it was run. */
function normalAsWritten(samplesheet: string, normal: string): string {
  return relative(dirname(resolve(samplesheet)), normal).split(sep).join('/');
}

const SOURCE_WORDS = {
  counted: 'counted',
  cache: 'counts reused from cache',
  store: 'counts read from store',
  'counts-dir': 'counts read from counts dir',
} as const;

function drawOf(s: SampleRow, counts: SampleCounts, rows: ReturnType<typeof annotateCounts>): CalledDraw {
  const d: CalledDraw = {
    sample: s.sample,
    collectionDate: s.collectionDate,
    collectionDay: s.collectionDay,
    bam: s.bamAsGiven,
    readsSeen: counts.readsSeen,
    readsPassing: counts.readsPassing,
    rows,
  };
  if (s.timepoint !== undefined) d.timepoint = s.timepoint;
  if (s.therapy !== undefined) d.therapy = s.therapy;
  if (counts.tumourInformed.size > 0) d.tumourInformed = counts.tumourInformed;
  if (counts.tissueSomatic.size > 0) d.tissueSomatic = counts.tissueSomatic;
  return d;
}

export const trackCommand: CommandModule<object, TrackArgs> = {
  command: 'track',
  describe: 'Count every draw of a samplesheet and build per-patient timelines (VAF series, events, tumour fraction)',
  builder: (y: Argv<object>) =>
    y
      .option('samplesheet', { type: 'string', demandOption: true, describe: 'CSV: patient,sample,collection_date,bam[,vcf,timepoint,therapy,normal] (paths relative to it)' })
      .option('sites', { type: 'string', array: true, describe: "Sites for every patient: VCF(.gz), panel TSV or panel:breast (as count); optional when every patient has a samplesheet 'vcf'" })
      .option('out-dir', { type: 'string', demandOption: true, describe: 'Output directory: timeline.tsv, patients/<patient>.json, counts/ (cache)' })
      .option('pon', { type: 'string', describe: 'Panel of normals (oligotrack pon) for the background error and germline/CH flags' })
      .option('umi', { type: 'boolean', default: false, describe: 'Count UMI families (RX tag) instead of fragments' })
      .option('drop-singletons', { type: 'boolean', default: false, describe: 'With --umi: drop families of one read' })
      .option('threads', { type: 'number', default: 1, describe: 'Worker threads per BAM (output identical for any value)' })
      .option('alpha', { type: 'number', default: DEFAULT_EVENT_SETTINGS.alpha, describe: 'Significance of the two-count test behind emerged/rising/falling/cleared' })
      .option('min-fold', { type: 'number', default: DEFAULT_EVENT_SETTINGS.min_fold, describe: 'Fold change for rising/falling' })
      .option('site-alpha', { type: 'number', default: DEFAULT_SITE_ALPHA, describe: 'Per-site detection α (calls)' })
      .option('min-depth', { type: 'number', default: DEFAULT_MIN_DEPTH, describe: 'Below this depth a site is low_depth' })
      .option('min-mapq', { type: 'number', default: DEFAULT_COUNT_SETTINGS.minMapq, describe: 'Minimum mapping quality' })
      .option('min-baseq', { type: 'number', default: DEFAULT_COUNT_SETTINGS.minBaseq, describe: 'Minimum base quality at the site' })
      .option('mates', { choices: ['fragment', 'reads'] as const, default: 'fragment' as MatesMode, describe: 'fragment: overlapping mates count once' })
      .option('counts-dir', { type: 'string', describe: 'Read precomputed DIR/<sample>.count.json (oligotrack count --format json) instead of counting; normals as <sample>.normal.count.json' })
      .option('store', { type: 'string', describe: 'Cohort store (SQLite, created if absent): reuse a draw stored for the same BAM bytes, sites and settings; count and ingest the others' })
      .option('cache', { type: 'boolean', default: true, describe: 'Reuse DIR/counts/<sample>.json when BAM, sites and settings are unchanged (--no-cache to recount)' })
      .strictOptions() as unknown as Argv<TrackArgs>,
  handler: handler('track', runTrack),
};
