/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} p_(j)·m/j, capped at 1, in
 * the input order. Rejecting q ≤ α controls the false-discovery rate at α for independent or
 * positively dependent tests (Benjamini & Hochberg, J R Stat Soc B 1995;57:289-300). Non-finite
 * p-values are treated as 1.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues
    .map((p, i) => ({ p: Number.isFinite(p) ? Math.min(Math.max(p, 0), 1) : 1, i }))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    running = Math.min(running, (order[r].p * m) / (r + 1));
    q[order[r].i] = running;
  }
  return q;
}
