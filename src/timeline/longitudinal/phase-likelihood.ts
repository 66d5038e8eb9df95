/**
 * The cohort's between-draw variance σ² by the likelihood of its nadir phases
 * (docs/methods/statistics.md §3.4; prior.ts selects the phases).
 *
 * A phase of m draws has A_t alt reads, E_t expected at the phase's pooled (site-matched) level and
 * S_t, the part of E_t above the sites' background (B_t = E_t − S_t: the background does not vary
 * with the tumour). The series model: the tumour level of draw t is the phase's level times e^{ε_t},
 * ε_t ~ N(0, σ²), so
 *   A_t ~ Poisson(B_t + S_t·e^{μ + ε_t − σ²/2}),
 * μ the phase's log level relative to its pooled estimate (−σ²/2 keeps E_t the draws' mean at μ = 0).
 * The phase's likelihood of σ² integrates out each draw's ε_t (adaptive Gauss–Hermite quadrature,
 * centred at the mode of the integrand and scaled by its curvature there; Liu & Pierce 1994,
 * Biometrika 81:624) and the level μ (flat, by the trapezoid rule over ±6 SD of its estimate):
 * integrating the level rather than plugging in its estimate is what the restricted likelihood does
 * for a normal model (Harville 1974, Biometrika 61:383), and it keeps σ̂² from running low with six
 * draws a phase. σ̂² maximises Σ_p log L_p(σ²) (golden-section search on log σ²; 0 when the
 * likelihood is highest without between-draw variation).
 *
 * Why a likelihood: with a few reads a draw the moment equations run low when the between-draw part
 * of the variance dominates (the count scale's Pearson form divides by the phase's own mean, which a
 * high draw raises with it; the log of a few reads compresses the level's variation). Over 400 stable
 * simulated patients × 6 draws at CV 50% and about 6 alt reads a draw: moments 0.443, this likelihood
 * 0.476, the same patients at 100 times the depth 0.490; at 1,500–30,000× the two agree to 0.002.
 *
 * Its uncertainty: the sandwich (robust) variance Σ_p u_p² / (Σ_p −h_p)², u_p and h_p the first and
 * second derivatives of log L_p at σ̂² (central differences), robust to heavier tails than the model's
 * and to patients who differ, and never below the model's own 1/Σ_p −h_p.
 */
import { lgamma } from '../../stats/binomial.js';
import { normalQuadrature } from '../../stats/gauss-hermite.js';
import { goldenMax } from '../../stats/golden-section.js';

/** A nadir phase's reads (prior.ts CohortPhase): A_t, E_t and, when known, S_t. */
export interface PhaseReads {
  observed: readonly number[];
  expected: readonly number[];
  signal?: readonly number[];
}

/**
 * Quadrature sizes: 12 adaptive nodes per draw and 25 level points gave the same CV and df to three
 * digits as 20 and 41 on simulated cohorts of 40 and 400 (CV 15–50%, 300–1,500×), in half the time.
 */
const DRAW_NODES = 12;
const LEVEL_POINTS = 25;
const LEVEL_HALF_WIDTH_SD = 6;
/** Search range of σ² (CV 0.001 to ≈ 3,000, as the moment estimate's). */
const SIGMA2_MIN = 1e-6;
const SIGMA2_MAX = 16;

/** The Gauss–Hermite rule of the draws' integrals (one for every phase and σ²). */
const QUADRATURE = normalQuadrature(DRAW_NODES);

/** log of Poisson(a; b + s·e^{c + σz}) φ(z), up to log √(2π): concave in z. */
function logIntegrand(z: number, a: number, logFactorial: number, b: number, s: number, c: number, sd: number): number {
  const lam = b + s * Math.exp(c + sd * z);
  return (a > 0 ? a * Math.log(lam) : 0) - lam - logFactorial - (z * z) / 2;
}

/**
 * log ∫ Poisson(a; b + s·e^{c + σz}) φ(z) dz (up to the constant log √(2π), the same for every σ²),
 * by adaptive Gauss–Hermite: centred at the integrand's mode and scaled by its curvature there.
 */
function drawLogIntegral(a: number, logFactorial: number, b: number, s: number, c: number, sd: number): number {
  // Mode: safeguarded Newton on g'(z) = (a/λ − 1)·e·σ − z (e = s·e^{c+σz}), bracketed.
  let z = 0;
  let lo = -40;
  let hi = 40;
  let curvature = -1;
  for (let it = 0; it < 200; it++) {
    const e = s * Math.exp(c + sd * z);
    const lam = b + e;
    const d1 = (a / lam - 1) * e * sd - z;
    curvature = (a / lam - 1) * e * sd * sd - (a * (e * sd) ** 2) / (lam * lam) - 1;
    if (d1 > 0) lo = z;
    else hi = z;
    let next = curvature < 0 ? z - d1 / curvature : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - z) < 1e-10) {
      z = next;
      break;
    }
    z = next;
  }
  const scale = 1 / Math.sqrt(Math.max(1e-12, -curvature));
  const { nodes, weights } = QUADRATURE;
  const top = logIntegrand(z, a, logFactorial, b, s, c, sd);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++)
    sum += weights[i] * Math.exp(logIntegrand(z + scale * nodes[i], a, logFactorial, b, s, c, sd) - top + (nodes[i] * nodes[i]) / 2);
  return top + Math.log(sum * scale);
}

/** A phase's constants, computed once for every σ² the search and the standard error try. */
interface PreparedPhase {
  m: number;
  reads: number;
  /** Centre of the level grid (log scale, relative to E_t). */
  centre: number;
  /** The draws with expected reads: alt reads, log a!, background and signal reads expected. */
  draws: { a: number; logFactorial: number; b: number; s: number }[];
}

/** null for a phase without signal: it says nothing about the tumour's variation. */
function preparePhase(p: PhaseReads): PreparedPhase | null {
  const signal = p.expected.map((e, t) => (p.signal ? Math.min(e, Math.max(0, p.signal[t])) : e));
  // cohortPhases keeps no phase without signal (nor a draw without expected reads); a recorded phase might.
  if (!signal.some((x) => x > 0)) return null;
  const reads = p.observed.reduce((x, y) => x + y, 0);
  // The grid is centred on the phase's own level: 0 for E_t at its pooled level (cohortPhases), and
  // wherever the reads put it for a phase recorded with other expectations.
  const signalTotal = signal.reduce((a, x) => a + x, 0);
  const background = p.expected.reduce((a, e) => a + e, 0) - signalTotal;
  const draws = p.observed
    .map((a, t) => ({ a, logFactorial: lgamma(a + 1), b: p.expected[t] - signal[t], s: signal[t], e: p.expected[t] }))
    .filter((d) => d.e > 0)
    .map(({ a, logFactorial, b, s }) => ({ a, logFactorial, b, s }));
  return { m: p.observed.length, reads, centre: Math.log(Math.max(0.5, reads - background) / signalTotal), draws };
}

function preparedLogLikelihood(q: PreparedPhase, sigma2: number): number {
  const sd = Math.sqrt(Math.max(0, sigma2));
  const half = LEVEL_HALF_WIDTH_SD * Math.sqrt(sigma2 / q.m + 1 / Math.max(1, q.reads)) + 0.05;
  const step = (2 * half) / (LEVEL_POINTS - 1);
  const values = new Float64Array(LEVEL_POINTS);
  for (let k = 0; k < LEVEL_POINTS; k++) {
    const c = q.centre - half + k * step - sigma2 / 2;
    let l = 0;
    for (const d of q.draws) l += drawLogIntegral(d.a, d.logFactorial, d.b, d.s, c, sd);
    values[k] = l;
  }
  const top = Math.max(...values);
  let sum = 0;
  values.forEach((v, k) => (sum += (k === 0 || k === LEVEL_POINTS - 1 ? 0.5 : 1) * Math.exp(v - top)));
  return top + Math.log(sum * step);
}

/** log L_p(σ²) of one phase (see the file comment), up to a constant that does not depend on σ². */
export function phaseLogLikelihood(p: PhaseReads, sigma2: number): number {
  const q = preparePhase(p);
  return q ? preparedLogLikelihood(q, sigma2) : 0;
}

const prepared = (phases: readonly PhaseReads[]): PreparedPhase[] => phases.map(preparePhase).filter((q): q is PreparedPhase => q !== null);

const total = (phases: readonly PreparedPhase[], sigma2: number): number =>
  phases.reduce((s, q) => s + preparedLogLikelihood(q, sigma2), 0);

/** Golden-section narrowings of log σ² over SIGMA2_MIN–SIGMA2_MAX: the bracket ends below 1e-5. */
const SEARCH_ITERATIONS = 32;

/** σ̂² maximising the phases' summed log-likelihood; 0 without a phase or when none is higher than at 0. */
export function maxLikelihoodSigma2(phases: readonly PhaseReads[]): number {
  const ready = prepared(phases);
  if (ready.length === 0) return 0;
  const logBest = goldenMax((logS2) => total(ready, Math.exp(logS2)), Math.log(SIGMA2_MIN), Math.log(SIGMA2_MAX), SEARCH_ITERATIONS);
  const best = Math.exp(logBest.x);
  return best <= 10 * SIGMA2_MIN && total(ready, 0) >= logBest.value ? 0 : best;
}

/** Sandwich standard error of σ̂² (file comment); Infinity when the likelihood is flat there. */
export function likelihoodSigma2StandardError(phases: readonly PhaseReads[], sigma2: number): number {
  const h = Math.max(1e-4, 0.01 * sigma2);
  // Central differences inside (0, ∞); one-sided ones at the boundary.
  const central = sigma2 - h >= 0;
  const at = central ? [sigma2 - h, sigma2, sigma2 + h] : [sigma2, sigma2 + h, sigma2 + 2 * h];
  let meat = 0;
  let bread = 0;
  for (const q of prepared(phases)) {
    const [l0, l1, l2] = at.map((s2) => preparedLogLikelihood(q, s2));
    const u = central ? (l2 - l0) / (2 * h) : (l1 - l0) / h;
    meat += u * u;
    bread -= (l2 - 2 * l1 + l0) / (h * h);
  }
  // The larger of the robust and the model's variance (1 / the observed information): phases that
  // all look alike leave the robust one near 0 however little they say.
  return bread > 0 ? Math.max(Math.sqrt(meat) / bread, 1 / Math.sqrt(bread)) : Infinity;
}
