/** Gauss–Hermite quadrature over a standard normal: exact for polynomials up to degree 2n − 1. */
import { describe, expect, it } from 'vitest';
import { normalQuadrature } from '../../src/stats/gauss-hermite.js';

const expectation = (n: number, f: (z: number) => number): number => {
  const { nodes, weights } = normalQuadrature(n);
  return nodes.reduce((s, z, i) => s + weights[i] * f(z), 0);
};

describe('normalQuadrature', () => {
  it('integrates the normal moments exactly up to degree 2n − 1, and e^{aZ} to e^{a²/2}', () => {
    for (const n of [5, 12, 20]) {
      expect(
        expectation(n, () => 1),
        `n ${n}`,
      ).toBeCloseTo(1, 12);
      expect(
        expectation(n, (z) => z),
        `n ${n}`,
      ).toBeCloseTo(0, 12);
      expect(
        expectation(n, (z) => z * z),
        `n ${n}`,
      ).toBeCloseTo(1, 12);
      expect(
        expectation(n, (z) => z ** 4),
        `n ${n}`,
      ).toBeCloseTo(3, 10);
      expect(
        expectation(n, (z) => z ** 8),
        `n ${n}`,
      ).toBeCloseTo(105, 8);
      expect(
        expectation(n, (z) => Math.exp(0.5 * z)),
        `n ${n}`,
      ).toBeCloseTo(Math.exp(0.125), n >= 12 ? 12 : 6);
    }
    // Degree 2n is no longer exact: E[Z^10] = 945 with 5 nodes is off.
    expect(Math.abs(expectation(5, (z) => z ** 10) - 945)).toBeGreaterThan(1);
  });
});
