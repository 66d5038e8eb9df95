/**
 * The fold of one draw over a pooled phase when the tumour level is log-normal between draws: the
 * pooled reference averages the draws' levels, not their logs, so the sampling estimate runs low by
 * E[log Σw_t e^{ε_t}] ≈ σ²(1 − Σw²)/2; the contrast's fold corrects it. Deep counts make the sampling
 * error negligible, so what is left is the between-draw part alone.
 */
import { describe, expect, it } from 'vitest';
import { contrastBound, makeContrast, pooledLogBias } from '../../src/timeline/longitudinal/contrast.js';
import { normalDraw, Xoshiro128 } from '../../src/stats/rng.js';

const DEPTH = 10_000_000;
const VAF = 0.05;

/** One site, `phaseDraws` stable draws then one more, levels VAF·e^ε with ε ~ N(0, σ²). */
function stableSeries(rng: Xoshiro128, sigma2: number, phaseDraws: number): { alt: number[][]; depth: number[][] } {
  const alt: number[] = [];
  const depth: number[] = [];
  for (let t = 0; t <= phaseDraws; t++) {
    alt.push(Math.round(DEPTH * VAF * Math.exp(Math.sqrt(sigma2) * normalDraw(rng))));
    depth.push(DEPTH);
  }
  return { alt: [alt], depth: [depth] };
}

describe('log-normal level: the pooled phase bias and its correction', () => {
  const sigma2 = Math.log1p(0.5 * 0.5); // CV 50%
  const phaseDraws = 7;
  const expectedBias = (-sigma2 * (1 - 1 / phaseDraws)) / 2; // −0.0956 to first order (−0.093 exactly)
  const n = 4000;

  it('stable series: the sampling λ̂ runs low by σ²(1 − Σw²)/2 and the contrast fold is unbiased', () => {
    const rng = new Xoshiro128(20261205);
    const phase = Array.from({ length: phaseDraws }, (_, t) => t);
    let raw = 0;
    let corrected = 0;
    let rawSq = 0;
    for (let i = 0; i < n; i++) {
      const { alt, depth } = stableSeries(rng, sigma2, phaseDraws);
      const c = makeContrast(alt, depth, phase, phaseDraws, sigma2, 1e6, 1);
      raw += c.sampled.logFold;
      rawSq += c.sampled.logFold ** 2;
      corrected += c.logFold;
      expect(c.levelShift).toBeCloseTo(-expectedBias, 2);
    }
    const meanRaw = raw / n;
    // SE of the mean of λ̂: √(σ²(1 + 1/m)/n) ≈ 0.0080; bounds at about 3 SE.
    const se = Math.sqrt((rawSq / n - meanRaw ** 2) / n);
    expect(se).toBeLessThan(0.01);
    expect(Math.abs(meanRaw - expectedBias)).toBeLessThan(3 * se);
    expect(Math.abs(corrected / n)).toBeLessThan(3 * se);
  });

  it('a real 2-fold rise: the 95% upper bound falls below 2 in about 5% of series, not more', () => {
    const rng = new Xoshiro128(7);
    const phase = Array.from({ length: phaseDraws }, (_, t) => t);
    let below = 0;
    let belowUncorrected = 0;
    for (let i = 0; i < n; i++) {
      const { alt, depth } = stableSeries(rng, sigma2, phaseDraws);
      alt[0][phaseDraws] *= 2;
      const c = makeContrast(alt, depth, phase, phaseDraws, sigma2, 1e6, 1);
      const upper = contrastBound(c, 0.95, 'high');
      if (upper < Math.log(2)) below++;
      if (upper - c.levelShift < Math.log(2)) belowUncorrected++;
    }
    // Nominal 5% (binomial SE 0.34% at n = 4,000): 3.9–6.1% holds it; without the correction ≈ 6.8%.
    expect(below / n).toBeGreaterThan(0.039);
    expect(below / n).toBeLessThan(0.061);
    expect(belowUncorrected / n).toBeGreaterThan(0.061);
  });

  it('B(σ², Σw²) against Monte-Carlo: close for σ² ≤ 0.5, never above the truth beyond', () => {
    const rng = new Xoshiro128(99);
    const sums = 100_000;
    for (const s2 of [0.1, 0.5, 1, 2]) {
      for (const m of [2, 3, 7]) {
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < sums; i++) {
          let total = 0;
          for (let t = 0; t < m; t++) total += Math.exp(Math.sqrt(s2) * normalDraw(rng));
          const x = Math.log(total / m);
          sum += x;
          sumSq += x * x;
        }
        const mean = sum / sums;
        const se = Math.sqrt((sumSq / sums - mean * mean) / sums);
        const b = pooledLogBias(s2, 1 / m);
        if (s2 <= 0.5) expect(Math.abs(b - mean), `σ² ${s2}, ${m} draws`).toBeLessThan(0.005 + 3 * se);
        else expect(b, `σ² ${s2}, ${m} draws`).toBeLessThan(mean + 3 * se);
        // The first-order form overshoots where the approximation matters.
        if (s2 >= 1) expect((s2 * (1 - 1 / m)) / 2).toBeGreaterThan(mean + 3 * se);
      }
    }
    expect(pooledLogBias(0.5, 1)).toBe(0);
    expect(pooledLogBias(0, 0.2)).toBe(0);
  });
});
