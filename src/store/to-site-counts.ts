import type { CountOutputRow } from '../count/output/row.js';
import type { SiteCounts } from '../count/types.js';
import type { StoredCount } from './store.js';

/**
 * A stored count's rows as the counting contract's `SiteCounts` (what `track` builds timelines
 * from), for commands that read draws from the store instead of counting. Null means become NaN,
 * as the engine reports them.
 */
export function storedRowToSiteCounts(r: CountOutputRow): SiteCounts {
  const nan = (x: number | null) => (x === null ? Number.NaN : x);
  return {
    site: { chrom: r.chrom, pos1: r.pos, ref: r.ref, alt: r.alt, gene: r.gene, protein: r.protein, id: r.id },
    depth: r.depth,
    refCount: r.ref_count,
    altCount: r.alt_count,
    otherCount: r.other_count,
    deletions: r.deletions,
    insertions: r.insertions,
    altFwd: r.alt_fwd,
    altRev: r.alt_rev,
    discordantMates: r.discordant_mates,
    meanFragLenRef: nan(r.mean_frag_len_ref),
    meanFragLenAlt: nan(r.mean_frag_len_alt),
    rawRefCount: r.raw_ref_count,
    rawAltCount: r.raw_alt_count,
    families: r.families,
  };
}

export function storedCountToSiteCounts(c: StoredCount): SiteCounts[] {
  return c.rows.map(storedRowToSiteCounts);
}
