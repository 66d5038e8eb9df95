/**
 * The one tumour-fraction definition of oligotrack, used by `count --summary`, the timeline, the
 * classification and the report (docs/methods/statistics.md §2).
 *
 * p̂ is the maximum-likelihood allele fraction shared by the clonal sites, given each site's
 * background rate e_i (the likelihood of the per-sample test, sample-test.ts, INVAR-like):
 *   logL(p) = Σ k_i log g_i + (n_i − k_i) log(1 − g_i),  g_i = p(1 − e_i) + (1 − p)e_i.
 * Tumour fraction = min(1, 2p̂): clonal heterozygous mutations in copy-neutral regions carry half of
 * the tumour's DNA (an assumption: loss of heterozygosity or gains at a site bias it).
 *
 * Interval: sites differ by more than binomial noise (copy number, capture, PCR), so the 95%
 * interval is the quasi-likelihood profile interval {p : 2(logL(p̂) − logL(p)) ≤ φ̂ · c}, with the
 * Pearson dispersion φ̂ = max(1, X²/(k − 1)) of the k sites with depth around the common fit and
 * c = F⁻¹(0.95; 1, k − 1) when φ̂ > 1 was estimated (Wedderburn 1974; McCullagh & Nelder 1989
 * §9.2), c = χ²₁(0.95) = 3.841 when k = 1 or φ̂ = 1. With one site, between-site variation cannot be
 * seen and the interval is the binomial one (coverage measured in docs/methods/accuracy.md).
 */
import { incompleteBeta } from './student-t.js';
import { type LocusData, logLik, mleFraction } from './locus-likelihood.js';

export const TUMOUR_FRACTION_METHOD =
  'tumour fraction = min(1, 2 x p), p the maximum-likelihood allele fraction shared by the clonal sites given their background rates ' +
  '(binomial likelihood over sites); 95% interval: quasi-likelihood profile interval with the Pearson dispersion across sites ' +
  '(phi = max(1, X2/(k-1)), F(1, k-1) quantile when phi > 1)';

const CHISQ1_95 = 3.841458820694124;

export interface TumourFractionEstimate {
  /** Tumour fraction 2p̂ (capped at 1) and its interval. */
  estimate: number;
  low: number;
  high: number;
  /** The shared allele fraction p̂ and its interval (not doubled). */
  allele_fraction: { estimate: number; low: number; high: number };
  /** Pearson dispersion φ̂ across the sites (1 = binomial). */
  dispersion: number;
  sites: number;
}

/** F⁻¹(q; 1, ν) = t⁻¹((1+q)/2; ν)², by bisection on the F(1, ν) CDF I_{x/(x+ν)}(½, ν/2). */
function fQuantile1(q: number, nu: number): number {
  let lo = 0;
  let hi = 1;
  const cdf = (x: number) => incompleteBeta(x / (x + nu), 0.5, nu / 2);
  while (cdf(hi) < q) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Pearson X² of the sites around the common fit p̂ and its df (sites with depth − 1). */
function pearson(d: LocusData, p: number): { x2: number; df: number } {
  let x2 = 0;
  let k = 0;
  for (let i = 0; i < d.n.length; i++) {
    if (!(d.n[i] > 0)) continue;
    k++;
    const g = p * (1 - d.e[i]) + (1 - p) * d.e[i];
    const v = d.n[i] * g * (1 - g);
    if (v > 0) x2 += (d.k[i] - d.n[i] * g) ** 2 / v;
  }
  return { x2, df: k - 1 };
}

/** The tumour fraction of one draw over the given loci (sites with depth 0 are ignored). */
export function tumourFraction(d: LocusData): TumourFractionEstimate {
  const used = [...d.n].map((_, i) => i).filter((i) => d.n[i] > 0);
  if (used.length === 0) {
    return { estimate: NaN, low: NaN, high: NaN, allele_fraction: { estimate: NaN, low: NaN, high: NaN }, dispersion: 1, sites: 0 };
  }
  const loci: LocusData = {
    n: Float64Array.from(used, (i) => d.n[i]),
    k: Float64Array.from(used, (i) => d.k[i]),
    e: Float64Array.from(used, (i) => d.e[i]),
  };
  const p = mleFraction(loci);
  const { x2, df } = pearson(loci, p);
  const phi = df > 0 ? Math.max(1, x2 / df) : 1;
  const c = phi > 1 ? phi * fQuantile1(0.95, df) : CHISQ1_95;
  const top = logLik(loci, p);
  const inside = (x: number): boolean => 2 * (top - logLik(loci, x)) <= c;
  const solve = (a: number, b: number): number => {
    for (let i = 0; i < 200 && Math.abs(b - a) > 1e-15 + 1e-12 * Math.abs(a); i++) {
      const mid = (a + b) / 2;
      if (inside(mid)) a = mid;
      else b = mid;
    }
    return (a + b) / 2;
  };
  const low = inside(0) ? 0 : solve(p, 0);
  const high = inside(1 - 1e-12) ? 1 : solve(p, 1 - 1e-12);
  const cap = (x: number) => Math.min(1, 2 * x);
  return {
    estimate: cap(p),
    low: cap(low),
    high: cap(high),
    allele_fraction: { estimate: p, low, high },
    dispersion: phi,
    sites: used.length,
  };
}
