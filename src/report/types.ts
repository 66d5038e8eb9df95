/**
 * The report's data model (schema `oligotrack.report`, version 1). The HTML is a pure function of
 * this JSON alone (src/report/html/*), and the JSON is written beside each HTML file, so what a
 * tumour board reads can be re-checked, diffed and re-rendered without the BAMs.
 *
 * Coordinates: `pos` is 1-based (VCF POS). Dates are ISO `YYYY-MM-DD` strings. Numbers that can
 * be undefined are `null` (JSON has no NaN).
 */

export const REPORT_SCHEMA = 'oligotrack.report';
export const REPORT_SCHEMA_VERSION = 1;

export type GroupId =
  | 'true_oligoprogression'
  | 'widespread_progression'
  | 'oligoprogression_targetable'
  | 'indeterminate'
  | 'no_progression';

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
  /** detected | not_detected | low_depth (helper E's call vocabulary) or '' when not called. */
  call: string;
  /** emerged | rising | falling | cleared | stable | '' (first draw). */
  event: string;
  mean_frag_len_alt: number | null;
  mean_frag_len_ref: number | null;
  families: number;
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
  points: SitePoint[];
}

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
  /** The rule's inputs as `name=value` pairs, for the record. */
  inputs: string;
  value: string;
  threshold: string;
  pass: boolean | null;
  source: string;
}

export interface Assessment {
  assessment_date: string;
  group: GroupId | string;
  progressing_lesions: number | null;
  molecular_progression: boolean | null;
  targetable_mutations: string[];
  modifiers: string[];
  rationale: string;
  rules: RuleResult[];
}

export interface ActionableFinding {
  gene: string;
  protein: string;
  /** Whether the finding is seen in this patient's plasma (last draw detected or emerged). */
  status: string;
  drugs: string[];
  evidence_level: string;
  as_of: string;
  source: string;
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
  clinical: ClinicalSummary | null;
  draws: DrawSummary[];
  sites: SiteSeries[];
  imaging: ImagingAssessment[];
  assessments: Assessment[];
  actionable: ActionableFinding[];
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
  key_mutation: string;
  last_tumour_fraction: number | null;
  last_draw: string;
  draws: number;
}

export interface CohortReport {
  schema: typeof REPORT_SCHEMA;
  schema_version: typeof REPORT_SCHEMA_VERSION;
  kind: 'cohort';
  tool_version: string;
  patients: CohortRow[];
  disclaimer: string;
}

export const DISCLAIMER =
  'Research decision support for a multidisciplinary tumour board. Not a diagnostic test and not a ' +
  'treatment recommendation: every group is a proposal made by a configurable policy from the ' +
  'evidence shown on this page, to be weighed by the treating team with the full clinical picture.';
