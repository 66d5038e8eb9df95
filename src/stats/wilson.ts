/** Two-sided 95% normal quantile z(0.975). */
export const Z_975 = 1.959963984540054;

/**
 * Wilson score interval for a proportion k/n (Wilson 1927): unlike the Wald interval it stays inside
 * [0, 1] and keeps its coverage at k = 0, where plasma VAFs usually sit. n = 0 gives [0, 1].
 */
export function wilsonInterval(k: number, n: number, z = Z_975): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const z2 = z * z;
  const phat = k / n;
  const denom = 1 + z2 / n;
  const centre = (phat + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((phat * (1 - phat)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the exact bound is 0 (1); rounding would otherwise give ±1e-17.
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}
