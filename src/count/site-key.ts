import type { Site } from './types.js';

/**
 * A site's key, `chrom:pos1:ref>alt` (e.g. `chr17:7675088:C>T`): how the draws of a patient, the
 * white cells, the tumour-informed and tissue VCFs and the identity SNP list name one site. Contig
 * and alleles are taken as written, so the same site in another contig spelling has another key.
 */
export function siteKeyOf(site: Pick<Site, 'chrom' | 'pos1' | 'ref' | 'alt'>): string {
  return `${site.chrom}:${site.pos1}:${site.ref}>${site.alt}`;
}
