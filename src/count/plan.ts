import { chunksForRange, coffsetOf, mergeChunks, type BamIndex, type Chunk } from '../io/bam-index.js';
import type { SiteSpec } from './site-model.js';

/**
 * Which bytes to read. Each site needs the index chunks of [start0, start0 + 1) — every read that
 * can be classified there covers its first base. The chunks of all sites of a group are merged
 * (overlapping or touching only) into segments read once each, so neighbouring sites never inflate
 * a block twice. With `--threads N` the sorted sites are cut into N contiguous groups of about
 * equal compressed bytes; a group owns its sites, and a read is scanned by every group whose
 * chunks contain it but counted only at the owning group's sites — so every count (and both
 * mates of a fragment, which both overlap the site) comes from exactly one group.
 */

export interface Segment extends Chunk {
  /** Reads starting after (stopRefId, stopPos0) reach none of this segment's sites: stop there. */
  stopRefId: number;
  stopPos0: number;
}

export interface Group {
  /** Owned sites: sorted[ownedLo, ownedHi). */
  ownedLo: number;
  ownedHi: number;
  /** Null: one sequential pass from the first record (no index, or stdin). */
  segments: Segment[] | null;
}

function segmentsFor(sorted: SiteSpec[], lo: number, hi: number, siteChunks: Chunk[][]): Segment[] {
  const tagged: (Chunk & { site: number })[] = [];
  for (let i = lo; i < hi; i++) for (const c of siteChunks[i]) tagged.push({ ...c, site: i });
  tagged.sort((a, b) => a.beg - b.beg || a.end - b.end);
  const out: Segment[] = [];
  for (const c of tagged) {
    const s = sorted[c.site];
    const last = out[out.length - 1];
    if (last && c.beg <= last.end) {
      last.end = Math.max(last.end, c.end);
      if (s.refId > last.stopRefId || (s.refId === last.stopRefId && s.start0 > last.stopPos0)) {
        last.stopRefId = s.refId;
        last.stopPos0 = s.start0;
      }
    } else {
      out.push({ beg: c.beg, end: c.end, stopRefId: s.refId, stopPos0: s.start0 });
    }
  }
  return out;
}

/** Compressed bytes each site adds to the sites before it (sorted order, so chunks mostly ascend). */
function incrementalBytes(siteChunks: Chunk[][]): number[] {
  let reached = 0;
  return siteChunks.map((chunks) => {
    let add = 0;
    for (const c of mergeChunks(chunks)) {
      const beg = Math.max(coffsetOf(c.beg), reached);
      const end = coffsetOf(c.end) + 65536;
      if (end > beg) add += end - beg;
      reached = Math.max(reached, end);
    }
    return add;
  });
}

/** Groups for an indexed BAM: at most `threads`, each with its merged segments. */
export function planIndexed(sorted: SiteSpec[], index: BamIndex, threads: number): Group[] {
  if (sorted.length === 0) return [];
  const siteChunks = sorted.map((s) => chunksForRange(index, s.refId, s.start0, s.start0 + 1));
  const bytes = incrementalBytes(siteChunks);
  const total = bytes.reduce((a, b) => a + b, 0);
  const nGroups = Math.max(1, Math.min(threads, sorted.length));
  const groups: Group[] = [];
  let lo = 0;
  let done = 0;
  for (let g = 0; g < nGroups && lo < sorted.length; g++) {
    let hi = lo + 1;
    done += bytes[lo];
    const target = (total * (g + 1)) / nGroups;
    if (g === nGroups - 1) hi = sorted.length;
    else {
      // Leave at least one site for each later group.
      while (hi < sorted.length - (nGroups - 1 - g) && done + bytes[hi] / 2 <= target) done += bytes[hi++];
    }
    groups.push({ ownedLo: lo, ownedHi: hi, segments: segmentsFor(sorted, lo, hi, siteChunks) });
    lo = hi;
  }
  return groups;
}

export function planSequential(sorted: SiteSpec[]): Group[] {
  return sorted.length === 0 ? [] : [{ ownedLo: 0, ownedHi: sorted.length, segments: null }];
}
