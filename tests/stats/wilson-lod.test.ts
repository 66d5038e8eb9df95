import { describe, expect, it } from 'vitest';
import { criticalCount } from '../../src/stats/binomial.js';
import { limitOfDetection, observedAltRate } from '../../src/stats/lod.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { sumTail, logPmfProduct } from './exact.js';

describe('Wilson interval', () => {
  // Newcombe 1998, Stat Med 17:857, Table I, method 3 (score interval without continuity correction).
  const table: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [k, n, lo, hi] of table) {
    it(`${k}/${n} → [${lo}, ${hi}]`, () => {
      const w = wilsonInterval(k, n);
      expect(w.low).toBeCloseTo(lo, 4);
      expect(w.high).toBeCloseTo(hi, 4);
    });
  }
  it('is [0, 1] without data and ends at exactly 0 / 1 at k = 0 / k = n', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilsonInterval(0, 1000).low).toBe(0);
    expect(wilsonInterval(1000, 1000).high).toBe(1);
  });
});

/** Power P(K ≥ c | n, g) by direct summation of log-product pmfs (independent of src/stats). */
function directPower(c: number, n: number, g: number): number {
  return sumTail((j) => logPmfProduct(j, n, g), c, Math.min(n, c + 2000));
}

describe('limit of detection', () => {
  it('meets its definition exactly: 95% power at the LoD, less just below it', () => {
    for (const [n, e, alpha] of [
      [1000, 1e-3, 0.01],
      [3000, 2e-4, 0.01],
      [10_000, 5e-4, 0.05],
    ] as const) {
      const lod = limitOfDetection(n, e, 0, alpha);
      const c = criticalCount(n, e, 0, alpha);
      expect(directPower(c, n, observedAltRate(lod, e))).toBeGreaterThanOrEqual(0.95 - 1e-9);
      expect(directPower(c, n, observedAltRate(lod * (1 - 1e-6), e))).toBeLessThan(0.95);
    }
  });

  it('rises with background and dispersion, falls with α and with 10× depth', () => {
    const base = limitOfDetection(3000, 2e-4, 0, 0.01);
    expect(limitOfDetection(3000, 1e-3, 0, 0.01)).toBeGreaterThan(base);
    expect(limitOfDetection(3000, 2e-4, 0.01, 0.01)).toBeGreaterThan(base);
    expect(limitOfDetection(3000, 2e-4, 0, 0.05)).toBeLessThan(base);
    expect(limitOfDetection(30_000, 2e-4, 0, 0.01)).toBeLessThan(base);
    // Across depths the LoD is a sawtooth (the critical count is an integer) but falls over any 2× step.
    for (let n = 500; n <= 64_000; n *= 2) expect(limitOfDetection(2 * n, 2e-4, 0, 0.01)).toBeLessThan(limitOfDetection(n, 2e-4, 0, 0.01));
  });

  it('is NaN where no VAF can be detected', () => {
    expect(limitOfDetection(0, 1e-3, 0, 0.01)).toBeNaN();
    expect(limitOfDetection(1, 0.5, 0, 0.01)).toBeNaN();
  });
});
