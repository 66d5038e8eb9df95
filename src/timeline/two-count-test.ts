/**
 * The test behind `emerged`, `rising`, `falling` and `cleared`: are two allele counts from two
 * draws consistent with the later VAF being at most `nullFold` times the earlier one?
 *
 * At plasma allele fractions (VAF ≪ 1) the alt count of a draw is close to Poisson(depth·VAF).
 * Conditional on the total s = alt1 + alt2, alt2 is then Binomial(s, π) with
 *   π = depth2·VAF2 / (depth1·VAF1 + depth2·VAF2),
 * and under H0: VAF2 = nullFold·VAF1 (the boundary of VAF2 ≤ nullFold·VAF1)
 *   π0 = nullFold·depth2 / (depth1 + nullFold·depth2).
 * The one-sided p-value is P(X ≥ alt2 | Binomial(s, π0)): the exact conditional test of two Poisson
 * rates (Przyborowski & Wilenski 1940; the "C-test" of Krishnamoorthy & Thomson 2004, J Stat Plan
 * Inference 119:23-35). It needs no VAF estimate, is exact in the Poisson limit, and is conservative
 * (size ≤ α) because X is discrete, so a stable series gives emerged/rising at most α of the time.
 * A single alt read after zero (1 of 3,000 then 0 of 3,000) gives s = 1, π0 = 0.5, p = 0.5.
 *
 * The binomial tail and the Wilson interval are the stats module's (src/stats/binomial.ts,
 * src/stats/wilson.ts): one implementation, accurate to ~1e-14 relative up to n = 1e6.
 */
import { binomUpperTail } from '../stats/binomial.js';
import { wilsonInterval as wilsonBounds } from '../stats/wilson.js';

export interface CountPair {
  alt: number;
  depth: number;
}

/**
 * One-sided p-value of H0: VAF2 ≤ nullFold·VAF1 against VAF2 > nullFold·VAF1 (see the file
 * comment). Returns 1 when either depth is 0 or no alt read was seen in either draw (no evidence).
 */
export function increasePValue(earlier: CountPair, later: CountPair, nullFold = 1): number {
  if (!(nullFold > 0)) throw new RangeError(`nullFold must be > 0 (got ${nullFold})`);
  if (earlier.depth <= 0 || later.depth <= 0) return 1;
  const s = earlier.alt + later.alt;
  if (s === 0) return 1;
  const pi0 = (nullFold * later.depth) / (earlier.depth + nullFold * later.depth);
  return binomUpperTail(later.alt, s, pi0);
}

/** One-sided p-value of a decrease: H0 VAF2 ≥ VAF1/nullFold (the increase test with draws swapped). */
export function decreasePValue(earlier: CountPair, later: CountPair, nullFold = 1): number {
  return increasePValue(later, earlier, nullFold);
}

/** Point estimate of VAF2 / VAF1: Infinity when VAF1 is 0 and VAF2 is not, NaN when both are 0. */
export function foldChange(earlier: CountPair, later: CountPair): number {
  const v1 = earlier.depth > 0 ? earlier.alt / earlier.depth : Number.NaN;
  const v2 = later.depth > 0 ? later.alt / later.depth : Number.NaN;
  if (Number.isNaN(v1) || Number.isNaN(v2)) return Number.NaN;
  if (v1 === 0) return v2 === 0 ? Number.NaN : Infinity;
  return v2 / v1;
}

/**
 * Wilson score interval of a proportion (z = 1.96 → 95%) as a [low, high] tuple, for the
 * tumour-fraction series; [NaN, NaN] when n = 0 (no depth: no estimate, where the stats version
 * answers the uninformative [0, 1]).
 */
export function wilsonInterval(k: number, n: number, z?: number): [number, number] {
  if (n <= 0) return [Number.NaN, Number.NaN];
  const { low, high } = wilsonBounds(k, n, z);
  return [low, high];
}
