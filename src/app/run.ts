import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CountSettings } from '../count/types.js';
import { findChromium } from '../report/pdf.js';
import { DEFAULT_MIN_DEPTH, DEFAULT_SITE_ALPHA } from '../stats/call-defaults.js';
import { readTimelineDir } from '../timeline/read.js';
import { DEFAULT_EVENT_SETTINGS, type EventSettings } from '../timeline/types.js';
import { UserError } from '../util/errors.js';
import { info } from '../util/log.js';
import { type BetweenDrawPriorChoice, classifyCohort, writeClassification } from './classify.js';
import type { CountSource, SampleCounts } from './count-sample.js';
import { reportCohort } from './report.js';
import { trackCohort } from './track.js';

/**
 * runPipeline: track → classify → report over a samplesheet, as the three commands would run one
 * after another on the same directory. Every draw is counted into DIR/counts (and the store), so a
 * killed run resumes: the draws counted before are reused.
 */
export interface RunRequest {
  samplesheet: string;
  clinical: string;
  imaging: string;
  /** Output directory: counts/, timeline.tsv, patients/, classification.*, report/. */
  outDir: string;
  sites: readonly string[];
  settings: CountSettings;
  threads: number;
  referencePath?: string;
  ponPath?: string;
  policyPath?: string;
  storePath?: string;
  /** Also print the report pages to PDF (system Chromium). */
  pdf?: boolean;
  betweenDrawPrior?: BetweenDrawPriorChoice;
  siteAlpha?: number;
  minDepth?: number;
  events?: EventSettings;
  onDraw?: (done: number, total: number, sample: string, counts: SampleCounts) => void;
}

export interface RunResult {
  indexHtml: string;
  draws: number;
  /** Draws by where their counts came from. */
  bySource: Record<CountSource, number>;
}

export async function runPipeline(req: RunRequest): Promise<RunResult> {
  for (const [flag, f] of [
    ['--clinical', req.clinical],
    ['--imaging', req.imaging],
  ] as const) {
    if (!existsSync(f)) throw new UserError(`${f}: ${flag} file not found`);
  }
  if (req.pdf) findChromium(); // fail before counting, not after
  const tracked = await trackCohort({
    samplesheet: req.samplesheet,
    sites: req.sites,
    outDir: req.outDir,
    settings: req.settings,
    threads: req.threads,
    referencePath: req.referencePath,
    ponPath: req.ponPath,
    siteAlpha: req.siteAlpha ?? DEFAULT_SITE_ALPHA,
    minDepth: req.minDepth ?? DEFAULT_MIN_DEPTH,
    events: req.events ?? DEFAULT_EVENT_SETTINGS,
    cache: true,
    storePath: req.storePath,
    onDraw: req.onDraw,
  });
  info('track: timelines written');

  // Classified from the files just written, exactly as `classify --timeline DIR` reads them.
  const classified = classifyCohort({
    timelines: readTimelineDir(req.outDir),
    clinicalPath: req.clinical,
    imagingPath: req.imaging,
    policyPath: req.policyPath,
    betweenDrawPrior: req.betweenDrawPrior ?? 'auto',
    storePath: req.storePath,
  });
  writeClassification(classified, {
    tsvPath: join(req.outDir, 'classification.tsv'),
    jsonPath: join(req.outDir, 'classification.json'),
    storePath: req.storePath,
  });
  info('classify: classification.tsv and classification.json written');

  const { indexHtml } = await reportCohort({
    inDir: req.outDir,
    outDir: join(req.outDir, 'report'),
    clinical: req.clinical,
    imaging: req.imaging,
    pdf: req.pdf,
  });
  return { indexHtml, draws: tracked.draws, bySource: tracked.bySource };
}
