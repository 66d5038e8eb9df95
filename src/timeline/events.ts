import { type CountPair, decreasePValue, foldChange, increasePValue } from './two-count-test.js';
import type { EventSettings, SiteCall, SiteEvent } from './types.js';

export interface CalledCount extends CountPair {
  call: SiteCall;
}

export interface ChangeResult {
  event: SiteEvent;
  /** p-value of the two-count test in the direction of the change (null when not assessable). */
  pValue: number | null;
  /** later VAF / earlier VAF (NaN when undefined, Infinity from zero). */
  fold: number;
}

/**
 * The event between two consecutive draws of one series. The detection calls say where the series
 * is; the two-count test says whether it moved: a call flipping on noise (one read at 3,000×)
 * is `stable`, never `emerged`. Rising/falling need both the fold (≥ min_fold, default 2) and the
 * significance (p < alpha, default 0.01) of a change (H0: no change, nullFold 1) — see
 * docs/decisions/0050-event-test.md for why the fold is a point-estimate threshold.
 */
export function changeEvent(prev: CalledCount, cur: CalledCount, s: EventSettings): ChangeResult {
  const fold = foldChange(prev, cur);
  if (prev.call === 'low_depth' || cur.call === 'low_depth') return { event: 'not_assessable', pValue: null, fold };
  const up = increasePValue(prev, cur, 1);
  const down = decreasePValue(prev, cur, 1);
  const prevDetected = prev.call === 'detected';
  const curDetected = cur.call === 'detected';
  if (!prevDetected && curDetected) return { event: up < s.alpha ? 'emerged' : 'stable', pValue: up, fold };
  if (prevDetected && !curDetected) return { event: down < s.alpha ? 'cleared' : 'stable', pValue: down, fold };
  if (prevDetected && curDetected) {
    if (fold >= s.min_fold && up < s.alpha) return { event: 'rising', pValue: up, fold };
    if (fold <= 1 / s.min_fold && down < s.alpha) return { event: 'falling', pValue: down, fold };
  }
  return { event: 'stable', pValue: fold >= 1 || Number.isNaN(fold) ? up : down, fold };
}
