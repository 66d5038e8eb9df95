/**
 * A phase's draws on the log scale of the model's level (docs/methods/statistics.md §3.2, §3.4), for
 * the patients' spread around the cohort's between-draw variance (spread.ts reads each phase's Q_p at
 * the cohort's σ̂², which phase-likelihood.ts estimates). A draw's alt reads A_t, with E_t expected at
 * its phase's pooled level, give the level y_t = log(A_t + ½) − m(E_t), where m(E) and v(E) are the
 * exact mean and variance of log(A + ½) for A ~ Poisson(E): then y_t ≈ μ + ε_t + sampling error of
 * variance v(E_t), and a phase's
 *   Q_p(σ²) = Σ_t w_t (y_t − ȳ_w)²,  w_t = 1/(v(E_t) + σ²),  ȳ_w = Σ w_t y_t / Σ w_t,
 * has expectation m_p − 1 at the true σ² (normal ε, known sampling variances), so Q_p/(m_p − 1) is the
 * phase's own variance ratio against the cohort's. The exact Poisson moments (rather than 1/E) keep
 * shallow draws from biasing it: log(A + ½) of a few reads is neither unbiased nor of variance 1/E.
 *
 * A phase with a draw of fewer than LOG_SCALE_MIN_READS expected reads keeps the count scale, its
 * Pearson form Σ_t (A_t − E_t)²/(E_t + κE_t²) at κ = e^{σ²} − 1 (expectation m − 1 as well): the log of
 * a few reads has a long left tail (a draw of 0 or 1 read where 6 are expected).
 */
import { lgamma } from '../../stats/binomial.js';

/** Above this many expected reads the moments are log E and 1/E (the next terms are O(E⁻²) ≤ 6e-6). */
const ASYMPTOTIC_READS = 400;

export interface LogMoments {
  mean: number;
  variance: number;
}

/** Mean and variance of log(A + ½), A ~ Poisson(expected). */
export function poissonLogMoments(expected: number): LogMoments {
  if (!(expected > 0)) return { mean: Math.log(0.5), variance: 0 };
  if (expected >= ASYMPTOTIC_READS) return { mean: Math.log(expected), variance: 1 / expected };
  // The pmf is summed outward from the mode to 12 standard deviations (plus 20 reads) on each side.
  const mode = Math.floor(expected);
  const reach = Math.ceil(12 * Math.sqrt(expected) + 20);
  const logE = Math.log(expected);
  let total = 0;
  let m1 = 0;
  let m2 = 0;
  for (let k = Math.max(0, mode - reach); k <= mode + reach; k++) {
    const p = Math.exp(k * logE - expected - lgamma(k + 1));
    const l = Math.log(k + 0.5);
    total += p;
    m1 += p * l;
    m2 += p * l * l;
  }
  const mean = m1 / total;
  return { mean, variance: Math.max(0, m2 / total - mean * mean) };
}

/** Below this many expected reads in any draw a phase keeps the count scale (file comment). */
export const LOG_SCALE_MIN_READS = 20;

/**
 * A phase's draws on the log scale (levels y_t and their sampling variances v_t), or, for a shallow
 * phase, on the count scale (`counts`: A_t and E_t).
 */
export interface LogPhase {
  level: Float64Array;
  sampling: Float64Array;
  /** (S_t/E_t)²: the share of a draw's log-level variance the tumour's variation carries (absent: 1, no background). */
  share?: Float64Array;
  counts?: { observed: readonly number[]; expected: readonly number[]; signal?: readonly number[] };
}

/**
 * From a phase's alt reads A_t, the reads E_t expected at its pooled level and S_t, the part of E_t
 * above the background: the background's reads do not vary with the tumour level, so a draw's
 * log level moves by (S_t/E_t)·ε_t and its between-draw variance is (S_t/E_t)²σ².
 */
export function logPhase(phase: { observed: readonly number[]; expected: readonly number[]; signal?: readonly number[] }): LogPhase {
  const m = phase.observed.length;
  const level = new Float64Array(m);
  const sampling = new Float64Array(m);
  const share = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const mo = poissonLogMoments(phase.expected[j]);
    level[j] = Math.log(phase.observed[j] + 0.5) - mo.mean;
    sampling[j] = mo.variance;
    share[j] = phase.signal ? Math.min(1, phase.signal[j] / phase.expected[j]) ** 2 : 1;
  }
  return Math.min(...phase.expected) < LOG_SCALE_MIN_READS ? { level, sampling, share, counts: phase } : { level, sampling, share };
}

/** Q_p(σ²) of the file comment (the count scale's Pearson form for a shallow phase). */
export function logPhaseQ(p: LogPhase, sigma2: number): number {
  if (p.counts) return countPhaseQ(p.counts, Math.expm1(sigma2));
  const share = (j: number) => (p.share ? p.share[j] : 1);
  let sw = 0;
  let swy = 0;
  for (let j = 0; j < p.level.length; j++) {
    const w = 1 / (p.sampling[j] + share(j) * sigma2);
    sw += w;
    swy += w * p.level[j];
  }
  const mean = swy / sw;
  let q = 0;
  for (let j = 0; j < p.level.length; j++) q += (p.level[j] - mean) ** 2 / (p.sampling[j] + share(j) * sigma2);
  return q;
}

function countPhaseQ(c: { observed: readonly number[]; expected: readonly number[]; signal?: readonly number[] }, kappa: number): number {
  let q = 0;
  for (let j = 0; j < c.observed.length; j++) {
    const e = c.expected[j];
    const s = c.signal ? Math.min(e, c.signal[j]) : e;
    q += (c.observed[j] - e) ** 2 / (e + kappa * s * s);
  }
  return q;
}
