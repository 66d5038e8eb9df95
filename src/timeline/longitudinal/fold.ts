/**
 * Site-matched fold between two groups of draws (a reference R — the nadir phase, its draws' counts
 * pooled per site — and a target T — one draw), by the conditional likelihood of the Poisson model
 *   a_iR ~ Poisson(n_iR · c_i · f_R),   a_iT ~ Poisson(n_iT · c_i · f_T),   θ = f_T / f_R,
 * where c_i is the site's own allele-fraction factor (copy number, LOH, clonality). Conditioning on
 * s_i = a_iR + a_iT removes c_i:
 *   a_iT | s_i ~ Binomial(s_i, π_i(θ)),   π_i = θ r_i / (1 + θ r_i),   r_i = n_iT / n_iR,
 * so a site with depth 0 in either group, or no alt read in both, contributes nothing, and a change
 * in which sites are covered never moves θ̂ (the Mantel–Haenszel setting; Breslow & Day 1987 §2).
 * With λ = log θ the log-likelihood is concave:
 *   ℓ(λ) = Σ a_iT log π_i + a_iR log(1 − π_i),  U(λ) = Σ (a_iT − s_i π_i),  I(λ) = Σ s_i π_i (1 − π_i).
 * Over-dispersion between sites within a draw enters as a quasi-likelihood scale φ ≥ 1 (the
 * deviance is divided by φ). Bounds are likelihood-ratio bounds {λ : 2(ℓ(λ̂) − ℓ(λ))/φ ≤ q²}, which
 * stay finite on the side where the data are: with no reference read θ̂ = ∞ but the lower bound is
 * finite; with no target read θ̂ = 0 and the upper bound is finite.
 */

/** Per-site pooled counts of the two groups (same site order). */
export interface TwoGroupCounts {
  refAlt: ArrayLike<number>;
  refDepth: ArrayLike<number>;
  targetAlt: ArrayLike<number>;
  targetDepth: ArrayLike<number>;
}

/** The informative sites of a two-group comparison: r_i = n_iT/n_iR, a_iT, s_i. */
interface Informative {
  r: number[];
  b: number[];
  s: number[];
  refReads: number;
  targetReads: number;
}

function informative(c: TwoGroupCounts): Informative {
  const out: Informative = { r: [], b: [], s: [], refReads: 0, targetReads: 0 };
  for (let i = 0; i < c.refAlt.length; i++) {
    const nR = c.refDepth[i];
    const nT = c.targetDepth[i];
    if (!(nR > 0) || !(nT > 0)) continue;
    const s = c.refAlt[i] + c.targetAlt[i];
    if (s <= 0) continue;
    out.r.push(nT / nR);
    out.b.push(c.targetAlt[i]);
    out.s.push(s);
    out.refReads += c.refAlt[i];
    out.targetReads += c.targetAlt[i];
  }
  return out;
}

/** ℓ(λ) (the conditional log-likelihood, up to a constant). */
function logLik(d: Informative, lambda: number): number {
  let l = 0;
  for (let i = 0; i < d.r.length; i++) {
    // log π = λ + log r − log(1 + θr); log(1 − π) = −log(1 + θr); computed stably for large |λ|.
    const x = lambda + Math.log(d.r[i]);
    const log1pe = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    l += d.b[i] * (x - log1pe) - (d.s[i] - d.b[i]) * log1pe;
  }
  return l;
}

function scoreInfo(d: Informative, lambda: number): { u: number; info: number } {
  let u = 0;
  let info = 0;
  for (let i = 0; i < d.r.length; i++) {
    const x = lambda + Math.log(d.r[i]);
    const pi = x > 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    u += d.b[i] - d.s[i] * pi;
    info += d.s[i] * pi * (1 - pi);
  }
  return { u, info };
}

/** Result of the sampling-only comparison (no between-draw variation yet). */
export interface SampledFold {
  /** log θ̂ (−Infinity: no target read; +Infinity: no reference read; NaN: no informative site). */
  logFold: number;
  /** Likelihood-ratio bounds of log θ at the requested q (±Infinity where unbounded). */
  low: number;
  high: number;
  /** Sites with depth in both groups and at least one alt read in either. */
  sites: number;
  refReads: number;
  targetReads: number;
  /** Fisher information of λ at λ̂ (0 when λ̂ is infinite). */
  info: number;
}

/** Maximum-likelihood log fold: Newton from the Mantel–Haenszel start, inside a bisection bracket. */
function mle(d: Informative): number {
  if (d.r.length === 0) return NaN;
  if (d.targetReads === 0) return -Infinity;
  if (d.targetReads === d.s.reduce((a, b) => a + b, 0)) return Infinity;
  // Mantel–Haenszel: Σ a_iT n_iR/(n_iR+n_iT) / Σ a_iR n_iT/(n_iR+n_iT), with n_iR = 1, n_iT = r_i.
  let num = 0;
  let den = 0;
  for (let i = 0; i < d.r.length; i++) {
    num += d.b[i] / (1 + d.r[i]);
    den += ((d.s[i] - d.b[i]) * d.r[i]) / (1 + d.r[i]);
  }
  let lambda = num > 0 && den > 0 ? Math.log(num / den) : 0;
  let lo = -Infinity;
  let hi = Infinity;
  for (let it = 0; it < 100; it++) {
    const { u, info } = scoreInfo(d, lambda);
    if (u > 0) lo = lambda;
    else hi = lambda;
    let next = lambda + u / info;
    if (!(next > lo && next < hi)) {
      next = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : u > 0 ? lambda + 2 : lambda - 2;
    }
    if (Math.abs(next - lambda) < 1e-12) return next;
    lambda = next;
  }
  return lambda;
}

/** λ on the `dir` side of λ̂ with 2(ℓ(λ̂) − ℓ(λ))/φ = q² (bisection on the monotone side). */
function lrBound(d: Informative, lambdaHat: number, top: number, q2phi: number, dir: 1 | -1): number {
  const outside = (lambda: number): boolean => 2 * (top - logLik(d, lambda)) > q2phi;
  const start = Number.isFinite(lambdaHat) ? lambdaHat : 0;
  // Find a point outside by doubling the step away from λ̂.
  let inside = start;
  if (!Number.isFinite(lambdaHat) && outside(start)) {
    // λ̂ infinite on the other side and even λ = 0 is outside: walk back toward λ̂.
    let step = 1;
    let probe = start - dir * step;
    while (outside(probe) && step < 1e3) {
      step *= 2;
      probe = start - dir * step;
    }
    if (outside(probe)) return dir === 1 ? Infinity : -Infinity;
    inside = probe;
  }
  let step = 1;
  let far = inside + dir * step;
  while (!outside(far)) {
    step *= 2;
    if (step > 1e3) return dir === 1 ? Infinity : -Infinity;
    far = inside + dir * step;
  }
  for (let i = 0; i < 60 && Math.abs(far - inside) > 1e-10; i++) {
    const mid = (inside + far) / 2;
    if (outside(mid)) far = mid;
    else inside = mid;
  }
  return (inside + far) / 2;
}

/**
 * Sampling-only fold of target over reference, site-matched, with likelihood-ratio bounds at
 * quantile q (e.g. 1.96) under quasi-likelihood scale φ.
 */
export function sampledFold(c: TwoGroupCounts, q: number, phi = 1): SampledFold {
  const d = informative(c);
  const lambdaHat = mle(d);
  const base = { sites: d.r.length, refReads: d.refReads, targetReads: d.targetReads };
  if (Number.isNaN(lambdaHat)) return { logFold: NaN, low: -Infinity, high: Infinity, info: 0, ...base };
  // The supremum of ℓ is 0 when λ̂ is infinite (every π → 0 or 1 where the data are).
  const top = Number.isFinite(lambdaHat) ? logLik(d, lambdaHat) : 0;
  const q2phi = q * q * phi;
  const low = lambdaHat === -Infinity ? -Infinity : lrBound(d, lambdaHat, top, q2phi, -1);
  const high = lambdaHat === Infinity ? Infinity : lrBound(d, lambdaHat, top, q2phi, 1);
  const info = Number.isFinite(lambdaHat) ? scoreInfo(d, lambdaHat).info : 0;
  return { logFold: lambdaHat, low, high, info, ...base };
}

/**
 * Expected Fisher information of λ at a true fold θ, when the reference counts are as observed
 * (the target's expected counts scaled from them): for the power of a rise of θ.
 */
export function expectedInfoAt(c: TwoGroupCounts, logTheta: number): number {
  let info = 0;
  for (let i = 0; i < c.refAlt.length; i++) {
    const nR = c.refDepth[i];
    const nT = c.targetDepth[i];
    if (!(nR > 0) || !(nT > 0) || !(c.refAlt[i] > 0)) continue;
    const r = nT / nR;
    const expectedTarget = c.refAlt[i] * r * Math.exp(logTheta);
    const s = c.refAlt[i] + expectedTarget;
    const pi = expectedTarget / s;
    info += s * pi * (1 - pi);
  }
  return info;
}
