/**
 * The timeline data model: what `oligotrack track` writes to DIR/patients/<patient>.json (schema
 * `oligotrack.timeline`, version 2) and what `classify` and `report` read back. JSON field names
 * are snake_case; numbers that can be undefined are `null` (JSON has no NaN or Infinity).
 * Coordinates: `pos` is 1-based (VCF POS). Dates are ISO `YYYY-MM-DD`.
 *
 * Version 2 (from version 1): per site the matched white-cell counts with the background the
 * white-cell test needs (`white_cells`), the tissue's somatic confirmation (`tissue_somatic`) and
 * facts for the report (`flags`); per patient the sample-identity result (`identity`) and the
 * white-cell BAM (`white_cell_bam`). `germline_or_ch` now comes from the panel of normals only (the
 * matched white cells are tested by classify, per patient, against the background). Identity SNPs
 * are never tracked sites. The clonal sites are chosen at the first draw that detects any candidate
 * (tumour-informed first) and never include a germline-like site.
 */
import type { CountSettings, SiteCall } from '../count/types.js';
import type { PatientIdentity } from '../identity/types.js';
import type { SampleSummary } from '../stats/types.js';

export const TIMELINE_SCHEMA = 'oligotrack.timeline';
export const TIMELINE_SCHEMA_VERSION = 2;

/** Per-site call of one draw (declared once, with the counting contract). */
export type { SiteCall } from '../count/types.js';

/**
 * Change between a draw and the previous draw of the same series (see docs/commands/track.md):
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
   * A site detected at the first draw that detects any candidate is clonal when its VAF there is at
   * least this fraction of the highest (default 0.5): truncal mutations share the top VAF, a
   * subclone (an ESR1 mutation at 0.5% beside TP53 at 4%) sits well below it and must not steer
   * the tumour fraction.
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

/**
 * A site's counts in the patient's matched white cells (buffy coat; samplesheet `normal`) and the
 * background the white-cell test compares them with: the calling stage's rate for the site (panel
 * of normals, its substitution class, or the default), the between-sample ICC of that background
 * and the observations behind the rate (null: a fixed rate, treated as known).
 */
export interface WhiteCellCounts {
  alt_count: number;
  depth: number;
  background_rate: number;
  background_dispersion: number;
  background_observations: number | null;
}

/** A fact about a site in words, for the report's flags column (classify adds its own per assessment). */
export interface SiteFlagRecord {
  /** `white_cells`, `tissue_somatic`, `panel_of_normals`. */
  kind: string;
  text: string;
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
  /**
   * Germline or clonal haematopoiesis in the panel of normals (carried by at least half the normals):
   * never counts for classification. The patient's own white cells are in `white_cells`.
   */
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
   * Confirmed somatic in the tissue against a matched normal: the tumour VCF record has INFO/SOMATIC
   * or the VCF is a tumour–normal call set (`##normal_sample=`). A tumour-only VCF also holds
   * germline variants, so `tumour_informed` alone is not this.
   */
  tissue_somatic?: boolean;
  /** Counts in the matched white cells; null when the patient has no white-cell BAM. */
  white_cells?: WhiteCellCounts | null;
  /** Facts for the report (white-cell counts, tissue confirmation, panel-of-normals flag). */
  flags?: SiteFlagRecord[];
  /**
   * Pooled for the descriptive tumour-fraction series: see markClonal (build.ts). classify chooses
   * its own clonal set per assessment (src/classify/clonal-set.ts).
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
  /** The white-cell BAM as written in the samplesheet (`normal`), or null. */
  white_cell_bam?: string | null;
  /**
   * Sample identity at the identity SNPs (src/identity): absent when track was not asked to check
   * (then classify says "identity: not checked"); status `not_checked` when no identity SNP was
   * counted.
   */
  identity?: PatientIdentity | null;
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
  /** Between-sample ICC of that background (CalledRow.dispersion); absent = 0. */
  dispersion?: number;
  /** Observations behind the background rate (CalledRow.backgroundDepth); absent or Infinity = known. */
  backgroundDepth?: number;
  /** Reference-allele count (identity SNPs need it); absent = depth − alt. */
  refCount?: number;
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
  /** Site keys from the patient's tumour-informed VCF (the same set on every draw of a patient). */
  tumourInformed?: ReadonlySet<string>;
  /** Site keys the tissue confirmed somatic (tumour–normal VCF or INFO/SOMATIC). */
  tissueSomatic?: ReadonlySet<string>;
}

/** The patient's matched white cells: the BAM as written in the samplesheet and its called rows (any order). */
export interface WhiteCellInput {
  bam: string;
  sample: string;
  rows: CalledSiteInput[];
}
