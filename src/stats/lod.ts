import { betaBinomLogUpperTail, criticalCount } from './binomial.js';

/** Power the limit of detection is defined at. */
export const LOD_POWER = 0.95;

/** Expected alt fraction at true tumour allele fraction f with background e: g = f(1−e) + (1−f)e. */
export function observedAltRate(f: number, e: number): number {
  return f * (1 - e) + (1 - f) * e;
}

/**
 * Limit of detection: the smallest tumour VAF f whose alt count K ~ BetaBinomial(n, g(f), ρ) reaches
 * the critical count c of the one-sided level-α test with probability ≥ 95%. c is exact (the
 * smallest count with P(K ≥ c | e) ≤ α); the power P(K ≥ c | g) is monotone in g, so g is found by
 * bisection to 1e-12 relative — the exact solution of the binomial quantile equation, not a normal
 * approximation. NaN when no VAF ≤ 1 reaches 95% power (c > n, e.g. depth 0). `rho` is the null's
 * (predictive) dispersion, `powerRho` the one under the alternative (default: the same); `critical`,
 * when given, is the null's critical count computed elsewhere (a mixture null, stats/site-null.ts).
 */
export function limitOfDetection(
  n: number,
  e: number,
  rho: number,
  alpha: number,
  power = LOD_POWER,
  powerRho = rho,
  critical?: number,
): number {
  if (n <= 0) return NaN;
  const c = critical ?? criticalCount(n, e, rho, alpha);
  if (c > n) return NaN;
  const logPower = Math.log(power);
  const powerAt = (g: number): number => betaBinomLogUpperTail(c, n, g, powerRho);
  let lo = e; // power at g = e is ≤ α < 95%
  let hi = 1 - 1e-15;
  if (powerAt(hi) < logPower) return NaN;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (powerAt(mid) >= logPower) hi = mid;
    else lo = mid;
  }
  const f = (hi - e) / (1 - 2 * e);
  return Math.min(1, Math.max(0, f));
}
