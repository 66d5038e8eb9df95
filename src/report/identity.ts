import { identityOutcome, withoutDraws } from '../classify/identity-check.js';
import type { PatientIdentity } from '../identity/types.js';
import type { PatientTimeline, TimelinePoint } from '../timeline/types.js';
import type { DrawIdentity } from './types.js';

/**
 * The sample-identity check as the report and the MultiQC table show it: each draw's status, and the
 * change events a page may show once classify has left the identity-discordant draws out.
 */

/**
 * One draw's identity status. A patient whose identity SNPs were never counted is `not_checked` for
 * every draw, as is a draw the check did not see: neither may read as a pass.
 */
export function drawIdentity(identity: PatientIdentity | null | undefined, sample: string): DrawIdentity {
  if (!identity || identity.status === 'not_checked') return 'not_checked';
  return identity.samples.find((s) => s.kind === 'draw' && s.sample === sample)?.status ?? 'not_checked';
}

/** A left-out draw's point is compared with no draw, like a first draw: the page shows no event. */
const uncompared = (p: TimelinePoint): TimelinePoint => ({ ...p, event: 'baseline', change_p_value: null, fold_change: null });

/**
 * The timeline with every draw still in it but each site's change events as classify measures them:
 * over the draws it keeps, so the draw after a swapped tube is compared with the patient's previous
 * draw, not with another person's (which would show a site "emerging" that the group ignores).
 * The swapped draw's own points keep their counts and carry no event.
 */
export function withKeptEvents(timeline: PatientTimeline): PatientTimeline {
  const kept = withoutDraws(timeline, identityOutcome(timeline).excluded_draws);
  if (kept === timeline) return timeline;
  return {
    ...timeline,
    sites: timeline.sites.map((site, i) => {
      const bySample = new Map(kept.sites[i].points.map((p) => [p.sample, p]));
      return { ...site, points: site.points.map((p) => bySample.get(p.sample) ?? uncompared(p)) };
    }),
  };
}
