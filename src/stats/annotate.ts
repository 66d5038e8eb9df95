/**
 * Per-site calls: VAF with Wilson interval, one-sided test of the alt count over the background,
 * limit of detection, call. Pure: count rows in, called rows out (same order).
 */
import type { CountResult, SiteCounts } from '../count/types.js';
import { backgroundFor } from './background.js';
import { limitOfDetection } from './lod.js';
import { predictiveDispersion, siteCriticalCount, siteNullTail } from './site-null.js';
import { type AnnotateOptions, type CalledRow, type SiteBackground, StatsInputError } from './types.js';
import { wilsonInterval } from './wilson.js';

export { DEFAULT_MIN_DEPTH, DEFAULT_SITE_ALPHA } from './call-defaults.js';

export { predictiveDispersion } from './site-null.js';

/**
 * One-sided P(K ≥ alt | depth, background): the beta-binomial predictive tail, which carries both
 * the background's over-dispersion and the uncertainty of its estimate (predictiveDispersion); for
 * panel-of-normals sites the mixture over the posterior of the over-dispersion (stats/site-null.ts).
 */
export function siteP(alt: number, depth: number, bg: Pick<SiteBackground, 'rate' | 'dispersion' | 'priorDepth' | 'components'>): number {
  return siteNullTail(alt, depth, bg);
}

export function callRow(row: SiteCounts, bg: SiteBackground, alpha: number, minDepth: number): CalledRow {
  const n = row.depth;
  const k = row.altCount;
  const { low, high } = wilsonInterval(k, n);
  const pValue = siteP(k, n, bg);
  // Critical count from the predictive null; power under the sample's own over-dispersion only
  // (the tumour signal is not made more variable by the PoN's finite size).
  // The test's critical count (for a mixture null, PoN sites, the mixture's, not the point ρ's).
  const critical = n > 0 ? siteCriticalCount(n, bg, alpha) : undefined;
  const lod = limitOfDetection(n, bg.rate, predictiveDispersion(bg), alpha, undefined, bg.dispersion, critical);
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
    effectiveAlpha: critical === undefined || critical > n ? 0 : siteNullTail(critical, n, bg),
  };
}

export function annotateCounts(result: Pick<CountResult, 'rows'>, opts: AnnotateOptions): CalledRow[] {
  if (!(opts.alpha > 0 && opts.alpha < 1)) throw new StatsInputError(`--alpha must be in (0, 1), got ${opts.alpha}`);
  if (!(opts.minDepth >= 0)) throw new StatsInputError(`--min-depth must be ≥ 0, got ${opts.minDepth}`);
  return result.rows.map((row) => callRow(row, backgroundFor(opts.background, row.site), opts.alpha, opts.minDepth));
}
