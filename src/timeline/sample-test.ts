import { siteKeyOf } from '../count/site-key.js';
import { summarizeSample } from '../stats/sample-test.js';
import type { CalledRow, SummaryOptions } from '../stats/types.js';
import type { PatientTimeline } from './types.js';

/**
 * Fills `draws[i].sample_test` with the calling stage's integrated test over the patient's clonal
 * sites (the tumour-informed set fixed at baseline, so every draw is tested on the same loci).
 * `rowsByDraw[i]` are draw i's called rows (any order). Returns the timeline, changed in place.
 */
export function attachSampleTests(
  timeline: PatientTimeline,
  rowsByDraw: readonly CalledRow[][],
  opts: Omit<SummaryOptions, 'sample'>,
): PatientTimeline {
  const clonal = new Set(timeline.tumour_fraction.clonal_sites);
  if (clonal.size === 0) return timeline;
  timeline.draws.forEach((d, i) => {
    const rows = rowsByDraw[i].filter((r) => clonal.has(siteKeyOf(r.site)));
    d.sample_test = summarizeSample(rows, { ...opts, sample: d.sample });
  });
  return timeline;
}
