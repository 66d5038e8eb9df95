import { describe, expect, it } from 'vitest';
import { binomialOptimumPower } from '../../src/stats/optimum.js';
import { exactBinomUpperTail } from './exact.js';

describe('binomial Neyman–Pearson optimum', () => {
  it('has exactly size α and beats the non-randomised threshold test', () => {
    // n = 1000, e = 1/1000, α = 0.01: exact tails decide the boundary; the optimum's power must
    // lie between the power of the threshold tests at c and c − 1.
    const n = 1000;
    let c = 1;
    while (exactBinomUpperTail(c, n, 1, 1000) > 0.01) c++;
    const g = 5 / 1000;
    const powerC = exactBinomUpperTail(c, n, 5, 1000);
    const powerC1 = exactBinomUpperTail(c - 1, n, 5, 1000);
    const opt = binomialOptimumPower(n, 1e-3, g, 0.01);
    expect(opt).toBeGreaterThan(powerC);
    expect(opt).toBeLessThan(powerC1);
    // The randomisation weight that makes the size exactly α, applied to the alternative.
    const sizeC = exactBinomUpperTail(c, n, 1, 1000);
    const sizeC1 = exactBinomUpperTail(c - 1, n, 1, 1000);
    const gamma = (0.01 - sizeC) / (sizeC1 - sizeC);
    expect(opt).toBeCloseTo(powerC + gamma * (powerC1 - powerC), 12);
  });
  it('equals α when the alternative is the null', () => {
    expect(binomialOptimumPower(3000, 2e-4, 2e-4, 0.01)).toBeCloseTo(0.01, 12);
  });
});
