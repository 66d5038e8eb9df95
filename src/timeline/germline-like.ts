/**
 * Germline-like sites: a variant near 0.5 (heterozygous) or near 1 (homozygous) in every
 * informative draw while the patient's tumour markers sit far lower is inherited, not tumour DNA,
 * and must never stand for the tumour (a heterozygous SNP in a tumour-only VCF otherwise becomes a
 * "clonal" site at 50% and caps the tumour fraction at 100%). A site confirmed somatic in the
 * tissue against a matched normal is never dropped by its VAF alone: loss of heterozygosity and
 * high tumour fractions put real tumour variants near 0.5 too.
 *
 * One implementation for the timeline (which sites the tumour-fraction series pools, with the
 * default policy's band) and the classifier (the policy file's band). Pure.
 */
import type { SiteCall } from './types.js';

export interface GermlineBand {
  /** A heterozygous-looking VAF: inside [low, high] in every informative draw. */
  heterozygous_vaf: readonly [number, number];
  /** A homozygous-looking VAF: at least this in every informative draw. */
  homozygous_vaf_min: number;
  /** … and at least this many times the highest tumour-marker VAF of the same draw. */
  min_ratio_to_tumour: number;
}

/**
 * The default policy's band (reference/policy/default.yaml, rules.germline; a test keeps the two
 * equal): the timeline uses it for its descriptive tumour-fraction series, classify the policy's.
 */
export const DEFAULT_GERMLINE_BAND: GermlineBand = { heterozygous_vaf: [0.35, 0.65], homozygous_vaf_min: 0.9, min_ratio_to_tumour: 5 };

export interface BandPoint {
  alt: number;
  depth: number;
  call: SiteCall;
  lod: number | null;
}

export interface BandSite {
  key: string;
  /** Confirmed somatic against a matched normal: never germline-like. */
  tissueSomatic: boolean;
  points: readonly BandPoint[];
}

export type GermlineLikeVerdict =
  /** In the band in every informative draw and ≥ min_ratio_to_tumour × the tumour markers in each. */
  | { verdict: 'germline_like'; low: number; high: number; tumourTop: number }
  /** In the band in every informative draw, but some draw has no informative marker to compare with. */
  | { verdict: 'not_excluded' };

const vafOf = (p: BandPoint) => (p.depth > 0 ? p.alt / p.depth : Number.NaN);
const informative = (p: BandPoint) => p.call !== 'low_depth' && p.depth > 0;

export function inGermlineBand(v: number, band: GermlineBand): boolean {
  return (v >= band.heterozygous_vaf[0] && v <= band.heterozygous_vaf[1]) || v >= band.homozygous_vaf_min;
}

/**
 * The verdict for every site in the band in all its informative draws (other sites are absent from
 * the map). `isMarker` says which of the remaining sites may show the tumour level (classify leaves
 * out possible clonal haematopoiesis); the tumour level of a draw is its highest detected marker
 * VAF, else the lowest LoD of its informative markers (0 when none has one).
 */
export function germlineLikeSites(
  sites: readonly BandSite[],
  isMarker: (s: BandSite) => boolean,
  band: GermlineBand,
): Map<string, GermlineLikeVerdict> {
  const inBand = (s: BandSite) => {
    const pts = s.points.filter(informative);
    return pts.length > 0 && pts.every((p) => inGermlineBand(vafOf(p), band));
  };
  const candidates = sites.filter((s) => !s.tissueSomatic && inBand(s));
  const candidateKeys = new Set(candidates.map((s) => s.key));
  const markers = sites.filter((s) => !candidateKeys.has(s.key) && isMarker(s));
  const tumourLevel = (d: number): number | null => {
    const pts = markers.map((m) => m.points[d]).filter((p) => p !== undefined && informative(p));
    if (pts.length === 0) return null;
    const detected = pts.filter((p) => p.call === 'detected').map(vafOf);
    if (detected.length > 0) return Math.max(...detected);
    const lods = pts.map((p) => p.lod).filter((x): x is number => x !== null && Number.isFinite(x));
    return lods.length > 0 ? Math.min(...lods) : 0;
  };
  const out = new Map<string, GermlineLikeVerdict>();
  for (const s of candidates) {
    const ratios = s.points.map((p, d) => {
      if (!informative(p)) return Infinity;
      const level = tumourLevel(d);
      if (level === null) return Number.NaN;
      return level === 0 ? Infinity : vafOf(p) / level;
    });
    if (ratios.some((r) => Number.isNaN(r))) {
      out.set(s.key, { verdict: 'not_excluded' });
      continue;
    }
    if (ratios.every((r) => r >= band.min_ratio_to_tumour)) {
      const vafs = s.points.filter(informative).map(vafOf);
      const tumourTop = Math.max(0, ...s.points.map((_, d) => tumourLevel(d) ?? 0));
      out.set(s.key, { verdict: 'germline_like', low: Math.min(...vafs), high: Math.max(...vafs), tumourTop });
    }
  }
  return out;
}
