import { describe, expect, it } from 'vitest';
import { summarizeSample } from '../../src/stats/sample-test.js';
import { TUMOUR_FRACTION_METHOD, tumourFraction } from '../../src/stats/tumour-fraction.js';
import { Xoshiro128, binomialDraw, betaDraw } from '../../src/stats/rng.js';
import { called } from './helpers.js';

const loci = (k: number[], n: number[], e = 1e-4) => ({
  n: Float64Array.from(n),
  k: Float64Array.from(k),
  e: Float64Array.from(n, () => e),
});

describe('the one tumour-fraction definition', () => {
  it('is 2 × the shared allele fraction given the background, capped at 1', () => {
    const tf = tumourFraction(loci([60, 60], [3000, 3000]));
    expect(tf.allele_fraction.estimate).toBeCloseTo((0.02 - 1e-4) / (1 - 2e-4), 10);
    expect(tf.estimate).toBeCloseTo(2 * tf.allele_fraction.estimate, 12);
    expect(tumourFraction(loci([2900], [3000])).estimate).toBe(1);
    expect(tf.dispersion).toBe(1);
  });

  it('widens its interval when sites disagree by more than binomial noise (quasi-likelihood)', () => {
    const even = tumourFraction(loci([60, 60, 60, 60], [3000, 3000, 3000, 3000]));
    const spread = tumourFraction(loci([20, 100, 40, 80], [3000, 3000, 3000, 3000]));
    expect(spread.dispersion).toBeGreaterThan(5);
    expect(spread.high - spread.low).toBeGreaterThan(3 * (even.high - even.low));
  });

  it('is what count --summary reports (sample-test), with its method string', () => {
    const rows = [called(3000, 60, 1e-4), called(3000, 58, 1e-4)];
    const s = summarizeSample(rows, { sample: 'x', alpha: 0.01, siteAlpha: 0.01, minDepth: 100, background: 'pon' });
    const tf = tumourFraction(loci([60, 58], [3000, 3000]));
    expect(s.tumour_fraction).toEqual({ estimate: tf.estimate, low: tf.low, high: tf.high });
    expect(s.settings.tumour_fraction_method).toBe(TUMOUR_FRACTION_METHOD);
  });

  it('covers the true tumour fraction about 95% of the time with over-dispersed sites (4 sites, ICC 2e-4)', () => {
    const rng = new Xoshiro128(3);
    let inside = 0;
    const n = 2000;
    for (let r = 0; r < n; r++) {
      const k = [0, 1, 2, 3].map(() => binomialDraw(rng, 3000, betaDraw(rng, (0.01 * (1 - 2e-4)) / 2e-4, (0.99 * (1 - 2e-4)) / 2e-4)));
      const tf = tumourFraction(loci(k, [3000, 3000, 3000, 3000], 0));
      if (tf.low <= 0.02 && 0.02 <= tf.high) inside++;
    }
    expect(inside / n).toBeGreaterThan(0.92);
    expect(inside / n).toBeLessThan(0.99);
  });
});
