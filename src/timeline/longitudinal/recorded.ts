/**
 * Nadir phases recorded with earlier classifications (a cohort store's assessments), for the cohort
 * estimate of the between-draw variation (resolve.ts). The caller reads the store and passes the
 * recorded assessment objects; this stage never opens it. Per patient the latest recorded assessment
 * counts, and of its comparisons the one with the longest nadir phase (`nadir_reads`, model.ts);
 * patients of the current run are left out (their timelines are in the cohort already), and so is
 * anything that is not a well-formed record (an assessment from an older version has no
 * `nadir_reads`): a record never fails the run.
 */
import type { CohortPhase } from './prior.js';

export interface RecordedAssessment {
  patient: string;
  /** The assessment object as recorded (classification.json's). */
  assessment: Record<string, unknown>;
}

function phaseOf(comparison: unknown): CohortPhase | null {
  const reads = (comparison as { nadir_reads?: unknown } | null)?.nadir_reads as
    { observed?: unknown; expected?: unknown; signal?: unknown } | null | undefined;
  if (!reads || !Array.isArray(reads.observed) || !Array.isArray(reads.expected)) return null;
  const { observed, expected } = reads as { observed: unknown[]; expected: unknown[] };
  if (observed.length !== expected.length) return null;
  const keep = observed
    .map((_, j) => j)
    .filter((j) => {
      const a = observed[j];
      const e = expected[j];
      return typeof a === 'number' && typeof e === 'number' && Number.isInteger(a) && a >= 0 && Number.isFinite(e) && e > 0;
    });
  if (keep.length < 2) return null;
  const phase: CohortPhase = { observed: keep.map((j) => observed[j] as number), expected: keep.map((j) => expected[j] as number) };
  // S_t, the reads above the background (recorded since the fold counts the background); without it,
  // or if any value is not in (0, E_t], every read counts as signal.
  const signal = Array.isArray(reads.signal) ? (reads.signal as unknown[]) : null;
  if (signal && signal.length === observed.length) {
    const s = keep.map((j) => signal[j]);
    if (s.every((x, k) => typeof x === 'number' && x > 0 && x <= phase.expected[k])) phase.signal = s as number[];
  }
  return phase;
}

/** One phase per patient not in `exclude` (records in patient, then assessment-date order). */
export function recordedPhases(
  records: readonly RecordedAssessment[],
  exclude: ReadonlySet<string>,
): { patient: string; phase: CohortPhase }[] {
  const latest = new Map<string, RecordedAssessment>();
  for (const r of records) if (!exclude.has(r.patient)) latest.set(r.patient, r);
  const out: { patient: string; phase: CohortPhase }[] = [];
  for (const [patient, r] of latest) {
    const change = r.assessment.molecular_change as { comparisons?: unknown } | null | undefined;
    const comparisons = Array.isArray(change?.comparisons) ? change.comparisons : [];
    let best: CohortPhase | null = null;
    for (const c of comparisons) {
      const p = phaseOf(c);
      if (p && (best === null || p.observed.length >= best.observed.length)) best = p;
    }
    if (best) out.push({ patient, phase: best });
  }
  return out;
}
