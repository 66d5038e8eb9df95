import { DEFAULT_BACKGROUND_RATE } from '../stats/background.js';
import { TUMOUR_FRACTION_METHOD as TF_DEFINITION, tumourFraction } from '../stats/tumour-fraction.js';
import { decreasePValue, foldChange, increasePValue } from './two-count-test.js';
import type { EventSettings, SiteCall, SiteEvent, TimelineSite, TumourFractionPoint, TumourFractionSeries } from './types.js';

export const TUMOUR_FRACTION_METHOD =
  `${TF_DEFINITION}; over the clonal sites (detected at the baseline draw, not germline/CH, baseline VAF >= clonal_min_relative_vaf x the top ` +
  'baseline VAF; only tumour-informed sites when any qualifies) with call != low_depth; pooled_vaf = sum alt / sum depth is descriptive only; ' +
  'events between consecutive draws by the site-matched conditional test (sampling error only; the decision uses the longitudinal model in classify)';

/** The clonal-site counts of draw `d` (sites with call low_depth left out). */
export function pooledPoint(
  clonal: readonly TimelineSite[],
  d: number,
): {
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

/** Per-site counts of draw d over the clonal sites (depth 0 where low_depth). */
function siteCounts(clonal: readonly TimelineSite[], d: number): { alt: number[]; depth: number[] } {
  return {
    alt: clonal.map((s) => (s.points[d].call === 'low_depth' ? 0 : s.points[d].alt_count)),
    depth: clonal.map((s) => (s.points[d].call === 'low_depth' ? 0 : s.points[d].depth)),
  };
}

/**
 * Site-matched change between consecutive draws: the exact two-count test (two-count-test.ts) on the
 * counts pooled over the sites informative in both draws only, so a site dropping out of one draw
 * never moves it (pooling all sites would turn a change of site mix into a change of level).
 */
function siteMatchedEvent(
  prev: ReturnType<typeof siteCounts>,
  cur: ReturnType<typeof siteCounts>,
  prevCall: SiteCall,
  curCall: SiteCall,
  s: EventSettings,
): { event: SiteEvent; p: number | null; fold: number } {
  let a1 = 0;
  let n1 = 0;
  let a2 = 0;
  let n2 = 0;
  const both = prev.depth.map((d, i) => d > 0 && cur.depth[i] > 0);
  prev.alt.forEach((_, i) => {
    if (!both[i]) return;
    a1 += prev.alt[i];
    n1 += prev.depth[i];
    a2 += cur.alt[i];
    n2 += cur.depth[i];
  });
  const fold = foldChange({ alt: a1, depth: n1 }, { alt: a2, depth: n2 });
  if (prevCall === 'low_depth' || curCall === 'low_depth') return { event: 'not_assessable', p: null, fold };
  const up = increasePValue({ alt: a1, depth: n1 }, { alt: a2, depth: n2 });
  const down = decreasePValue({ alt: a1, depth: n1 }, { alt: a2, depth: n2 });
  const wasDetected = prevCall === 'detected';
  const isDetected = curCall === 'detected';
  if (!wasDetected && isDetected) return { event: up < s.alpha ? 'emerged' : 'stable', p: up, fold };
  if (wasDetected && !isDetected) return { event: down < s.alpha ? 'cleared' : 'stable', p: down, fold };
  if (wasDetected && isDetected) {
    if (fold >= s.min_fold && up < s.alpha) return { event: 'rising', p: up, fold };
    if (fold <= 1 / s.min_fold && down < s.alpha) return { event: 'falling', p: down, fold };
  }
  return { event: 'stable', p: fold >= 1 || Number.isNaN(fold) ? up : down, fold };
}

const fin = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * The tumour-fraction series of a patient: per draw the one definition of stats/tumour-fraction.ts
 * over the clonal sites, the descriptive pooled VAF, and a site-matched event against the previous draw.
 */
export function buildTumourFraction(sites: readonly TimelineSite[], s: EventSettings): TumourFractionSeries {
  const clonal = sites.filter((x) => x.clonal);
  const nDraws = sites.length > 0 ? sites[0].points.length : 0;
  const points: TumourFractionPoint[] = [];
  let prev: { counts: ReturnType<typeof siteCounts>; call: SiteCall } | null = null;
  for (let d = 0; d < nDraws && clonal.length > 0; d++) {
    const cur = pooledPoint(clonal, d);
    const counts = siteCounts(clonal, d);
    const ref = sites[0].points[d];
    const tf = tumourFraction({
      n: Float64Array.from(counts.depth),
      k: Float64Array.from(counts.alt),
      e: Float64Array.from(clonal, (x) => x.background_rate ?? DEFAULT_BACKGROUND_RATE),
    });
    const vaf = cur.depth > 0 ? cur.alt / cur.depth : Number.NaN;
    let event: SiteEvent = 'baseline';
    let changeP: number | null = null;
    let fold = Number.NaN;
    if (prev) {
      const ch = siteMatchedEvent(prev.counts, counts, prev.call, cur.call, s);
      event = ch.event;
      changeP = ch.p;
      fold = ch.fold;
    }
    points.push({
      sample: ref.sample,
      collection_date: ref.collection_date,
      sites_informative: cur.informative,
      sites_detected: cur.detected,
      alt_count: cur.alt,
      depth: cur.depth,
      pooled_vaf: fin(vaf),
      estimate: fin(tf.estimate),
      low: fin(tf.low),
      high: fin(tf.high),
      site_dispersion: tf.sites > 0 ? tf.dispersion : null,
      call: cur.call,
      event,
      change_p_value: changeP,
      fold_change: fin(fold),
    });
    prev = { counts, call: cur.call };
  }
  return { method: TUMOUR_FRACTION_METHOD, clonal_sites: clonal.map((x) => x.key), points };
}
