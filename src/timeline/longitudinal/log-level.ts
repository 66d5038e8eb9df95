/**
 * The cohort's between-draw variance on the scale the model uses it: the log tumour level of a draw
 * is μ + ε_t, ε_t ~ N(0, σ²) (docs/methods/statistics.md §3.2, §3.4). A draw's alt reads A_t, with
 * E_t expected at its phase's pooled level, give the level y_t = log(A_t + ½) − m(E_t), where
 * m(E) and v(E) are the exact mean and variance of log(A + ½) for A ~ Poisson(E): then y_t ≈ μ + ε_t
 * + sampling error of variance v(E_t), and a phase's
 *   Q_p(σ²) = Σ_t w_t (y_t − ȳ_w)²,  w_t = 1/(v(E_t) + σ²),  ȳ_w = Σ w_t y_t / Σ w_t,
 * has expectation m_p − 1 at the true σ² (normal ε, known sampling variances). The pooled equation
 * Σ_p Q_p(σ²) = Σ_p (m_p − 1) is the Paule–Mandel estimator on the log scale (Paule & Mandel 1982,
 * J Res NBS 87:377; DerSimonian & Kacker 2007, Contemp Clin Trials 28:105).
 *
 * Why the log scale: the Pearson form Σ (A_t − E_t)²/(E_t + κE_t²) divides by the phase's own mean
 * level, which a high draw raises with it, so for a skewed (log-normal) level it runs low — over
 * 1,000 simulated patients × 6 draws at 1,500–3,000×, CV 0.45–0.46 for a true 0.50 and 0.29 for 0.31;
 * on the log scale 0.49–0.50 and 0.31. The exact Poisson moments (rather than 1/E) keep shallow draws
 * from biasing it: log(A + ½) of a few reads is neither unbiased nor of variance 1/E.
 *
 * A phase with a draw of fewer than LOG_SCALE_MIN_READS expected reads keeps the count scale, its
 * Pearson form Σ_t (A_t − E_t)²/(E_t + κE_t²) at κ = e^{σ²} − 1 (expectation m − 1 as well): the log of
 * a few reads has a long left tail (a draw of 0 or 1 read where 6 are expected), which inflated the
 * sandwich variance and cost about a quarter of the effective df over simulated cohorts of 40 × 6 at
 * 300× (4 markers); there the sampling variance E dominates the denominator and the Pearson form's
 * bias is small.
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

/**
 * Q_p(σ²) and −dQ_p/dσ²: on the log scale Σ w_t² (y_t − ȳ_w)² (ȳ_w's own derivative drops out: it
 * minimises Q); on the count scale e^{σ²} Σ_t (A_t − E_t)² E_t² / (E_t + κE_t²)².
 */
export function logPhaseQ(p: LogPhase, sigma2: number): { q: number; slope: number } {
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
  let slope = 0;
  for (let j = 0; j < p.level.length; j++) {
    const w = 1 / (p.sampling[j] + share(j) * sigma2);
    const r2 = (p.level[j] - mean) ** 2;
    q += w * r2;
    slope += w * w * share(j) * r2;
  }
  return { q, slope };
}

/** σ̂² of Σ_p Q_p(σ²) = Σ_p (m_p − 1); 0 when the left side is ≤ the right at σ² = 0. */
export function pooledLogSigma2(phases: readonly LogPhase[]): number {
  const target = phases.reduce((s, p) => s + p.level.length - 1, 0);
  const total = (s2: number) => phases.reduce((s, p) => s + logPhaseQ(p, s2).q, 0);
  if (phases.length === 0 || total(0) <= target) return 0;
  let lo = 0;
  let hi = 1;
  // σ² at most 16 (CV ≈ 3,000): a draw with a read where almost none are expected can push the
  // count-scale form that far, and e^σ² must stay finite.
  while (total(hi) > target && hi < 16) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Sandwich standard error of σ̂²: √(Σ_p (Q_p − ν_p)²) / Σ_p −dQ_p/dσ² (robust to heavy tails and to
 * patients who differ); Infinity when the equation is flat.
 */
export function logSigma2StandardError(phases: readonly LogPhase[], sigma2: number): number {
  let meat = 0;
  let bread = 0;
  for (const p of phases) {
    const { q, slope } = logPhaseQ(p, sigma2);
    meat += (q - (p.level.length - 1)) ** 2;
    bread += slope;
  }
  return bread > 0 ? Math.sqrt(meat) / bread : Infinity;
}

function countPhaseQ(
  c: { observed: readonly number[]; expected: readonly number[]; signal?: readonly number[] },
  kappa: number,
): { q: number; slope: number } {
  let q = 0;
  let slope = 0;
  for (let j = 0; j < c.observed.length; j++) {
    const e = c.expected[j];
    const s = c.signal ? Math.min(e, c.signal[j]) : e;
    const v = e + kappa * s * s;
    const r2 = (c.observed[j] - e) ** 2;
    q += r2 / v;
    slope += (r2 * s * s) / (v * v);
  }
  return { q, slope: slope * (1 + kappa) };
}
