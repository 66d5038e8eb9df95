import { describe, expect, it } from 'vitest';
import {
  betaBinomLogUpperTail,
  betaBinomShape,
  binomLogPmf,
  binomLogUpperTail,
  binomUpperTail,
  chiSq1UpperTail,
  criticalCount,
  lgamma,
} from '../../src/stats/binomial.js';
import { betaBinomLogPmfProduct, exactBinomUpperTail, logPmfProduct, sumTail } from './exact.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('binomial tails against exact rational sums', () => {
  const cases: [number, number, number, number][] = [
    // k, n, a, b  (p = a/b)
    [5, 1000, 1, 1000],
    [1, 1000, 1, 1000],
    [0, 50, 1, 3],
    [30, 2000, 3, 1000],
    [100, 1000, 1, 1000], // a tail near 1e-160
    [40, 100, 1, 2], // below the mean: complement path
    [60, 100, 1, 2],
    [3, 3000, 1, 50000], // plasma-like: background 2e-5
    [12, 3000, 1, 1000],
  ];
  for (const [k, n, a, b] of cases) {
    it(`P(X ≥ ${k} | n=${n}, p=${a}/${b})`, () => {
      const exact = exactBinomUpperTail(k, n, a, b);
      expect(rel(binomUpperTail(k, n, a / b), exact)).toBeLessThan(1e-12);
    });
  }

  it('handles the edges exactly', () => {
    expect(binomUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomUpperTail(1, 10, 0)).toBe(0);
    expect(binomUpperTail(10, 10, 1)).toBe(1);
  });

  it('is accurate at n = 1e6 against a log-product pmf summed term by term', () => {
    const n = 1_000_000;
    const p = 1e-4; // mean 100
    for (const k of [120, 150, 250]) {
      const ref = sumTail((j) => logPmfProduct(j, n, p), k, 600);
      expect(rel(binomUpperTail(k, n, p), ref)).toBeLessThan(1e-9);
    }
    // pmf itself
    expect(rel(binomLogPmf(137, n, p), logPmfProduct(137, n, p))).toBeLessThan(1e-12);
  });

  it('log tail stays finite where the tail underflows a double', () => {
    const lt = binomLogUpperTail(500, 10_000, 1e-4); // ~1e-1600
    const direct = logPmfProduct(500, 10_000, 1e-4);
    expect(Number.isFinite(lt)).toBe(true);
    // The tail is dominated by its first term here (ratio ~ 2e-3).
    expect(Math.abs(lt - direct)).toBeLessThan(0.01);
  });
});

describe('lgamma', () => {
  it('matches log((n−1)!) at integers and √π at ½', () => {
    let lf = 0;
    for (let n = 2; n <= 170; n++) {
      lf += Math.log(n - 1);
      expect(Math.abs(lgamma(n) - lf)).toBeLessThan(1e-12 * Math.max(1, lf));
    }
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
  });
});

describe('beta-binomial tail against direct summation', () => {
  const cases: [number, number, number, number][] = [
    // k, n, mu, rho
    [3, 500, 1e-3, 0.01],
    [10, 500, 2e-3, 0.002],
    [1, 200, 5e-3, 0.05],
    [25, 400, 0.05, 0.02],
    [5, 400, 0.05, 0.02], // below the mean
  ];
  for (const [k, n, mu, rho] of cases) {
    it(`P(X ≥ ${k} | n=${n}, μ=${mu}, ρ=${rho})`, () => {
      const { a, b } = betaBinomShape(mu, rho);
      const ref = sumTail((j) => betaBinomLogPmfProduct(j, n, a, b), k, n);
      expect(rel(Math.exp(betaBinomLogUpperTail(k, n, mu, rho)), ref)).toBeLessThan(1e-9);
    });
  }

  it('is wider than the binomial (over-dispersion makes high counts likelier)', () => {
    expect(betaBinomLogUpperTail(8, 1000, 1e-3, 0.01)).toBeGreaterThan(binomLogUpperTail(8, 1000, 1e-3));
  });
});

describe('critical count', () => {
  it('is the smallest c with P(X ≥ c) ≤ α', () => {
    for (const [n, e, alpha] of [
      [1000, 1e-3, 0.01],
      [3000, 2e-4, 0.05],
      [10_000, 5e-4, 0.001],
      [50, 0.01, 0.01],
    ] as const) {
      const c = criticalCount(n, e, 0, alpha);
      expect(binomUpperTail(c, n, e)).toBeLessThanOrEqual(alpha);
      expect(binomUpperTail(c - 1, n, e)).toBeGreaterThan(alpha);
    }
  });
});

describe('chi-square(1) tail', () => {
  it('matches tabulated quantiles', () => {
    // Standard table: χ²₁ upper 5% = 3.841459, 1% = 6.634897, 0.1% = 10.827566
    expect(chiSq1UpperTail(3.841458820694124)).toBeCloseTo(0.05, 12);
    expect(chiSq1UpperTail(6.6348966010212145)).toBeCloseTo(0.01, 12);
    expect(rel(chiSq1UpperTail(10.827566170662733), 0.001)).toBeLessThan(1e-9);
  });
});
