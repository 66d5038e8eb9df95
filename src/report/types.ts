/**
 * The report's data model (schema `oligotrack.report`, version 3). The HTML is a pure function of
 * this JSON alone (src/report/html/*), and the JSON is written beside each HTML file, so what a
 * tumour board reads can be re-checked, diffed and re-rendered without the BAMs.
 *
 * Coordinates: `pos` is 1-based (VCF POS). Dates are ISO `YYYY-MM-DD` strings. Numbers that can
 * be undefined are `null` (JSON has no NaN).
 *
 * Extending the report: fields that track or classify may start to carry are declared in
 * src/report/upstream.ts (what is read) and here (what is shown), always optional, so a report
 * built from older JSON still renders. Each optional field below already has its place on the page.
 *
 * Version 3 (from version 2): each draw carries its sample-identity status (`identity`), and the
 * per-site events are those over the draws classify keeps: the draw after an identity-discordant
 * draw is compared with the patient's previous draw, and the discordant draw's own points have no
 * event. What stands for the patient's state is read at the draws classify keeps: `first_detected`
 * (site and finding) is the first kept draw that detected the site; the findings are read at the last
 * kept draw (`last_date`), with the discordant draws after it in `left_out_latest_draws`; the cohort
 * row's `last_draw` and `last_tumour_fraction` are the last kept draw's (`last_draw_left_out` names a
 * later discordant draw) and `draws_below_lod` counts kept draws only (`draws_left_out` the others).
 */

import type { SampleIdentityStatus } from '../identity/types.js';

export const REPORT_SCHEMA = 'oligotrack.report';
export const REPORT_SCHEMA_VERSION = 3;

export type GroupId =
  'true_oligoprogression' | 'widespread_progression' | 'oligoprogression_targetable' | 'indeterminate' | 'no_progression';

/** Dates, version and policy printed on every page (screen header and every printed page). */
export interface ReportMeta {
  /** `--report-date`, else the data cut-off of the whole report; never the clock. */
  report_date: string;
  report_date_source: 'option' | 'data_cutoff';
  /** Latest draw or imaging assessment of this page's data ('' when there is none). */
  data_cutoff: string;
  tool_version: string;
  policy_name: string;
  /** sha256 (hex) of the policy: of its file when classify recorded that, else of its rules as recorded. */
  policy_sha256: string;
  policy_sha256_of: 'policy file' | 'rules as recorded';
}

/** One draw's measurement at one site. */
export interface SitePoint {
  sample: string;
  collection_date: string;
  depth: number;
  alt_count: number;
  vaf: number | null;
  vaf_low: number | null;
  vaf_high: number | null;
  p_value: number | null;
  lod: number | null;
  /** detected | not_detected | low_depth, or '' when not called. */
  call: string;
  /**
   * emerged | rising | falling | cleared | stable | not_assessable, against the previous draw whose
   * identity check is not discordant; '' for the first such draw and for a discordant draw.
   */
  event: string;
  mean_frag_len_alt: number | null;
  mean_frag_len_ref: number | null;
  families: number;
}

/** A flag on a site in words: CH, germline, or anything a later policy adds. */
export interface SiteFlag {
  /** e.g. `possible_ch`, `ch`, `germline`, `germline_or_ch`. */
  kind: string;
  /** What the reader is told, e.g. "possible clonal haematopoiesis: white-cell sequencing recommended". */
  text: string;
}

/** A tracked site and its series, in draw order. */
export interface SiteSeries {
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  gene: string;
  protein: string;
  /** What the reference tables say about the site: resistance | actionable | clonal_marker | ''. */
  role: string;
  /** True when the PoN or the clinic flagged germline / clonal haematopoiesis. */
  germline_or_ch: boolean;
  /** Flags in words (from the timeline's germline/CH reason and any per-site flag classify adds). */
  flags?: SiteFlag[];
  /** Date of the first draw that detected the site, or null; never an identity-discordant draw. */
  first_detected?: string | null;
  points: SitePoint[];
}

/**
 * A draw's sample-identity check (genotypes at the identity SNPs against the patient's other
 * samples): `discordant` is possibly another person's tube, left out of the classification;
 * `not_checked` when no identity SNP was counted, never a pass.
 */
export type DrawIdentity = SampleIdentityStatus | 'not_checked';

/** One plasma draw with its per-sample summary. */
export interface DrawSummary {
  sample: string;
  collection_date: string;
  timepoint: string;
  bam: string;
  /** Tumour fraction estimate with interval, or null when not estimable. */
  tumour_fraction: { estimate: number; low: number | null; high: number | null } | null;
  detected: boolean | null;
  median_depth: number;
  min_depth: number;
  families: number;
  sites_below_lod: number;
  sites_total: number;
  identity: DrawIdentity;
}

export interface ImagingAssessment {
  assessment_date: string;
  progressing_lesions: number;
  new_lesions: number;
  sites: string[];
  visceral: boolean;
  cns: boolean;
}

/** One rule of the classification policy as evaluated at one assessment. */
export interface RuleResult {
  id: string;
  description: string;
  /** The rule's inputs as `name=value` pairs (numbers rounded, sample IDs followed by their dates). */
  inputs: string;
  value: string;
  threshold: string;
  pass: boolean | null;
  source: string;
}

/** The tumour fraction's change as classify judged it at one assessment. */
export interface TumourFractionChange {
  fold: number | null;
  /** Interval of the fold, when a longitudinal model gives one. */
  low?: number | null;
  high?: number | null;
  p_value?: number | null;
  /** Power to see the policy's fold, when the model gives it. */
  power?: number | null;
  /** progression | ruled_out | undecided, when the model says so. */
  verdict?: string | null;
  nadir_date: string | null;
  /** The draw compared with the nadir. */
  compared_date: string | null;
  /** The compared draw is the highest of the window, not the latest draw. */
  compared_is_peak: boolean;
  latest_date: string | null;
  method?: string;
}

/** A targetable finding named by classify at one assessment. */
export interface TargetableFinding {
  gene: string;
  /** One-letter HGVS protein change, `p.D538G`. */
  protein: string;
  /** detected | emerged | rising (as classify labelled it). */
  event: string;
  /** The draw of the event. */
  date: string;
  /** Set when the site counted by its rise from the nadir of that date. */
  from_nadir_date?: string;
}

export interface Assessment {
  assessment_date: string;
  group: GroupId | string;
  progressing_lesions: number | null;
  molecular_progression: boolean | null;
  targetable: TargetableFinding[];
  /** The same findings as text, for tables and older readers. */
  targetable_mutations: string[];
  /** What the group does not hide (short response, visceral, bone-only …), each with its source. */
  modifiers: { id: string; text: string; source: string }[];
  /** classify's rationale, with every sample ID followed by its date. */
  rationale: string;
  /** Why the group is indeterminate (sample IDs followed by their dates), or null. */
  indeterminate_reason: string | null;
  /** The tumour fraction's change behind rule 3, or null when it was not evaluated. */
  tumour_fraction_change: TumourFractionChange | null;
  /** The window draw nearest the scan and its distance in days (scan − draw; negative: after the scan). */
  draw_to_scan: { date: string; days: number } | null;
  /** The latest draw on or before the scan when no draw was in the window. */
  last_draw_before: string | null;
  /** A ctDNA label such as "ctDNA return", when classify gives one. */
  ctdna_label?: string | null;
  /** Most progressing lesions still called oligoprogression (from rule 2), or null. */
  max_oligo_lesions: number | null;
  rules: RuleResult[];
}

/** One matched therapy of the actionability table, evidence in words. */
export interface MatchedTherapy {
  drugs: string;
  /** The findings (labels) it applies to. */
  applies_to: string[];
  regulatory_status: string;
  /** The table's level, e.g. `1 (unconfirmed)`, and what it means. */
  oncokb_level: string;
  oncokb_words: string;
  escat_tier: string;
  escat_words: string;
  /** False when the table says a level was not checked against the live source. */
  levels_confirmed: boolean;
  as_of: string;
  trial: string;
  reference: string;
  row_id: string;
  /** The table row is for germline variants (BRCA1/2, PALB2). */
  germline_row: boolean;
}

/** The matched therapies of one gene: each drug once, however many variants of the gene were found. */
export interface GeneTherapies {
  gene: string;
  findings: string[];
  therapies: MatchedTherapy[];
}

/** One row of "Findings at the last draw". */
export interface Finding {
  /** `chrom:pos:ref>alt`. */
  key: string;
  gene: string;
  /** One-letter HGVS protein change `p.D538G`, or '' (then `label` carries the DNA change). */
  protein: string;
  /** `ESR1 p.D538G`: the one notation used on every page. */
  label: string;
  /** The draw the finding is read at: the last draw whose identity check is not discordant. */
  last_date: string;
  call: string;
  vaf: number | null;
  vaf_low: number | null;
  vaf_high: number | null;
  lod: number | null;
  /** Event at the last draw (emerged, rising, stable …) or '' for a single draw. */
  trend: string;
  /** The latest emerged/rising event before the last draw, if any: `{event, date}`. */
  earlier_event: { event: string; date: string } | null;
  first_detected: string | null;
  flags: SiteFlag[];
  /** This finding decided the group at the latest assessment. */
  drove_group: boolean;
  /** Listed by the actionability table (has matched therapies under its gene). */
  actionable: boolean;
  role: string;
}

export interface NoteWithSource {
  title: string;
  text: string;
  source: string;
}

export interface ClinicalSummary {
  subtype: string;
  therapy: string;
  therapy_class: string;
  therapy_start: string;
  /** Earlier therapy lines, when the clinical data carry them (drawn on the chart). */
  earlier_lines?: { therapy: string; therapy_class: string; start: string }[];
}

export interface Methods {
  tool_version: string;
  count_settings: Record<string, string | number | boolean>;
  counting_semantics: string;
  statistics: string;
  policy: Record<string, string | number | boolean>;
  reference_versions: { name: string; version: string }[];
}

export interface PatientReport {
  schema: typeof REPORT_SCHEMA;
  schema_version: typeof REPORT_SCHEMA_VERSION;
  kind: 'patient';
  patient: string;
  meta: ReportMeta;
  clinical: ClinicalSummary | null;
  draws: DrawSummary[];
  sites: SiteSeries[];
  imaging: ImagingAssessment[];
  /** In date order; the last one is the page's headline. */
  assessments: Assessment[];
  /**
   * Findings at the last draw classify keeps (each finding's `last_date`): what decided the group
   * first, then actionable, then by VAF.
   */
  findings: Finding[];
  /**
   * The latest draws, in draw order, when their identity check is discordant: possibly another
   * person's tube, so the findings are read at the last draw before them. Absent when the latest draw
   * is the patient's.
   */
  left_out_latest_draws?: { sample: string; collection_date: string }[];
  /** Detected sites not listed in `findings` (shown in the evidence table only). */
  findings_more: number;
  /** Matched therapies grouped by gene, in the order of `findings`. */
  therapies: GeneTherapies[];
  toxicity_notes: NoteWithSource[];
  methods: Methods;
  disclaimer: string;
}

/** One row of the cohort index. */
export interface CohortRow {
  patient: string;
  /** Relative link to the patient's HTML page. */
  href: string;
  last_assessment: string;
  group: string;
  /** What decided the group, in words (the finding in `ESR1 p.D538G` notation when one did). */
  decided_by: string;
  /** Of `last_draw`. */
  last_tumour_fraction: number | null;
  /** The last draw whose identity check is not discordant ('' when there is none). */
  last_draw: string;
  /** The patient's latest draw when its identity check is discordant (it is then not `last_draw`). */
  last_draw_left_out?: string;
  /** Every draw on the patient's page, a discordant one included (its tube was sequenced). */
  draws: number;
  /** Draws whose identity check is discordant, left out of the classification; absent when none. */
  draws_left_out?: number;
  /** Over every draw: sequencing depth does not depend on whose tube it was. */
  median_depth: number | null;
  /** Kept draws (identity not discordant) in which every tracked site was below its limit of detection. */
  draws_below_lod: number;
}

export interface CohortSummary {
  patients: number;
  /** Group → patients, in the groups' display order. */
  groups: { group: string; patients: number }[];
  draws: number;
  draws_per_patient: { median: number; min: number; max: number } | null;
  /** Median over all draws of each draw's median depth across tracked sites. */
  median_depth: number | null;
  /** Kept draws with every site below its limit of detection, of `draws` − `draws_left_out`. */
  draws_below_lod: number;
  /** Draws whose identity check is discordant, over all patients; absent when none. */
  draws_left_out?: number;
}

export interface CohortReport {
  schema: typeof REPORT_SCHEMA;
  schema_version: typeof REPORT_SCHEMA_VERSION;
  kind: 'cohort';
  meta: ReportMeta;
  summary: CohortSummary;
  patients: CohortRow[];
  disclaimer: string;
}

export const DISCLAIMER =
  'Research decision support for a multidisciplinary tumour board. Not a diagnostic test and not a ' +
  'treatment recommendation: every group is a proposal made by a configurable policy from the ' +
  'evidence shown on this page, to be weighed by the treating team with the full clinical picture.';
