import { changeEvent } from './events.js';
import { wilsonInterval } from './two-count-test.js';
import type { EventSettings, SiteCall, TimelineSite, TumourFractionPoint, TumourFractionSeries } from './types.js';

export const TUMOUR_FRACTION_METHOD =
  'pooled VAF of the clonal sites (detected at the baseline draw, not germline/CH, baseline VAF >= clonal_min_relative_vaf x the top baseline VAF; only tumour-informed sites when any qualifies): sum alt / sum depth over ' +
  'those with call != low_depth; tumour fraction = 2 x pooled VAF (heterozygous, copy-neutral), capped at 1; ' +
  'events by the same two-count test on the pooled counts';

const cap = (x: number) => Math.min(1, x);

/** The pooled clonal-site counts of draw `d` (one point of the tumour-fraction series). */
export function pooledPoint(clonal: readonly TimelineSite[], d: number): {
  alt: number;
  depth: number;
  informative: number;
  detected: number;
  call: SiteCall;
} {
  let alt = 0;
  let depth = 0;
  let informative = 0;
  let detected = 0;
  for (const s of clonal) {
    const p = s.points[d];
    if (p.call === 'low_depth') continue;
    informative++;
    if (p.call === 'detected') detected++;
    alt += p.alt_count;
    depth += p.depth;
  }
  const call: SiteCall = informative === 0 ? 'low_depth' : detected > 0 ? 'detected' : 'not_detected';
  return { alt, depth, informative, detected, call };
}

/**
 * The tumour-fraction series of a patient. Pooling the clonal sites' counts (rather than averaging
 * their VAFs) keeps the two-count test exact and weights each site by its depth.
 */
export function buildTumourFraction(sites: readonly TimelineSite[], s: EventSettings): TumourFractionSeries {
  const clonal = sites.filter((x) => x.clonal);
  const nDraws = sites.length > 0 ? sites[0].points.length : 0;
  const points: TumourFractionPoint[] = [];
  let prev: ReturnType<typeof pooledPoint> | null = null;
  for (let d = 0; d < nDraws && clonal.length > 0; d++) {
    const cur = pooledPoint(clonal, d);
    const ref = sites[0].points[d];
    const vaf = cur.depth > 0 ? cur.alt / cur.depth : Number.NaN;
    const [lo, hi] = wilsonInterval(cur.alt, cur.depth);
    let event: TumourFractionPoint['event'] = 'baseline';
    let changeP: number | null = null;
    let fold = Number.NaN;
    if (prev) {
      const ch = changeEvent({ alt: prev.alt, depth: prev.depth, call: prev.call }, { alt: cur.alt, depth: cur.depth, call: cur.call }, s);
      event = ch.event;
      changeP = ch.pValue;
      fold = ch.fold;
    }
    const fin = (x: number) => (Number.isFinite(x) ? x : null);
    points.push({
      sample: ref.sample,
      collection_date: ref.collection_date,
      sites_informative: cur.informative,
      sites_detected: cur.detected,
      alt_count: cur.alt,
      depth: cur.depth,
      pooled_vaf: fin(vaf),
      pooled_vaf_low: fin(lo),
      pooled_vaf_high: fin(hi),
      estimate: fin(cap(2 * vaf)),
      low: fin(cap(2 * lo)),
      high: fin(cap(2 * hi)),
      call: cur.call,
      event,
      change_p_value: changeP,
      fold_change: fin(fold),
    });
    prev = cur;
  }
  return { method: TUMOUR_FRACTION_METHOD, clonal_sites: clonal.map((x) => x.key), points };
}
