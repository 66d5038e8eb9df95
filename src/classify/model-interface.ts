/**
 * What the clinical policy needs from the longitudinal model of the tumour signal (the statistics
 * stage): for the clonal set, whether the tumour fraction changed between the current line's
 * baseline and the assessment window, and for a single site whether it is rising relative to the
 * tumour. The policy decides what a change means; the model decides whether there is one and how
 * sure it is. Types only, so that the policy modules and their tests do not depend on how the
 * model is fitted.
 */
import type { PatientTimeline } from '../timeline/types.js';

/**
 * The model's verdict on the clonal tumour fraction, window against baseline:
 * - `progression`: the interval of the fold lies above 1 and the estimate reaches the policy fold;
 * - `ruled_out`: the upper bound of the fold is below the policy fold (a rise of that size excluded);
 * - `undecided`: neither (too little information: the upper bound and the power say how little);
 * - `not_evaluable`: no comparison possible (no informative baseline or window draw, no clonal site).
 */
export type ChangeDecision = 'progression' | 'ruled_out' | 'undecided' | 'not_evaluable';

export interface MolecularChange {
  decision: ChangeDecision;
  /** Window level / baseline level; null when not evaluable; Infinity when the baseline level is 0. */
  fold: number | null;
  /** Interval of the fold at the model's level (e.g. 95%), allowing for between-draw over-dispersion. */
  lower: number | null;
  upper: number | null;
  /** The fold the policy asks about (molecular_progression.min_fold_from_nadir). */
  policyFold: number;
  /** Power to see a rise of `policyFold` with this information; null when not computed. */
  power: number | null;
  /** Samples the baseline level and the window level were estimated from. */
  baselineSamples: string[];
  windowSamples: string[];
  /** Clonal sites that carried information in both. */
  sitesUsed: number;
  /**
   * One sentence for the rationale, written by the model (e.g. "tumour fraction 0.97-fold
   * (95% interval 0.71–1.33) against the baseline of 3 draws; a 2-fold rise is excluded").
   */
  text: string;
}

/**
 * A single site's trend, relative to the clonal tumour fraction: `rising` means the site grows out
 * of proportion to the tumour (an expanding subclone), never merely with it.
 */
export type TrendStatus = 'rising' | 'falling' | 'stable' | 'undecided' | 'not_evaluable';

export interface SiteTrend {
  key: string;
  status: TrendStatus;
  fold: number | null;
  lower: number | null;
  upper: number | null;
  text: string;
}

/** Which draws the model compares: indices into `timeline.draws`. */
export interface ModelRequest {
  timeline: PatientTimeline;
  /** Site keys of the clonal set (see clonal-set.ts). */
  clonalKeys: readonly string[];
  /** Draws of the current therapy line before the window: the baseline (the model may pick its nadir phase among them). */
  baselineIdx: readonly number[];
  /** Draws in the assessment window. */
  windowIdx: readonly number[];
}

export interface LongitudinalModel {
  molecularChange(req: ModelRequest): MolecularChange;
  siteTrend(req: ModelRequest & { key: string }): SiteTrend;
}
