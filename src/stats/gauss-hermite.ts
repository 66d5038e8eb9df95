/**
 * Gauss–Hermite quadrature for expectations over a standard normal: E[f(Z)] ≈ Σ_i w_i f(z_i).
 * Nodes are the roots of the Hermite polynomial H_n, found by Newton's method from the usual
 * asymptotic starting points (Press et al., Numerical Recipes, 3rd ed., §4.6, `gauher`, with the
 * orthonormal recurrence), then scaled to the standard normal (z = √2 x, w = w_x/√π).
 */
export interface Quadrature {
  nodes: Float64Array;
  weights: Float64Array;
}

const cache = new Map<number, Quadrature>();

export function normalQuadrature(n: number): Quadrature {
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const pim4 = Math.PI ** -0.25;
  let z = 0;
  for (let i = 0; i < (n + 1) >> 1; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let slope = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      slope = Math.sqrt(2 * n) * p2;
      const before = z;
      z = before - p1 / slope;
      if (Math.abs(z - before) <= 1e-14) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (slope * slope);
    w[n - 1 - i] = w[i];
  }
  const q: Quadrature = { nodes: x.map((v) => Math.SQRT2 * v), weights: w.map((v) => v / Math.sqrt(Math.PI)) };
  cache.set(n, q);
  return q;
}
