/**
 * Which between-draw prior a classification uses (docs/methods/statistics.md §3.3). One function,
 * called by the use case that has the cohort (classify, run): the timelines of the run and, with a
 * cohort store, the nadir phases recorded there (the caller reads the store; this stage never does).
 *
 *   auto     — the cohort's estimate when it carries enough information (at least `minPatients`
 *              patients with a nadir phase of two draws and `minDf` effective df); with fewer df,
 *              but at least the policy default's, the estimate's upper `testLevel` bound used as
 *              the CV throughout (an imprecise estimate can be far too low, and the interval and
 *              the rule-out bound have no bound of their own); else the policy default. The note
 *              says which and why. The default behaviour.
 *   default  — the policy default (conservative: a wide prior with 1 df).
 *   measured — a lab's measured CV.
 *
 * A cohort prior has three numbers: the estimate's CV (the level of the interval and of the
 * rule-out bound), its df 1/(1/ESS + 1/d_p) — the estimate's own uncertainty (ESS, prior.ts) and
 * the spread of patients around the cohort (d_p = min(d̂0, between_patient_df): d̂0 estimated from
 * the cohort's phases, spread.ts; the cap a policy choice: the cohort gives the typical patient, not
 * each one) — and the CV the rise test assumes under H0, the
 * estimate's upper `testLevel` confidence bound, so that the test keeps its size for the cohort at
 * hand rather than on average over cohorts (an estimate that came out 20% low doubled the false
 * alarms of a calibrated test at CV 50%).
 */
import { normalQuantile } from '../../stats/student-t.js';
import { type CohortPhase, type CohortPriorEstimate, type CohortSeries, estimateCohortPrior, upperCv } from './prior.js';
import type { BetweenDrawPrior } from './types.js';

export type BetweenDrawPriorChoice = { kind: 'auto' } | { kind: 'default' } | { kind: 'measured'; cv: number };

export interface PriorSettings {
  /** The policy default (used without a cohort). */
  fallback: BetweenDrawPrior;
  minPatients: number;
  minDf: number;
  /** d_p: pseudo-df of the spread of patients' between-draw variances around the cohort's. */
  betweenPatientDf: number;
  /** One-sided confidence level of the CV the rise test assumes (e.g. 0.95). */
  testLevel: number;
}

export interface ResolvedPrior {
  prior: BetweenDrawPrior;
  basis: 'cohort' | 'default' | 'measured';
  /** One sentence for the log and the rationale: which prior, from what, and why. */
  note: string;
  /** The cohort's estimate when one was attempted (auto), used or not. */
  estimate: CohortPriorEstimate | null;
}

/** Parses the command-line form: auto, default, cohort (= auto), or a CV from 0 to 3. null if none. */
export function parsePriorChoice(text: string): BetweenDrawPriorChoice | null {
  if (text === 'auto' || text === 'cohort') return { kind: 'auto' };
  if (text === 'default') return { kind: 'default' };
  if (/^\d*\.?\d+$/.test(text) && Number(text) <= 3) return { kind: 'measured', cv: Number(text) };
  return null;
}

const fmt = (x: number, d = 2) => Number(x.toFixed(d)).toString();

/** The ICC a one-site patient takes: the cohort's upper `testLevel` bound (site-icc.ts). */
function oneSiteIcc(est: CohortPriorEstimate, settings: PriorSettings): { rho: number; df: number } | undefined {
  const icc = est.siteDrawIcc;
  return icc ? { rho: icc.rho + normalQuantile(settings.testLevel) * icc.se, df: icc.df } : undefined;
}

/** The cohort's site × draw ICC in words ('' without one). */
function siteIccText(est: CohortPriorEstimate, settings: PriorSettings): string {
  const icc = est.siteDrawIcc;
  const bound = oneSiteIcc(est, settings);
  return icc && bound
    ? `; site × draw ICC ${icc.rho.toPrecision(2)} from ${icc.lines} patient line(s) with two or more sites (upper ${Math.round(100 * settings.testLevel)}% bound ${bound.rho.toPrecision(2)}, used for a patient with one site)`
    : '';
}

/** The prior a cohort estimate gives (see the file comment). */
export function cohortBasedPrior(est: CohortPriorEstimate, settings: PriorSettings): BetweenDrawPrior {
  const spread = Math.min(est.spreadDf, settings.betweenPatientDf);
  const df = 1 / (1 / est.df + 1 / spread);
  const prior: BetweenDrawPrior = {
    cv: est.cv,
    df,
    testCv: Math.max(est.cv, upperCv(est, normalQuantile(settings.testLevel))),
    source: `${est.source}; ${fmt(df, 1)} df with the between-patient spread (${fmt(spread, 1)} df)${siteIccText(est, settings)}`,
  };
  const icc = oneSiteIcc(est, settings);
  if (icc) prior.siteIcc = icc;
  return prior;
}

/** A cohort estimate with too few df to be used itself: its upper `testLevel` bound, used throughout. */
export function upperBoundPrior(est: CohortPriorEstimate, settings: PriorSettings): BetweenDrawPrior {
  const based = cohortBasedPrior(est, settings);
  const cv = based.testCv as number;
  const prior: BetweenDrawPrior = {
    cv,
    df: based.df,
    testCv: cv,
    source: `${est.source}; too few df for the estimate itself: its upper ${Math.round(100 * settings.testLevel)}% bound ${fmt(cv, 3)} used${siteIccText(est, settings)}`,
  };
  if (based.siteIcc) prior.siteIcc = based.siteIcc;
  return prior;
}

export function resolveBetweenDrawPrior(
  choice: BetweenDrawPriorChoice,
  cohort: readonly CohortSeries[],
  recorded: readonly CohortPhase[],
  settings: PriorSettings,
): ResolvedPrior {
  const fb = settings.fallback;
  const defaultText = `policy default CV ${fb.cv} with ${fb.df} df`;
  if (choice.kind === 'default')
    return { prior: fb, basis: 'default', note: `between-draw prior: ${defaultText} (chosen)`, estimate: null };
  if (choice.kind === 'measured') {
    const prior = { cv: choice.cv, df: settings.betweenPatientDf, source: `a measured between-draw CV of ${choice.cv}` };
    return {
      prior,
      basis: 'measured',
      note: `between-draw prior: measured CV ${choice.cv} with ${settings.betweenPatientDf} df (the between-patient spread)`,
      estimate: null,
    };
  }
  const from = recorded.length > 0 ? `${cohort.length} timelines and ${recorded.length} recorded phases` : `${cohort.length} timelines`;
  const est = estimateCohortPrior(cohort, recorded, `cohort estimate (${from})`);
  // Fewer df than the policy default carries (or than the minimum, if a policy sets that lower).
  const floorDf = Math.min(fb.df, settings.minDf);
  if (est.patients < settings.minPatients || est.df < floorDf) {
    const why =
      est.patients < settings.minPatients
        ? `${est.patients} patient(s) with a nadir phase of two draws, fewer than ${settings.minPatients}`
        : `${fmt(est.df, 1)} effective df, fewer than ${fmt(floorDf, 1)}`;
    return { prior: fb, basis: 'default', note: `between-draw prior: ${defaultText}: the cohort (${from}) gives ${why}`, estimate: est };
  }
  if (est.df < settings.minDf) {
    // Too little information to use the estimate itself, enough to bound it: its upper bound serves
    // as the CV of the interval and the rule-out bound too, with the cohort's few df.
    const prior = upperBoundPrior(est, settings);
    return {
      prior,
      basis: 'cohort',
      note: `between-draw prior: cohort upper bound CV ${fmt(prior.cv, 3)} (estimate ${fmt(est.cv, 3)} with ${fmt(est.df, 1)} effective df, fewer than ${settings.minDf}: its upper ${Math.round(100 * settings.testLevel)}% bound is used throughout) with ${fmt(prior.df, 1)} df, from ${est.patients} patients' nadir phases (${from})${siteIccText(est, settings)}`,
      estimate: est,
    };
  }
  const prior = cohortBasedPrior(est, settings);
  return {
    prior,
    basis: 'cohort',
    note: `between-draw prior: cohort estimate CV ${fmt(prior.cv, 3)} (the rise test assumes ${fmt(prior.testCv as number, 3)}, its upper ${Math.round(100 * settings.testLevel)}% bound) with ${fmt(prior.df, 1)} df, from ${est.patients} patients' nadir phases (${from}; ${fmt(est.df, 1)} effective df; patients' spread ${Number.isFinite(est.spreadDf) ? `${fmt(est.spreadDf, 1)} df` : 'none seen'}, at most ${settings.betweenPatientDf})${siteIccText(est, settings)}`,
    estimate: est,
  };
}
