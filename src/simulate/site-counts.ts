import type { Site, SiteCounts } from '../count/types.js';

/**
 * One site's count row from a depth and ALT count drawn at the count level (no reads), for
 * simulated panels of normals and samples: every fragment that is not ALT is REF, every ALT
 * fragment on the forward strand, no deletions, insertions or UMI families, fragment lengths
 * unmeasured (NaN), raw counts equal to the counts. The calling stage reads depth and ALT count.
 */
export function altDepthCounts(site: Site, depth: number, alt: number): SiteCounts {
  return {
    site,
    depth,
    refCount: depth - alt,
    altCount: alt,
    otherCount: 0,
    deletions: 0,
    insertions: 0,
    altFwd: alt,
    altRev: 0,
    discordantMates: 0,
    meanFragLenRef: NaN,
    meanFragLenAlt: NaN,
    rawRefCount: depth - alt,
    rawAltCount: alt,
    families: 0,
  };
}
