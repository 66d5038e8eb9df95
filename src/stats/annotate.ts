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

/** Default per-site one-sided α and minimum depth (see docs/calls.md for the multiplicity note). */
export const DEFAULT_SITE_ALPHA = 0.01;
export const DEFAULT_MIN_DEPTH = 100;

/** One-sided P(K ≥ alt | depth, background) (beta-binomial when the background is over-dispersed). */
export function siteP(alt: number, depth: number, bg: Pick<SiteBackground, 'rate' | 'dispersion'>): number {
  if (depth <= 0) return 1;
  return Math.exp(betaBinomLogUpperTail(alt, depth, bg.rate, bg.dispersion));
}

export function callRow(row: SiteCounts, bg: SiteBackground, alpha: number, minDepth: number): CalledRow {
  const n = row.depth;
  const k = row.altCount;
  const { low, high } = wilsonInterval(k, n);
  const pValue = siteP(k, n, bg);
  const lod = limitOfDetection(n, bg.rate, bg.dispersion, alpha);
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
  };
}

export function annotateCounts(result: Pick<CountResult, 'rows'>, opts: AnnotateOptions): CalledRow[] {
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw new StatsInputError(`--alpha must be in (0, 1), got ${opts.alpha}`);
  if (!(opts.minDepth >= 0)) throw new StatsInputError(`--min-depth must be ≥ 0, got ${opts.minDepth}`);
  return result.rows.map((row) => callRow(row, backgroundFor(opts.background, row.site), opts.alpha, opts.minDepth));
}
