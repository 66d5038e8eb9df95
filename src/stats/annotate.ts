/**
 * Per-site calls: VAF with Wilson interval, one-sided test of the alt count over the background,
 * limit of detection, call. Pure: count rows in, called rows out (same order).
 */
import type { CountResult, SiteCounts } from '../count/types.js';
import { backgroundFor } from './background.js';
import { betaBinomLogUpperTail } from './binomial.js';
import { limitOfDetection } from './lod.js';
import { type AnnotateOptions, type CalledRow, type SiteBackground, StatsInputError } from './types.js';
import { wilsonInterval } from './wilson.js';

/** Default per-site one-sided α and minimum depth (see docs/methods/calls.md for the multiplicity note). */
export const DEFAULT_SITE_ALPHA = 0.01;
export const DEFAULT_MIN_DEPTH = 100;

/**
 * ICC of the predictive (beta-binomial) distribution of a new sample's alt count: the sample's rate
 * varies around the true rate μ with ICC ρ (between-sample over-dispersion), and μ itself is only
 * known as Beta(rate·A, (1−rate)·A) from A background observations. Matching the two moments,
 *   Var(e_sample) = m(1−m)·(1 + ρA)/(A + 1)   ⇒   ρ_pred = ρ + (1 − ρ)/(A + 1),
 * exact (the beta-binomial predictive) when ρ = 0. A = Infinity (fixed default rate) gives ρ.
 * Example: a PoN of 50 normals × 10,000 families with 14 alt families has A ≈ 510,000, so
 * ρ_pred ≈ 2e-6; at n = 3,000 the variance of K grows by (n−1)ρ_pred ≈ 0.6% — small per site, but
 * the same rate error hits every site that shares the estimate (decision record 0043).
 */
export function predictiveDispersion(bg: Pick<SiteBackground, 'dispersion' | 'priorDepth'>): number {
  if (!Number.isFinite(bg.priorDepth)) return bg.dispersion;
  return bg.dispersion + (1 - bg.dispersion) / (bg.priorDepth + 1);
}

/**
 * One-sided P(K ≥ alt | depth, background): the beta-binomial predictive tail, which carries both
 * the background's over-dispersion and the uncertainty of its estimate (predictiveDispersion).
 */
export function siteP(alt: number, depth: number, bg: Pick<SiteBackground, 'rate' | 'dispersion' | 'priorDepth'>): number {
  if (depth <= 0) return 1;
  return Math.exp(betaBinomLogUpperTail(alt, depth, bg.rate, predictiveDispersion(bg)));
}

export function callRow(row: SiteCounts, bg: SiteBackground, alpha: number, minDepth: number): CalledRow {
  const n = row.depth;
  const k = row.altCount;
  const { low, high } = wilsonInterval(k, n);
  const pValue = siteP(k, n, bg);
  // Critical count from the predictive null; power under the sample's own over-dispersion only
  // (the tumour signal is not made more variable by the PoN's finite size).
  const lod = limitOfDetection(n, bg.rate, predictiveDispersion(bg), alpha, undefined, bg.dispersion);
  let call: CalledRow['call'];
  if (n < minDepth) call = 'low_depth';
  // A germline/CHIP site is never tumour evidence, whatever its count.
  else if (pValue <= alpha && !bg.germlineOrChip) call = 'detected';
  else call = 'not_detected';
  return {
    ...row,
    vaf: n > 0 ? k / n : NaN,
    backgroundRate: bg.rate,
    backgroundSource: bg.source,
    dispersion: bg.dispersion,
    pValue,
    vafLow: low,
    vafHigh: high,
    lod,
    call,
    germlineOrChip: bg.germlineOrChip,
    backgroundDepth: bg.priorDepth,
    backgroundKey: bg.key,
  };
}

export function annotateCounts(result: Pick<CountResult, 'rows'>, opts: AnnotateOptions): CalledRow[] {
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw new StatsInputError(`--alpha must be in (0, 1), got ${opts.alpha}`);
  if (!(opts.minDepth >= 0)) throw new StatsInputError(`--min-depth must be ≥ 0, got ${opts.minDepth}`);
  return result.rows.map((row) => callRow(row, backgroundFor(opts.background, row.site), opts.alpha, opts.minDepth));
}
