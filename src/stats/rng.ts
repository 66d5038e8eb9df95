/**
 * Small seeded PRNG for the Monte Carlo p-values of stats/ (xoshiro128**; Blackman & Vigna 2018).
 * stats/ owns its own generator so that a p-value never depends on another module's draw order:
 * the same input always gives the same p-value.
 */
import { binomLogPmf } from './binomial.js';

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

/** Standard normal by Box–Muller (one of the pair; no cached state, so draws depend only on the stream). */
export function normalDraw(rng: Xoshiro128): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via Gamma(shape+1)·U^(1/shape). */
export function gammaDraw(rng: Xoshiro128, shape: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return gammaDraw(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as Ga/(Ga + Gb). */
export function betaDraw(rng: Xoshiro128, a: number, b: number): number {
  const x = gammaDraw(rng, a);
  const y = gammaDraw(rng, b);
  return x + y > 0 ? x / (x + y) : a / (a + b);
}

/**
 * K ~ Binomial(n, p) for any n, p, exactly (up to rounding), in O(SD) steps: inversion that starts
 * at the mode and takes the pmf alternately from the right and the left until u is used up (a
 * chop-down search; the order of the terms does not change the distribution of the result).
 */
export function binomialDraw(rng: Xoshiro128, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialDraw(rng, n, 1 - p);
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const pMode = Math.exp(binomLogPmf(mode, n, p));
  let u = rng.next() - pMode;
  if (u < 0) return mode;
  let hi = mode;
  let lo = mode;
  let pHi = pMode;
  let pLo = pMode;
  while (hi < n || lo > 0) {
    if (hi < n) {
      pHi *= ((n - hi) / (hi + 1)) * (p / q);
      hi++;
      u -= pHi;
      if (u < 0) return hi;
    }
    if (lo > 0) {
      pLo *= (lo / (n - lo + 1)) * (q / p);
      lo--;
      u -= pLo;
      if (u < 0) return lo;
    }
    if (pHi < 1e-300 && pLo < 1e-300) break;
  }
  return mode; // u left over from rounding (< 1e-15): the mode is the likeliest value
}
