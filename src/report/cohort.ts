import { decidedBy } from './decision.js';
import { median } from './from-timeline.js';
import { safeFileStem } from './html/escape.js';
import { GROUP_LABEL, NOT_ASSESSED } from './html/groups.js';
import { latestDate } from './meta.js';
import { isLeftOut } from './identity.js';
import {
  DISCLAIMER,
  REPORT_SCHEMA,
  REPORT_SCHEMA_VERSION,
  type CohortReport,
  type CohortRow,
  type CohortSummary,
  type PatientReport,
  type ReportMeta,
} from './types.js';

type Draw = PatientReport['draws'][number];

/** A draw in which no tracked site was detected: every site below its limit of detection. */
const allBelowLod = (d: Draw) => d.sites_total > 0 && d.sites_below_lod === d.sites_total;
/** Kept draws in which no tracked site was detected. */
const keptBelowLod = (draws: Draw[]) => draws.filter((d) => !isLeftOut(d) && allBelowLod(d)).length;

/** `draws_left_out` and `last_draw_left_out` when there is something to say (absent otherwise). */
function leftOutFields(draws: Draw[]): Pick<CohortRow, 'draws_left_out' | 'last_draw_left_out'> {
  const n = draws.filter(isLeftOut).length;
  const latest = draws.at(-1);
  return {
    ...(latest && isLeftOut(latest) ? { last_draw_left_out: latest.collection_date } : {}),
    ...(n > 0 ? { draws_left_out: n } : {}),
  };
}

export function cohortRow(r: PatientReport): CohortRow {
  const latest = r.assessments[r.assessments.length - 1];
  // The patient's latest state is read at the last draw classify keeps, as on the patient's page.
  const lastDraw = r.draws.filter((d) => !isLeftOut(d)).at(-1);
  return {
    patient: r.patient,
    href: `${safeFileStem(r.patient)}.html`,
    last_assessment: latest?.assessment_date ?? '',
    group: latest?.group ?? NOT_ASSESSED,
    decided_by: decidedBy(latest),
    last_tumour_fraction: lastDraw?.tumour_fraction?.estimate ?? null,
    last_draw: lastDraw?.collection_date ?? '',
    draws: r.draws.length,
    median_depth: r.draws.length ? median(r.draws.map((d) => d.median_depth)) : null,
    draws_below_lod: keptBelowLod(r.draws),
    ...leftOutFields(r.draws),
  };
}

export function cohortSummary(patients: PatientReport[], rows: CohortRow[]): CohortSummary {
  const counts = new Map<string, number>();
  for (const p of rows) counts.set(p.group, (counts.get(p.group) ?? 0) + 1);
  const order = [
    ...Object.keys(GROUP_LABEL),
    NOT_ASSESSED,
    ...[...counts.keys()].filter((g) => !(g in GROUP_LABEL) && g !== NOT_ASSESSED).sort(),
  ];
  const perPatient = patients.map((p) => p.draws.length);
  const draws = patients.flatMap((p) => p.draws);
  const nLeftOut = draws.filter(isLeftOut).length;
  return {
    patients: patients.length,
    groups: order.filter((g) => counts.has(g)).map((g) => ({ group: g, patients: counts.get(g)! })),
    draws: draws.length,
    draws_per_patient: perPatient.length
      ? { median: median(perPatient), min: Math.min(...perPatient), max: Math.max(...perPatient) }
      : null,
    median_depth: draws.length ? median(draws.map((d) => d.median_depth)) : null,
    draws_below_lod: keptBelowLod(draws),
    ...(nLeftOut > 0 ? { draws_left_out: nLeftOut } : {}),
  };
}

/** Patients in ID order (byte order, so the index does not depend on the machine's locale). */
export function buildCohort(patients: PatientReport[], meta: Omit<ReportMeta, 'data_cutoff'>): CohortReport {
  const sorted = [...patients].sort((a, b) => (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0));
  const rows = sorted.map(cohortRow);
  return {
    schema: REPORT_SCHEMA,
    schema_version: REPORT_SCHEMA_VERSION,
    kind: 'cohort',
    meta: { ...meta, data_cutoff: latestDate(patients.map((p) => p.meta.data_cutoff)) },
    summary: cohortSummary(sorted, rows),
    patients: rows,
    disclaimer: DISCLAIMER,
  };
}
