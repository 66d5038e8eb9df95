/**
 * The between-draw variation estimated from a cohort's series (docs/methods/statistics.md §3.4). The
 * use case that has the cohort (the timelines of a run, the phases recorded in a cohort store) builds
 * the series and calls resolveBetweenDrawPrior (resolve.ts); this module never reads a store.
 *
 * For every patient and therapy line the nadir phase of the line's draws is selected as in the model
 * (at the cohort's own estimate, below), and a step that persists to the line's last draw is kept out
 * as a whole (phase.ts, `steps`). A phase of m draws gives A_t (alt reads of draw t at the clonal
 * sites), E_t (the reads expected at the phase's pooled, site-matched level) and S_t (the part of E_t
 * above the sites' background). The cohort's σ̂² maximises the phases' likelihood, each draw's
 * log-normal deviation and each phase's level integrated out (phase-likelihood.ts); κ̂ = e^{σ̂²} − 1
 * = CV². A real change inside a phase (a rise too small against the cohort's variation to be kept
 * out) is taken for variation: the estimate errs upward, the conservative side for false alarms.
 * (Until decision 0115 σ̂² solved the pooled Paule–Mandel moment equation on the log scale, and on the
 * count scale for phases with a draw under 20 expected reads; with about 6 reads a draw it ran 10%
 * low at CV 50%.)
 *
 * Its uncertainty is carried as prior degrees of freedom: Var(σ̂²) by the sandwich (robust) estimate
 * of the likelihood (phase-likelihood.ts), which grows with heavier tails and with patients who differ
 * from each other, and the effective df ν0 = 2 s⁴ / Var(σ̂²), the df of the
 * scaled-inverse-χ² whose variance matches (a χ²_ν/ν has variance 2/ν). s² is σ̂² floored at CV 10%
 * (the analytical CV of a tumour-informed assay, 3.6–12.8%): near 0 the relative precision of σ̂²
 * is poor although its absolute precision, which is what the decision feels, is good.
 */
import { selectPhase } from './phase.js';
import type { BetweenDrawPrior, SeriesDraw, SeriesSite } from './types.js';
import { betweenPatientDf } from './spread.js';
import { logPhase, logPhaseQ } from './log-level.js';
import { likelihoodSigma2StandardError, maxLikelihoodSigma2 } from './phase-likelihood.js';
import { type SiteDrawIcc, cohortSiteIcc } from './site-icc.js';
import { phaseReads, sigma2OfCv } from './variance.js';

/**
 * Phases for the cohort estimate keep a draw unless it is higher with one-sided p < 1e-4: stricter
 * than the model's nadir_phase_alpha because the selection here is iterated at the cohort's own
 * estimate, and at p < 0.01 its truncation of high noise biased the estimate low (CV 0.50 → 0.42,
 * 0.30 → 0.26 over 12 simulated cohorts of 60 patients × 6 draws); at 1e-4 falls and rises of
 * several-fold still stay out at CV ≤ 30%.
 */
export const COHORT_PHASE_ALPHA = 1e-4;

/** CV at which the effective df of a near-zero estimate is judged (the analytical floor, see above). */
export const COHORT_DF_FLOOR_CV = 0.1;

/** One patient's series for the cohort estimate. */
export interface CohortSeries {
  patient: string;
  draws: SeriesDraw[];
  sites: SeriesSite[];
  /** Start days of the patient's therapy lines (empty: one line). */
  lineStarts: number[];
}

/** A nadir phase's reads: A_t and E_t per draw (≥ 2 draws with E_t > 0). */
export interface CohortPhase {
  observed: number[];
  expected: number[];
  /** S_t: the part of E_t above the sites' background (absent: all of it; phases recorded without it). */
  signal?: number[];
}

export interface CohortPriorEstimate extends BetweenDrawPrior {
  /** Patients and draws that contributed (a phase of ≥ 2 draws with reads), and the phases' Σ ν_p. */
  patients: number;
  draws: number;
  rawDf: number;
  /** κ̂ = CV² = e^{σ̂²} − 1 and its standard error (the sandwich SE of σ̂² times e^{σ̂²}). */
  kappa: number;
  kappaSe: number;
  /** d0: pseudo-df of the patients' spread around the cohort's variance (spread.ts); Infinity: they agree. */
  spreadDf: number;
  /** The cohort's site × draw ICC (site-icc.ts); null when no patient has two sites with reads. */
  siteDrawIcc: SiteDrawIcc | null;
}

function linesOf(series: CohortSeries): number[][] {
  const starts = [...series.lineStarts].sort((a, b) => a - b);
  const groups = new Map<number, number[]>();
  series.draws.forEach((d, t) => {
    let line = -1;
    for (let j = 0; j < starts.length; j++) if (d.day >= starts[j]) line = j;
    groups.set(line, [...(groups.get(line) ?? []), t]);
  });
  return [...groups.values()];
}

/**
 * The nadir phase of every patient and line at between-draw variance σ². φ = 1: a per-patient φ̂
 * from a few sites × draws is floored at 1 and noisy upward, which biased κ̂ low (CV 0.15 → 0.10
 * with 2 markers); with φ = 1 the site × draw excess counts as between-draw variation (a slight,
 * conservative overestimate, which is also what a one-marker patient's own draws show). Taking the
 * cohort's ICC instead (φ_t = 1 + ρ̂(n̄_t − 1), site-icc.ts) gave fewer df where the cohort says little
 * and ruled out more real 2-fold rises near the background (docs/methods/statistics.md §3.4).
 */
export function cohortPhases(
  cohort: readonly CohortSeries[],
  sigma2: number,
  phaseAlpha = COHORT_PHASE_ALPHA,
): { phases: CohortPhase[]; patients: number } {
  const phases: CohortPhase[] = [];
  let patients = 0;
  for (const series of cohort) {
    const alt = series.sites.map((s) => s.alt);
    const depth = series.sites.map((s) => s.depth);
    let contributed = false;
    for (const line of linesOf(series)) {
      const candidates = line.filter((t) => depth.some((row) => row[t] > 0));
      if (candidates.length < 2) continue;
      const background = series.sites.map((s) => s.background ?? 0);
      const phase = selectPhase(alt, depth, candidates, sigma2, 1, phaseAlpha, { steps: true, background });
      const { observed, expected, signal } = phaseReads(alt, depth, phase, background);
      const keep = expected.map((_, j) => j).filter((j) => expected[j] > 0 && signal[j] > 0);
      if (keep.length < 2) continue;
      phases.push({
        observed: keep.map((j) => observed[j]),
        expected: keep.map((j) => expected[j]),
        signal: keep.map((j) => signal[j]),
      });
      contributed = true;
    }
    if (contributed) patients++;
  }
  return { phases, patients };
}

const pearson = (p: CohortPhase, kappa: number): number =>
  p.observed.reduce((s, a, j) => s + (a - p.expected[j]) ** 2 / (p.expected[j] + kappa * p.expected[j] ** 2), 0);

/**
 * κ at which the median over the phases of Q_p(κ)/(ν_p M(ν_p)) is 1, M(ν) = (1 − 2/(9ν))³ the
 * Wilson–Hilferty median of χ²_ν/ν (Wilson & Hilferty 1931, PNAS 17:684): robust to a minority of
 * phases caught in a real change, used only to select the phases (it runs low for a skewed level).
 */
export function medianKappa(phases: readonly CohortPhase[]): number {
  const medianRatio = (kappa: number): number => {
    const r = phases.map((p) => {
      const nu = p.observed.length - 1;
      return pearson(p, kappa) / (nu * (1 - 2 / (9 * nu)) ** 3);
    });
    r.sort((a, b) => a - b);
    const h = r.length >> 1;
    return r.length % 2 === 1 ? r[h] : (r[h - 1] + r[h]) / 2;
  };
  if (phases.length === 0 || medianRatio(0) <= 1) return 0;
  let lo = 0;
  let hi = 1;
  while (medianRatio(hi) > 1 && hi < 1e6) hi *= 4;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (medianRatio(mid) > 1) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The cohort's between-draw CV and its effective df from given phases (the run's, selected by
 * cohortPhases, and any recorded ones): σ̂² of the phases' likelihood (phase-likelihood.ts),
 * κ̂ = e^{σ̂²} − 1, df = 2s⁴/Var(σ̂²) (file comment), at most Σ (m_p − 1) (no more information than
 * the residuals hold); df 0 without a phase. The patients' spread (spread.ts) reads each phase's
 * log-scale Q_p at σ̂² (log-level.ts).
 */
export function priorFromPhases(
  phases: readonly CohortPhase[],
  patients: number,
  what: string,
  siteIcc: SiteDrawIcc | null = null,
): CohortPriorEstimate {
  const draws = phases.reduce((s, p) => s + p.observed.length, 0);
  const rawDf = phases.reduce((s, p) => s + p.observed.length - 1, 0);
  if (phases.length === 0)
    return {
      cv: 0,
      df: 0,
      source: `${what}: no nadir phase of two draws`,
      patients: 0,
      draws: 0,
      rawDf: 0,
      kappa: 0,
      kappaSe: Infinity,
      spreadDf: Infinity,
      siteDrawIcc: siteIcc,
    };
  const sigma2 = maxLikelihoodSigma2(phases);
  const s2 = Math.max(sigma2, sigma2OfCv(COHORT_DF_FLOOR_CV));
  const sigma2Se = likelihoodSigma2StandardError(phases, sigma2);
  const logPhases = phases.map(logPhase);
  const kappa = Math.expm1(sigma2);
  const varSigma2 = sigma2Se ** 2;
  const df = Number.isFinite(varSigma2) ? Math.min(rawDf, varSigma2 > 0 ? (2 * s2 * s2) / varSigma2 : rawDf) : 0;
  const spreadDf = betweenPatientDf(
    logPhases.map((p) => logPhaseQ(p, sigma2) / (p.level.length - 1)),
    logPhases.map((p) => p.level.length - 1),
  );
  return {
    cv: Math.sqrt(kappa),
    df,
    source: `${what}: between-draw CV ${Math.sqrt(kappa).toFixed(3)} from ${patients} patients' nadir phases (${draws} draws, ${df.toFixed(1)} effective df)`,
    patients,
    draws,
    rawDf,
    kappa,
    // dκ/dσ² = e^{σ²}: the standard error on the κ scale the upper bound is taken on.
    kappaSe: (1 + kappa) * sigma2Se,
    spreadDf,
    siteDrawIcc: siteIcc,
  };
}

/**
 * Upper one-sided confidence bound of the cohort's CV at normal quantile z, on the scale
 * log(κ + c), c = CV_floor² (a skewed κ̂ of a small cohort errs low more often than high; the shift
 * keeps the bound finite and continuous at κ̂ = 0).
 */
export function upperCv(est: Pick<CohortPriorEstimate, 'kappa' | 'kappaSe'>, z: number): number {
  const c = COHORT_DF_FLOOR_CV ** 2;
  if (!Number.isFinite(est.kappaSe)) return Infinity;
  const shifted = est.kappa + c;
  return Math.sqrt(Math.max(0, shifted * Math.exp((z * est.kappaSe) / shifted) - c));
}

/**
 * The cohort's between-draw CV (see the file comment). Phases are selected at the cohort's own
 * robust (median) estimate, found by fixed-point iteration from σ² = 0 (sampling noise only): a
 * fall under therapy or a rise is then left out as it would be at the cohort's true variation
 * (selecting at the conservative default would let a 5-fold fall in), and a few noisy phases cannot
 * pull the selection wide enough to let real rises in (the pooled moment, iterated, did: CV 0.26
 * for a true 0.15 in one simulated cohort of 60). κ̂ is then the pooled moment over those phases.
 * `recorded` phases (from a cohort store) join as they were recorded.
 */
export function estimateCohortPrior(
  cohort: readonly CohortSeries[],
  recorded: readonly CohortPhase[] = [],
  what = 'cohort estimate',
): CohortPriorEstimate {
  const siteIcc = cohortSiteIcc(
    cohort.flatMap((series) => {
      const alt = series.sites.map((x) => x.alt);
      const depth = series.sites.map((x) => x.depth);
      return linesOf(series).map((draws) => ({ alt, depth, draws }));
    }),
  );
  let sigma2 = 0;
  let selected = cohortPhases(cohort, sigma2);
  for (let iter = 0; iter < 10; iter++) {
    const next = Math.log1p(medianKappa([...selected.phases, ...recorded]));
    if (Math.abs(next - sigma2) < 1e-5) break;
    sigma2 = next;
    selected = cohortPhases(cohort, sigma2);
  }
  return priorFromPhases([...selected.phases, ...recorded], selected.patients + recorded.length, what, siteIcc);
}
