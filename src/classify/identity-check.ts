/**
 * What the sample-identity check (src/identity, stored in the timeline by track) means for one
 * assessment. A draw whose genotypes at the identity SNPs do not match the patient's other draws
 * (or white cells) may be another patient's tube: it is left out of the evidence, and when it lies
 * in the assessment window the assessment is indeterminate, because the draw that would describe
 * the patient now may not be the patient's. No identity SNP counted is "not checked", never a pass.
 */
import { changeEvent } from '../timeline/events.js';
import { type EventSettings, type PatientTimeline, type TimelinePoint } from '../timeline/types.js';
import type { AssessmentIdentity } from './types.js';

export interface IdentityOutcome extends AssessmentIdentity {
  /** A caveat for the rationale, or null (identity passed). */
  caveat: string | null;
}

export const swapText = (sample: string) => `draw ${sample} does not match the patient's other draws (possible sample swap)`;

/** The patient's identity status and the discordant draws (never the white-cell sample itself). */
export function identityOutcome(timeline: PatientTimeline): IdentityOutcome {
  const id = timeline.identity;
  if (!id) {
    return {
      status: 'not_checked',
      reason: 'identity: not checked (track did not check sample identity)',
      excluded_draws: [],
      caveat: 'identity: not checked (track did not check sample identity)',
    };
  }
  const drawSamples = new Set(timeline.draws.map((d) => d.sample));
  const discordant = id.samples
    .filter((s) => s.kind === 'draw' && s.status === 'discordant' && drawSamples.has(s.sample))
    .map((s) => s.sample);
  const caveat = id.status === 'pass' ? null : id.status === 'discordant' ? null : id.reason;
  return { status: id.status, reason: id.reason, excluded_draws: discordant, caveat };
}

/**
 * The points of one site without the dropped draws, each remaining point's change event recomputed
 * against the previous remaining draw: an event measured against another patient's tube would let a
 * site "emerge" (or hide its emergence) on a draw that is not the patient's.
 */
function keptPoints(points: readonly TimelinePoint[], keep: readonly boolean[], settings: EventSettings): TimelinePoint[] {
  const kept = points.filter((_, i) => keep[i]);
  return kept.map((p, j) => {
    if (j === 0) return { ...p, event: 'baseline', change_p_value: null, fold_change: null };
    const prev = kept[j - 1];
    const ch = changeEvent(
      { alt: prev.alt_count, depth: prev.depth, call: prev.call },
      { alt: p.alt_count, depth: p.depth, call: p.call },
      settings,
    );
    return { ...p, event: ch.event, change_p_value: ch.pValue, fold_change: Number.isFinite(ch.fold) ? ch.fold : null };
  });
}

/**
 * The timeline without the given draws (their points removed from every site, the change events
 * recomputed over the draws kept); the same object when none.
 */
export function withoutDraws(timeline: PatientTimeline, samples: readonly string[]): PatientTimeline {
  if (samples.length === 0) return timeline;
  const keep = timeline.draws.map((d) => !samples.includes(d.sample));
  const settings = timeline.event_settings;
  return {
    ...timeline,
    draws: timeline.draws.filter((_, i) => keep[i]),
    sites: timeline.sites.map((s) => ({ ...s, points: keptPoints(s.points, keep, settings) })),
    tumour_fraction: { ...timeline.tumour_fraction, points: timeline.tumour_fraction.points.filter((_, i) => keep[i]) },
  };
}
