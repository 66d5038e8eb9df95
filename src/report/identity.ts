import { identityOutcome, withoutDraws } from '../classify/identity-check.js';
import type { PatientIdentity } from '../identity/types.js';
import type { PatientTimeline, TimelinePoint, TimelineSite } from '../timeline/types.js';
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

/** A draw of the report that classify left out: its identity check is discordant (possibly another person's tube). */
export const isLeftOut = (d: { identity: DrawIdentity }): boolean => d.identity === 'discordant';

/** Samples of the draws classify leaves out: those whose identity check is discordant. */
export function leftOutDraws(timeline: PatientTimeline): ReadonlySet<string> {
  return new Set(identityOutcome(timeline).excluded_draws);
}

/**
 * Date of the first of the patient's own draws that detected the site, or null. Track's first
 * detection counts every draw, so when it is a left-out draw (another person's tube may carry the
 * variant) the first kept draw with a detected call is taken instead.
 */
export function firstDetected(site: TimelineSite, leftOut: ReadonlySet<string>): string | null {
  const tracked = site.first_detection;
  if (tracked && !leftOut.has(tracked.sample)) return tracked.collection_date;
  return site.points.find((p) => p.call === 'detected' && !leftOut.has(p.sample))?.collection_date ?? null;
}

/** Index of the last draw classify keeps, or -1 when it keeps none. */
export function lastKeptIndex(draws: readonly { sample: string }[], leftOut: ReadonlySet<string>): number {
  for (let i = draws.length - 1; i >= 0; i--) if (!leftOut.has(draws[i].sample)) return i;
  return -1;
}
