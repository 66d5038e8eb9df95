/**
 * A lab cohort's series for the between-draw prior (resolveBetweenDrawPrior): each patient's draws
 * and sites as the classification of that patient would use them — the draws whose identity check
 * passed (withoutDraws), and the clonal set of tumour-origin sites (siteEvidence: no clonal
 * haematopoiesis, germline-like or acquired-resistance site) — split at the therapy lines of
 * clinical.csv. A prior estimated from other sites or from another person's tube would describe
 * variation the patient's own model never sees. Pure.
 */
import type { ClinicalRow } from '../io/clinical.js';
import type { CohortSeries } from '../timeline/longitudinal/prior.js';
import type { PatientTimeline } from '../timeline/types.js';
import { identityOutcome, withoutDraws } from './identity-check.js';
import type { Policy } from './policy.js';
import { seriesOf } from './rule-molecular.js';
import { siteEvidence } from './site-evidence.js';
import type { ClassifyKnowledge } from './types.js';

export function cohortSeriesFromTimelines(
  timelines: readonly PatientTimeline[],
  lines: ReadonlyMap<string, ClinicalRow[]>,
  policy: Policy,
  knowledge: ClassifyKnowledge,
): CohortSeries[] {
  return timelines.map((original) => {
    const t = withoutDraws(original, identityOutcome(original).excluded_draws);
    const all = t.draws.map((_, i) => i);
    const { clonal } = siteEvidence(t, all, all, knowledge, policy.rules);
    const series = seriesOf(
      t,
      all,
      t.sites.filter((s) => clonal.keys.includes(s.key)),
    );
    return {
      patient: t.patient,
      draws: series.draws,
      sites: series.sites,
      lineStarts: (lines.get(t.patient) ?? []).map((l) => l.therapyStartDay),
    };
  });
}
