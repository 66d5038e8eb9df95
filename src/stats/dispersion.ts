/**
 * Method-of-moments estimate of the beta-binomial intra-class correlation ρ from units (normal
 * samples of one site, or positions of one substitution class) with alt counts x_i of depth n_i
 * (Kleinman 1973, J Am Stat Assoc 68:46): with μ̂ = Σx/Σn and S = Σ n_i (x_i/n_i − μ̂)²,
 *   ρ̂ = (S / (μ̂(1−μ̂)) − (k−1)) / (N − Σn_i²/N − (k−1)),   N = Σ n_i, k = number of units.
 * Clamped to [0, MAX_DISPERSION]: a negative estimate means no over-dispersion was seen.
 */
export const MAX_DISPERSION = 0.1;

export function momDispersion(alt: ArrayLike<number>, depth: ArrayLike<number>): number {
  const rho = momIcc(alt, depth);
  return Number.isNaN(rho) ? 0 : Math.min(MAX_DISPERSION, Math.max(0, rho));
}

/**
 * The same estimator, unclamped: negative when the units vary less than binomial noise (an
 * estimate, not a fact; the panel of normals shrinks it toward its class rather than cutting it at
 * 0), NaN with fewer than two units or no alt read (no information).
 */
export function momIcc(alt: ArrayLike<number>, depth: ArrayLike<number>): number {
  let units = 0;
  let N = 0;
  let X = 0;
  let sumN2 = 0;
  for (let i = 0; i < alt.length; i++) {
    if (depth[i] <= 0) continue;
    units++;
    N += depth[i];
    X += alt[i];
    sumN2 += depth[i] * depth[i];
  }
  if (units < 2 || X === 0 || X === N) return NaN;
  const mu = X / N;
  let S = 0;
  for (let i = 0; i < alt.length; i++) {
    if (depth[i] <= 0) continue;
    const d = alt[i] / depth[i] - mu;
    S += depth[i] * d * d;
  }
  const denom = N - sumN2 / N - (units - 1);
  if (denom <= 0) return NaN;
  return (S / (mu * (1 - mu)) - (units - 1)) / denom;
}

/**
 * The moment equation of momIcc in variance units, for pooling groups (the sites of a class):
 *   num = S − (k−1)·μ̂(1−μ̂),   den = (N − Σn_i²/N − (k−1))·μ̂(1−μ̂),   E[num] = ρ·E[den],
 * so ρ̂ = Σ num / Σ den over the groups (a pooled moment estimate). Dividing each group's S by its
 * own μ̂(1−μ̂) first (the ratio form of momIcc) is biased low when alt reads are sparse, because S
 * and μ̂ rise together: at 3,000× and a background of 1e-4 (0.3 expected alt reads per sample) the
 * ratio form pooled over 40 sites gave 4.7–7.6e-4 for a true ρ = 1e-3 with 5–50 samples, this form
 * 0.93–1.0e-3 (200 simulated panels each). A group without an alt read adds 0 to both sums (it is
 * part of the average, not left out of it). null with fewer than two units.
 */
export function momIccParts(alt: ArrayLike<number>, depth: ArrayLike<number>): { num: number; den: number } | null {
  let units = 0;
  let N = 0;
  let X = 0;
  let sumN2 = 0;
  for (let i = 0; i < alt.length; i++) {
    if (depth[i] <= 0) continue;
    units++;
    N += depth[i];
    X += alt[i];
    sumN2 += depth[i] * depth[i];
  }
  if (units < 2) return null;
  const mu = X / N;
  let S = 0;
  for (let i = 0; i < alt.length; i++) {
    if (depth[i] <= 0) continue;
    const d = alt[i] / depth[i] - mu;
    S += depth[i] * d * d;
  }
  const v = mu * (1 - mu);
  const den = (N - sumN2 / N - (units - 1)) * v;
  if (N - sumN2 / N - (units - 1) <= 0) return null;
  return { num: S - (units - 1) * v, den };
}
