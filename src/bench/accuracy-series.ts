/**
 * Count-level simulation of a patient's serial draws for the longitudinal section of
 * `npm run accuracy` (docs/methods/accuracy.md). No BAMs: per site and draw an alt count from a
 * beta-binomial, with
 *   - between-draw variation: the tumour level of draw t is vaf · exp(ε_t), ε_t ~ N(0, log(1 + CV²)),
 *     shared by every site of the draw (the CV axis of the tables; optionally a CV per patient drawn
 *     log-uniformly from a range, for a cohort whose patients differ);
 *   - between-site variation: a fixed allele-fraction factor per site, exp(N(0, 0.3²)) (copy number,
 *     LOH), and per site and draw a beta-binomial ICC ρ (capture and PCR noise, site × draw);
 *   - depth per site and draw: the cell's depth × exp(N(0, 0.25²)) (coverage varies between sites
 *     and libraries);
 *   - a background alt rate added to every site (1e-4, the default background of the calling stage,
 *     unless the spec sets one), known to the model as the site's background; optionally each site's
 *     true rate spread around it (a site the panel of normals lacks, given its class's rate).
 * Window draws have the level multiplied by the true fold (1 = a stable series).
 */
import { betaDraw, binomialDraw, normalDraw, type Xoshiro128 } from '../stats/rng.js';
import type { SeriesDraw, SeriesSite } from '../timeline/longitudinal/types.js';

export const SITE_FACTOR_SD = 0.3;
export const DEPTH_SD = 0.25;
export const BACKGROUND = 1e-4;
/** Days between draws (PADA-1 sampled every 2 months). */
export const DRAW_INTERVAL_DAYS = 60;
const DAY0 = 20_454; // 2026-01-01

export interface SeriesSpec {
  cv: number;
  depth: number;
  markers: number;
  vaf: number;
  /** Draws before the window, and window draws (the last ones). */
  before: number;
  window: number;
  /** True fold of the window draws over the level before them. */
  fold: number;
  /** Site × draw beta-binomial ICC. */
  rho: number;
  /**
   * Optional spread of patients: each series draws its own between-draw CV log-uniformly from this
   * range (then `cv` is only a label). Absent: every series has `cv`.
   */
  cvRange?: [number, number];
  /**
   * Optional response before the nadir: the first draw (at therapy start) at this multiple of the
   * nadir level (1 = none).
   */
  baselineFold?: number;
  /** Background alt rate per read of every site (default BACKGROUND). */
  background?: number;
  /**
   * Optional log-scale SD of the sites' true background rates around `background`, which is what
   * the model is given: site i's rate is background × exp(N(0, sd²) − sd²/2) (mean-preserving), as
   * for personalised sites that take their substitution class's rate from a panel of normals.
   */
  backgroundSiteSd?: number;
}

export interface SimulatedSeries {
  draws: SeriesDraw[];
  sites: SeriesSite[];
  windowIdx: number[];
  therapyStartDay: number;
  /** True tumour fraction per draw: 2 × the depth-weighted mean of the sites' true allele fractions. */
  trueTumourFraction: number[];
}

function isoOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function simulateSeries(rng: Xoshiro128, spec: SeriesSpec): SimulatedSeries {
  const T = spec.before + spec.window;
  const bg = spec.background ?? BACKGROUND;
  const cv = spec.cvRange ? spec.cvRange[0] * (spec.cvRange[1] / spec.cvRange[0]) ** rng.next() : spec.cv;
  const sigma = Math.sqrt(Math.log1p(cv * cv));
  const eps = Array.from({ length: T }, () => sigma * normalDraw(rng));
  const factor = Array.from({ length: spec.markers }, () => Math.exp(SITE_FACTOR_SD * normalDraw(rng)));
  // Drawn only when asked for, so that the other cells' random streams stay as they were.
  const sd = spec.backgroundSiteSd ?? 0;
  const siteBackground = factor.map(() => (sd > 0 ? bg * Math.exp(sd * normalDraw(rng) - (sd * sd) / 2) : bg));
  const level = eps.map((e, t) => spec.vaf * Math.exp(e) * (t >= spec.before ? spec.fold : t === 0 ? (spec.baselineFold ?? 1) : 1));
  const weighted = new Float64Array(T);
  const depthSum = new Float64Array(T);
  const sites: SeriesSite[] = factor.map((c, i) => {
    const alt: number[] = [];
    const depth: number[] = [];
    for (let t = 0; t < T; t++) {
      const n = Math.max(1, Math.round(spec.depth * Math.exp(DEPTH_SD * normalDraw(rng))));
      const af = Math.min(0.95, c * level[t]);
      const b = siteBackground[i];
      const mean = af * (1 - b) + (1 - af) * b;
      const p = spec.rho > 0 ? betaDraw(rng, (mean * (1 - spec.rho)) / spec.rho, ((1 - mean) * (1 - spec.rho)) / spec.rho) : mean;
      alt.push(binomialDraw(rng, n, p));
      depth.push(n);
      weighted[t] += n * af;
      depthSum[t] += n;
    }
    return { key: `sim:${i + 1}`, label: `marker ${i + 1}`, alt, depth, background: bg };
  });
  const draws = Array.from({ length: T }, (_, t) => ({
    sample: `d${t}`,
    day: DAY0 + DRAW_INTERVAL_DAYS * t,
    date: isoOf(DAY0 + DRAW_INTERVAL_DAYS * t),
  }));
  return {
    draws,
    sites,
    windowIdx: Array.from({ length: spec.window }, (_, j) => spec.before + j),
    therapyStartDay: DAY0 - 7,
    trueTumourFraction: Array.from({ length: T }, (_, t) => Math.min(1, (2 * weighted[t]) / depthSum[t])),
  };
}
