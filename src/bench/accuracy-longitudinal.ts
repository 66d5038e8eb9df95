/**
 * The longitudinal section of `npm run accuracy`: the molecular-progression decision of the
 * longitudinal model on simulated series (accuracy-series.ts), per cell of between-draw CV × depth
 * × markers, for stable series (false alarms, share ruled out / undecided), 2- and 4-fold rises
 * (power, and how often a real 2-fold rise is ruled out) and the coverage of the fold and
 * tumour-fraction intervals; with the between-draw prior estimated from a separate simulated cohort
 * of the cell (fixed before the cell's series are drawn), with the policy default, and misspecified.
 */
import { binomUpperTail } from '../stats/binomial.js';
import { Xoshiro128 } from '../stats/rng.js';
import { estimateCohortPrior, type CohortSeries } from '../timeline/longitudinal/prior.js';
import type { BetweenDrawPrior, ModelSettings } from '../timeline/longitudinal/types.js';
import { hashString32, mix32 } from '../simulate/rng.js';
import { runPool } from './accuracy-pool.js';
import { type SeriesSpec, simulateSeries } from './accuracy-series.js';
import { addCounts, emptyCounts, type SeriesCounts, type SeriesTask } from './accuracy-longitudinal-tasks.js';

export const CVS = [0, 0.15, 0.3, 0.5];
export const DEPTHS = [300, 1500, 3000];
export const MARKERS = [1, 2, 4];
export const VAF = 0.02;
/** Site × draw beta-binomial ICC of the simulation (φ ≈ 1.15 at 1,500×; a ~7% CV per site and draw at 2%). */
export const RHO = 1e-4;
/** Training cohort of a cohort prior: patients × draws, every tenth patient with a real 3-fold rise in its last two draws. */
export const COHORT_PATIENTS = 60;
export const COHORT_DRAWS = 6;
const TASK_SIZE = 250;

export interface Schedule {
  id: string;
  before: number;
  window: number;
  text: string;
}

export const SCHEDULES: Schedule[] = [
  { id: 'A', before: 3, window: 1, text: '4 draws two months apart (3 before the window, 1 in it)' },
  { id: 'B', before: 7, window: 1, text: '8 draws two months apart (7 before the window, 1 in it)' },
  { id: 'C', before: 4, window: 2, text: '6 draws (4 before the window, 2 in it: Holm over the two)' },
];

export interface LongitudinalOptions {
  runSeed: number;
  threads: number;
  seriesPerCell: number;
  settings: ModelSettings;
  defaultPrior: BetweenDrawPrior;
  cohortMaxDf: number;
  cohortMinDf: number;
}

/** One-sided upper 95% Clopper–Pearson bound of a binomial proportion x/n. */
export function upperBound95(x: number, n: number): number {
  if (x >= n) return 1;
  let lo = x / n;
  let hi = 1;
  // P(X ≤ x | p) = 0.05 ⇔ P(X ≥ x+1 | p) = 0.95; the upper tail grows with p.
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomUpperTail(x + 1, n, mid) < 0.95) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The prior a cohort of the cell's kind gives (estimated before any evaluation series is drawn). */
export function cohortPrior(o: LongitudinalOptions, cell: Omit<SeriesSpec, 'before' | 'window' | 'fold'>): BetweenDrawPrior {
  const cohort: CohortSeries[] = [];
  const base = mix32(o.runSeed >>> 0, hashString32(`cohort/${cell.cv}/${cell.depth}/${cell.markers}/${cell.vaf}/${cell.rho}`));
  for (let p = 0; p < COHORT_PATIENTS; p++) {
    const rng = new Xoshiro128(mix32(base, p));
    const rises = p % 10 === 9;
    const s = simulateSeries(rng, { ...cell, before: rises ? COHORT_DRAWS - 2 : COHORT_DRAWS, window: rises ? 2 : 0, fold: 3 });
    cohort.push({ patient: `p${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] });
  }
  const est = estimateCohortPrior(cohort, o.defaultPrior, o.cohortMaxDf);
  // As classify does: a cohort that gives fewer than the policy's minimum df leaves the default in place.
  return est.rawDf >= o.cohortMinDf ? { cv: est.cv, df: est.df, source: est.source } : o.defaultPrior;
}

export interface CellRequest {
  table: string;
  schedule: Schedule;
  priorName: string;
  prior: BetweenDrawPrior;
  spec: SeriesSpec;
}

export async function runCells(o: LongitudinalOptions, requests: CellRequest[]): Promise<SeriesCounts[]> {
  const tasks: SeriesTask[] = [];
  const owner: number[] = [];
  requests.forEach((r, i) => {
    const cell = `${r.table}/${r.schedule.id}/${r.priorName}/${r.spec.cv}/${r.spec.depth}/${r.spec.markers}/${r.spec.vaf}/${r.spec.fold}/${r.spec.baselineFold ?? 1}`;
    for (let from = 0; from < o.seriesPerCell; from += TASK_SIZE) {
      tasks.push({ cell, spec: r.spec, prior: r.prior, settings: o.settings, from, to: Math.min(o.seriesPerCell, from + TASK_SIZE) });
      owner.push(i);
    }
  });
  const results = await runPool<SeriesTask, SeriesCounts>(new URL('./accuracy-series-worker.js', import.meta.url), tasks, { runSeed: o.runSeed }, o.threads, 1);
  const out = requests.map(() => emptyCounts());
  results.forEach((r, j) => (out[owner[j]] = addCounts(out[owner[j]], r)));
  return out;
}
