import type { IdentitySample, SnpCounts } from './types.js';

/**
 * Count rows → one identity sample: the rows whose site ID is an identity SNP's rsID (or whose
 * `chrom:pos:ref>alt` key is listed), keyed by that rsID so that draws counted with other contig
 * spellings still pair up. Rows of other sites are ignored; no identity row → no SNPs, and the
 * patient's check is "not checked".
 */
export function identitySampleFromCounts(
  sample: string,
  kind: 'draw' | 'normal',
  rows: readonly { site: { chrom: string; pos1: number; ref: string; alt: string; id: string }; refCount: number; altCount: number }[],
  identityIds: ReadonlySet<string>,
  tumourFraction: number | null = null,
): IdentitySample {
  const snps: SnpCounts[] = [];
  for (const r of rows) {
    const siteKey = `${r.site.chrom}:${r.site.pos1}:${r.site.ref}>${r.site.alt}`;
    const key = identityIds.has(r.site.id) ? r.site.id : identityIds.has(siteKey) ? siteKey : null;
    if (key !== null) snps.push({ key, refCount: r.refCount, altCount: r.altCount });
  }
  return { sample, kind, tumourFraction, snps };
}
