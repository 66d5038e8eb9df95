import { logSumExp } from '../util/log-sum-exp.js';
import type { GenotypeCall, IdentitySettings, SnpCounts } from './types.js';

/**
 * Genotype likelihoods at one germline SNP from ref/alt fragment counts. Binomial per fragment:
 * hom-ref reads alt with probability e, hom-alt reads ref with probability e, a heterozygote reads
 * alt with probability 0.5 — in plasma shifted by tumour copy-number changes to 0.5 ± tf/2 (a
 * clonal loss of one allele in a tumour of fraction tf gives (1 − tf)·0.5 + tf·{0, 1}); the
 * heterozygote is therefore a mixture of 0.5 (weight ½) and 0.5 ± tf/2 (¼ each). The binomial
 * coefficient is common to all genotypes and dropped: only ratios are used.
 */

/**
 * log L(g) for g = 0, 1, 2 alt alleles. `tumourFraction` null (unknown): the heterozygote's shifts
 * cover tumour fractions 0.2, 0.4, 0.6 and 0.8 (a draw at 60% tumour DNA with a lost allele reads
 * 20% or 80% alt, which a fixed 0.5 ± 0.1 allowance took for a homozygote and flagged as a swap).
 */
export function genotypeLogLikelihoods(
  ref: number,
  alt: number,
  errorRate: number,
  tumourFraction: number | null,
): [number, number, number] {
  const e = Math.min(Math.max(errorRate, 1e-6), 0.2);
  const lb = (q: number): number => alt * Math.log(q) + ref * Math.log(1 - q);
  const shifts = tumourFraction === null ? UNKNOWN_TF_SHIFTS : tumourFraction > 0 ? [Math.min(tumourFraction, 0.9) / 2] : [];
  const terms = [Math.log(0.5) + lb(0.5)];
  const w = Math.log(0.5 / (2 * Math.max(1, shifts.length)));
  for (const d of shifts) terms.push(w + lb(Math.max(0.5 - d, e)), w + lb(Math.min(0.5 + d, 1 - e)));
  const het = shifts.length > 0 ? logSumExp(terms) : lb(0.5);
  return [lb(e), het, lb(1 - e)];
}

/** Allele-fraction shifts of a heterozygote for tumour fractions 0.2–0.8 (tf/2). */
const UNKNOWN_TF_SHIFTS = [0.1, 0.2, 0.3, 0.4];

/** Hardy–Weinberg genotype priors for alt-allele frequency p. */
export function genotypeLogPriors(p: number): [number, number, number] {
  const q = Math.min(Math.max(p, 1e-3), 1 - 1e-3);
  return [2 * Math.log(1 - q), Math.log(2 * q * (1 - q)), 2 * Math.log(q)];
}

/** Minimum log10 posterior odds for a genotype call (100:1). */
export const CALL_CONFIDENCE = 2;

export function callGenotype(s: SnpCounts, settings: IdentitySettings, tumourFraction: number | null, altFrequency: number): GenotypeCall {
  const depth = s.refCount + s.altCount;
  if (depth < settings.minDepth) return { key: s.key, depth, genotype: null, confidence: 0 };
  const ll = genotypeLogLikelihoods(s.refCount, s.altCount, settings.errorRate, tumourFraction);
  const pr = genotypeLogPriors(altFrequency);
  const post = ll.map((l, g) => l + pr[g]);
  const order = [0, 1, 2].sort((x, y) => post[y] - post[x]);
  const confidence = (post[order[0]] - post[order[1]]) / Math.LN10;
  return {
    key: s.key,
    depth,
    genotype: confidence >= CALL_CONFIDENCE ? (order[0] as 0 | 1 | 2) : null,
    confidence: Math.round(confidence * 100) / 100,
  };
}
