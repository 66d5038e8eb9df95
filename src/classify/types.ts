/**
 * The classification data model: what `oligotrack classify` writes (classification.tsv and, with
 * --json, schema `oligotrack.classification` version 1) and what `report` reads.
 */
import type { ClinicalRow } from '../io/clinical.js';
import type { ImagingRow } from '../io/imaging.js';
import type { BetweenDrawPrior, MolecularChange } from '../timeline/longitudinal/types.js';
import type { PatientTimeline } from '../timeline/types.js';

export const CLASSIFICATION_SCHEMA = 'oligotrack.classification';
export const CLASSIFICATION_SCHEMA_VERSION = 1;

export type GroupId =
  | 'no_progression'
  | 'true_oligoprogression'
  | 'widespread_progression'
  | 'oligoprogression_targetable'
  | 'indeterminate';

/** One rule as evaluated at one assessment: its inputs, the value compared, the threshold, the outcome. */
export interface RuleEvaluation {
  /** rule1_no_progression … rule6_indeterminate (issue 5 numbering). */
  id: string;
  description: string;
  inputs: Record<string, string | number | boolean | null>;
  value: string;
  threshold: string;
  /** null when the rule could not be evaluated (the reason is in `value`) or does not apply. */
  pass: boolean | null;
  source: string;
}

/** A targetable site that emerged or rose in the ctDNA window. */
export interface TargetableMutation {
  gene: string;
  protein: string;
  key: string;
  event: 'emerged' | 'rising';
  /**
   * Set only when the site counted by its rise from nadir (policy include_rise_from_nadir) rather
   * than an emerged/rising event: the nadir draw's collection date. `event` is then 'rising'.
   */
  from_nadir_date?: string;
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
  targetable_mutations: TargetableMutation[];
  modifiers: Modifier[];
  rationale: string;
  /** Set when group is indeterminate. */
  indeterminate_reason: string | null;
  /** Samples (draws on or before the assessment date) the rules looked at; later draws are never used. */
  draws_used: string[];
  /** Samples in the window [assessment − days, assessment]. */
  draws_in_window: string[];
  rules: RuleEvaluation[];
}

export interface ClassificationDocument {
  schema: typeof CLASSIFICATION_SCHEMA;
  schema_version: typeof CLASSIFICATION_SCHEMA_VERSION;
  tool_version: string;
  policy_file: string;
  policy_name: string;
  assessments: AssessmentClassification[];
}

/** What classify needs from reference/ (helper D's loaders, adapted in src/classify/knowledge.ts). */
export interface ClassifyKnowledge {
  /** The actionability row for a site, or null when the site is not targetable. */
  targetable(site: { gene: string; protein: string; chrom: string; pos: number; ref: string; alt: string }): { therapies: string[]; source: string } | null;
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
  /** A cohort estimate of the between-draw prior (timeline/longitudinal/prior.ts); absent: the policy default. */
  betweenDrawPrior?: BetweenDrawPrior;
}
