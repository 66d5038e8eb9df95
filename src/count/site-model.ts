import type { Site } from './types.js';

/**
 * A site as the scan sees it. VCF alleles are trimmed first (common suffix, then common prefix,
 * keeping one base) so that `chr1 100 CAT CT` is the deletion of A after C at 101.
 *   mnv:       refLen bases from start0 compared with ref and alt (SNVs are 1-base MNVs;
 *              a "complex" site whose trimmed ref and alt differ in length can only count ref/other)
 *   insertion: anchor base at start0, then exactly `alt` inserted
 *   deletion:  anchor base at start0, then exactly refLen bases deleted
 */
export type SiteKind = 'mnv' | 'insertion' | 'deletion';

export const SITE_KIND_CODE: Record<SiteKind, number> = { mnv: 0, insertion: 1, deletion: 2 };

export interface SiteSpec {
  /** Index into the caller's site list. */
  index: number;
  refId: number;
  /** 0-based position of the first compared base (MNV) or of the anchor base (indels). */
  start0: number;
  kind: SiteKind;
  /** MNV: the ref bases; deletion: the deleted bases; insertion: the anchor base. */
  ref: string;
  /** MNV: the alt bases; insertion: the inserted bases; deletion: ''. */
  alt: string;
  /** MNV: bases compared; deletion: bases deleted; insertion: 1. */
  refLen: number;
}

export function trimAlleles(pos1: number, ref: string, alt: string): { pos1: number; ref: string; alt: string } {
  let r = ref.toUpperCase();
  let a = alt.toUpperCase();
  let p = pos1;
  while (r.length > 1 && a.length > 1 && r[r.length - 1] === a[a.length - 1]) {
    r = r.slice(0, -1);
    a = a.slice(0, -1);
  }
  // Leading bases shared beyond the first: move right, keeping one anchor base.
  while (r.length > 1 && a.length > 1 && r[0] === a[0] && r[1] === a[1]) {
    r = r.slice(1);
    a = a.slice(1);
    p += 1;
  }
  if (r.length === a.length) {
    while (r.length > 1 && r[0] === a[0]) {
      r = r.slice(1);
      a = a.slice(1);
      p += 1;
    }
  }
  return { pos1: p, ref: r, alt: a };
}

export function siteSpec(site: Site, index: number, refId: number): SiteSpec {
  const t = trimAlleles(site.pos1, site.ref, site.alt);
  const start0 = t.pos1 - 1;
  if (t.ref.length === 1 && t.alt.length > 1 && t.alt[0] === t.ref[0]) {
    return { index, refId, start0, kind: 'insertion', ref: t.ref, alt: t.alt.slice(1), refLen: 1 };
  }
  if (t.alt.length === 1 && t.ref.length > 1 && t.ref[0] === t.alt[0]) {
    return { index, refId, start0, kind: 'deletion', ref: t.ref.slice(1), alt: '', refLen: t.ref.length - 1 };
  }
  return { index, refId, start0, kind: 'mnv', ref: t.ref, alt: t.alt, refLen: t.ref.length };
}

/** Sites sorted by (refId, start0, input index): the order the scan walks them in. */
export function sortSpecs(specs: SiteSpec[]): SiteSpec[] {
  return [...specs].sort((a, b) => a.refId - b.refId || a.start0 - b.start0 || a.index - b.index);
}

/** Reference bases [start0, end0) a site needs a read to reach for it to be classified. */
export function siteSpan(s: SiteSpec): { start0: number; end0: number } {
  return { start0: s.start0, end0: s.start0 + (s.kind === 'insertion' ? 2 : s.kind === 'deletion' ? s.refLen + 1 : s.refLen) };
}
