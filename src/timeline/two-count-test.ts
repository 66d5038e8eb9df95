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
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: relative error < 1e-14 over the range used here). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBinomPmf(k: number, n: number, p: number): number {
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed term by term from k (accurate in the far tail). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  if (k <= n * p) return 1 - binomialLowerTail(k - 1, n, p);
  let term = Math.exp(logBinomPmf(k, n, p));
  let sum = term;
  const r = p / (1 - p);
  for (let j = k; j < n; j++) {
    term *= ((n - j) / (j + 1)) * r;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  if (k >= n * p) return 1 - binomialUpperTail(k + 1, n, p);
  let term = Math.exp(logBinomPmf(k, n, p));
  let sum = term;
  const r = (1 - p) / p;
  for (let j = k; j > 0; j--) {
    term *= (j / (n - j + 1)) * r;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

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
  return binomialUpperTail(later.alt, s, pi0);
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

/** Wilson score interval of a proportion (z = 1.96 → 95%). [NaN, NaN] when n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): [number, number] {
  if (n <= 0) return [Number.NaN, Number.NaN];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
