import { formatTsv, type Column } from '../io/table.js';
import { VERSION } from '../version.js';
import { modifierTag } from './modifiers.js';
import {
  type AssessmentClassification,
  CLASSIFICATION_SCHEMA,
  CLASSIFICATION_SCHEMA_VERSION,
  type ClassificationDocument,
} from './types.js';

/** classification.tsv's contract: every column once, in order, with its type and meaning. */
export const CLASSIFICATION_COLUMNS: readonly Column<AssessmentClassification>[] = [
  { name: 'patient', type: 'text', description: 'Patient, from the imaging CSV.', value: (r) => r.patient },
  { name: 'assessment_date', type: 'text', description: 'Date of the imaging assessment (YYYY-MM-DD).', value: (r) => r.assessment_date },
  {
    name: 'group',
    type: 'text',
    description: 'no_progression, true_oligoprogression, widespread_progression, oligoprogression_targetable or indeterminate.',
    value: (r) => r.group,
  },
  {
    name: 'progressing_lesions',
    type: 'integer',
    description: 'Progressing lesions, from the imaging CSV.',
    value: (r) => r.progressing_lesions,
  },
  {
    name: 'molecular_progression',
    type: 'yes_no_na',
    description: 'Diffuse molecular progression (rule 3): yes, no, or NA when not evaluable.',
    value: (r) => r.molecular_progression,
  },
  {
    name: 'targetable_mutations',
    type: 'list',
    description: "'GENE p.X' of each targetable finding in the window, ';'-separated; '.' when none.",
    value: (r) => r.targetable_mutations.map((t) => `${t.gene} ${t.protein}`.trim()),
  },
  {
    name: 'modifiers',
    type: 'list',
    description: "Modifiers the report shows, ';'-separated; '.' when none.",
    value: (r) => r.modifiers.map(modifierTag),
  },
  { name: 'rationale', type: 'text', description: 'One sentence: the numbers behind the group.', value: (r) => r.rationale },
];

/** classification.tsv: one header line, then one row per assessment. */
export function classificationTsv(rows: readonly AssessmentClassification[]): string {
  return formatTsv(CLASSIFICATION_COLUMNS, rows);
}

/**
 * The classification document. `policy_sha256` is written only when given: `classify` leaves it out
 * while the cohort store cannot record it, so that a report rebuilt from the store (`report
 * --store`) is byte-identical to the one from classification.json (both then hash the rules as
 * recorded, src/report/meta.ts).
 */
export function classificationDocument(
  rows: AssessmentClassification[],
  policyFile: string,
  policyName: string,
  policySha256?: string,
): ClassificationDocument {
  return {
    schema: CLASSIFICATION_SCHEMA,
    schema_version: CLASSIFICATION_SCHEMA_VERSION,
    tool_version: VERSION,
    policy_file: policyFile,
    ...(policySha256 !== undefined ? { policy_sha256: policySha256 } : {}),
    policy_name: policyName,
    assessments: rows,
  };
}

/** JSON numbers: NaN/Infinity become null (JSON.stringify does that already; kept explicit here). */
export function classificationJson(doc: ClassificationDocument): string {
  return `${JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
