import type { IdentitySample } from '../identity/types.js';
import { mulberry32 } from '../simulate/rng.js';

/**
 * Simulated identity-SNP counts for the identity accuracy run and the tests, at the count level
 * and noisier than the model assumes: per-SNP allele frequencies spread over 0.3–0.5 (the model
 * assumes 0.4), depth varying between draws (×0.6–1.6) and between SNPs (log-normal, sd 0.5),
 * heterozygote allele balance over-dispersed (beta, ρ = 0.01), a tumour that has lost one allele
 * at 30% of heterozygous SNPs in plasma of tumour fraction tf, sequencing error 0.5%, and
 * contamination by another person's DNA.
 */

export interface Person {
  /** Alt alleles (0, 1, 2) per SNP. */
  genotypes: number[];
  /** Which allele the tumour kept at each SNP where it lost one (−1 ref kept, +1 alt kept, 0 no loss). */
  loss: number[];
}

export interface IdentitySimSettings {
  snps: number;
  depth: number;
  tumourFraction: number;
  contamination: number;
}

export type Rng = () => number;

export function rngFor(seed: number): Rng {
  return mulberry32(seed);
}

/** Per-SNP population alt-allele frequencies, uniform in [0.3, 0.5]. */
export function snpFrequencies(n: number, r: Rng): number[] {
  return Array.from({ length: n }, () => 0.3 + 0.2 * r());
}

export function randomPerson(freqs: readonly number[], r: Rng): Person {
  const genotypes = freqs.map((p) => (r() < p ? 1 : 0) + (r() < p ? 1 : 0));
  const loss = genotypes.map((g) => (g === 1 && r() < 0.3 ? (r() < 0.5 ? -1 : 1) : 0));
  return { genotypes, loss };
}

function binomial(n: number, p: number, r: Rng): number {
  if (n < 60) {
    let k = 0;
    for (let i = 0; i < n; i++) if (r() < p) k++;
    return k;
  }
  // Normal approximation with continuity, clamped (n ≥ 60 here).
  const z = Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
  return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
}

function betaAround(mean: number, rho: number, r: Rng): number {
  // Beta(α, β) with α + β = 1/ρ − 1, via two gamma draws (Marsaglia–Tsang for shape ≥ 1).
  const s = 1 / rho - 1;
  const ga = gamma(mean * s, r);
  const gb = gamma((1 - mean) * s, r);
  return ga / (ga + gb);
}

function gamma(shape: number, r: Rng): number {
  if (shape < 1) return gamma(shape + 1, r) * Math.pow(r(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    if (Math.log(r()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** One sample's counts: `person`'s DNA (a draw carries tumour DNA at fraction tf), contaminated by `other`. */
export function simulateSample(
  name: string,
  kind: 'draw' | 'normal',
  person: Person,
  other: Person,
  s: IdentitySimSettings,
  r: Rng,
  keyOf: (i: number) => string = (i) => `snp${i}`,
): IdentitySample {
  const drawScale = 0.6 + r();
  const tf = kind === 'normal' ? 0 : s.tumourFraction;
  const snps = person.genotypes.map((g, i) => {
    const depthScale = Math.exp(0.5 * Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()) - 0.125);
    const n = Math.max(0, Math.round(s.depth * drawScale * depthScale));
    let f = g / 2;
    if (g === 1) {
      f = betaAround(0.5, 0.01, r);
      if (person.loss[i] !== 0) f = (1 - tf) * f + tf * (person.loss[i] > 0 ? 1 : 0);
    }
    const contaminant = other.genotypes[i] / 2;
    f = (1 - s.contamination) * f + s.contamination * contaminant;
    const pAlt = f * (1 - 0.005) + (1 - f) * 0.005;
    const alt = binomial(n, pAlt, r);
    return { key: keyOf(i), refCount: n - alt, altCount: alt };
  });
  return { sample: name, kind, tumourFraction: null, snps };
}
