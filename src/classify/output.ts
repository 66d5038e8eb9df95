import { VERSION } from '../version.js';
import { modifierTag } from './modifiers.js';
import {
  type AssessmentClassification,
  CLASSIFICATION_SCHEMA,
  CLASSIFICATION_SCHEMA_VERSION,
  CLASSIFICATION_TSV_COLUMNS,
  type ClassificationDocument,
} from './types.js';

/** TSV cells never contain tabs or line breaks. */
const cell = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

/** classification.tsv: lists joined by ';', '.' when empty; molecular_progression yes/no/NA. */
export function classificationTsv(rows: readonly AssessmentClassification[]): string {
  const lines = [CLASSIFICATION_TSV_COLUMNS.join('\t')];
  for (const r of rows) {
    lines.push(
      [
        r.patient,
        r.assessment_date,
        r.group,
        String(r.progressing_lesions),
        r.molecular_progression === null ? 'NA' : r.molecular_progression ? 'yes' : 'no',
        r.targetable_mutations.map((t) => `${t.gene} ${t.protein}`.trim()).join(';') || '.',
        r.modifiers.map(modifierTag).join(';') || '.',
        r.rationale,
      ]
        .map(cell)
        .join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The classification document. `policy_sha256` is written only when given: `classify` leaves it out
 * while the cohort store cannot record it, so that a report rebuilt from the store (`report
 * --store`) is byte-identical to the one from classification.json (both then hash the rules as
 * recorded, src/report/meta.ts).
 */
export function classificationDocument(rows: AssessmentClassification[], policyFile: string, policyName: string, policySha256?: string): ClassificationDocument {
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
