/**
 * The likelihood of a tumour allele fraction p over a sample's tumour-informed sites, shared by the
 * per-sample test (sample-test.ts) and the tumour-fraction estimate (tumour-fraction.ts): site i
 * has depth n_i, alt count k_i and background e_i; the alt rate is g_i = p(1−e_i) + (1−p)e_i and
 *   logL(p) = Σ k_i log g_i + (n_i − k_i) log(1 − g_i)        (binomial; concave in p).
 */

export interface LocusData {
  n: Float64Array;
  k: Float64Array;
  e: Float64Array;
}

export function logLik(d: LocusData, p: number): number {
  let s = 0;
  for (let i = 0; i < d.n.length; i++) {
    const g = p * (1 - d.e[i]) + (1 - p) * d.e[i];
    if (d.k[i] > 0) s += d.k[i] * Math.log(g);
    if (d.n[i] > d.k[i]) s += (d.n[i] - d.k[i]) * Math.log1p(-g);
  }
  return s;
}

/** d logL / dp. */
function score(d: LocusData, p: number): number {
  let s = 0;
  for (let i = 0; i < d.n.length; i++) {
    const e = d.e[i];
    const g = p * (1 - e) + (1 - p) * e;
    s += (1 - 2 * e) * (d.k[i] / g - (d.n[i] - d.k[i]) / (1 - g));
  }
  return s;
}

/** d² logL / dp² (negative: logL is concave). */
function curvature(d: LocusData, p: number): number {
  let s = 0;
  for (let i = 0; i < d.n.length; i++) {
    const e = d.e[i];
    const g = p * (1 - e) + (1 - p) * e;
    const w = (1 - 2 * e) * (1 - 2 * e);
    s -= w * (d.k[i] / (g * g) + (d.n[i] - d.k[i]) / ((1 - g) * (1 - g)));
  }
  return s;
}

/**
 * Maximum-likelihood tumour allele fraction on [0, 1]: Newton steps on the (decreasing) score,
 * kept inside a bisection bracket, to a relative width of 1e-12 (typically 6–10 steps).
 */
export function mleFraction(d: LocusData): number {
  if (score(d, 0) <= 0) return 0;
  let lo = 0;
  let hi = 1 - 1e-12;
  if (score(d, hi) >= 0) return hi;
  // Start from the pooled excess alt fraction, a good first guess.
  let N = 0;
  let K = 0;
  let E = 0;
  for (let i = 0; i < d.n.length; i++) {
    N += d.n[i];
    K += d.k[i];
    E += d.n[i] * d.e[i];
  }
  let p = Math.min(hi / 2, Math.max((K - E) / Math.max(N, 1), 1e-9));
  for (let it = 0; it < 200; it++) {
    const sc = score(d, p);
    if (sc > 0) lo = p;
    else hi = p;
    if (hi - lo <= 1e-12 * hi) break;
    let next = p - sc / curvature(d, p);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - p) <= 1e-13 * p) {
      p = next;
      break;
    }
    p = next;
  }
  return p;
}
