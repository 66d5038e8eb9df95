/**
 * What the sample-identity check (src/identity, stored in the timeline by track) means for one
 * assessment. A draw whose genotypes at the identity SNPs do not match the patient's other draws
 * (or white cells) may be another patient's tube: it is left out of the evidence, and when it lies
 * in the assessment window the assessment is indeterminate, because the draw that would describe
 * the patient now may not be the patient's. No identity SNP counted is "not checked", never a pass.
 */
import type { PatientTimeline } from '../timeline/types.js';
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

/** The timeline without the given draws (their points removed from every site); the same object when none. */
export function withoutDraws(timeline: PatientTimeline, samples: readonly string[]): PatientTimeline {
  if (samples.length === 0) return timeline;
  const keep = timeline.draws.map((d) => !samples.includes(d.sample));
  return {
    ...timeline,
    draws: timeline.draws.filter((_, i) => keep[i]),
    sites: timeline.sites.map((s) => ({ ...s, points: s.points.filter((_, i) => keep[i]) })),
    tumour_fraction: { ...timeline.tumour_fraction, points: timeline.tumour_fraction.points.filter((_, i) => keep[i]) },
  };
}
