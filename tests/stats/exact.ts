/**
 * Independent reference values for the statistics tests: exact rational arithmetic with BigInt
 * (no floating point until the final ratio), and plain log-product sums that share no code with
 * src/stats (no lgamma, no saddle point).
 */

/** num/den as a double, correctly rounded to ~1e-16 relative, for any magnitudes. */
export function ratioToNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const shift = den.toString(2).length - num.toString(2).length + 64;
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  return Number(q) * 2 ** -shift;
}

/** Exact P(X ≥ k) for X ~ Binomial(n, a/b), summed in rationals. */
export function exactBinomUpperTail(k: number, n: number, a: number, b: number): number {
  const A = BigInt(a);
  const B = BigInt(b);
  const Q = B - A;
  let num = 0n;
  // C(n, j) built incrementally
  let choose = 1n;
  const qPow: bigint[] = [1n];
  for (let i = 1; i <= n; i++) qPow.push(qPow[i - 1] * Q);
  let aPow = 1n;
  for (let j = 0; j <= n; j++) {
    if (j > 0) {
      choose = (choose * BigInt(n - j + 1)) / BigInt(j);
      aPow *= A;
    }
    if (j >= k) num += choose * aPow * qPow[n - j];
  }
  return ratioToNumber(num, B ** BigInt(n));
}

/** log pmf of Binomial(n, p) as Σ log((n−k+j)/j) + k log p + (n−k) log1p(−p): fine for small k. */
export function logPmfProduct(k: number, n: number, p: number): number {
  let s = 0;
  for (let j = 1; j <= k; j++) s += Math.log((n - k + j) / j);
  return s + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** log pmf of BetaBinomial(n, a, b) as a product of rising factorials (no gamma functions). */
export function betaBinomLogPmfProduct(k: number, n: number, a: number, b: number): number {
  let s = 0;
  for (let j = 1; j <= k; j++) s += Math.log((n - k + j) / j);
  for (let i = 0; i < k; i++) s += Math.log(a + i);
  for (let i = 0; i < n - k; i++) s += Math.log(b + i);
  for (let i = 0; i < n; i++) s -= Math.log(a + b + i);
  return s;
}

/** Σ_{j ≥ k} exp(logPmf(j)) by direct summation over every term. */
export function sumTail(logPmf: (j: number) => number, k: number, n: number): number {
  let s = 0;
  for (let j = k; j <= n; j++) s += Math.exp(logPmf(j));
  return s;
}
