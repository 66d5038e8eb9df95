import { safeFileStem } from './html/escape.js';
import { NOT_ASSESSED } from './html/groups.js';
import { siteLabel } from './svg/vaf-chart.js';
import { DISCLAIMER, REPORT_SCHEMA, REPORT_SCHEMA_VERSION, type CohortReport, type CohortRow, type PatientReport } from './types.js';

/**
 * The key mutation shown in the cohort table: the targetable mutations named at the latest
 * assessment; else the detected site with the highest VAF at the last draw; else ''.
 */
export function keyMutation(r: PatientReport): string {
  const latest = r.assessments[r.assessments.length - 1];
  if (latest && latest.targetable_mutations.length) return latest.targetable_mutations.join(', ');
  let best: { label: string; vaf: number } | null = null;
  for (const s of r.sites) {
    const last = s.points[s.points.length - 1];
    if (!last || last.call !== 'detected' || last.vaf === null) continue;
    if (!best || last.vaf > best.vaf) best = { label: siteLabel(s), vaf: last.vaf };
  }
  return best?.label ?? '';
}

export function cohortRow(r: PatientReport): CohortRow {
  const latest = r.assessments[r.assessments.length - 1];
  const lastDraw = r.draws[r.draws.length - 1];
  return {
    patient: r.patient,
    href: `${safeFileStem(r.patient)}.html`,
    last_assessment: latest?.assessment_date ?? '',
    group: latest?.group ?? NOT_ASSESSED,
    key_mutation: keyMutation(r),
    last_tumour_fraction: lastDraw?.tumour_fraction?.estimate ?? null,
    last_draw: lastDraw?.collection_date ?? '',
    draws: r.draws.length,
  };
}

/** Patients in ID order (byte order, so the index does not depend on the machine's locale). */
export function buildCohort(patients: PatientReport[], toolVersion: string): CohortReport {
  const sorted = [...patients].sort((a, b) => (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0));
  return {
    schema: REPORT_SCHEMA,
    schema_version: REPORT_SCHEMA_VERSION,
    kind: 'cohort',
    tool_version: toolVersion,
    patients: sorted.map(cohortRow),
    disclaimer: DISCLAIMER,
  };
}
