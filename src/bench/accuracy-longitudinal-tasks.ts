/**
 * Units of work of the longitudinal section of `npm run accuracy`: a batch of simulated series of
 * one cell, each seeded from (run seed, cell, series number), run through the longitudinal model,
 * with outcome counts returned. Pure: the result depends only on the task, so the tables do not
 * depend on the number of worker threads.
 */
import { hashString32, mix32 } from '../simulate/rng.js';
import { Xoshiro128 } from '../stats/rng.js';
import { tumourFraction } from '../stats/tumour-fraction.js';
import { assessMolecularChange } from '../timeline/longitudinal/model.js';
import type { BetweenDrawPrior, ModelSettings } from '../timeline/longitudinal/types.js';
import { type KnownVariances, referenceOutcome, type ReferenceOutcome } from './accuracy-frontier.js';
import { type SeriesSpec, simulateSeries } from './accuracy-series.js';

export interface SeriesTask {
  /** Identifies the cell (table, schedule, prior, spec); the seed is derived from it. */
  cell: string;
  spec: SeriesSpec;
  prior: BetweenDrawPrior;
  settings: ModelSettings;
  /** Present: the series are judged by the reference test that knows these variances (accuracy-frontier.ts), not by the model. */
  reference?: KnownVariances;
  from: number;
  to: number;
}

export interface SeriesCounts {
  n: number;
  progression: number;
  ruledOut: number;
  undecided: number;
  notEvaluable: number;
  /** The last window draw's interval contains the true fold (of those with an interval). */
  covered: number;
  withInterval: number;
  /** Per-draw tumour-fraction intervals that contain the true tumour fraction. */
  tfCovered: number;
  tfDraws: number;
}

export function emptyCounts(): SeriesCounts {
  return { n: 0, progression: 0, ruledOut: 0, undecided: 0, notEvaluable: 0, covered: 0, withInterval: 0, tfCovered: 0, tfDraws: 0 };
}

export function addCounts(a: SeriesCounts, b: SeriesCounts): SeriesCounts {
  const out = emptyCounts();
  for (const k of Object.keys(out) as (keyof SeriesCounts)[]) out[k] = a[k] + b[k];
  return out;
}

export function seriesSeed(runSeed: number, cell: string, rep: number): number {
  return mix32(mix32(runSeed >>> 0, hashString32(cell)), rep);
}

/** One series' decision into the counts (the model's and the reference test's share the four outcomes). */
function countOutcome(c: SeriesCounts, outcome: ReferenceOutcome): void {
  c.n++;
  if (outcome === 'progression') c.progression++;
  else if (outcome === 'ruled_out') c.ruledOut++;
  else if (outcome === 'undecided') c.undecided++;
  else c.notEvaluable++;
}

export function runSeriesTask(runSeed: number, task: SeriesTask): SeriesCounts {
  const c = emptyCounts();
  for (let rep = task.from; rep < task.to; rep++) {
    const rng = new Xoshiro128(seriesSeed(runSeed, task.cell, rep));
    const s = simulateSeries(rng, task.spec);
    if (task.reference) {
      countOutcome(c, referenceOutcome(s.sites[0], s.windowIdx[0], task.reference, task.settings));
      continue;
    }
    const m = assessMolecularChange({
      draws: s.draws,
      sites: s.sites,
      windowIdx: s.windowIdx,
      therapyStartDay: s.therapyStartDay,
      prior: task.prior,
      settings: task.settings,
    });
    countOutcome(c, m.status);
    const last = m.comparisons[m.comparisons.length - 1];
    if (last && last.status !== 'not_evaluable') {
      c.withInterval++;
      const f = task.spec.fold;
      if ((last.low ?? 0) <= f && (last.high === null || last.high >= f)) c.covered++;
    }
    // Tumour-fraction interval of the window draw (the one a report shows beside the decision).
    const w = s.windowIdx[s.windowIdx.length - 1];
    const tf = tumourFraction({
      n: Float64Array.from(s.sites, (x) => x.depth[w]),
      k: Float64Array.from(s.sites, (x) => x.alt[w]),
      e: Float64Array.from(s.sites, (x) => x.background ?? 0),
    });
    if (Number.isFinite(tf.estimate)) {
      c.tfDraws++;
      if (tf.low <= s.trueTumourFraction[w] && s.trueTumourFraction[w] <= tf.high) c.tfCovered++;
    }
  }
  return c;
}
