/**
 * The classification data model: what `oligotrack classify` writes (classification.tsv and, with
 * --json, schema `oligotrack.classification` version 2) and what `report` reads.
 *
 * Version 2 (policy version 2): targetable mutations gain event `detected`, `history`, `q_value`
 * and `lod`; each assessment carries its targetable findings (also those shown, not counted), the
 * origin of every site (tumour, clonal haematopoiesis, germline), the clonal set, the sample
 * identity, the caveats, and the fields the report reads (decision 0201): `tumour_fraction_change`,
 * `draw_to_scan`, `ctdna_label`, `site_flags`; the document may record `policy_sha256` (classify
 * leaves it out while the cohort store cannot keep it: output.ts). Rules have
 * new ids (assessment_window, sample_identity, site_origin, clonal_set, ctdna_return,
 * rule4_targetable replaces rule4_targetable_emergence).
 */
import type { ClinicalRow } from '../io/clinical.js';
import type { ImagingRow } from '../io/imaging.js';
import type { AgentHit } from '../reference/drug-classes.js';
import type { BetweenDrawPrior, MolecularChange } from '../timeline/longitudinal/types.js';
import type { PatientTimeline } from '../timeline/types.js';
import type { SiteOriginResult } from './site-origin.js';
import type { FindingHistory, TargetableFinding } from './finding.js';

export const CLASSIFICATION_SCHEMA = 'oligotrack.classification';
export const CLASSIFICATION_SCHEMA_VERSION = 2;

export type GroupId =
  'no_progression' | 'true_oligoprogression' | 'widespread_progression' | 'oligoprogression_targetable' | 'indeterminate';

/** One rule as evaluated at one assessment: its inputs, the value compared, the threshold, the outcome. */
export interface RuleEvaluation {
  /** In order (records.ts): rule1_no_progression, rule2_radiological_oligoprogression, assessment_window, sample_identity, site_origin, clonal_set, rule3_molecular_progression, ctdna_return, rule4_targetable, rule5_group, rule6_indeterminate. */
  id: string;
  description: string;
  inputs: Record<string, string | number | boolean | null>;
  value: string;
  threshold: string;
  /** null when the rule could not be evaluated (the reason is in `value`) or does not apply. */
  pass: boolean | null;
  source: string;
}

/**
 * A targetable alteration detected in the window that makes the group (it qualifies: see
 * targetable-findings.ts). `event`: newly emerged, rising (the longitudinal model's per-site trend),
 * or detected (present since the first draw, known since baseline, emerged earlier on the line).
 */
export interface TargetableMutation {
  gene: string;
  protein: string;
  key: string;
  event: 'emerged' | 'rising' | 'detected';
  history: FindingHistory;
  /** Benjamini–Hochberg q of the detection across the patient's targetable sites. */
  q_value: number;
  /** Limit of detection of the draw it was detected in. */
  lod: number | null;
  sample: string;
  collection_date: string;
  vaf: number | null;
  change_p_value: number | null;
  /** From the actionability table: matched therapies and the source of the row. */
  therapies: string[];
  source: string;
}

export interface Modifier {
  /** short_response | triple_negative | visceral | cns | bone_only | toxicity_note | time_to_next_therapy */
  id: string;
  text: string;
  source: string;
}

/** A flag classify attaches to a site at one assessment (decision 0201: the report's flags column). */
export interface SiteFlag {
  key: string;
  /** possible_ch | ch | germline | germline_like | panel_of_normals */
  kind: string;
  text: string;
}

/** The tumour fraction's change as the report reads it (decision 0201). */
export interface TumourFractionChange {
  fold: number | null;
  low: number | null;
  high: number | null;
  p_value: number | null;
  power: number | null;
  /** progression | ruled_out | undecided | not_evaluable */
  verdict: string;
  nadir_sample: string | null;
  compared_sample: string | null;
  method: string;
}

export interface AssessmentIdentity {
  /** pass | discordant | insufficient | not_checked (PatientIdentity.status; not_checked also when track did not check). */
  status: string;
  reason: string;
  /** Discordant draws left out of this assessment's evidence. */
  excluded_draws: string[];
}

export interface AssessmentClassification {
  patient: string;
  assessment_date: string;
  group: GroupId;
  progressing_lesions: number;
  /** Rule 3 outcome; null when it could not be evaluated. */
  molecular_progression: boolean | null;
  /**
   * The longitudinal model behind rule 3 (docs/methods/statistics.md): status, fold with interval
   * and bound, p and Holm p, nadir phase, between-draw variation, power, caveats and one sentence.
   * Absent in documents written before the model existed.
   */
  molecular_change?: MolecularChange | null;
  /** Qualifying targetable findings (they make oligoprogression_targetable when diffuse progression is not shown). */
  targetable_mutations: TargetableMutation[];
  modifiers: Modifier[];
  rationale: string;
  /** Set when group is indeterminate. */
  indeterminate_reason: string | null;
  /** Samples (draws on or before the assessment date) the rules looked at; later draws are never used. */
  draws_used: string[];
  /** Samples in the assessment window (policy assessment_window, never across a change of therapy). */
  draws_in_window: string[];
  rules: RuleEvaluation[];
  /** Every actionable alteration the window shows, qualifying or shown only, with its history and why. */
  targetable_findings?: TargetableFinding[];
  /** Where each site's signal comes from (tumour, clonal haematopoiesis, germline), with the reason. */
  site_origins?: SiteOriginResult[];
  /** Keys of the clonal set the tumour fraction was modelled on. */
  clonal_sites?: string[];
  identity?: AssessmentIdentity;
  /** What limits this assessment (identity not checked, one clonal site, excluded draws, …). */
  caveats?: string[];
  tumour_fraction_change?: TumourFractionChange | null;
  /** The window draw nearest the scan; days = scan − draw (negative: after the scan). */
  draw_to_scan?: { sample: string; days: number } | null;
  /** e.g. "ctDNA return"; null when nothing to label. */
  ctdna_label?: string | null;
  site_flags?: SiteFlag[];
}

export interface ClassificationDocument {
  schema: typeof CLASSIFICATION_SCHEMA;
  schema_version: typeof CLASSIFICATION_SCHEMA_VERSION;
  tool_version: string;
  policy_file: string;
  /** Hex SHA-256 of the policy file's bytes; absent from classify's documents while the cohort store records the file name only (the report then hashes the rules as recorded). */
  policy_sha256?: string;
  policy_name: string;
  assessments: AssessmentClassification[];
}

/** What the reference knowledge needs of a site to match it. */
export interface KnowledgeSite {
  gene: string;
  protein: string;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
}

/** A targetable site's matched therapies and the reference rows that say so. */
export interface ActionabilityMatch {
  therapies: string[];
  source: string;
}

/** What classify needs from reference/ (src/classify/knowledge.ts). */
export interface ClassifyKnowledge {
  /** The actionability match for a site, or null when the site is not targetable. */
  targetable(site: KnowledgeSite): ActionabilityMatch | null;
  /** The agents named in a therapy string (reference/evidence/therapy-drug-classes.tsv). */
  agents(therapy: string): { agents: AgentHit[]; unknown: string[] };
  /** Drug classes the alteration makes ineffective (e.g. ESR1 D538G → aromatase_inhibitor). */
  resists(gene: string, protein: string): string[];
  /** reference/evidence/ch-prone-genes.tsv */
  chProneGenes: ReadonlySet<string>;
  /** An acquired-resistance site (reference/evidence/resistance-to-therapy.tsv): followed on its own, never in the clonal set. */
  resistanceSite(site: { gene: string; protein: string }): boolean;
  /** Concurrent-radiotherapy toxicity note for a therapy class, or null. */
  toxicityNote(therapyClass: string): { text: string; source: string } | null;
  /** Expected time to next systemic therapy (months) for a lesion count (Nicosia et al.), or null. */
  timeToNextTherapy(progressingLesions: number): { months: number; text: string; source: string } | null;
}

export interface ClassifyInput {
  timeline: PatientTimeline;
  imaging: ImagingRow;
  /** The therapy line current at the assessment (latest therapy_start on or before it), or null. */
  clinical: ClinicalRow | null;
  /**
   * Every line of therapy of the patient (clinical.csv, one row per line): windows and baselines
   * stay inside the current line, earlier lines are shown. Absent or empty: the clinical row's
   * current line bounds them, else the samplesheet's therapy column.
   */
  therapyHistory?: readonly ClinicalRow[];
  /** A cohort estimate of the between-draw prior (timeline/longitudinal/prior.ts); absent: the policy default. */
  betweenDrawPrior?: BetweenDrawPrior;
}
