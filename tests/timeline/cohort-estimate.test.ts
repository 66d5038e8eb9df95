/**
 * The cohort's between-draw estimate (prior.ts, log-level.ts, phase.ts `steps`): the exact Poisson
 * moments of a log count, the log-scale moment equation, and the two biases it removes — a skewed
 * level's Pearson statistic running low, and a cohort patient's real rise inside a phase.
 */
import { describe, expect, it } from 'vitest';
import { simulateSeries } from '../../src/bench/accuracy-series.js';
import { binomialDraw, normalDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { LOG_SCALE_MIN_READS, logPhase, logPhaseQ, poissonLogMoments } from '../../src/timeline/longitudinal/log-level.js';
import { likelihoodSigma2StandardError, maxLikelihoodSigma2 } from '../../src/timeline/longitudinal/phase-likelihood.js';
import { selectPhase } from '../../src/timeline/longitudinal/phase.js';
import { type CohortSeries, estimateCohortPrior, priorFromPhases } from '../../src/timeline/longitudinal/prior.js';
import { makeContrast, risePValue } from '../../src/timeline/longitudinal/contrast.js';

/** Mean and variance of log(A + ½), A ~ Poisson(e), by the pmf's recursion p_k = p_{k−1}·e/k. */
function bruteLogMoments(e: number): { mean: number; variance: number } {
  let p = Math.exp(-e);
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k < 4000; k++) {
    if (k > 0) p *= e / k;
    const l = Math.log(k + 0.5);
    m1 += p * l;
    m2 += p * l * l;
  }
  return { mean: m1, variance: m2 - m1 * m1 };
}

function cohort(cv: number, patients: number, seed: number, o: { depth: number; markers: number; risingEvery?: number }): CohortSeries[] {
  return Array.from({ length: patients }, (_, p) => {
    const rises = o.risingEvery !== undefined && p % o.risingEvery === o.risingEvery - 1;
    const s = simulateSeries(new Xoshiro128(seed + 7919 * p), {
      cv,
      depth: o.depth,
      markers: o.markers,
      vaf: 0.02,
      before: rises ? 4 : 6,
      window: rises ? 2 : 0,
      fold: 3,
      rho: 1e-4,
    });
    return { patient: `p${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] };
  });
}

describe('poissonLogMoments', () => {
  it('equals the summed pmf at few and many reads, and joins log E, 1/E at 400 reads', () => {
    for (const e of [0.3, 2, 6, 30, 150, 399]) {
      const got = poissonLogMoments(e);
      const want = bruteLogMoments(e);
      expect(got.mean, `mean at ${e}`).toBeCloseTo(want.mean, 10);
      expect(got.variance, `variance at ${e}`).toBeCloseTo(want.variance, 10);
    }
    // Few reads: log(A + ½) is neither log E nor of variance 1/E (why the exact moments are used):
    // at 1 read the mean is 0.17 above log 1 and the variance half of 1/E; at 6 reads 12% above 1/6.
    expect(poissonLogMoments(1).mean).toBeGreaterThan(0.15);
    expect(poissonLogMoments(1).variance).toBeLessThan(0.6);
    expect(poissonLogMoments(6).variance).toBeGreaterThan(1.1 / 6);
    const below = poissonLogMoments(399.999);
    const above = poissonLogMoments(400);
    expect(Math.abs(below.mean - above.mean)).toBeLessThan(1e-5);
    expect(Math.abs(below.variance / above.variance - 1)).toBeLessThan(0.01);
  });
});

/** A phase of Poisson–log-normal draws: depths ~ 1 ± 25%, reads per draw `reads` on average. */
function simulatedPhase(rng: Xoshiro128, sigma2: number, reads: number, m: number): { observed: number[]; expected: number[] } {
  const depth = Array.from({ length: m }, () => Math.exp(0.25 * normalDraw(rng)));
  const level = reads * Math.exp(normalDraw(rng));
  // Poisson(mean) as Binomial(10⁶, mean/10⁶).
  const observed = depth.map((d) => binomialDraw(rng, 1e6, (d * level * Math.exp(Math.sqrt(sigma2) * normalDraw(rng) - sigma2 / 2)) / 1e6));
  const rate = observed.reduce((a, b) => a + b, 0) / depth.reduce((a, b) => a + b, 0);
  return { observed, expected: depth.map((d) => d * rate) };
}

describe('maxLikelihoodSigma2', () => {
  it('recovers σ² of Poisson–log-normal phases with many reads and with few, and its SE covers the truth', () => {
    const rng = new Xoshiro128(11);
    for (const [cv, reads] of [
      [0.3, 200],
      [0.5, 6],
    ]) {
      const sigma2 = Math.log1p(cv * cv);
      const phases = Array.from({ length: 300 }, () => simulatedPhase(rng, sigma2, reads, 3 + Math.floor(rng.next() * 4)));
      const est = maxLikelihoodSigma2(phases);
      const se = likelihoodSigma2StandardError(phases, est);
      expect(se, `CV ${cv}`).toBeGreaterThan(0);
      expect(Math.abs(est - sigma2), `CV ${cv}, ${reads} reads`).toBeLessThan(2.6 * se);
      expect(Math.abs(est / sigma2 - 1), `CV ${cv}, ${reads} reads`).toBeLessThan(0.2);
    }
  });

  it('is 0 or near it without between-draw variation, and the moments it replaced ran low with few reads', () => {
    const rng = new Xoshiro128(12);
    const flat = Array.from({ length: 200 }, () => simulatedPhase(rng, 0, 30, 5));
    expect(Math.sqrt(Math.expm1(maxLikelihoodSigma2(flat)))).toBeLessThan(0.06);
    // CV 50%, about 6 reads a draw, 6 draws: over 400 phases the likelihood is within 5% of the true
    // CV, where the count-scale moment equation (decision 0115) gave about 10% low.
    const sigma2 = Math.log1p(0.25);
    const shallow = Array.from({ length: 400 }, () => simulatedPhase(rng, sigma2, 6, 6));
    const cv = Math.sqrt(Math.expm1(maxLikelihoodSigma2(shallow)));
    expect(cv).toBeGreaterThan(0.475);
    expect(cv).toBeLessThan(0.525);
  });
});

describe('logPhase', () => {
  it('a phase with a shallow draw keeps the count scale: Q is the Pearson form at κ = e^σ² − 1', () => {
    const shallow = { observed: [4, 9, 6], expected: [6, 7, LOG_SCALE_MIN_READS - 1] };
    const deep = { observed: [40, 90, 60], expected: [60, 70, LOG_SCALE_MIN_READS] };
    const sigma2 = 0.05;
    const kappa = Math.expm1(sigma2);
    const pearson = shallow.observed.reduce(
      (s, a, j) => s + (a - shallow.expected[j]) ** 2 / (shallow.expected[j] + kappa * shallow.expected[j] ** 2),
      0,
    );
    expect(logPhaseQ(logPhase(shallow), sigma2)).toBeCloseTo(pearson, 12);
    expect(logPhase(deep).counts).toBeUndefined();
    // The log scale: Σ w (y − ȳ_w)² with the exact moments.
    const lp = logPhase(deep);
    const w = Array.from(lp.sampling, (v) => 1 / (v + sigma2));
    const mean = w.reduce((s, x, j) => s + x * lp.level[j], 0) / w.reduce((a, b) => a + b, 0);
    expect(logPhaseQ(lp, sigma2)).toBeCloseTo(
      w.reduce((s, x, j) => s + x * (lp.level[j] - mean) ** 2, 0),
      12,
    );
  });
});

describe('priorFromPhases', () => {
  it('phases of one read each give a finite CV with too few df to be used, never Infinity', () => {
    const phases = Array.from({ length: 12 }, () => ({ observed: [1, 0], expected: [1e-9, 1e-9] }));
    const est = priorFromPhases(phases, 12, 'shallow');
    expect(Number.isFinite(est.cv)).toBe(true);
    expect(est.df).toBeLessThan(1);
  });
});

describe('estimateCohortPrior', () => {
  it('a log-normal level at CV 50% is estimated near 0.50, not low (the Pearson form gave 0.45 here)', () => {
    const est = estimateCohortPrior(cohort(0.5, 1000, 999, { depth: 3000, markers: 4 }));
    expect(est.cv).toBeGreaterThan(0.47);
    expect(est.cv).toBeLessThan(0.53);
  });

  it('a real 3-fold rise in the last two of six draws stays out of the phase as a step (in 13% of patients it joined)', () => {
    const sigma2 = Math.log1p(0.15 ** 2);
    let joined = 0;
    let joinedWithout = 0;
    for (const s of cohort(0.15, 1000, 5, { depth: 1500, markers: 1, risingEvery: 1 })) {
      const alt = s.sites.map((x) => x.alt);
      const depth = s.sites.map((x) => x.depth);
      const risen = (phase: number[]) => phase.some((t) => t >= 4);
      if (risen(selectPhase(alt, depth, [0, 1, 2, 3, 4, 5], sigma2, 1, 1e-4, { steps: true }))) joined++;
      if (risen(selectPhase(alt, depth, [0, 1, 2, 3, 4, 5], sigma2, 1, 1e-4))) joinedWithout++;
    }
    expect(joined).toBeLessThan(20);
    expect(joinedWithout).toBeGreaterThan(80);
  });
});

describe('selectPhase with steps', () => {
  // One marker at 1,500×: four stable draws, then a rise over the last two. Alone, the first risen
  // draw is not higher than the phase at 1e-4; together with the draw after it, it is.
  const alt = [[30, 31, 29, 30, 52, 75]];
  const depth = [[1500, 1500, 1500, 1500, 1500, 1500]];
  const sigma2 = Math.log1p(0.15 ** 2);
  const all = [0, 1, 2, 3, 4, 5];

  it('the neighbour alone passes the test, the persisting step does not', () => {
    expect(risePValue(makeContrast(alt, depth, [0, 1, 2, 3], 4, sigma2, Infinity, 1))).toBeGreaterThanOrEqual(1e-4);
    const pooledAlt = [[...alt[0], 52 + 75]];
    const pooledDepth = [[...depth[0], 3000]];
    // The pooled pair as one draw with half a draw's between-draw variance (see blockRiseP).
    const scaled = (sigma2 * (0.5 + 0.25)) / 1.25;
    expect(risePValue(makeContrast(pooledAlt, pooledDepth, [0, 1, 2, 3], 6, scaled, Infinity, 1))).toBeLessThan(1e-4);
  });

  it('keeps the step out with steps, lets its first draw in without', () => {
    expect(selectPhase(alt, depth, all, sigma2, 1, 1e-4, { steps: true })).toEqual([0, 1, 2, 3]);
    expect(selectPhase(alt, depth, all, sigma2, 1, 1e-4)).toContain(4);
  });
});
