/**
 * Seeded pseudo-random numbers for the simulator and tests: xoshiro128** (Blackman & Vigna 2018,
 * https://prng.di.unimi.it/xoshiro128starstar.c) seeded through splitmix32. 32-bit integer
 * arithmetic only, so every platform and Node version gives the same stream for a seed.
 */
import { Xoshiro128 } from '../stats/rng.js';

/** Hash of a string to 32 bits (FNV-1a), e.g. to derive a per-contig seed from its name. */
export function hashString32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes two 32-bit values into one (murmur3 finaliser), for position-keyed hashing. */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The generator of stats/rng.ts (the same xoshiro128** with splitmix32 seeding, one implementation
 * in the tree) with the draws the simulator needs. `nextUint32` is its `nextU32`; the 53-bit
 * `next()` it inherits is not used here, so simulated BAMs are unchanged by sharing it.
 */
export class Rng extends Xoshiro128 {
  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    return this.nextU32();
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal (Box–Muller; one value per call, the pair's second discarded for simplicity). */
  normal(mean = 0, sd = 1): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson draw: Knuth's product method for small means, a rounded normal above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Binomial draw: exact by Bernoulli trials up to n = 64, else via Poisson/normal approximations. */
  binomial(n: number, p: number): number {
    if (n <= 64) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.float() < p) k++;
      return k;
    }
    if (n * p < 30) return Math.min(n, this.poisson(n * p));
    if (n * (1 - p) < 30) return n - Math.min(n, this.poisson(n * (1 - p)));
    return Math.min(n, Math.max(0, Math.round(this.normal(n * p, Math.sqrt(n * p * (1 - p))))));
  }

  /** A new generator whose stream is independent of this one's future draws. */
  fork(): Rng {
    return new Rng(this.nextUint32() ^ mix32(this.nextUint32(), 0x5bd1e995));
  }
}

export function createRng(seed: number): Rng {
  return new Rng(seed);
}

/**
 * mulberry32: a tiny seeded generator of uniform [0, 1) doubles, for test data and the benchmark
 * BAM, where a one-line-per-draw closure is handier than the simulator's xoshiro stream.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
