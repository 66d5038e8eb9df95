/**
 * The between-draw prior: the policy default, or an estimate from a cohort's series
 * (docs/methods/statistics.md §3.3). The use case that reads the cohort store builds the series and
 * passes the estimate in; this module never reads a store.
 *
 * Cohort estimate. For every patient and therapy line, the nadir phase of the line's draws is
 * selected as in the model (at the cohort's own estimate, below) and gives a Pearson statistic
 *   Q_p(κ) = Σ_t (A_t − E_t)² / (φ_p E_t + κ E_t²)   with ν_p = m_p − 1 df,
 * which is ≈ χ²_ν_p at the patient's own κ. A cohort κ̂ is the κ at which the median over the
 * phases of Q_p(κ)/(ν_p·M(ν_p)) is 1, where M(ν) = (1 − 2/(9ν))³ is the Wilson–Hilferty median of
 * χ²_ν/ν (Wilson & Hilferty 1931, PNAS 17:684). A median, not a pooled sum: series caught in a real
 * change (a rise inside a selected phase, which the conservative selection lets through) are a
 * minority and move a median little, while a pooled sum takes their whole square. Its df is
 * Σ ν_p (σ̂²/(σ̂² + v̄_p))², the information of phases whose draws vary also by sampling (v̄_p the
 * mean 1/E_t), capped at `maxDf` so that each patient's own residuals keep a weight (patients
 * differ; the cohort gives the typical value, not each one's).
 */
import { selectPhase } from './phase.js';
import type { BetweenDrawPrior, SeriesDraw, SeriesSite } from './types.js';
import { phaseReads } from './variance.js';

/**
 * Phases for the cohort estimate keep a draw unless it is higher with one-sided p < 1e-4: stricter
 * than the model's nadir_phase_alpha because the selection here is iterated at the cohort's own
 * estimate, and at p < 0.01 its truncation of high noise biased the estimate low (CV 0.50 → 0.42,
 * 0.30 → 0.26 over 12 simulated cohorts of 60 patients × 6 draws); at 1e-4 the bias was ≤ 5%
 * (0.47, 0.29, 0.149 for 0.15) while falls and rises of several-fold still stay out.
 */
export const COHORT_PHASE_ALPHA = 1e-4;

/** One patient's series for the cohort estimate. */
export interface CohortSeries {
  patient: string;
  draws: SeriesDraw[];
  sites: SeriesSite[];
  /** Start days of the patient's therapy lines (empty: one line). */
  lineStarts: number[];
}

export interface CohortPriorEstimate extends BetweenDrawPrior {
  /** Patients and draws that contributed (a phase of ≥ 2 draws with reads). */
  patients: number;
  draws: number;
  /** Σ (m_p − 1) before the cap. */
  rawDf: number;
}

interface PhaseData {
  observed: number[];
  expected: number[];
  phi: number;
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

/** The nadir phases of every patient and line at between-draw variance σ². */
function cohortPhases(cohort: readonly CohortSeries[], sigma2: number, phaseAlpha: number): { phases: PhaseData[]; patients: number } {
  const phases: PhaseData[] = [];
  let patients = 0;
  for (const series of cohort) {
    const alt = series.sites.map((s) => s.alt);
    const depth = series.sites.map((s) => s.depth);
    let contributed = false;
    for (const line of linesOf(series)) {
      const candidates = line.filter((t) => depth.some((row) => row[t] > 0));
      if (candidates.length < 2) continue;
      // φ = 1: a per-patient φ̂ from a few sites × draws is floored at 1 and noisy upward, which
      // biased the cohort κ̂ low (CV 0.15 → 0.10 with 2 markers); with φ = 1 the site × draw excess
      // is counted as between-draw variation instead (a slight, conservative overestimate).
      const phi = 1;
      const phase = selectPhase(alt, depth, candidates, sigma2, phi, phaseAlpha);
      const { observed, expected } = phaseReads(alt, depth, phase);
      const keep = expected.map((_, j) => j).filter((j) => expected[j] > 0);
      if (keep.length < 2) continue;
      phases.push({ observed: keep.map((j) => observed[j]), expected: keep.map((j) => expected[j]), phi });
      contributed = true;
    }
    if (contributed) patients++;
  }
  return { phases, patients };
}

/** κ at which the median over the phases of Q_p(κ)/(ν_p M(ν_p)) is 1 (0 when it is ≤ 1 at κ = 0). */
function medianKappa(phases: PhaseData[]): number {
  const medianRatio = (kappa: number): number => {
    const r = phases.map((p) => {
      const nu = p.observed.length - 1;
      let q = 0;
      for (let j = 0; j < p.observed.length; j++) q += (p.observed[j] - p.expected[j]) ** 2 / (p.phi * p.expected[j] + kappa * p.expected[j] ** 2);
      return q / (nu * (1 - 2 / (9 * nu)) ** 3);
    });
    r.sort((a, b) => a - b);
    const h = r.length >> 1;
    return r.length % 2 === 1 ? r[h] : (r[h - 1] + r[h]) / 2;
  };
  if (medianRatio(0) <= 1) return 0;
  let lo = 0;
  let hi = 1;
  while (medianRatio(hi) > 1 && hi < 1e6) hi *= 4;
  for (let i = 0; i < 80 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (medianRatio(mid) > 1) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Robust between-draw CV of a cohort (see the file comment). The phases are selected at the
 * cohort's own estimate, found by fixed-point iteration from σ² = 0 (sampling noise only): a fall
 * under therapy or a rise is then left out of the phases as it would be at the cohort's true
 * variation, where selecting at the conservative default would let a 5-fold fall in and inflate the
 * estimate. `fallback` is returned (with its df) when no patient has a phase of two draws with reads.
 */
export function estimateCohortPrior(cohort: readonly CohortSeries[], fallback: BetweenDrawPrior, maxDf: number): CohortPriorEstimate {
  let sigma2 = 0;
  let kappa = 0;
  let selected = cohortPhases(cohort, sigma2, COHORT_PHASE_ALPHA);
  for (let iter = 0; iter < 8; iter++) {
    if (selected.phases.length === 0) break;
    kappa = medianKappa(selected.phases);
    const next = Math.log1p(kappa);
    if (Math.abs(next - sigma2) < 1e-4) break;
    sigma2 = next;
    selected = cohortPhases(cohort, sigma2, COHORT_PHASE_ALPHA);
  }
  const { phases, patients } = selected;
  const draws = phases.reduce((s, p) => s + p.observed.length, 0);
  if (phases.length === 0) return { ...fallback, patients: 0, draws: 0, rawDf: 0 };
  kappa = medianKappa(phases);
  // Effective df (variance.ts effectiveOwnDf): a phase whose draws vary mostly by sampling says
  // little about σ². Judged at σ̂² but at least CV 10% (the analytical floor), so that a cohort of
  // shallow draws whose κ̂ is 0 by noise does not claim to know σ (it falls back to the default).
  const ref = Math.max(Math.log1p(kappa), Math.log1p(0.01));
  const rawDf = phases.reduce((s, p) => {
    const vbar = p.expected.reduce((a, e) => a + 1 / e, 0) / p.expected.length;
    return s + (p.observed.length - 1) * (ref / (ref + vbar)) ** 2;
  }, 0);
  return {
    cv: Math.sqrt(kappa),
    df: Math.min(maxDf, rawDf),
    source: `cohort estimate: median-based between-draw CV over ${patients} patients, ${draws} nadir-phase draws (${rawDf.toFixed(1)} effective df, capped at ${maxDf})`,
    patients,
    draws,
    rawDf,
  };
}
