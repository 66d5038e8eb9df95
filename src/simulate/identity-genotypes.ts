import { identitySites } from '../reference/identity-snps.js';
import type { Build } from '../reference/panel-schema.js';
import { hashString32, mulberry32 } from './rng.js';
import type { SimSite } from './spec.js';

/**
 * Germline genotypes at the bundled identity SNPs for a simulated person: each SNP hom-ref,
 * heterozygous or hom-alt by Hardy–Weinberg at alt frequency 0.4, drawn from the person's ID, so
 * every draw of one simulated patient carries the same genotypes (VAF 0, 0.5 or 1) and a "swapped"
 * draw simulated with another patient's ID carries another person's.
 */
export function identityGenotypeSites(personId: string, build: Build, altFrequency = 0.4): SimSite[] {
  const r = mulberry32(hashString32(`identity:${personId}`));
  return identitySites(build).map((s) => {
    const alleles = (r() < altFrequency ? 1 : 0) + (r() < altFrequency ? 1 : 0);
    return { chrom: s.chrom, pos1: s.pos1, ref: s.ref, alt: s.alt, vaf: alleles / 2 };
  });
}
