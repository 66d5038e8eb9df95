/**
 * The two over-dispersions of the series model (docs/methods/statistics.md §3):
 *
 * 1. Between sites within a draw: the quasi-likelihood scale φ of the Poisson log-linear model with
 *    a factor per site and per draw, log E a_it = log n_it + α_i + β_t (fitted by iterative
 *    proportional fitting), φ̂ = X²/df with the Pearson X² of the site × draw residuals and
 *    df = (S−1)(T−1); floored at 1 (Poisson). The draw factors absorb between-draw variation, so
 *    φ measures only what moves sites apart within a draw.
 *
 * 2. Between draws: the log tumour level of draw t is μ + ε_t, ε_t ~ N(0, σ²). Within a phase of
 *    stable level (the nadir phase) the alt reads of draw t have E = E_t (the phase's pooled site
 *    rates times the draw's depths) and Var ≈ φE_t + κE_t², κ = e^{σ²} − 1 (the squared CV). κ̂
 *    solves the Paule–Mandel equation Σ_t (A_t − E_t)² / (φE_t + κE_t²) = m − 1 (m draws with
 *    E_t > 0; κ̂ = 0 when the left side is ≤ m − 1 at κ = 0), the moment estimator of the
 *    random-effects literature (Paule & Mandel 1982, J Res NBS 87:377; DerSimonian & Kacker 2007,
 *    Contemp Clin Trials 28:105). It needs no log of a zero count.
 *
 * The patient's σ̂² (own_df: the effective df of its m − 1, effectiveOwnDf) is combined with the prior (scaled-inverse-χ², ν0 pseudo-df at
 * σ0² = log(1 + cv0²)) as σ̃² = (ν0 σ0² + own_df σ̂²)/(ν0 + own_df), used with ν0 + own_df degrees of
 * freedom (Gelman et al., Bayesian Data Analysis, 3rd ed., §3.2: the conjugate update of a normal
 * variance).
 */
import type { BetweenDrawPrior } from './types.js';

/**
 * The site × draw Pearson X² of the given draws (columns) of the sites (the file comment's fit), its
 * df, the same X² on the binomial scale (each cell's residual over μ(1 − μ/n), 1 − μ/n floored at ½), and
 * Σ_c (n_c − 1)·df/cells over the fitted cells: under a beta-binomial ICC ρ a cell's binomial-scale
 * residual has expectation ≈ (1 − h_c)(1 + (n_c − 1)ρ), so E[X²_binomial] ≈ df + ρ·depthExcess (the
 * leverages h_c taken as equal). All 0 with fewer than two sites or draws with alt reads.
 */
export function siteDrawPearson(
  alt: number[][],
  depth: number[][],
  draws: readonly number[],
): { x2: number; x2Binomial: number; df: number; depthExcess: number } {
  const altIn = (i: number, t: number) => (depth[i][t] > 0 ? alt[i][t] : 0);
  // Sites and draws without an alt read have fitted means of 0 and no residual: leave them out.
  const sites = alt.map((_, i) => i).filter((i) => draws.reduce((s, t) => s + altIn(i, t), 0) > 0);
  const cols = draws.filter((t) => sites.reduce((s, i) => s + altIn(i, t), 0) > 0);
  if (sites.length < 2 || cols.length < 2) return { x2: 0, x2Binomial: 0, df: 0, depthExcess: 0 };
  const a = new Float64Array(sites.length);
  const b = new Float64Array(cols.length);
  const siteAlt = sites.map((i) => cols.reduce((s, t) => s + altIn(i, t), 0));
  const drawAlt = cols.map((t) => sites.reduce((s, i) => s + altIn(i, t), 0));
  // Iterative proportional fitting of the two margins (converges in a few sweeps for these sizes).
  for (let it = 0; it < 100; it++) {
    let change = 0;
    for (let si = 0; si < sites.length; si++) {
      let e = 0;
      for (let ti = 0; ti < cols.length; ti++) e += depth[sites[si]][cols[ti]] * Math.exp(b[ti]);
      const next = Math.log(siteAlt[si] / e);
      change = Math.max(change, Math.abs(next - a[si]));
      a[si] = next;
    }
    for (let ti = 0; ti < cols.length; ti++) {
      let e = 0;
      for (let si = 0; si < sites.length; si++) e += depth[sites[si]][cols[ti]] * Math.exp(a[si]);
      const next = Math.log(drawAlt[ti] / e);
      change = Math.max(change, Math.abs(next - b[ti]));
      b[ti] = next;
    }
    if (change < 1e-9) break;
  }
  let x2 = 0;
  let x2Binomial = 0;
  let cells = 0;
  let depthSum = 0;
  for (let si = 0; si < sites.length; si++) {
    for (let ti = 0; ti < cols.length; ti++) {
      const n = depth[sites[si]][cols[ti]];
      if (!(n > 0)) continue;
      const mu = n * Math.exp(a[si] + b[ti]);
      cells++;
      depthSum += n - 1;
      const r2 = (alt[sites[si]][cols[ti]] - mu) ** 2;
      x2 += r2 / mu;
      // The binomial variance's 1 − p, floored at ½: the log-linear fit does not keep μ below n, and
      // a site near 100% (loss of heterozygosity at a high tumour fraction) would otherwise divide by ~0.
      x2Binomial += r2 / (mu * Math.max(0.5, 1 - mu / n));
    }
  }
  const df = cells - sites.length - cols.length + 1;
  if (df <= 0) return { x2: 0, x2Binomial: 0, df: 0, depthExcess: 0 };
  return { x2, x2Binomial, df, depthExcess: (depthSum * df) / cells };
}

/** Quasi-likelihood scale φ of site × draw variation over the given draws (columns) of the sites. */
export function siteDispersion(alt: number[][], depth: number[][], draws: readonly number[]): { phi: number; df: number } {
  const { x2, df } = siteDrawPearson(alt, depth, draws);
  return df > 0 ? { phi: Math.max(1, x2 / df), df } : { phi: 1, df: 0 };
}

/**
 * φ of the given draws' pooled alt reads under a site × draw ICC ρ: Var A_t = Σ_i μ_it(1 + (n_it − 1)ρ),
 * so φ = 1 + ρ(n̄ − 1) with n̄ the depth averaged over the alt reads (over the depths when there is none).
 */
export function phiOfIcc(alt: number[][], depth: number[][], draws: readonly number[], rho: number): number {
  if (!(rho > 0)) return 1;
  let reads = 0;
  let weighted = 0;
  let cells = 0;
  let depthSum = 0;
  for (let i = 0; i < alt.length; i++)
    for (const t of draws) {
      const n = depth[i][t];
      if (!(n > 0)) continue;
      reads += alt[i][t];
      weighted += alt[i][t] * (n - 1);
      cells++;
      depthSum += n - 1;
    }
  const excess = reads > 0 ? weighted / reads : cells > 0 ? depthSum / cells : 0;
  return 1 + rho * excess;
}

/**
 * Expected reads E_t of each phase draw at the phase's pooled (site-matched) level, observed A_t, and
 * S_t, the part of E_t above the sites' background rates (Σ_i n_it max(0, r_i − b_i); E_t without one).
 */
export function phaseReads(
  alt: number[][],
  depth: number[][],
  phase: readonly number[],
  background?: readonly number[],
): { observed: number[]; expected: number[]; signal: number[] } {
  const rate = alt.map((row, i) => {
    let a = 0;
    let n = 0;
    for (const t of phase) {
      if (depth[i][t] > 0) {
        a += row[t];
        n += depth[i][t];
      }
    }
    return n > 0 ? a / n : 0;
  });
  const observed = phase.map((t) => alt.reduce((s, row, i) => s + (depth[i][t] > 0 ? row[t] : 0), 0));
  const expected = phase.map((t) => depth.reduce((s, row, i) => s + (row[t] > 0 ? row[t] * rate[i] : 0), 0));
  if (!background) return { observed, expected, signal: expected };
  const above = rate.map((r, i) => Math.max(0, r - (background[i] ?? 0)));
  const signal = phase.map((t) => depth.reduce((s, row, i) => s + (row[t] > 0 ? row[t] * above[i] : 0), 0));
  return { observed, expected, signal };
}

/**
 * Paule–Mandel estimate of κ = CV² between the phase draws (see the file comment) and its df. The
 * between-draw part of a draw's variance is κS_t², S_t its expected reads above the background (the
 * tumour level varies, the background does not; S = E without one). Returns df 0 (no own estimate)
 * with fewer than two draws that carry expected reads.
 */
export function betweenDrawCv2(
  observed: number[],
  expected: number[],
  phi: number,
  signal: readonly number[] = expected,
): { kappa: number; df: number } {
  const idx = expected.map((_, t) => t).filter((t) => expected[t] > 0);
  const m = idx.length;
  if (m < 2 || idx.every((t) => !(signal[t] > 0))) return { kappa: 0, df: 0 };
  const pearson = (kappa: number): number =>
    idx.reduce((s, t) => s + (observed[t] - expected[t]) ** 2 / (phi * expected[t] + kappa * signal[t] ** 2), 0);
  if (pearson(0) <= m - 1) return { kappa: 0, df: m - 1 };
  let lo = 0;
  let hi = 1;
  while (pearson(hi) > m - 1 && hi < 1e6) hi *= 4;
  for (let i = 0; i < 80 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (pearson(mid) > m - 1) lo = mid;
    else hi = mid;
  }
  return { kappa: (lo + hi) / 2, df: m - 1 };
}

/**
 * The information the phase carries about σ², in degrees of freedom: m − 1 when between-draw
 * variation dominates the draws' variance, less when sampling noise does. A variance component's
 * estimate has Var(σ̂²) ≈ 2(σ² + v̄)²/(m − 1), so its effective df is (m − 1)·(σ²/(σ² + v̄))²
 * (Satterthwaite 1946, Biometrics Bull 2:110), with v̄ = mean φ/E_t the sampling variance of a
 * draw's log level; σ² is taken at the prior's σ0² (not the estimate, which is often 0 in shallow
 * data and would make every shallow series lean on the prior alone). Without this, 7 shallow draws
 * (6 alt reads each) claim 6 df for a σ̂² that is mostly sampling noise and the rise test is
 * liberal (1.1–1.7% at α = 1% and CV 50% in the accuracy run's development).
 */
export function effectiveOwnDf(
  df: number,
  expected: number[],
  phi: number,
  priorSigma2: number,
  signal: readonly number[] = expected,
): number {
  // A draw's sampling variance on the scale of the tumour level: φE_t/S_t² (φ/E_t without a background).
  const pos = expected.map((_, t) => t).filter((t) => expected[t] > 0);
  if (df <= 0 || pos.length === 0) return 0;
  if (pos.some((t) => !(signal[t] > 0))) return 0;
  const vbar = pos.reduce((a, t) => a + (phi * expected[t]) / signal[t] ** 2, 0) / pos.length;
  return df * (priorSigma2 / (priorSigma2 + vbar)) ** 2;
}

export function sigma2OfCv(cv: number): number {
  return Math.log1p(cv * cv);
}

export function cvOfSigma2(s2: number): number {
  return Math.sqrt(Math.expm1(s2));
}

/**
 * The patient's own between-draw variance from the given draws (a nadir phase, or the phase with the
 * window draw for the rise test under H0): σ̂² = log(1 + κ̂) with its effective df, and the raw df.
 */
export function ownBetweenDraw(
  alt: number[][],
  depth: number[][],
  draws: readonly number[],
  phi: number,
  prior: BetweenDrawPrior,
  background?: readonly number[],
): { sigma2: number; df: number; rawDf: number } {
  const { observed, expected, signal } = phaseReads(alt, depth, draws, background);
  const cv2 = betweenDrawCv2(observed, expected, phi, signal);
  return {
    sigma2: Math.log1p(cv2.kappa),
    df: effectiveOwnDf(cv2.df, expected, phi, sigma2OfCv(prior.cv), signal),
    rawDf: cv2.df,
  };
}

/** The prior combined with the patient's own estimate (see the file comment). */
export function combineWithPrior(prior: BetweenDrawPrior, ownSigma2: number, ownDf: number): { sigma2: number; df: number } {
  const s0 = sigma2OfCv(prior.cv);
  const df = prior.df + ownDf;
  if (df <= 0) return { sigma2: s0, df: Infinity };
  return { sigma2: (prior.df * s0 + ownDf * ownSigma2) / df, df };
}
