import { binomLogPmf, binomLogUpperTail, criticalCount } from './binomial.js';

/**
 * Neyman–Pearson optimum: the power of the most powerful level-α test of K ~ Binomial(n, e)
 * against K ~ Binomial(n, g), g > e. By the Neyman–Pearson lemma (monotone likelihood ratio in K)
 * it rejects for K ≥ c and with probability γ at K = c − 1, γ chosen so that the size is exactly
 * α. No test on the count can be more sensitive at that specificity: the accuracy script's yardstick.
 */
export function binomialOptimumPower(n: number, e: number, g: number, alpha: number): number {
  const c = criticalCount(n, e, 0, alpha); // P(K ≥ c | e) ≤ α < P(K ≥ c − 1 | e)
  const sizeAbove = c > n ? 0 : Math.exp(binomLogUpperTail(c, n, e));
  const atBoundary = Math.exp(binomLogPmf(c - 1, n, e));
  const gamma = atBoundary > 0 ? Math.min(1, Math.max(0, (alpha - sizeAbove) / atBoundary)) : 0;
  const powerAbove = c > n ? 0 : Math.exp(binomLogUpperTail(c, n, g));
  return powerAbove + gamma * Math.exp(binomLogPmf(c - 1, n, g));
}
