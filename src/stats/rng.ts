/**
 * Small seeded PRNG for the Monte Carlo p-values of stats/ (xoshiro128**; Blackman & Vigna 2018).
 * stats/ owns its own generator so that a p-value never depends on another module's draw order:
 * the same input always gives the same p-value.
 */
/** Below this many expected background reads, p-values are by Monte Carlo, not chi-bar-square. */
export const MC_EXPECTED_BACKGROUND = 20;

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    // splitmix32 expands the seed into the four state words (an all-zero state would stick at 0).
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Cumulative table for drawing K ~ Binomial(n, p) by inversion when n·p is small (the null of the
 * integrated test: background counts). Covers k up to where the upper tail is < 1e-15.
 */
export function binomialCdfTable(n: number, p: number): Float64Array {
  const out: number[] = [];
  if (p <= 0 || n === 0) return Float64Array.of(1);
  let pmf = Math.exp(n * Math.log1p(-p));
  let cdf = pmf;
  out.push(cdf);
  for (let k = 0; k < n && 1 - cdf > 1e-15; k++) {
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
    cdf += pmf;
    out.push(cdf);
    if (out.length > 1_000_000) break;
  }
  out[out.length - 1] = Math.max(out[out.length - 1], 1);
  return Float64Array.from(out);
}

/** Draws from a cumulative table (smallest k with u < cdf[k]). */
export function drawFromCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
