/**
 * A target draw against a reference phase, with both sources of error (docs/methods/statistics.md §4):
 *
 *   log θ̂ − log θ  ≈  sampling error  +  (ε_target − Σ_t w_t ε_t),
 *
 * the sampling part from the site-matched conditional likelihood (fold.ts) and the between-draw part
 * with variance τ² = σ̃²(1 + Σ_t w_t²), w_t the share of the phase's expected reads from draw t (the
 * pooled reference weights its draws by reads; with m equal draws Σw² = 1/m). On each side the
 * likelihood-ratio bound at z = 1.96 gives an effective sampling SE, (λ̂ − λ_low)/1.96 and
 * (λ_high − λ̂)/1.96, so the asymmetry of small counts is kept; the total SE of a side is
 * √(SE_side² + τ²), with Satterthwaite degrees of freedom ν = SE_tot⁴ / (τ⁴/ν_σ) (the sampling part
 * is treated as known, the between-draw part has the ν_σ = ν0 + own_df of the variance estimate), and
 * bounds and p-values come from Student's t with ν.
 *
 * The level is log-normal between draws (ε_t ~ N(0, σ²)), and the pooled reference is a read-weighted
 * mean of its draws' levels, not of their logs: E[log Σ_t w_t e^{ε_t}] = B(σ², Σw²) > 0, while the
 * target's log level is unbiased. The sampling estimate λ̂ therefore runs low by B (−0.09 at CV 50%
 * with a 7-draw phase, measured on simulated series; docs/methods/statistics.md §4), which made the
 * rule-out bound too low for real rises. Every use takes the corrected λ̂ + B, with the alternative's
 * σ̃² (the phase's own variation and the prior; one estimate for the fold, its interval and the
 * tests). A one-draw phase needs none (B(σ², 1) = 0).
 *
 * When λ̂ is infinite (no reference read, or no target read), the finite bound is the exact
 * conditional bound of the observed split (boundaryQuantile), moved by t_ν·τ (the two margins added,
 * which is wider than their root-sum-square) and by the correction, and the p-value is the level at
 * which that bound reaches 0.
 */
import { studentQuantile, studentUpper } from '../../stats/student-t.js';
import { expectedInfoAt, sampledFold, type SampledFold, type TwoGroupCounts } from './fold.js';
import { phaseReads } from './variance.js';

const Z_REF = 1.959963984540054;

export interface Contrast {
  sampled: SampledFold;
  /** The fold's log estimate: the sampling λ̂ plus `levelShift` (±Infinity, NaN as λ̂). */
  logFold: number;
  /** B(σ̃², Σw²): the log-normal level's mean-of-draws bias of the pooled reference (file comment). */
  levelShift: number;
  /** Effective sampling SEs of log θ below and above λ̂ (Infinity when that side is unbounded). */
  seLow: number;
  seHigh: number;
  /** Between-draw variance of the contrast, and the df of σ̃² (the alternative: phase residuals only). */
  tau2: number;
  sigmaDf: number;
  /**
   * The rise test's between-draw variance under H0 (no change: the target draw belongs to the
   * phase): τ0² from σ̃0² estimated with the target draw's residual included (a restricted,
   * score-type estimate), and its df.
   */
  tau2Null: number;
  sigmaDfNull: number;
  tau2Typical: number;
  sigmaDfTypical: number;
  phi: number;
  /** df of φ (Infinity when φ is 1, the Poisson scale, or known). */
  phiDf: number;
  counts: TwoGroupCounts;
}

/**
 * σ̃² of the rise test under H0 and its df (absent: the alternative's), and the same without the
 * target draw's residual (`typical*`: the test's variance for a window draw that is not an outlier,
 * used for the critical value of the power calculation).
 */
export interface NullVariance {
  sigma2: number;
  df: number;
  typicalSigma2: number;
  typicalDf: number;
}

/**
 * B(σ², Σw²) = E[log Σ_t w_t e^{ε_t}], ε_t ~ N(0, σ²), by the Fenton–Wilkinson log-normal
 * approximation of the sum (mean e^{σ²/2}, variance Σw² e^{σ²}(e^{σ²} − 1)):
 *   B = σ²/2 − ½ log(1 + Σw²(e^{σ²} − 1)).
 * Against Monte-Carlo (400,000 sums): within 0.004 for σ² ≤ 0.5 and 2–7 equal weights, and below the
 * truth beyond (0.27 for 0.29 at σ² = 1, 3 draws); the first-order σ²(1 − Σw²)/2 is above it
 * (0.33 there), and too large a correction would make the rise test liberal.
 */
export function pooledLogBias(sigma2: number, weightSquares: number): number {
  if (!(sigma2 > 0)) return 0;
  return sigma2 / 2 - Math.log1p(weightSquares * Math.expm1(sigma2)) / 2;
}

/** Pooled counts of the phase draws per site and the target draw's counts (and the sites' background rates). */
export function twoGroupCounts(
  alt: number[][],
  depth: number[][],
  phase: readonly number[],
  target: number,
  background?: readonly number[],
): TwoGroupCounts {
  const S = alt.length;
  const refAlt = new Float64Array(S);
  const refDepth = new Float64Array(S);
  const targetAlt = new Float64Array(S);
  const targetDepth = new Float64Array(S);
  for (let i = 0; i < S; i++) {
    for (const t of phase) {
      if (depth[i][t] > 0) {
        refAlt[i] += alt[i][t];
        refDepth[i] += depth[i][t];
      }
    }
    if (depth[i][target] > 0) {
      targetAlt[i] = alt[i][target];
      targetDepth[i] = depth[i][target];
    }
  }
  return { refAlt, refDepth, targetAlt, targetDepth, background };
}

/** Σ w_t² of the phase's read weights (1 for one draw). */
export function phaseWeightSquares(alt: number[][], depth: number[][], phase: readonly number[]): number {
  const { expected } = phaseReads(alt, depth, phase);
  const total = expected.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    // No reads expected anywhere: weights by depth (the level is unknown; only Σw² is needed).
    const dep = phase.map((t) => depth.reduce((s, row) => s + (row[t] > 0 ? row[t] : 0), 0));
    const d = dep.reduce((a, b) => a + b, 0);
    return d > 0 ? dep.reduce((s, x) => s + (x / d) ** 2, 0) : 1;
  }
  return expected.reduce((s, e) => s + (e / total) ** 2, 0);
}

/** What a contrast may take besides the counts and the between-draw variance. */
export interface ContrastOptions {
  /** The rise test's variance (absent: the alternative's). */
  under0?: NullVariance;
  /** The level correction of a target that is itself a pooled block of draws (phase.ts). */
  shift?: number;
  /** Background alt rate per read of each site (fold.ts; absent: none). */
  background?: readonly number[];
  /** df of φ (the site × draw Pearson X²; absent: φ known). */
  phiDf?: number;
}

export function makeContrast(
  alt: number[][],
  depth: number[][],
  phase: readonly number[],
  target: number,
  sigma2: number,
  sigmaDf: number,
  phi: number,
  options: ContrastOptions = {},
): Contrast {
  const { under0 = { sigma2, df: sigmaDf, typicalSigma2: sigma2, typicalDf: sigmaDf }, shift, background, phiDf = Infinity } = options;
  const counts = twoGroupCounts(alt, depth, phase, target, background);
  const sampled = sampledFold(counts, Z_REF, phi);
  const weightSquares = phaseWeightSquares(alt, depth, phase);
  const weights = 1 + weightSquares;
  const tau2 = sigma2 * weights;
  // A target that is itself a pooled block of draws (phase.ts) passes its own shift.
  const levelShift = shift ?? pooledLogBias(sigma2, weightSquares);
  const lam = sampled.logFold;
  const seLow = Number.isFinite(lam) ? (lam - sampled.low) / Z_REF : Infinity;
  const seHigh = Number.isFinite(lam) ? (sampled.high - lam) / Z_REF : Infinity;
  return {
    sampled,
    logFold: lam + levelShift,
    levelShift,
    seLow,
    seHigh,
    tau2,
    sigmaDf,
    tau2Null: under0.sigma2 * weights,
    sigmaDfNull: under0.df,
    tau2Typical: under0.typicalSigma2 * weights,
    sigmaDfTypical: under0.typicalDf,
    phi,
    // φ floored at 1 is the Poisson scale itself, known.
    phiDf: phi > 1 ? phiDf : Infinity,
    counts,
  };
}

/**
 * The cut-off q (as √ of the deviance) of the exact one-sided bound when every read of the informative
 * sites lies on one side (λ̂ = ±∞). The supremum of ℓ is then 0 and ℓ(λ) is itself the log-probability
 * of the observed split, Π_i π_i^{s_i} (or Π_i (1 − π_i)^{s_i}); the exact conditional bound is the λ
 * where that probability is 1 − level, i.e. the deviance −2ℓ(λ) reaches −2 log(1 − level). The LR bound
 * at z_level² would stop where the probability is e^{−z²/2} (26% at the 95% level instead of 5%): three
 * reads in the window after three draws without one (p = (1/4)³ = 0.016 with no between-draw variation)
 * would pass a 1% rise test.
 */
export function boundaryQuantile(level: number): number {
  return Math.sqrt(-2 * Math.log1p(-level));
}

/**
 * Satterthwaite df of √(se² + τ²): τ² estimated with ν_σ df, se² with φ's df when φ was estimated
 * (a φ̂ from 16 sites × 4 draws has 45 df, and normal quantiles with it gave 1.4% at α = 1%).
 */
function satterthwaite(se: number, tau2: number, sigmaDf: number, phiDf: number): number {
  const between = tau2 > 0 && Number.isFinite(sigmaDf) ? (tau2 * tau2) / sigmaDf : 0;
  const sampling = Number.isFinite(phiDf) && phiDf > 0 ? (se * se * se * se) / phiDf : 0;
  if (!(between + sampling > 0)) return Infinity;
  const total = se * se + tau2;
  return (total * total) / (between + sampling);
}

/**
 * log-scale bound on one side at one-sided level `level` (e.g. 0.99 → the 99% lower bound), with the
 * alternative's between-draw variance (the interval and the rule-out bound) or, `under0`, the rise
 * test's (only for the p-value of an infinite estimate).
 */
export function contrastBound(c: Contrast, level: number, side: 'low' | 'high', under0 = false): number {
  const lam = c.logFold;
  if (Number.isNaN(lam)) return side === 'low' ? -Infinity : Infinity;
  if (side === 'low' && lam === -Infinity) return -Infinity;
  if (side === 'high' && lam === Infinity) return Infinity;
  const tau2 = under0 ? c.tau2Null : c.tau2;
  const df = under0 ? c.sigmaDfNull : c.sigmaDf;
  const tauTerm = (nu: number) => (tau2 > 0 ? studentQuantile(level, nu) * Math.sqrt(tau2) : 0);
  if (!Number.isFinite(lam)) {
    // The finite side of an infinite estimate: the exact conditional bound, plus the between-draw margin.
    const s = sampledFold(c.counts, boundaryQuantile(level), c.phi);
    return side === 'low' ? s.low + c.levelShift - tauTerm(df) : s.high + c.levelShift + tauTerm(df);
  }
  const se = side === 'low' ? c.seLow : c.seHigh;
  if (!Number.isFinite(se)) return side === 'low' ? -Infinity : Infinity;
  const nu = satterthwaite(se, c.tau2, c.sigmaDf, c.phiDf);
  const total = Math.sqrt(se * se + c.tau2);
  return side === 'low' ? lam - studentQuantile(level, nu) * total : lam + studentQuantile(level, nu) * total;
}

/**
 * One-sided p-value of H0: θ ≤ 1 against a rise: λ̂ over √(SE_low² + τ0²) (τ0² with the target
 * draw in the phase), Student t with the Satterthwaite df of τ0². A large deviation inflates its own
 * variance, so a prior that underestimates the patient's variation costs less.
 */
export function risePValue(c: Contrast): number {
  const lam = c.logFold;
  if (Number.isNaN(lam) || lam === -Infinity) return 1;
  if (lam === Infinity) {
    // Smallest α' whose lower bound exceeds 0: the bound falls as the level rises (bisection on log α').
    let lo = Math.log(1e-300);
    let hi = Math.log(0.5);
    if (contrastBound(c, 0.5, 'low', true) <= 0) return 1;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (contrastBound(c, 1 - Math.exp(mid), 'low', true) > 0) hi = mid;
      else lo = mid;
    }
    return Math.exp(hi);
  }
  const se = c.seLow;
  if (!Number.isFinite(se)) return 1;
  const nu = satterthwaite(se, c.tau2Null, c.sigmaDfNull, c.phiDf);
  return studentUpper(lam / Math.sqrt(se * se + c.tau2Null), nu);
}

/** One-sided p-value of H0: θ ≥ 1 against a fall (the mirror of risePValue). */
export function fallPValue(c: Contrast): number {
  const lam = c.logFold;
  if (Number.isNaN(lam) || lam === Infinity) return 1;
  if (lam === -Infinity) {
    let lo = Math.log(1e-300);
    let hi = Math.log(0.5);
    if (contrastBound(c, 0.5, 'high', true) >= 0) return 1;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (contrastBound(c, 1 - Math.exp(mid), 'high', true) < 0) hi = mid;
      else lo = mid;
    }
    return Math.exp(hi);
  }
  const se = c.seHigh;
  if (!Number.isFinite(se)) return 1;
  const nu = satterthwaite(se, c.tau2Null, c.sigmaDfNull, c.phiDf);
  return studentUpper(-lam / Math.sqrt(se * se + c.tau2Null), nu);
}

/**
 * The critical log fold of the decision rule: max(log policy fold, t_{1−α}·SE under θ = 1), with the
 * test's between-draw variance for a window draw that is not itself an outlier.
 */
function criticalLogFold(c: Contrast, logPolicyFold: number, alphaStep: number): number | null {
  const info1 = expectedInfoAt(c.counts, 0);
  if (!(info1 > 0)) return null;
  const se = Math.sqrt(c.phi / info1);
  return Math.max(
    logPolicyFold,
    studentQuantile(1 - alphaStep, satterthwaite(se, c.tau2Typical, c.sigmaDfTypical, c.phiDf)) * Math.sqrt(se * se + c.tau2Typical),
  );
}

function powerGiven(c: Contrast, logTheta: number, critical: number): number | null {
  const info = expectedInfoAt(c.counts, logTheta);
  if (!(info > 0)) return null;
  const se = Math.sqrt(c.phi / info);
  return studentUpper((critical - logTheta) / Math.sqrt(se * se + c.tau2), satterthwaite(se, c.tau2, c.sigmaDf, c.phiDf));
}

/**
 * Probability that the decision rule (p < alphaStep and θ̂ ≥ policyFold) fires if the true fold
 * were θ (normal-theory, with the expected sampling information at θ from the reference's reads).
 * null when the reference phase has no alt read (no level to scale from).
 */
export function powerAt(c: Contrast, logTheta: number, logPolicyFold: number, alphaStep: number): number | null {
  const critical = criticalLogFold(c, logPolicyFold, alphaStep);
  return critical === null ? null : powerGiven(c, logTheta, critical);
}

/** Smallest fold with power ≥ 0.8 (bisection on log θ up to a 1e6-fold, to 1e-6), null if none. */
export function fold80Power(c: Contrast, logPolicyFold: number, alphaStep: number): number | null {
  const critical = criticalLogFold(c, logPolicyFold, alphaStep);
  if (critical === null) return null;
  let lo = Math.max(0, logPolicyFold);
  let hi = Math.log(1e6);
  if ((powerGiven(c, hi, critical) ?? 0) < 0.8) return null;
  if ((powerGiven(c, lo, critical) ?? 0) >= 0.8) return Math.exp(lo);
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if ((powerGiven(c, mid, critical) ?? 0) >= 0.8) hi = mid;
    else lo = mid;
  }
  return Math.exp(hi);
}
