import { describe, expect, it } from 'vitest';
import { bhAdjust, holmAdjust } from '../../src/stats/multiplicity.js';
import { incompleteBeta, normalCdf, normalQuantile, studentCdf, studentQuantile, studentUpper } from '../../src/stats/student-t.js';

describe('normal and Student t', () => {
  it('match published quantiles (Abramowitz & Stegun Table 26.10; R qt)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    const table: [number, number, number][] = [
      [0.975, 1, 12.70620473617471],
      [0.975, 2, 4.302652729749464],
      [0.99, 4, 3.746947387979197],
      [0.95, 10, 1.812461122811676],
      [0.975, 30, 2.042272456301238],
    ];
    for (const [p, nu, q] of table) expect(studentQuantile(p, nu)).toBeCloseTo(q, 9);
    expect(studentQuantile(0.5, 3.3)).toBe(0);
    expect(studentQuantile(0.025, 7)).toBeCloseTo(-studentQuantile(0.975, 7), 12);
  });
  it('the CDF inverts the quantile, for non-integer df too', () => {
    for (const nu of [1.3, 2.5, 7.7, 40, 1e8])
      for (const p of [0.01, 0.2, 0.9, 0.999]) expect(studentCdf(studentQuantile(p, nu), nu)).toBeCloseTo(p, 10);
    expect(studentUpper(1.96, Infinity)).toBeCloseTo(1 - normalCdf(1.96), 14);
    // t with 1 df is Cauchy: P(T > 1) = 1/4.
    expect(studentUpper(1, 1)).toBeCloseTo(0.25, 13);
    expect(incompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 4);
  });
});

describe('Holm and Benjamini–Hochberg', () => {
  it('Holm: step-down, monotone, capped at 1, order kept, NaN ignored', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, NaN])).toEqual([0.03, 0.06, 0.06, NaN]);
    expect(holmAdjust([0.6, 0.2])).toEqual([0.6, 0.4]);
  });
  it('BH: step-up (R p.adjust method "BH")', () => {
    const q = bhAdjust([0.01, 0.04, 0.03, 0.2]);
    expect(q.map((x) => Number(x.toFixed(6)))).toEqual([0.04, 0.053333, 0.053333, 0.2]);
  });
});
