import { CLASSIFICATION_SCHEMA, CLASSIFICATION_SCHEMA_VERSION } from '../classify/types.js';
import { UserError } from '../util/errors.js';
import type { CohortStore } from '../store/store.js';

/**
 * classification.json rebuilt from the store (what `classify --store` recorded): the newest version
 * of each assessment of `patients`, in patient then assessment-date order, with the key order and
 * number formatting classify writes. One document names one policy, so assessments recorded under
 * different policies or tool versions are refused (re-run classify for the cohort) rather than
 * mixed silently.
 */
export function classificationDocumentFromStore(store: CohortStore, patients: readonly string[]): string {
  const rows = store.listClassifications(patients);
  if (rows.length === 0)
    throw new UserError(`${store.path}: no classification recorded for patient(s) ${patients.join(', ')} (run classify --store first)`);
  const first = rows[0];
  const other = rows.find(
    (r) => r.policyFile !== first.policyFile || r.policyName !== first.policyName || r.toolVersion !== first.toolVersion,
  );
  if (other) {
    throw new UserError(
      `${store.path}: patient ${other.patient} ${other.assessmentDate} was classified with policy ${other.policyName} (${other.policyFile}, oligotrack ${other.toolVersion}) ` +
        `but ${first.patient} ${first.assessmentDate} with ${first.policyName} (${first.policyFile}, oligotrack ${first.toolVersion}): re-run classify --store for the cohort`,
    );
  }
  // A patient without recorded assessments gets none here, as in classify's own output when the
  // imaging CSV has no row for them.
  const doc = {
    schema: CLASSIFICATION_SCHEMA,
    schema_version: CLASSIFICATION_SCHEMA_VERSION,
    tool_version: first.toolVersion,
    policy_file: first.policyFile,
    policy_name: first.policyName,
    assessments: rows.map((r) => r.assessment),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
