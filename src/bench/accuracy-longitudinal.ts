/**
 * The longitudinal section of `npm run accuracy`: the molecular-progression decision of the
 * longitudinal model on simulated series (accuracy-series.ts), per cell of between-draw CV × depth
 * × markers, for stable series (false alarms, share ruled out / undecided), 2- and 4-fold rises
 * (power, and how often a real 2-fold rise is ruled out) and the coverage of the fold and
 * tumour-fraction intervals. The prior is chosen as the classification's default path does it
 * (resolveBetweenDrawPrior, auto): estimated from a separate simulated cohort of the cell's kind,
 * fixed before the cell's series are drawn, or the policy default when that cohort carries too
 * little information; also with a small cohort, the policy default alone, and misspecified.
 */
import { binomUpperTail } from '../stats/binomial.js';
import { Xoshiro128 } from '../stats/rng.js';
import type { CohortSeries } from '../timeline/longitudinal/prior.js';
import { type PriorSettings, type ResolvedPrior, resolveBetweenDrawPrior } from '../timeline/longitudinal/resolve.js';
import type { BetweenDrawPrior, ModelSettings } from '../timeline/longitudinal/types.js';
import { hashString32, mix32 } from '../simulate/rng.js';
import { runPool } from './accuracy-pool.js';
import { type SeriesSpec, simulateSeries } from './accuracy-series.js';
import type { KnownVariances } from './accuracy-frontier.js';
import { addCounts, emptyCounts, type SeriesCounts, type SeriesTask } from './accuracy-longitudinal-tasks.js';

export const CVS = [0, 0.15, 0.3, 0.5];
export const DEPTHS = [300, 1500, 3000];
export const MARKERS = [1, 2, 4];
export const VAF = 0.02;
/** Site × draw beta-binomial ICC of the simulation (φ ≈ 1.15 at 1,500×; a ~7% CV per site and draw at 2%). */
export const RHO = 1e-4;
/** The cohort a lab's run gives (patients × draws), every tenth patient with a real 3-fold rise in its last two draws. */
export const COHORT = { patients: 40, draws: 6 };
/** A small cohort: a first run of a few patients. */
export const SMALL_COHORT = { patients: 12, draws: 4 };
/** Independent cohorts over which the one-marker rule-out share is judged. */
export const ACROSS_COHORTS = 20;
/** A cohort large enough that its estimate is near the estimator's limit. */
export const LIMIT_COHORT = { patients: 2000, draws: 6 };
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
  { id: 'D5', before: 4, window: 1, text: '5 draws (4 before the window, 1 in it)' },
  { id: 'D6', before: 5, window: 1, text: '6 draws (5 before the window, 1 in it)' },
];

export const schedule = (id: string): Schedule => SCHEDULES.find((s) => s.id === id)!;

export interface LongitudinalOptions {
  runSeed: number;
  threads: number;
  seriesPerCell: number;
  settings: ModelSettings;
  priorSettings: PriorSettings;
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

export type CohortCell = Omit<SeriesSpec, 'before' | 'window' | 'fold'>;

/** The optional parts of a cell in its seed key (absent ones add nothing: older cells keep their seeds). */
function specSuffix(cell: CohortCell): string {
  return (
    (cell.cvRange ? `/${cell.cvRange.join('-')}` : '') +
    (cell.background !== undefined ? `/bg${cell.background}` : '') +
    (cell.backgroundSiteSd !== undefined ? `/bgsd${cell.backgroundSiteSd}` : '')
  );
}

/** A simulated cohort of the cell's kind (its own seed, drawn before any evaluation series). */
export function simulatedCohort(runSeed: number, cell: CohortCell, size: { patients: number; draws: number }): CohortSeries[] {
  const cohort: CohortSeries[] = [];
  const spread = specSuffix(cell);
  const base = mix32(
    runSeed >>> 0,
    hashString32(`cohort/${size.patients}x${size.draws}/${cell.cv}${spread}/${cell.depth}/${cell.markers}/${cell.vaf}/${cell.rho}`),
  );
  for (let p = 0; p < size.patients; p++) {
    const rng = new Xoshiro128(mix32(base, p));
    const rises = p % 10 === 9;
    const s = simulateSeries(rng, { ...cell, before: rises ? size.draws - 2 : size.draws, window: rises ? 2 : 0, fold: 3 });
    cohort.push({ patient: `p${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] });
  }
  return cohort;
}

/** The prior the default path (auto) gives for a cohort of the cell's kind and that size. */
export function defaultPathPrior(o: LongitudinalOptions, cell: CohortCell, size: { patients: number; draws: number }): ResolvedPrior {
  return resolveBetweenDrawPrior({ kind: 'auto' }, simulatedCohort(o.runSeed, cell, size), [], o.priorSettings);
}

export interface CellRequest {
  table: string;
  schedule: Schedule;
  priorName: string;
  prior: BetweenDrawPrior;
  spec: SeriesSpec;
  /** Series of this request (default: the run's series per cell). */
  series?: number;
  /** Judge by the reference test that knows these variances (accuracy-frontier.ts; one marker, one window draw). */
  reference?: KnownVariances;
}

export async function runCells(o: LongitudinalOptions, requests: CellRequest[]): Promise<SeriesCounts[]> {
  const tasks: SeriesTask[] = [];
  const owner: number[] = [];
  requests.forEach((r, i) => {
    const spread = specSuffix(r.spec);
    const cell = `${r.table}/${r.schedule.id}/${r.priorName}/${r.spec.cv}${spread}/${r.spec.depth}/${r.spec.markers}/${r.spec.vaf}/${r.spec.fold}/${r.spec.baselineFold ?? 1}`;
    const n = r.series ?? o.seriesPerCell;
    for (let from = 0; from < n; from += TASK_SIZE) {
      tasks.push({
        cell,
        spec: r.spec,
        prior: r.prior,
        settings: o.settings,
        reference: r.reference,
        from,
        to: Math.min(n, from + TASK_SIZE),
      });
      owner.push(i);
    }
  });
  const results = await runPool<SeriesTask, SeriesCounts>(
    new URL('./accuracy-series-worker.js', import.meta.url),
    tasks,
    { runSeed: o.runSeed },
    o.threads,
    1,
  );
  const out = requests.map(() => emptyCounts());
  results.forEach((r, j) => (out[owner[j]] = addCounts(out[owner[j]], r)));
  return out;
}
