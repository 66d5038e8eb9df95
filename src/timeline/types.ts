/**
 * The timeline data model: what `oligotrack track` writes to DIR/patients/<patient>.json (schema
 * `oligotrack.timeline`, version 1) and what `classify` and `report` read back. JSON field names
 * are snake_case; numbers that can be undefined are `null` (JSON has no NaN or Infinity).
 * Coordinates: `pos` is 1-based (VCF POS). Dates are ISO `YYYY-MM-DD`.
 */
import type { CountSettings, SiteCall } from '../count/types.js';
import type { SampleSummary } from '../stats/types.js';

export const TIMELINE_SCHEMA = 'oligotrack.timeline';
export const TIMELINE_SCHEMA_VERSION = 1;

/** Per-site call of one draw (declared once, with the counting contract). */
export type { SiteCall } from '../count/types.js';

/**
 * Change between a draw and the previous draw of the same series (see docs/tracking.md):
 * - `baseline`: the first draw of the series (nothing to compare with);
 * - `emerged`: not_detected → detected, and the increase itself significant (p < alpha);
 * - `rising`: detected → detected, fold ≥ min_fold and p < alpha for an increase;
 * - `falling`: detected → detected, fold ≤ 1/min_fold and p < alpha for a decrease;
 * - `cleared`: detected → not_detected, and the decrease significant (p < alpha);
 * - `stable`: anything else where both draws are informative;
 * - `not_assessable`: either draw is `low_depth`.
 */
export type SiteEvent = 'baseline' | 'emerged' | 'rising' | 'falling' | 'cleared' | 'stable' | 'not_assessable';

export const SITE_EVENTS: readonly SiteEvent[] = ['baseline', 'emerged', 'rising', 'falling', 'cleared', 'stable', 'not_assessable'];

/** Parameters of the event calls (recorded in every timeline JSON). */
export interface EventSettings {
  /** One-sided significance level of the two-count test (default 0.01). */
  alpha: number;
  /** Fold change for rising/falling (default 2). */
  min_fold: number;
  /**
   * A site detected at baseline is clonal when its baseline VAF is at least this fraction of the
   * highest baseline VAF (default 0.5): truncal mutations share the top VAF, a subclone (an ESR1
   * mutation at 0.5% beside TP53 at 4%) sits well below it and must not steer the tumour fraction.
   */
  clonal_min_relative_vaf: number;
}

export const DEFAULT_EVENT_SETTINGS: EventSettings = { alpha: 0.01, min_fold: 2, clonal_min_relative_vaf: 0.5 };

/** One draw's measurement at one site. */
export interface TimelinePoint {
  sample: string;
  collection_date: string;
  depth: number;
  alt_count: number;
  vaf: number | null;
  /** Wilson 95% interval of the VAF. */
  vaf_low: number | null;
  vaf_high: number | null;
  /** Per-site detection p-value over the background (from the calling stage). */
  p_value: number | null;
  /** Limit of detection at this depth (smallest VAF detected with 95% power). */
  lod: number | null;
  call: SiteCall;
  event: SiteEvent;
  /** p-value of the two-count test behind the event (increase or decrease), null for baseline. */
  change_p_value: number | null;
  /** VAF / previous VAF; null when the previous VAF is 0 or either is undefined. */
  fold_change: number | null;
  /**
   * Against the nadir of the earlier informative draws (lowest VAF, earliest on ties): the fold
   * (null when the nadir VAF is 0) and the two-count test's p for an increase. null for the first
   * draw, a low_depth draw, or when no earlier draw is informative.
   */
  from_nadir?: { sample: string; fold: number | null; p_value: number } | null;
  mean_frag_len_alt: number | null;
  mean_frag_len_ref: number | null;
  families: number;
}

export interface DrawRef {
  sample: string;
  collection_date: string;
}

/** A tracked site and its series, in draw order. */
export interface TimelineSite {
  /** `chrom:pos:ref>alt`. */
  key: string;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  gene: string;
  protein: string;
  id: string;
  /** Background alt rate the calling stage used for this site (absent in older timelines). */
  background_rate?: number | null;
  /** Germline or clonal haematopoiesis: from the panel of normals or the matched normal. Never counts for classification. */
  germline_or_ch: boolean;
  /** Why `germline_or_ch` is set ('' when not). */
  germline_or_ch_reason: string;
  /**
   * The site is in the patient's tumour-informed VCF (the samplesheet's `vcf` column: variants
   * called in the tissue biopsy), not only in the --sites panel. Absent in timelines written
   * before this field existed (read as false).
   */
  tumour_informed?: boolean;
  /**
   * Detected at the baseline (first) draw, not germline/CH, and baseline VAF ≥ clonal_min_relative_vaf
   * × the highest baseline VAF of such sites: pooled for the tumour fraction. When any
   * tumour-informed site qualifies, only tumour-informed sites are candidates (see markClonal).
   */
  clonal: boolean;
  first_detection: DrawRef | null;
  /** Lowest VAF among informative draws (the earliest on ties). */
  nadir: (DrawRef & { vaf: number }) | null;
  points: TimelinePoint[];
}

/** Pooled clonal-site counts of one draw: the tumour-fraction series. */
export interface TumourFractionPoint {
  sample: string;
  collection_date: string;
  /** Clonal sites with call ≠ low_depth in this draw. */
  sites_informative: number;
  sites_detected: number;
  alt_count: number;
  depth: number;
  /** Pooled VAF = Σ alt / Σ depth over informative clonal sites (descriptive; moves with the site mix). */
  pooled_vaf: number | null;
  /**
   * Tumour fraction by the one definition (stats/tumour-fraction.ts): 2 × the shared allele
   * fraction of the informative clonal sites, capped at 1, with its quasi-likelihood 95% interval.
   */
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** Pearson dispersion across the sites that widened the interval (1 = binomial). */
  site_dispersion: number | null;
  call: SiteCall;
  event: SiteEvent;
  change_p_value: number | null;
  fold_change: number | null;
}

export interface TumourFractionSeries {
  method: string;
  /** Keys of the clonal sites pooled. */
  clonal_sites: string[];
  points: TumourFractionPoint[];
}

export interface TimelineDraw {
  sample: string;
  collection_date: string;
  timepoint: string | null;
  therapy: string | null;
  /** BAM path as written in the samplesheet (relative to it when relative). */
  bam: string;
  reads_seen: number | null;
  reads_passing: number | null;
  /**
   * The calling stage's integrated per-sample test (`summarizeSample`, GLRT over loci as
   * INVAR does) over this patient's clonal sites; its `tumour_fraction` is the one definition
   * (2 × the shared allele fraction), the same number as the tumour-fraction series. null when the
   * patient has no clonal site.
   */
  sample_test?: SampleSummary | null;
}

/** DIR/patients/<patient>.json */
export interface PatientTimeline {
  schema: typeof TIMELINE_SCHEMA;
  schema_version: typeof TIMELINE_SCHEMA_VERSION;
  patient: string;
  tool_version: string;
  count_settings: CountSettings;
  event_settings: EventSettings;
  /** How the per-site calls were made (background model, α, min depth). */
  call_settings: Record<string, string | number | boolean>;
  draws: TimelineDraw[];
  sites: TimelineSite[];
  tumour_fraction: TumourFractionSeries;
}

/** The per-site input of the timeline builder: one called count row (a subset of stats' CalledRow). */
export interface CalledSiteInput {
  site: { chrom: string; pos1: number; ref: string; alt: string; gene: string; protein: string; id: string };
  depth: number;
  altCount: number;
  vafLow: number;
  vafHigh: number;
  pValue: number;
  lod: number;
  call: SiteCall;
  germlineOrChip: boolean;
  /** Background alt rate of the site (CalledRow.backgroundRate); absent = unknown. */
  backgroundRate?: number;
  meanFragLenAlt: number;
  meanFragLenRef: number;
  families: number;
}

/** One draw ready for the timeline: the samplesheet row and its called rows (in site order). */
export interface CalledDraw {
  sample: string;
  collectionDate: string;
  collectionDay: number;
  timepoint?: string;
  therapy?: string;
  bam: string;
  readsSeen?: number;
  readsPassing?: number;
  rows: CalledSiteInput[];
  /** Site keys seen with alt in the matched normal (germline or CH), if a normal was counted. */
  normalFlagged?: ReadonlySet<string>;
  /** Site keys from the patient's tumour-informed VCF (the same set on every draw of a patient). */
  tumourInformed?: ReadonlySet<string>;
}
