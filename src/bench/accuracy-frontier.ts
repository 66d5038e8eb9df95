/**
 * A reference test for the one-marker rule-out of the longitudinal section of `npm run accuracy`:
 * what a test could do if it knew every variance of the simulation. It is not the model and no
 * command uses it; it shows where the model's rule-out stands against the best test available.
 *
 * One site, a reference R (the earlier draws, reads pooled) and one window draw T. Given the site's
 * total s = a_R + a_T, a_T ~ Binomial(s, π) with
 *   logit π = log θ + log(n_T / n_R) − B + δ,   δ ~ N(0, τ²),
 * B the log-normal level's mean-of-draws bias of the pooled reference (contrast.ts), and τ² the
 * variance of the window's log level minus the reference's:
 *   - between draws, σ²(1 + Σ_t w_t²) (w_t the reference draws' read shares), and
 *   - site × draw (the beta-binomial ICC ρ of the simulation): a draw at allele fraction p adds
 *     ρ(1 − p)/p to its log level's variance (Var p̃ = ρ p (1 − p)), pooled over the reference's
 *     draws with weights w_t² and taken at θ·p for the window. Unlike between-draw variation it
 *     shrinks as the level rises: at a 2-fold null the window carries half of it.
 * σ² and ρ are the simulation's own, p the reference's allele fraction. The p-values are mid-p
 * mixtures over δ (Gauss–Hermite). With Poisson counts (no between-draw and no site × draw
 * variation) this is the conditional binomial test of two Poisson rates, which in its randomised form
 * is the uniformly most powerful unbiased test of their ratio (Lehmann & Romano, Testing Statistical
 * Hypotheses, 3rd ed., ch. 4; Fay, the rateratio.test vignette): no unbiased level-α test does better
 * there; the mid-p stands in for the randomisation. The sites' background (1e-4 against a 2% signal)
 * is left out.
 */
import { binomLogLowerTail, binomLogPmf, binomLogUpperTail } from '../stats/binomial.js';
import { normalQuadrature } from '../stats/gauss-hermite.js';
import { pooledLogBias } from '../timeline/longitudinal/contrast.js';
import type { SeriesSite } from '../timeline/longitudinal/types.js';

/** What the reference test knows: the simulation's between-draw σ² and site × draw ICC. */
export interface KnownVariances {
  sigma2: number;
  rho: number;
}

export type ReferenceOutcome = 'progression' | 'ruled_out' | 'undecided' | 'not_evaluable';

const NODES = 40;

/** Mid-p P(X < a) + ½P(X = a) (lower) or P(X > a) + ½P(X = a) (upper), X | δ ~ Binomial(s, expit(v + τδ)). */
function mixedMidP(a: number, s: number, v: number, tau: number, side: 'lower' | 'upper'): number {
  const q = normalQuadrature(NODES);
  let p = 0;
  for (let j = 0; j < NODES; j++) {
    const pi = 1 / (1 + Math.exp(-(v + tau * q.nodes[j])));
    const half = 0.5 * Math.exp(binomLogPmf(a, s, pi));
    const beyond =
      side === 'lower' ? (a > 0 ? Math.exp(binomLogLowerTail(a - 1, s, pi)) : 0) : a < s ? Math.exp(binomLogUpperTail(a + 1, s, pi)) : 0;
    p += q.weights[j] * (beyond + half);
  }
  return p;
}

/**
 * The reference test's outcome for a one-site series with one window draw (the last): progression
 * when the rise test at θ = 1 has mid-p < alpha and the observed fold reaches the policy fold; ruled
 * out when the test of θ ≥ policy fold has mid-p < 1 − ruleOutLevel; else undecided.
 */
export function referenceOutcome(
  site: SeriesSite,
  window: number,
  known: KnownVariances,
  settings: { fold: number; alpha: number; ruleOutLevel: number },
): ReferenceOutcome {
  if (window < 1) return 'not_evaluable';
  let aR = 0;
  let nR = 0;
  for (let t = 0; t < window; t++) {
    aR += site.alt[t];
    nR += site.depth[t];
  }
  const aT = site.alt[window];
  const nT = site.depth[window];
  const s = aR + aT;
  if (!(aR > 0) || !(nT > 0) || !(s > 0)) return 'not_evaluable';
  let w2 = 0;
  for (let t = 0; t < window; t++) w2 += (site.depth[t] / nR) ** 2;
  const p = aR / nR;
  // Site × draw variance of a draw's log level at allele fraction x: ρ(1 − x)/x.
  const siteDraw = (x: number) => (known.rho * (1 - Math.min(x, 0.999))) / x;
  const tau2At = (theta: number) => known.sigma2 * (1 + w2) + siteDraw(p) * w2 + siteDraw(theta * p);
  const shift = pooledLogBias(known.sigma2, w2);
  const offset = Math.log(nT / nR) - shift;
  const riseP = mixedMidP(aT, s, offset, Math.sqrt(tau2At(1)), 'upper');
  if (riseP < settings.alpha && aT / nT / p >= settings.fold) return 'progression';
  const fallP = mixedMidP(aT, s, Math.log(settings.fold) + offset, Math.sqrt(tau2At(settings.fold)), 'lower');
  return fallP < 1 - settings.ruleOutLevel ? 'ruled_out' : 'undecided';
}
