/**
 * Per-sample integrated test over the tumour-informed sites (the approach of INVAR, Wan et al. 2020
 * Sci Transl Med 12:eaaz8084, reimplemented from the paper): each site i has depth n_i, alt count k_i
 * and background e_i; at tumour allele fraction p the alt rate is g_i = p(1−e_i) + (1−p)e_i, and
 *   logL(p) = Σ k_i log g_i + (n_i − k_i) log(1 − g_i)        (binomial; concave in p).
 * p̂ maximises logL on [0, 1]; the statistic is T = 2(logL(p̂) − logL(0)).
 *
 * p-value. p = 0 is on the boundary, so the asymptotic null of T is the chi-bar-square ½χ²₀ + ½χ²₁
 * (Self & Liang 1987): p = ½·P(χ²₁ ≥ T). That holds when background counts are large; with few
 * expected background reads (Σ n_i e_i < 20, the usual case with UMIs) it is anti-conservative
 * (one site, n = 30,000, e = 2e-5, k = 3: chi-bar gives 0.014, the exact tail 0.023), so the
 * p-value is then a seeded Monte Carlo under the null (k_i ~ Binomial(n_i, e_i)), up to 4,000 draws
 * stopped after 20 exceedances (Besag & Clifford 1991 sequential p-value). Same input, same p-value.
 *
 * Background uncertainty (decision record 0043). The e_i are estimates: a PoN that saw 14 alt
 * families in 510,000 has a rate known to ±27%, and every site that uses the same estimate (one
 * PoN site, or one substitution class) is off by the same factor, so treating e_i as known makes
 * the test liberal (6/400 false positives at α = 0.01 in the accuracy run). The statistic T keeps
 * the point estimates; its null distribution is the predictive one: per Monte Carlo draw, each
 * shared estimate g draws its rate μ_g ~ Beta(e_g·A_g, (1−e_g)·A_g) (A_g = observations behind it),
 * each site its own rate ~ Beta(mean μ_g, ICC ρ_i) when the background is over-dispersed, then
 * k_i ~ Binomial(n_i, rate). The chi-bar-square shortcut is used only when every rate is known
 * (A = ∞, ρ = 0: the fixed default) and ≥ 20 background reads are expected.
 */
import { chiSq1UpperTail } from './binomial.js';
import { fragmentSizeTest } from './fragment-size.js';
import { betaDraw, binomialDraw, MC_EXPECTED_BACKGROUND, Xoshiro128 } from './rng.js';
import { type LocusData, logLik, mleFraction } from './locus-likelihood.js';
import { TUMOUR_FRACTION_METHOD, tumourFraction } from './tumour-fraction.js';
import { type CalledRow, type SampleSummary, StatsInputError, type SummaryOptions } from './types.js';

/** χ²₁ 0.95 quantile: the profile-likelihood 95% interval is {p : 2(logL(p̂) − logL(p)) ≤ 3.841}. */
export { type LocusData, logLik, mleFraction } from './locus-likelihood.js';

export const CHISQ1_95 = 3.841458820694124;
export { MC_EXPECTED_BACKGROUND };
export const MC_MAX_DRAWS = 4000;
export const MC_EXCEEDANCES = 20;
const MC_SEED = 0x5eed_4ad1;

/** What the null of the per-sample test needs beyond LocusData: how uncertain each e_i is. */
export interface BackgroundUncertainty {
  /** Between-sample over-dispersion ρ_i of each site's background. */
  rho: Float64Array;
  /** Observations A behind each site's rate (Infinity = known). */
  priorDepth: Float64Array;
  /** Index of the shared estimate each site's rate comes from (same index = same rate error). */
  group: Int32Array;
}

/** No uncertainty: every rate known, no over-dispersion (the model of the unit tests with exact values). */
export function knownBackground(sites: number): BackgroundUncertainty {
  return {
    rho: new Float64Array(sites),
    priorDepth: new Float64Array(sites).fill(Infinity),
    group: Int32Array.from({ length: sites }, (_, i) => i),
  };
}

function isKnown(u: BackgroundUncertainty): boolean {
  for (let i = 0; i < u.rho.length; i++) if (u.rho[i] > 0 || Number.isFinite(u.priorDepth[i])) return false;
  return true;
}

export function lrStatistic(d: LocusData): { pHat: number; T: number } {
  const pHat = mleFraction(d);
  if (pHat === 0) return { pHat, T: 0 };
  return { pHat, T: Math.max(0, 2 * (logLik(d, pHat) - logLik(d, 0))) };
}

/** Profile-likelihood 95% interval of p. */
export function profileInterval(d: LocusData, pHat: number): { low: number; high: number } {
  const top = logLik(d, pHat);
  const inside = (p: number): boolean => 2 * (top - logLik(d, p)) <= CHISQ1_95;
  const solve = (a: number, b: number): number => {
    // a inside, b outside
    for (let i = 0; i < 200 && Math.abs(b - a) > 1e-15 + 1e-12 * Math.abs(a); i++) {
      const mid = (a + b) / 2;
      if (inside(mid)) a = mid;
      else b = mid;
    }
    return (a + b) / 2;
  };
  const low = inside(0) ? 0 : solve(pHat, 0);
  const high = inside(1 - 1e-12) ? 1 : solve(pHat, 1 - 1e-12);
  return { low, high };
}

/** p-value of T under the (predictive) null; see the header for the method choice. */
export function glrtPValue(
  d: LocusData,
  T: number,
  u: BackgroundUncertainty = knownBackground(d.n.length),
): { p: number; method: 'chi_bar_square' | 'monte_carlo' } {
  let expected = 0;
  for (let i = 0; i < d.n.length; i++) expected += d.n[i] * d.e[i];
  if (expected >= MC_EXPECTED_BACKGROUND && isKnown(u)) return { p: T <= 0 ? 1 : 0.5 * chiSq1UpperTail(T), method: 'chi_bar_square' };
  if (T <= 0) return { p: 1, method: 'monte_carlo' };
  const rng = new Xoshiro128(MC_SEED);
  const sites = d.n.length;
  // One rate per shared estimate; its Beta shape from the first site that uses it (same key → same rate and A).
  const groups = 1 + u.group.reduce((m, g) => Math.max(m, g), 0);
  const groupRate = new Float64Array(groups).fill(NaN);
  const groupDepth = new Float64Array(groups);
  for (let i = 0; i < sites; i++) {
    if (Number.isNaN(groupRate[u.group[i]])) {
      groupRate[u.group[i]] = d.e[i];
      groupDepth[u.group[i]] = u.priorDepth[i];
    }
  }
  const drawnRate = new Float64Array(groups);
  const draw: LocusData = { n: d.n, k: new Float64Array(sites), e: d.e };
  let exceed = 0;
  let draws = 0;
  // Tolerance: a null draw with the same counts gives T equal up to rounding; count it as ≥.
  const threshold = T * (1 - 1e-9);
  while (draws < MC_MAX_DRAWS && exceed < MC_EXCEEDANCES) {
    for (let g = 0; g < groups; g++) {
      const m = groupRate[g];
      const A = groupDepth[g];
      drawnRate[g] = Number.isFinite(A) && m > 0 && m < 1 ? betaDraw(rng, m * A, (1 - m) * A) : m;
    }
    for (let i = 0; i < sites; i++) {
      let rate = drawnRate[u.group[i]];
      const rho = u.rho[i];
      if (rho > 0 && rate > 0 && rate < 1) rate = betaDraw(rng, (rate * (1 - rho)) / rho, ((1 - rate) * (1 - rho)) / rho);
      draw.k[i] = binomialDraw(rng, d.n[i], rate);
    }
    draws++;
    if (lrStatistic(draw).T >= threshold) exceed++;
  }
  // Besag–Clifford: with h exceedances in m draws p = h/m; if the cap was hit, (h+1)/(m+1).
  const p = exceed >= MC_EXCEEDANCES ? exceed / draws : (exceed + 1) / (draws + 1);
  return { p: Math.min(1, p), method: 'monte_carlo' };
}

/** Background uncertainty of called rows (groups by `backgroundKey`; rows without one are their own group). */
export function backgroundUncertainty(rows: Pick<CalledRow, 'dispersion' | 'backgroundDepth' | 'backgroundKey'>[]): BackgroundUncertainty {
  const index = new Map<string, number>();
  const group = Int32Array.from(rows, (r, i) => {
    const key = r.backgroundKey ?? `row:${i}`;
    let g = index.get(key);
    if (g === undefined) {
      g = index.size;
      index.set(key, g);
    }
    return g;
  });
  return {
    rho: Float64Array.from(rows, (r) => r.dispersion),
    priorDepth: Float64Array.from(rows, (r) => r.backgroundDepth ?? Infinity),
    group,
  };
}

export function locusData(rows: Pick<CalledRow, 'depth' | 'altCount' | 'backgroundRate'>[]): LocusData {
  return {
    n: Float64Array.from(rows, (r) => r.depth),
    k: Float64Array.from(rows, (r) => r.altCount),
    e: Float64Array.from(rows, (r) => r.backgroundRate),
  };
}

/**
 * The per-sample summary over the given rows (the tumour-informed sites). Germline/CHIP and
 * low-depth sites are excluded from the test and counted in `sites_excluded`.
 */
export function summarizeSample(rows: CalledRow[], opts: SummaryOptions): SampleSummary {
  if (rows.length === 0) throw new StatsInputError('the per-sample summary needs at least one tumour-informed site, none given');
  const used = rows.filter((r) => !r.germlineOrChip && r.call !== 'low_depth');
  const excluded = {
    germline_or_chip: rows.filter((r) => r.germlineOrChip).length,
    low_depth: rows.filter((r) => !r.germlineOrChip && r.call === 'low_depth').length,
  };
  const d = locusData(used);
  const { pHat, T } = used.length > 0 ? lrStatistic(d) : { pHat: 0, T: 0 };
  const { p, method } = used.length > 0 ? glrtPValue(d, T, backgroundUncertainty(used)) : { p: 1, method: 'chi_bar_square' as const };
  // The one tumour-fraction definition (2 × the shared allele fraction, quasi-likelihood interval).
  const tf = used.length > 0 ? tumourFraction(d) : null;
  let informative = 0;
  let alt = 0;
  for (const r of used) {
    informative += r.depth;
    alt += r.altCount;
  }
  const detected = p <= opts.alpha;
  const summary: SampleSummary = {
    sample: opts.sample,
    detected,
    p_value: p,
    lr_statistic: T,
    tumour_fraction: tf ? { estimate: tf.estimate, low: tf.low, high: tf.high } : { estimate: 0, low: 0, high: 1 },
    allele_fraction: tf ? tf.allele_fraction : { estimate: pHat, low: 0, high: 1 },
    site_dispersion: tf ? tf.dispersion : 1,
    informative_reads: informative,
    alt_reads: alt,
    sites_tested: used.length,
    sites_detected: used.filter((r) => r.call === 'detected').length,
    sites_excluded: excluded,
    settings: {
      alpha: opts.alpha,
      site_alpha: opts.siteAlpha,
      min_depth: opts.minDepth,
      background: opts.background,
      test: 'glrt',
      p_value_method: method,
      interval: 'quasi_likelihood_profile_95',
      tumour_fraction_method: TUMOUR_FRACTION_METHOD,
    },
  };
  if (opts.fragmentLengths) {
    if (opts.fragmentLengths.length !== rows.length)
      throw new StatsInputError(`fragment lengths for ${opts.fragmentLengths.length} sites, rows for ${rows.length}`);
    const lengths = rows.flatMap((r, i) => (!r.germlineOrChip && r.call !== 'low_depth' ? [opts.fragmentLengths![i]] : []));
    const weighted =
      used.length > 0
        ? fragmentSizeTest(
            lengths,
            used.map((r) => r.backgroundRate),
            opts.alpha,
            detected,
          )
        : undefined;
    if (weighted) summary.fragment_size = weighted;
  }
  return summary;
}

/**
 * The per-site tests' effective α over the rows the per-sample test uses (not germline/CHIP, not low
 * depth): mean, largest, and their sum, the expected number of sites called detected in a sample
 * without tumour DNA. undefined when no such row carries an effective α. `count --summary` adds it
 * to summary.json (`site_alpha_effective`).
 */
export function siteAlphaSummary(rows: CalledRow[]): SampleSummary['site_alpha_effective'] {
  const effective = rows.flatMap((r) =>
    !r.germlineOrChip && r.call !== 'low_depth' && r.effectiveAlpha !== undefined ? [r.effectiveAlpha] : [],
  );
  if (effective.length === 0) return undefined;
  const sum = effective.reduce((a, b) => a + b, 0);
  return { mean: sum / effective.length, max: Math.max(...effective), expected_false_sites: sum };
}
