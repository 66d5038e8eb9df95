import { identitySites, loadIdentitySnps } from '../reference/identity-snps.js';
import type { Build } from '../reference/panel-schema.js';
import { hashString32, mulberry32 } from './rng.js';
import type { SimSite } from './spec.js';

/** ALT frequency for a bundled SNP without a verified one (the concordance model's default prior). */
const DEFAULT_ALT_FREQUENCY = 0.4;

/**
 * Germline genotypes at the bundled (verified) identity SNPs for a simulated person: each SNP
 * hom-ref, heterozygous or hom-alt by Hardy–Weinberg at the SNP's verified population ALT frequency
 * (0.4 where none is verified, or `altFrequency` for every SNP when given), drawn from the person's
 * ID, so every draw of one simulated patient carries the same genotypes (VAF 0, 0.5 or 1) and a
 * "swapped" draw simulated with another patient's ID carries another person's.
 */
export function identityGenotypeSites(personId: string, build: Build, altFrequency?: number): SimSite[] {
  const r = mulberry32(hashString32(`identity:${personId}`));
  const snps = loadIdentitySnps();
  const sites = identitySites(build, snps);
  return sites.map((s, i) => {
    const p = altFrequency ?? snps[i].altFrequency ?? DEFAULT_ALT_FREQUENCY;
    const alleles = (r() < p ? 1 : 0) + (r() < p ? 1 : 0);
    return { chrom: s.chrom, pos1: s.pos1, ref: s.ref, alt: s.alt, vaf: alleles / 2 };
  });
}
