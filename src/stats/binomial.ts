/**
 * Binomial and beta-binomial probabilities in log space, accurate for n up to 1e6 and tiny p.
 *
 * The binomial log-pmf uses Loader's saddle-point form (Loader 2000, "Fast and accurate computation
 * of binomial probabilities"; the algorithm of R's dbinom): it avoids the cancellation of
 * lgamma(n+1) − lgamma(k+1) − lgamma(n−k+1), which at n = 1e6 loses ~7 digits. Tails are sums of the
 * pmf away from the mode by the exact term ratio, started from one accurate log-pmf; the larger tail
 * is taken as 1 − the smaller, so every tail is accurate to ~1e-14 relative.
 */

const LN_SQRT_2PI = 0.9189385332046727; // log(sqrt(2π))
const LN_2PI = 1.8378770664093453;

/** lgamma by Lanczos (g = 7, 9 terms) for x < 15; Stirling series above. Relative error ~1e-15. */
export function lgamma(x: number): number {
  if (x < 15) return lgammaLanczos(x);
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingSeries(x);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function lgammaLanczos(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgammaLanczos(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Stirling correction lgamma(x) − [(x−½)log x − x + log√(2π)] for x ≥ 15 (error < 1e-17). */
function stirlingSeries(x: number): number {
  const x2 = x * x;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * x2)) / x2) / x2) / x2) / x;
}

/** stirlerr(n) = lgamma(n+1) − (n+½)log n + n − log√(2π) (Loader's δ(n)). */
function stirlerr(n: number): number {
  if (n <= 15) return lgammaLanczos(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  return stirlingSeries(n);
}

/** Loader's bd0(x, m) = x·log(x/m) + m − x, computed without cancellation when x ≈ m. */
function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** log P(K = k) for K ~ Binomial(n, p). */
export function binomLogPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  const q = 1 - p;
  if (k === 0) return n * Math.log1p(-p);
  if (k === n) return n * Math.log(p);
  const lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, n * p) - bd0(n - k, n * q);
  const lf = LN_2PI + Math.log(k) + Math.log1p(-k / n);
  return lc - 0.5 * lf;
}

/**
 * log of Σ pmf over k = start, start+dir, ... while inside [0, n], given log pmf(start) and the
 * ratio pmf(k+dir)/pmf(k). Stops when the terms are < 1e-18 of the sum and shrinking.
 */
function logTailSum(logStart: number, start: number, n: number, dir: 1 | -1, ratio: (k: number) => number): number {
  if (logStart === -Infinity) return -Infinity;
  let sum = 1;
  let term = 1;
  for (let k = start; dir === 1 ? k < n : k > 0; k += dir) {
    const r = ratio(k);
    term *= r;
    sum += term;
    if (term < sum * 1e-18 && r < 1) break;
    if (term === 0) break;
  }
  return logStart + Math.log(sum);
}

/** log P(K ≥ k), K ~ Binomial(n, p). */
export function binomLogUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const q = 1 - p;
  const up = (j: number): number => ((n - j) / (j + 1)) * (p / q);
  const down = (j: number): number => (j / (n - j + 1)) * (q / p);
  if (k > n * p) return logTailSum(binomLogPmf(k, n, p), k, n, 1, up);
  // k at or below the mean: the upper tail is ≥ ~0.5, take 1 − P(K ≤ k−1).
  const lower = Math.exp(logTailSum(binomLogPmf(k - 1, n, p), k - 1, n, -1, down));
  return Math.log1p(-Math.min(lower, 1));
}

/** log P(K ≤ k), K ~ Binomial(n, p). */
export function binomLogLowerTail(k: number, n: number, p: number): number {
  if (k >= n) return 0;
  if (k < 0) return -Infinity;
  return binomLogUpperTail(n - k, n, 1 - p);
}

export function binomUpperTail(k: number, n: number, p: number): number {
  return Math.exp(binomLogUpperTail(k, n, p));
}

/**
 * Beta-binomial with mean μ and intra-class correlation ρ: α = μ(1−ρ)/ρ, β = (1−μ)(1−ρ)/ρ.
 * Var = nμ(1−μ)[1 + (n−1)ρ]. ρ below 1e-8 is treated as binomial (α+β > 1e8: the two agree to
 * better than 1e-4 relative for n ≤ 1e6, and lgamma differences at that scale lose precision).
 */
export function betaBinomShape(mu: number, rho: number): { a: number; b: number } {
  return { a: (mu * (1 - rho)) / rho, b: ((1 - mu) * (1 - rho)) / rho };
}

export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

function lchoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

export function betaBinomLogPmf(k: number, n: number, mu: number, rho: number): number {
  if (rho < 1e-8) return binomLogPmf(k, n, mu);
  if (k < 0 || k > n) return -Infinity;
  if (mu <= 0) return k === 0 ? 0 : -Infinity;
  const { a, b } = betaBinomShape(mu, rho);
  return lchoose(n, k) + lbeta(k + a, n - k + b) - lbeta(a, b);
}

/** log P(K ≥ k), K ~ BetaBinomial(n, μ, ρ). */
export function betaBinomLogUpperTail(k: number, n: number, mu: number, rho: number): number {
  if (rho < 1e-8) return binomLogUpperTail(k, n, mu);
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (mu <= 0) return -Infinity;
  const { a, b } = betaBinomShape(mu, rho);
  // pmf(j+1)/pmf(j) = (n−j)/(j+1) · (j+a)/(n−j−1+b)
  const up = (j: number): number => ((n - j) / (j + 1)) * ((j + a) / (n - j - 1 + b));
  const down = (j: number): number => (j / (n - j + 1)) * ((n - j + b) / (j - 1 + a));
  if (k > n * mu) return logTailSum(betaBinomLogPmf(k, n, mu, rho), k, n, 1, up);
  const lower = Math.exp(logTailSum(betaBinomLogPmf(k - 1, n, mu, rho), k - 1, n, -1, down));
  return Math.log1p(-Math.min(lower, 1));
}

/** Smallest c with P(K ≥ c) ≤ α under the null (binomial or beta-binomial); n+1 if none. */
export function criticalCount(n: number, rate: number, rho: number, alpha: number): number {
  const logAlpha = Math.log(alpha);
  const mean = n * rate;
  // Start near the mean + a generous number of SDs, then walk: the tail is monotone in c.
  let c = Math.max(1, Math.floor(mean));
  if (betaBinomLogUpperTail(c, n, rate, rho) <= logAlpha) {
    while (c > 1 && betaBinomLogUpperTail(c - 1, n, rate, rho) <= logAlpha) c--;
    return c;
  }
  let step = Math.max(1, Math.ceil(Math.sqrt(mean * (1 + n * rho)) + 1));
  let hi = c + step;
  while (hi <= n && betaBinomLogUpperTail(hi, n, rate, rho) > logAlpha) {
    c = hi;
    step *= 2;
    hi = c + step;
  }
  if (hi > n) {
    hi = n + 1;
    if (betaBinomLogUpperTail(n, n, rate, rho) > logAlpha) return n + 1;
  }
  // Invariant: tail(c) > α, tail(hi) ≤ α.
  while (hi - c > 1) {
    const mid = Math.floor((c + hi) / 2);
    if (betaBinomLogUpperTail(mid, n, rate, rho) <= logAlpha) hi = mid;
    else c = mid;
  }
  return hi;
}

/** Upper-tail probability of χ²₁ at x: erfc(√(x/2)). */
export function chiSq1UpperTail(x: number): number {
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}

/** erfc(x) = Q(½, x²), the regularized upper incomplete gamma (series / Lentz continued fraction, ~1e-15). */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return gammaQ(0.5, x * x);
}

/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes gser/gcf, to 1e-16). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const gln = lgamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 10000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}
