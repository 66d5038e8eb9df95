import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/classify/multiplicity.js';

/** BH from its definition: q_i = min over j with p_j ≥ p_i of p_j·m/rank_j (ranks 1..m, ties by index). */
function bhByDefinition(p: number[]): number[] {
  const m = p.length;
  const ranked = p.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const rank = new Map(ranked.map((r, k) => [r.i, k + 1]));
  return p.map((_, i) => Math.min(1, ...ranked.filter((r) => rank.get(r.i)! >= rank.get(i)!).map((r) => (r.x * m) / rank.get(r.i)!)));
}

describe('Benjamini–Hochberg', () => {
  it('a worked example', () => {
    benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]).forEach((q, i) => expect(q).toBeCloseTo([0.025, 0.05, 0.05, 0.025, 0.5][i], 15));
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([Number.NaN, 0.01])).toEqual([1, 0.02]);
  });

  it('matches the definition, never lowers a p-value and keeps the order of the p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), (p) => {
        const q = benjaminiHochberg(p);
        const ref = bhByDefinition(p);
        q.forEach((x, i) => {
          expect(x).toBeCloseTo(ref[i], 12);
          expect(x).toBeGreaterThanOrEqual(p[i] - 1e-15);
        });
        for (let i = 0; i < p.length; i++)
          for (let j = 0; j < p.length; j++) if (p[i] < p[j]) expect(q[i]).toBeLessThanOrEqual(q[j] + 1e-15);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
