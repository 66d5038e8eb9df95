/**
 * Types of the longitudinal model of a patient's tumour-informed signal (docs/methods/statistics.md).
 * The result is JSON-safe: every number that can be undefined is `null`, never NaN or Infinity
 * (an unbounded upper bound is `null` with the reason in `note`).
 */

/** One draw of the series (in collection order). */
export interface SeriesDraw {
  sample: string;
  /** Days since 1970-01-01 (io/csv-schema isoDateToDay). */
  day: number;
  date: string;
}

/** One tracked site's counts over the draws (same order as the draws). */
export interface SeriesSite {
  key: string;
  /** Gene and protein change, for sentences. */
  label: string;
  alt: number[];
  depth: number[];
  /** Background alt rate of the site (0 when unknown): the fold counts the signal above it (fold.ts), and the tumour-fraction level. */
  background?: number;
  /**
   * Per draw: the calling stage found the site (call `detected`). Optional; used by the per-site
   * trend words `emerged` / `cleared`, never by the fold.
   */
  detected?: boolean[];
}

/**
 * Prior of the between-draw variation of the log tumour level: a scaled-inverse-χ² with `df`
 * pseudo-degrees of freedom at scale log(1 + cv²).
 */
export interface BetweenDrawPrior {
  /** Coefficient of variation of the tumour level between draws at a stable disease level. */
  cv: number;
  /** Pseudo-degrees of freedom (the weight of the prior against the patient's own residuals). */
  df: number;
  /**
   * The CV the rise test assumes under H0 when it differs from `cv`: a cohort estimate's upper
   * confidence bound, so that a cohort whose estimate came out low does not make the test liberal.
   * Absent: `cv`.
   */
  testCv?: number;
  /** Where the value comes from (policy default with its source, or a cohort estimate). */
  source: string;
  /**
   * The site × draw ICC ρ that a patient whose own sites cannot estimate the dispersion φ (one site)
   * takes, φ = 1 + ρ(n̄ − 1): the cohort's upper bound (site-icc.ts, resolve.ts), with the df of its
   * estimate. Absent: such a patient has φ = 1 and the prior's CV carries that noise (a cohort of
   * one-site patients, or a policy default).
   */
  siteIcc?: { rho: number; df: number };
}

export interface ModelSettings {
  /** Fold from the nadir that counts as molecular progression (policy). */
  fold: number;
  /** Family-wise α of the rise test over the window draws (Holm). */
  alpha: number;
  /** Two-sided level of the reported fold interval (e.g. 0.95). */
  intervalLevel: number;
  /** One-sided level of the upper bound that rules a rise of `fold` out (e.g. 0.95). */
  ruleOutLevel: number;
  /** A draw next to the nadir phase joins it unless it is higher with one-sided p below this. */
  phaseAlpha: number;
}

export interface LongitudinalInput {
  draws: SeriesDraw[];
  sites: SeriesSite[];
  /** Indices (into draws) of the draws assessed for a change (the window). */
  windowIdx: number[];
  /** Start day of the therapy line current at the assessment; earlier draws are another line. */
  therapyStartDay: number | null;
  /** Name of the current therapy, for sentences. */
  therapyLabel?: string;
  prior: BetweenDrawPrior;
  settings: ModelSettings;
}

export type ChangeStatus = 'progression' | 'ruled_out' | 'undecided' | 'not_evaluable';

/** The comparison of one window draw with the nadir phase before it. */
export interface DrawComparison {
  sample: string;
  date: string;
  status: ChangeStatus;
  /** Why the comparison could not be made (status not_evaluable), else null. */
  note: string | null;
  /** Draws of the nadir phase (the reference level). */
  nadir_draws: string[];
  /** Pooled clonal allele fraction of the nadir phase over the sites used (Σ alt / Σ depth). */
  nadir_allele_fraction: number | null;
  window_allele_fraction: number | null;
  /**
   * Tumour level of the window draw over the nadir level (site-matched; the nadir level being the
   * phase's typical level, its pooled reads corrected for the spread of its draws, contrast.ts, so
   * it can differ by a few per cent from the ratio of the two allele fractions). null when undefined.
   */
  fold: number | null;
  /** true when fold is infinite (no alt read in the nadir phase). */
  fold_infinite: boolean;
  /** Two-sided interval at settings.intervalLevel (low ≥ 0; high null when unbounded). */
  low: number | null;
  high: number | null;
  /** One-sided upper bound at settings.ruleOutLevel (null when unbounded). */
  upper_bound: number | null;
  /** One-sided p-value of H0: fold ≤ 1, and its Holm adjustment over the evaluable window draws. */
  p_value: number | null;
  p_holm: number | null;
  /** Probability of calling progression if the true fold were settings.fold. */
  power_at_fold: number | null;
  /** Smallest true fold called with 80% probability (null when not reachable). */
  fold_80_power: number | null;
  /** Sites informative in both the nadir phase and this draw. */
  sites_used: number;
  reads_nadir: number;
  reads_window: number;
  /** Between-draw variance term of this contrast (log scale) and the degrees of freedom used. */
  between_draw_var: number;
  df: number | null;
  /**
   * The nadir phase's alt reads A_t and the reads E_t expected at its pooled level, per phase draw
   * (over the sites used): what a later cohort estimate of the between-draw variation needs from
   * this patient (recorded with the classification in a cohort store). null when not compared.
   */
  nadir_reads: { observed: number[]; expected: number[]; signal: number[] } | null;
}

export interface MolecularChange {
  status: ChangeStatus;
  /** One plain sentence saying what the status rests on. */
  reason: string;
  /** The window draw the status rests on (null when none was evaluable). */
  decisive_sample: string | null;
  comparisons: DrawComparison[];
  /** Between-draw variation used: the prior, the patient's own estimate and their combination. */
  between_draw: {
    cv: number;
    sigma: number;
    df: number;
    prior_cv: number;
    prior_df: number;
    /** The CV the rise test assumed under H0 (a cohort estimate's upper bound; else prior_cv). */
    prior_test_cv: number;
    prior_source: string;
    own_cv: number | null;
    own_df: number;
  };
  /** Quasi-likelihood scale of site × draw variation (1 = Poisson), and its residual df. */
  site_dispersion: { phi: number; df: number };
  sites_tracked: number;
  caveats: string[];
  multiplicity: 'holm over the window draws (family-wise)';
  settings: ModelSettings;
  therapy_start: string | null;
}

export type SiteTrendWord = 'rising' | 'falling' | 'emerged' | 'cleared' | 'stable' | 'not_assessable';

/** Per-site change of one window draw against the site's own nadir phase. */
export interface SiteTrend {
  key: string;
  label: string;
  sample: string;
  trend: SiteTrendWord;
  fold: number | null;
  fold_infinite: boolean;
  low: number | null;
  high: number | null;
  /** One-sided p in the direction of the change, and its Benjamini–Hochberg adjustment across sites. */
  p_value: number | null;
  q_value: number | null;
  nadir_draws: string[];
  note: string | null;
}
