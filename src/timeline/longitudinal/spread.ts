/**
 * The spread of patients' between-draw variances around their cohort's, estimated from the cohort's
 * nadir phases (docs/methods/statistics.md §3.4): the empirical-Bayes prior df of limma's fitFDist
 * (Smyth 2004, Stat Appl Genet Mol Biol 3:3, §6.2). Each phase p gives r_p = Q_p(σ̂²)/ν_p, the
 * phase's weighted sum of squares of log levels at the cohort's σ̂² (log-level.ts) over its df: if
 * every patient had the cohort's
 * variance, r_p ~ χ²_ν/ν and Var(log r_p) = ψ'(ν_p/2) (trigamma); if patients' variances spread as a
 * scaled-inverse-χ² with d0 df, log r_p gains the variance ψ'(d0/2). So
 *   ψ'(d0/2) = Var_p(log r_p − ψ(ν_p/2) + log(ν_p/2)) − mean_p ψ'(ν_p/2),
 * and d0 = ∞ when the right side is ≤ 0 (the patients agree). r_p measures the patient's total
 * variance (sampling plus between-draw) relative to the cohort's, so in shallow phases a spread of
 * the between-draw part is diluted; there the between-draw part also matters less to the test.
 */

import { gammaQ } from '../../stats/binomial.js';

/**
 * Phases whose r_p lies below χ²_ν's lower 0.1% quantile are left out of the spread: the log of a
 * near-zero statistic is far out in log χ²'s long left tail, and one such phase (r = 0.01
 * with ν = 5, in a simulated cohort of 40 patients all at CV 15%) made d0 = 5 where the patients
 * agree. A patient less variable than the cohort is no risk to the rise test's size; one more
 * variable (the right tail) stays in. Leaving out 0.1% of a homogeneous cohort's phases lowers
 * Var(log r) slightly: d0 errs up, toward the estimate the patients agree.
 */
export const SPREAD_LOW_TAIL = 1e-3;

/** Digamma ψ(x), x > 0 (recurrence to x ≥ 12, then the asymptotic series; error < 1e-12). */
export function digamma(x: number): number {
  let r = 0;
  while (x < 12) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** Trigamma ψ'(x), x > 0 (recurrence to x ≥ 12, then the asymptotic series). */
export function trigamma(x: number): number {
  let r = 0;
  while (x < 12) {
    r += 1 / (x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r + 1 / x + f / 2 + (f / x) * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
}

/** y with ψ'(y) = v (Newton's iteration on 1/ψ' of Smyth 2004, limma's trigammaInverse). */
export function trigammaInverse(v: number): number {
  if (!(v > 0)) return Infinity;
  if (v > 1e7) return 1 / Math.sqrt(v);
  if (v < 1e-6) return 1 / v;
  let y = 0.5 + 1 / v;
  for (let i = 0; i < 50; i++) {
    const tri = trigamma(y);
    const step = (tri * (1 - tri / v)) / tetragamma(y);
    y += step;
    if (-step / y < 1e-8) break;
  }
  return y;
}

/** Tetragamma ψ''(x), x > 0. */
export function tetragamma(x: number): number {
  let r = 0;
  while (x < 12) {
    r -= 2 / (x * x * x);
    x += 1;
  }
  const f = 1 / (x * x);
  return r - f - f / x - f * f * (1 / 2 - f * (1 / 6 - f * (1 / 6 - (3 * f) / 10)));
}

/**
 * d0 of the phases' variance ratios (file comment): `ratios` r_p > 0 with their df ν_p, less the
 * low tail (SPREAD_LOW_TAIL). Infinity when the patients agree or fewer than 3 phases carry a ratio.
 */
export function betweenPatientDf(ratios: readonly number[], dfs: readonly number[]): number {
  const idx = ratios
    .map((_, i) => i)
    .filter((i) => ratios[i] > 0 && dfs[i] > 0 && 1 - gammaQ(dfs[i] / 2, (dfs[i] * ratios[i]) / 2) >= SPREAD_LOW_TAIL);
  if (idx.length < 3) return Infinity;
  const e = idx.map((i) => Math.log(ratios[i]) - digamma(dfs[i] / 2) + Math.log(dfs[i] / 2));
  const mean = e.reduce((a, b) => a + b, 0) / e.length;
  const varE = e.reduce((a, b) => a + (b - mean) ** 2, 0) / (e.length - 1);
  const meanTri = idx.reduce((a, i) => a + trigamma(dfs[i] / 2), 0) / idx.length;
  const excess = varE - meanTri;
  return excess > 0 ? 2 * trigammaInverse(excess) : Infinity;
}
