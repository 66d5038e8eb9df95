/**
 * Multiplicity adjustments.
 * - Holm (1979, Scand J Stat 6:65): step-down family-wise error control, used where one decision
 *   scans several tests (rule 3 over the window draws): adjusted p_(j) = max_{k ≤ j} (m−k+1)·p_(k).
 * - Benjamini–Hochberg (1995, JRSS B 57:289): false discovery rate across many parallel tests
 *   (per-site events): adjusted p_(j) = min_{k ≥ j} m·p_(k)/k.
 * Both take p-values in any order and return the adjusted ones in the same order, capped at 1.
 * NaN entries (tests that could not be made) are left NaN and do not count in m.
 */

function order(p: readonly number[]): number[] {
  return p
    .map((_, i) => i)
    .filter((i) => !Number.isNaN(p[i]))
    .sort((a, b) => p[a] - p[b] || a - b);
}

export function holmAdjust(p: readonly number[]): number[] {
  const idx = order(p);
  const m = idx.length;
  const out = p.map(() => NaN);
  let running = 0;
  idx.forEach((i, j) => {
    running = Math.max(running, Math.min(1, (m - j) * p[i]));
    out[i] = running;
  });
  return out;
}

export function bhAdjust(p: readonly number[]): number[] {
  const idx = order(p);
  const m = idx.length;
  const out = p.map(() => NaN);
  let running = 1;
  for (let j = m - 1; j >= 0; j--) {
    const i = idx[j];
    running = Math.min(running, (m * p[i]) / (j + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}
