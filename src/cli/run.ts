import { existsSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type CommandModule } from 'yargs';
import { classifyCommand } from './classify.js';
import { trackCommand } from './track.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings } from '../count/types.js';
import { readSamplesheet } from '../io/samplesheet.js';
import { countSample, tumourInformedVcfsByPatient } from '../timeline/count-samples.js';
import { openStore } from '../store/store.js';
import { UserError, UsageError } from '../util/errors.js';
import { info, setLogCommand, warn } from '../util/log.js';
import { buildReport } from '../report/build-report.js';
import { findChromium } from '../report/pdf.js';
import { Progress } from '../report/progress.js';
import { handler } from './command.js';

export interface RunOptions {
  samplesheet: string;
  clinical: string;
  imaging: string;
  outDir: string;
  sites: string[];
  pon?: string;
  policy?: string;
  threads: number;
  umi: boolean;
  /** Cohort store (created if absent): draws stored for the same BAM, sites and settings are not recounted. */
  store?: string;
  /** Name of the calling command for log prefixes ('run' or 'demo'). */
  command: string;
  /** Also print the report pages to PDF (system Chromium). */
  pdf?: boolean;
  /** classify --between-draw-prior (auto, default or a CV); absent: classify's default (auto). */
  betweenDrawPrior?: string;
}

export interface RunResult {
  /** 0 on success; otherwise the exit code of the stage that failed (its error is already printed). */
  exitCode: number;
  indexHtml: string;
  counted: number;
  reused: number;
}

/**
 * Runs one command module in-process with the given argv, through yargs so the stage gets exactly
 * the defaults and validation of its own CLI (no second copy of track's or classify's options).
 * The stage prints its own error line; the returned code says whether it failed.
 */
async function runStage(cmd: CommandModule<object, never>, argv: string[], quiet: boolean): Promise<number> {
  const before = process.exitCode;
  process.exitCode = undefined;
  const quietBefore = process.env.OLIGOTRACK_QUIET;
  if (quiet) process.env.OLIGOTRACK_QUIET = '1';
  try {
    await yargs(argv)
      .command(cmd)
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(`internal usage error in stage ${argv[0]}: ${msg}`);
      })
      .parseAsync();
  } finally {
    if (quiet) {
      if (quietBefore === undefined) delete process.env.OLIGOTRACK_QUIET;
      else process.env.OLIGOTRACK_QUIET = quietBefore;
    }
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return code;
}

/**
 * count → track → classify → report. Counting comes first, one sample at a time, into the cache
 * that `track` reads (DIR/counts/<sample>.json, keyed by the BAM's SHA-256, sites and settings) and
 * into the store with --store: this gives the progress display, and it makes a killed run
 * resumable — every finished sample is reused by the next run and by the track stage. The draws
 * are counted exactly as track counts them (its default settings, the patient's samplesheet `vcf`
 * with the --sites), so the track stage finds every one of them and counts nothing.
 */
export async function runPipeline(o: RunOptions): Promise<RunResult> {
  for (const [flag, f] of [['--clinical', o.clinical], ['--imaging', o.imaging]] as const) {
    if (!existsSync(f)) throw new UserError(`${f}: ${flag} file not found`);
  }
  if (o.pdf) findChromium(); // fail before counting, not after
  const samples = readSamplesheet(o.samplesheet);
  // The same settings track builds from its defaults (so the cache keys match).
  const settings: CountSettings = { ...DEFAULT_COUNT_SETTINGS, umi: o.umi };
  const cacheDir = join(o.outDir, 'counts');
  const informed = tumourInformedVcfsByPatient(samples);
  const bar = new Progress('counting', samples.length);
  let reused = 0;
  let fromStore = 0;
  let done = 0;
  const store = o.store !== undefined ? openStore(o.store, { create: true }) : null;
  try {
    for (const s of samples) {
      const tumourInformedSpecs = informed.get(s.patient) ?? [];
      const c = await countSample(s.bam, { siteSpecs: o.sites, settings, threads: o.threads, cacheDir, cacheName: s.sample, tumourInformedSpecs, store });
      for (const w of c.warnings) warn(w);
      if (c.source === 'cache') reused++;
      if (c.source === 'store') fromStore++;
      bar.step(++done, `${s.sample}${c.cached ? ` (${c.source})` : ''}`);
    }
  } finally {
    store?.close();
  }
  bar.done();
  info(`counted ${samples.length - reused - fromStore} sample(s), reused ${reused} from ${cacheDir}${store ? `, ${fromStore} from ${o.store}` : ''}`);
  reused += fromStore;

  const track = ['track', '--samplesheet', o.samplesheet, '--out-dir', o.outDir, '--threads', String(o.threads), '--sites', ...o.sites];
  if (o.pon) track.push('--pon', o.pon);
  if (o.umi) track.push('--umi');
  if (o.store !== undefined) track.push('--store', o.store);
  const fail = (code: number): RunResult => ({ exitCode: code, indexHtml: '', counted: samples.length - reused, reused });
  let code = await runStage(trackCommand as CommandModule<object, never>, track, true);
  setLogCommand(o.command);
  if (code) return fail(code);
  info('track: timelines written');

  const classify = ['classify', '--timeline', o.outDir, '--clinical', o.clinical, '--imaging', o.imaging, '--out', join(o.outDir, 'classification.tsv'), '--json', join(o.outDir, 'classification.json')];
  if (o.policy) classify.push('--policy', o.policy);
  if (o.betweenDrawPrior !== undefined) classify.push('--between-draw-prior', o.betweenDrawPrior);
  if (o.store !== undefined) classify.push('--store', o.store);
  code = await runStage(classifyCommand as CommandModule<object, never>, classify, true);
  setLogCommand(o.command);
  if (code) return fail(code);
  info('classify: classification.tsv and classification.json written');

  const { indexHtml } = await buildReport({ inDir: o.outDir, outDir: join(o.outDir, 'report'), clinical: o.clinical, imaging: o.imaging, pdf: o.pdf });
  return { exitCode: 0, indexHtml, counted: samples.length - reused, reused };
}

interface RunArgs {
  samplesheet: string;
  clinical: string;
  imaging: string;
  out: string;
  sites: string[];
  pon?: string;
  policy?: string;
  threads: number;
  umi: boolean;
  store?: string;
  pdf: boolean;
  'between-draw-prior'?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'The whole path count → track → classify → report over a samplesheet; ends with OUT/report/index.html',
  builder: (y) =>
    y
      .option('samplesheet', { type: 'string', demandOption: true, describe: 'CSV: patient,sample,collection_date,bam[,vcf,timepoint,therapy,normal] (paths relative to it)' })
      .option('clinical', { type: 'string', demandOption: true, describe: 'clinical CSV: patient,subtype,therapy,therapy_class,therapy_start' })
      .option('imaging', { type: 'string', demandOption: true, describe: 'imaging CSV: patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns' })
      .option('out', { type: 'string', demandOption: true, describe: 'output directory (counts/, timeline.tsv, patients/, classification.*, report/)' })
      .option('sites', { type: 'string', array: true, default: ['panel:breast'], describe: 'sites to count (VCF, panel TSV or panel:breast)' })
      .option('pon', { type: 'string', describe: 'panel of normals (oligotrack pon)' })
      .option('policy', { type: 'string', describe: 'classification policy YAML/JSON (default: reference/policy/default.yaml)' })
      .option('threads', { type: 'number', default: 1, describe: 'worker threads per BAM (outputs identical for any value)' })
      .option('umi', { type: 'boolean', default: false, describe: 'count UMI families instead of fragments' })
      .option('store', { type: 'string', describe: 'cohort store (SQLite, created if absent): draws already stored for the same BAM bytes, sites and settings are not recounted; new ones are ingested' })
      .option('pdf', { type: 'boolean', default: false, describe: 'also write the report pages as PDFs (needs Chromium: Debian package chromium)' })
      .option('between-draw-prior', { type: 'string', describe: "as classify: auto (the default: estimated from the run's timelines and the store's recorded phases), default (the policy's), or a lab's measured between-draw CV" })
      .example('$0 run --samplesheet s.csv --clinical c.csv --imaging i.csv --out results', 'results/report/index.html'),
  handler: handler('run', async (a: RunArgs) => {
    if (!Number.isInteger(a.threads) || a.threads < 1 || a.threads > 256) throw new UsageError(`--threads must be an integer from 1 to 256, got ${a.threads}`);
    const r = await runPipeline({
      samplesheet: a.samplesheet, clinical: a.clinical, imaging: a.imaging, outDir: a.out, sites: a.sites,
      pon: a.pon, policy: a.policy, threads: a.threads, umi: a.umi, store: a.store, command: 'run', pdf: a.pdf, betweenDrawPrior: a['between-draw-prior'],
    });
    if (r.exitCode) {
      process.exitCode = r.exitCode;
      return;
    }
    info(`report: ${r.indexHtml}`);
  }),
};
