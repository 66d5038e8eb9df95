/**
 * Whether the window draws can see the clonal set at all. A window draw speaks for a clonal site
 * when it detects it, or when its limit of detection is at or below the site's highest VAF in the
 * earlier draws of the same line: only then does "not detected" mean the site fell. When no
 * window draw speaks for any clonal site (all low_depth, or too shallow to see the earlier level:
 * 0/150 reads after 0.5% has an LoD above 2%), a fall cannot be told from a shallow draw, and a
 * model verdict of "rise ruled out" built on those zeros is not trusted: the change is undecided.
 * A detected rise is never overruled here. Pure.
 */
import type { SiteCall } from '../timeline/types.js';

export interface SensitivitySite {
  label: string;
  /** One point per timeline draw (index = draw index). */
  points: readonly { call: SiteCall; vaf: number | null; lod: number | null }[];
}

export interface WindowSensitivity {
  /** Some window draw speaks for some clonal site. */
  informative: boolean;
  /** Why not, for the rationale; null when informative. */
  reason: string | null;
}

/**
 * `lineIdx`: the draws of the current line the model may use (baseline and window), date order;
 * `windowIdx`: the window draws among them.
 */
export function windowSensitivity(
  sites: readonly SensitivitySite[],
  lineIdx: readonly number[],
  windowIdx: readonly number[],
): WindowSensitivity {
  if (sites.length === 0 || windowIdx.length === 0) return { informative: true, reason: null };
  const speaks = (s: SensitivitySite, d: number): boolean => {
    const pt = s.points[d];
    if (pt.call === 'detected') return true;
    if (pt.call !== 'not_detected') return false;
    const earlier = lineIdx
      .filter((j) => j < d && !windowIdx.includes(j) && s.points[j].call === 'detected')
      .map((j) => s.points[j].vaf ?? 0);
    return earlier.length === 0 || (pt.lod !== null && pt.lod <= Math.max(...earlier));
  };
  if (sites.some((s) => windowIdx.some((d) => speaks(s, d)))) return { informative: true, reason: null };
  return {
    informative: false,
    reason: `every clonal site (${sites.map((s) => s.label).join(', ')}) is below its limit of detection in the window draws (low depth, or an LoD above its earlier VAF): a fall cannot be told from a shallow draw`,
  };
}
