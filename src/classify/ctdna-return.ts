/**
 * A return of ctDNA after clearance. From a level of zero any detection is an "infinite" fold, so
 * a fold rule would call the first few molecules of two growing lesions diffuse progression. The
 * policy instead compares the returning level with an absolute floor (ctdna_return.floor_vaf): below
 * it the return is compatible with the shedding of the visible lesions and is reported as "ctDNA
 * return" without being diffuse progression by itself; at or above it the return is diffuse
 * molecular progression. The floor is a policy choice (reference/policy/default.yaml, rules.ctdna_return). Pure.
 */
import type { SiteCall } from '../timeline/types.js';
import { intervalWords } from './assessment-window.js';
import type { PolicyRules } from './policy.js';
import { pct } from './site-origin.js';

export interface ReturnSite {
  key: string;
  /** One point per timeline draw. */
  points: { sample: string; alt_count: number; depth: number; call: SiteCall }[];
}

export type ReturnStatus = 'no_return' | 'below_floor' | 'above_floor';

export interface CtdnaReturn {
  status: ReturnStatus;
  /** Draws with no clonal site detected, after an earlier detection, before the window. */
  clearedSamples: string[];
  /** The window draw with the highest pooled clonal VAF, when the status is not no_return. */
  returnSample: string | null;
  pooledVaf: number | null;
  floor: number;
  /** For the rationale; '' when there is no return. */
  text: string;
}

interface Pooled {
  alt: number;
  depth: number;
  informative: number;
  detected: number;
}

function pooled(sites: readonly ReturnSite[], d: number): Pooled {
  const out = { alt: 0, depth: 0, informative: 0, detected: 0 };
  for (const s of sites) {
    const p = s.points[d];
    if (!p || p.call === 'low_depth') continue;
    out.informative++;
    if (p.call === 'detected') out.detected++;
    out.alt += p.alt_count;
    out.depth += p.depth;
  }
  return out;
}

/**
 * @param clonal the clonal set's sites
 * @param beforeIdx draws used before the window, in date order (any line: a clearance on the
 *   previous line is still a clearance)
 * @param window window draws with their day offsets
 */
export function ctdnaReturn(
  clonal: readonly ReturnSite[],
  beforeIdx: readonly number[],
  window: readonly { index: number; daysFromScan: number }[],
  rules: Pick<PolicyRules, 'ctdna_return'>,
): CtdnaReturn {
  const r = rules.ctdna_return;
  const none: CtdnaReturn = { status: 'no_return', clearedSamples: [], returnSample: null, pooledVaf: null, floor: r.floor_vaf, text: '' };
  if (clonal.length === 0 || window.length === 0) return none;
  const sample = (d: number) => clonal[0].points[d].sample;

  // The trailing run of cleared draws just before the window, preceded by a detection.
  const cleared: number[] = [];
  let k = beforeIdx.length - 1;
  for (; k >= 0; k--) {
    const p = pooled(clonal, beforeIdx[k]);
    if (p.informative === 0) continue;
    if (p.detected > 0) break;
    cleared.unshift(beforeIdx[k]);
  }
  const detectedBefore = k >= 0;
  if (!detectedBefore || cleared.length < r.min_cleared_draws) return none;

  let best: { index: number; daysFromScan: number; vaf: number } | null = null;
  for (const w of window) {
    const p = pooled(clonal, w.index);
    if (p.detected === 0 || p.depth === 0) continue;
    const vaf = p.alt / p.depth;
    if (best === null || vaf > best.vaf) best = { ...w, vaf };
  }
  if (best === null) return { ...none, clearedSamples: cleared.map(sample) };

  const below = best.vaf < r.floor_vaf;
  const head = `ctDNA return after clearance (cleared at ${cleared.map(sample).join(', ')}): pooled clonal VAF ${pct(best.vaf)} at ${sample(best.index)} (${intervalWords(best.daysFromScan)}), ${below ? 'below' : 'above'} the ${pct(r.floor_vaf)} floor`;
  return {
    status: below ? 'below_floor' : 'above_floor',
    clearedSamples: cleared.map(sample),
    returnSample: sample(best.index),
    pooledVaf: best.vaf,
    floor: r.floor_vaf,
    text: head,
  };
}
