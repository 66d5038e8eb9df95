/**
 * The spread of patients' between-draw variances around their cohort's, estimated from the cohort's
 * nadir phases (docs/methods/statistics.md §3.4). Each phase p gives r_p = Q_p(σ̂²)/ν_p, the phase's
 * weighted sum of squares of log levels at the cohort's σ̂² (log-level.ts) over its df. If every
 * patient had the cohort's variance, r_p ~ c·χ²_ν/ν; if patients' variances spread as a
 * scaled-inverse-χ² with d0 df around it, r_p ~ c·F(ν_p, d0) (Smyth 2004, Stat Appl Genet Mol Biol
 * 3:3, §6.2, the model of limma's fitFDist). d0 (and the scale c) are estimated by maximum likelihood
 * over the phases; d0 = ∞ when the χ² model fits at least as well (the patients agree).
 *
 * Why maximum likelihood rather than fitFDist's moments of log r_p: the variance of log r_p is driven
 * by a few phases far out in log χ²'s long tails, and over 30 simulated cohorts of 40 patients who
 * all had CV 15% (2 markers, 1,500×) the moment estimate gave d0 of 2 and 4 in two of them and below
 * 10 in five, so that a third of such labs' cohort priors fell to a few df and the rise test, which
 * counts the window draw in its own variance, could not reach α with one window draw. The likelihood
 * weighs each phase by its density: over the same cohorts d0 ≥ 12 in every one; over 12 cohorts
 * whose patients' CVs spread log-uniformly over 10–60% it gave 3–29 (median 6.5; moments 3–10).
 * r_p measures the patient's total variance (sampling plus between-draw) relative to the cohort's,
 * so in shallow phases a spread of the between-draw part is diluted; there the between-draw part
 * also matters less to the test.
 */

import { gammaQ, lgamma } from '../../stats/binomial.js';
import { goldenMax } from '../../stats/golden-section.js';

/**
 * Phases whose r_p lies below χ²_ν's lower 0.1% quantile are left out of the spread: such a phase
 * says its patient varies less than the cohort (or its draws were merged by chance), which is no risk
 * to the rise test's size, and one of them (r = 0.01 with ν = 5, in a simulated cohort of 40 patients
 * all at CV 15%) made the moment estimate d0 = 5 where the patients agree. A patient more variable
 * (the right tail) stays in.
 */
export const SPREAD_LOW_TAIL = 1e-3;

/** log density of r under c·F(ν, d) (d = Infinity: c·χ²_ν/ν), c = e^logC. */
function logScaledF(r: number, nu: number, d: number, logC: number): number {
  const x = r / Math.exp(logC);
  const h = nu / 2;
  const core = Number.isFinite(d)
    ? lgamma(h + d / 2) - lgamma(h) - lgamma(d / 2) + h * Math.log(nu / d) + (h - 1) * Math.log(x) - (h + d / 2) * Math.log1p((nu * x) / d)
    : h * Math.log(h) - lgamma(h) + (h - 1) * Math.log(x) - h * x;
  return core - logC;
}

/**
 * log c maximising the likelihood of the ratios under c·F(ν, d): the score in log c is
 * Σ (h + d/2)·νx/(d + νx) − Σ h with x = r/c, h = ν/2, decreasing in log c (bisection); under c·χ²_ν/ν
 * (d = ∞) c = Σ h r / Σ h.
 */
function scaleAt(r: readonly number[], nu: readonly number[], d: number): number {
  const sumH = nu.reduce((a, n) => a + n / 2, 0);
  if (!Number.isFinite(d)) return Math.log(r.reduce((a, x, k) => a + (nu[k] / 2) * x, 0) / sumH);
  const score = (logC: number): number => {
    const c = Math.exp(logC);
    return r.reduce((a, x, k) => a + ((nu[k] / 2 + d / 2) * nu[k] * x) / (d * c + nu[k] * x), 0) - sumH;
  };
  let lo = Math.log(1e-3);
  let hi = Math.log(1e3);
  for (let k = 0; k < 50; k++) {
    const mid = (lo + hi) / 2;
    if (score(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** d0 searched from 0.5 to 2,000 (log grid step 0.05): above that the F and χ² models do not differ. */
const LOG_D0_RANGE: [number, number] = [Math.log(0.5), Math.log(2000)];

/**
 * d0 of the phases' variance ratios (file comment): `ratios` r_p > 0 with their df ν_p, less the
 * low tail (SPREAD_LOW_TAIL). Infinity when the patients agree or fewer than 3 phases carry a ratio.
 */
export function betweenPatientDf(ratios: readonly number[], dfs: readonly number[]): number {
  const idx = ratios
    .map((_, i) => i)
    .filter((i) => ratios[i] > 0 && dfs[i] > 0 && 1 - gammaQ(dfs[i] / 2, (dfs[i] * ratios[i]) / 2) >= SPREAD_LOW_TAIL);
  if (idx.length < 3) return Infinity;
  const r = idx.map((i) => ratios[i]);
  const nu = idx.map((i) => dfs[i]);
  const profile = (d: number): number => {
    const logC = scaleAt(r, nu, d);
    return r.reduce((s, x, k) => s + logScaledF(x, nu[k], d, logC), 0);
  };
  const agree = profile(Infinity);
  let bestLogD = NaN;
  let best = agree;
  for (let logD = LOG_D0_RANGE[0]; logD <= LOG_D0_RANGE[1]; logD += 0.05) {
    const v = profile(Math.exp(logD));
    if (v > best) {
      best = v;
      bestLogD = logD;
    }
  }
  if (Number.isNaN(bestLogD)) return Infinity;
  return Math.exp(goldenMax((logD) => profile(Math.exp(logD)), bestLogD - 0.05, bestLogD + 0.05, 30).x);
}
