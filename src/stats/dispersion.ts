import { logSumExp } from '../util/log-sum-exp.js';
import { lgamma } from './binomial.js';

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

/**
 * Grid of between-normal ICCs ρ over which a class's dispersion is integrated: 0, then 1e-5 to
 * 3.2e-2 in steps of 10^(1/6) (×1.47). At 3,000× the variance inflation 1 + (n−1)ρ runs from 1.03
 * to 97 over the grid. With 50 normals the posterior sits on one or two grid points; one step in ρ
 * moves the beta-binomial tail near 1% at 0.3 expected reads by about 20%, and a true ρ between two
 * points gets weight on both (the measured sizes with 50 normals are in docs/methods/accuracy.md).
 */
export const RHO_GRID: readonly number[] = [0, ...Array.from({ length: 22 }, (_, i) => 1e-5 * 10 ** (i / 6))];

/** Posterior of a class's ICC on RHO_GRID (weights sum to 1; components below 1e-6 dropped). */
export interface DispersionPosterior {
  rho: number[];
  weight: number[];
}

/** Counts of one site in the normals that do not carry it (one entry per normal). */
export interface SiteUnits {
  alt: ArrayLike<number>;
  depth: ArrayLike<number>;
}

/** Quadrature nodes over a site's rate μ ~ Beta(mean·A, (1−mean)·A): log-spaced, weights ∝ density·μ. */
const RATE_NODES = 32;
/** Sites of a class used for its posterior (evenly spaced): the log-likelihood is a sum over sites, and 200 sites already pin ρ far below the grid step; the cap bounds the build time of a genome-wide PoN. */
export const MAX_POSTERIOR_SITES = 200;
const MIN_WEIGHT = 1e-6;

function rateNodes(mean: number, strength: number): { mu: number[]; logW: number[] } {
  if (!Number.isFinite(strength) || !(mean > 0) || !(mean < 1)) return { mu: [mean], logW: [0] };
  const a = mean * strength;
  const b = (1 - mean) * strength;
  // sd of log μ under the Beta ≈ √trigamma(a) ≈ √(1/a + 1/(2a²)); the lower tail of log μ is the long one.
  const sd = Math.sqrt(1 / a + 1 / (2 * a * a));
  const lo = Math.log(mean) - 7 * sd - 0.5;
  const hi = Math.min(Math.log(mean) + 4 * sd + 0.5, Math.log(0.5));
  const mu: number[] = [];
  const logW: number[] = [];
  for (let q = 0; q < RATE_NODES; q++) {
    const lm = lo + ((q + 0.5) * (hi - lo)) / RATE_NODES;
    const m = Math.exp(lm);
    mu.push(m);
    logW.push(a * lm + (b - 1) * Math.log1p(-m));
  }
  const top = Math.max(...logW);
  let sum = 0;
  for (const w of logW) sum += Math.exp(w - top);
  return { mu, logW: logW.map((w) => w - top - Math.log(sum)) };
}

/** log P(x | n, μ, ρ) up to the binomial coefficient (constant in μ and ρ). */
function logKernel(x: number, n: number, mu: number, rho: number): number {
  if (rho <= 0) return x * Math.log(mu) + (n - x) * Math.log1p(-mu);
  const s = (1 - rho) / rho;
  const a = mu * s;
  const b = (1 - mu) * s;
  return lgamma(x + a) - lgamma(a) + lgamma(n - x + b) - lgamma(b) + lgamma(a + b) - lgamma(n + a + b);
}

/**
 * Posterior of a class's between-normal ICC ρ on RHO_GRID, with each site's own rate integrated out
 * under the class prior Beta(mean·A, (1−mean)·A) (32-node quadrature):
 *   log L(ρ) = Σ_sites log ∫ Π_normals BB(x_j | n_j, μ, ρ) Beta(μ) dμ,
 * prior uniform over the grid (log-uniform on 1e-5–3.2e-2, plus ρ = 0 with the weight of one step).
 * Integrating μ rather than plugging in each site's own rate avoids the downward bias of a profile
 * with one nuisance rate per site (Neyman–Scott), and the whole posterior, not a point, is kept:
 * with 5 normals and 0.3 expected alt reads per normal the class ICC is known only to within a
 * factor of about 2, and the test's tail is convex in ρ, so a plug-in ρ̂ makes the test liberal.
 */
export function dispersionPosterior(sites: SiteUnits[], mean: number, strength: number): DispersionPosterior {
  const step = sites.length > MAX_POSTERIOR_SITES ? sites.length / MAX_POSTERIOR_SITES : 1;
  const used: SiteUnits[] = [];
  for (let t = 0; t < sites.length && used.length < MAX_POSTERIOR_SITES; t += step) used.push(sites[Math.floor(t)]);
  const nodes = rateNodes(mean, strength);
  const logPost = RHO_GRID.map(() => 0);
  const terms = new Array<number>(nodes.mu.length);
  // The nodes are the class's, so one (alt, depth) pair has the same kernel at every site of it.
  const kernels = new Map<string, Float64Array>();
  const kernel = (x: number, n: number): Float64Array => {
    const key = `${x}/${n}`;
    let k = kernels.get(key);
    if (!k) {
      k = new Float64Array(RHO_GRID.length * nodes.mu.length);
      for (let g = 0; g < RHO_GRID.length; g++)
        for (let q = 0; q < nodes.mu.length; q++) k[g * nodes.mu.length + q] = logKernel(x, n, nodes.mu[q], RHO_GRID[g]);
      kernels.set(key, k);
    }
    return k;
  };
  for (const site of used) {
    // Normals with the same (alt, depth) share one kernel value.
    const pairs = new Map<string, { x: number; n: number; times: number }>();
    for (let j = 0; j < site.alt.length; j++) {
      if (!(site.depth[j] > 0)) continue;
      const key = `${site.alt[j]}/${site.depth[j]}`;
      const p = pairs.get(key);
      if (p) p.times++;
      else pairs.set(key, { x: site.alt[j], n: site.depth[j], times: 1 });
    }
    if (pairs.size === 0) continue;
    const parts = [...pairs.values()].map((p) => ({ times: p.times, k: kernel(p.x, p.n) }));
    for (let g = 0; g < RHO_GRID.length; g++) {
      const base = g * nodes.mu.length;
      for (let q = 0; q < nodes.mu.length; q++) {
        let l = nodes.logW[q];
        for (const p of parts) l += p.times * p.k[base + q];
        terms[q] = l;
      }
      logPost[g] += logSumExp(terms);
    }
  }
  const norm = logSumExp(logPost);
  const rho: number[] = [];
  const weight: number[] = [];
  let kept = 0;
  RHO_GRID.forEach((r, g) => {
    const w = Math.exp(logPost[g] - norm);
    if (w < MIN_WEIGHT) return;
    rho.push(r);
    weight.push(w);
    kept += w;
  });
  return { rho, weight: weight.map((w) => w / kept) };
}

/** Posterior mean of ρ. */
export function posteriorMean(p: DispersionPosterior): number {
  let m = 0;
  for (let g = 0; g < p.rho.length; g++) m += p.rho[g] * p.weight[g];
  return m;
}
