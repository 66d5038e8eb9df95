/**
 * The patients' spread around the cohort's between-draw variance (spread.ts): the maximum-likelihood
 * df on ratios of known distribution, and the cohort estimate on simulated cohorts whose patients
 * agree or differ.
 */
import { describe, expect, it } from 'vitest';
import { simulateSeries } from '../../src/bench/accuracy-series.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { priorSettings } from '../../src/classify/rule-molecular.js';
import { gammaDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { type CohortSeries, estimateCohortPrior } from '../../src/timeline/longitudinal/prior.js';
import { resolveBetweenDrawPrior } from '../../src/timeline/longitudinal/resolve.js';
import { betweenPatientDf } from '../../src/timeline/longitudinal/spread.js';

/** n ratios r = (χ²_ν/ν)·w, w the patient's variance over the cohort's: 1, or ν0/χ²_ν0 (scaled-inverse-χ²). */
function ratios(seed: number, n: number, nu: number, d0: number | null): number[] {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: n }, () => {
    const chi = (2 * gammaDraw(rng, nu / 2)) / nu;
    const w = d0 === null ? 1 : d0 / (2 * gammaDraw(rng, d0 / 2));
    return chi * w;
  });
}

describe('betweenPatientDf', () => {
  it('patients who agree: d0 large (Infinity or > 100) over 4,000 phases of 5 df', () => {
    const d0 = betweenPatientDf(ratios(1, 4000, 5, null), Array(4000).fill(5));
    expect(d0).toBeGreaterThan(100);
  });

  it('patients spread with 8 df: d0 recovered within 6–11 over 4,000 phases', () => {
    const d0 = betweenPatientDf(ratios(2, 4000, 5, 8), Array(4000).fill(5));
    expect(d0).toBeGreaterThan(6);
    expect(d0).toBeLessThan(11);
  });

  it('one near-zero phase (below χ²’s lower 0.1%) does not make agreeing patients look spread', () => {
    const r = ratios(3, 40, 5, null);
    const dfs = Array(40).fill(5);
    const withLow = [...r.slice(0, 39), 0.001];
    expect(betweenPatientDf(withLow, dfs)).toBeGreaterThan(30);
  });

  it('40 agreeing patients (phases of 1–5 df) over 300 cohorts: never d0 < 5, below 10 in at most 5%; spread with 5 df: median near 5', () => {
    const sample = (seed: number, d0: number | null): number => {
      const rng = new Xoshiro128(9000 + seed);
      const dfs = Array.from({ length: 40 }, (_, k) => 1 + (k % 5));
      const r = dfs.map((nu) => ((2 * gammaDraw(rng, nu / 2)) / nu) * (d0 === null ? 1 : d0 / (2 * gammaDraw(rng, d0 / 2))));
      return betweenPatientDf(r, dfs);
    };
    const agree = Array.from({ length: 300 }, (_, s) => sample(s, null));
    // The moments of log r gave d0 below 5 in agreeing cohorts (2 and 4 among 30 simulated ones).
    expect(agree.filter((d) => d < 5).length).toBe(0);
    expect(agree.filter((d) => d < 10).length).toBeLessThanOrEqual(15);
    const spread = Array.from({ length: 300 }, (_, s) => sample(s, 5)).sort((a, b) => a - b);
    expect(spread[150]).toBeGreaterThan(4);
    expect(spread[150]).toBeLessThan(7);
  });

  it('fewer than three phases: Infinity (no information on the spread)', () => {
    expect(betweenPatientDf([0.5, 2], [5, 5])).toBe(Infinity);
  });
});

function cohort(seed: number, cvRange?: [number, number]): CohortSeries[] {
  return Array.from({ length: 60 }, (_, p) => {
    const s = simulateSeries(new Xoshiro128(seed + p), {
      cv: 0.3,
      ...(cvRange ? { cvRange } : {}),
      depth: 1500,
      markers: 4,
      vaf: 0.02,
      before: 6,
      window: 0,
      fold: 1,
      rho: 1e-4,
    });
    return { patient: `p${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] };
  });
}

describe('the cohort estimate of the spread', () => {
  const { policy } = loadPolicy();
  const settings = priorSettings(policy);

  it('patients whose CVs spread 10–60% get a smaller d0 and prior df than patients all at CV 30%', () => {
    const same = estimateCohortPrior(cohort(100));
    const differ = estimateCohortPrior(cohort(100, [0.1, 0.6]));
    expect(differ.spreadDf).toBeLessThan(8);
    expect(same.spreadDf).toBeGreaterThan(differ.spreadDf * 2);
    const pSame = resolveBetweenDrawPrior({ kind: 'auto' }, cohort(100), [], settings);
    const pDiffer = resolveBetweenDrawPrior({ kind: 'auto' }, cohort(100, [0.1, 0.6]), [], settings);
    expect(pDiffer.prior.df).toBeLessThan(8);
    expect(pSame.prior.df).toBeGreaterThan(pDiffer.prior.df);
    // The policy's between_patient_df caps the estimate (a cohort's agreement is never taken as exact).
    expect(pSame.prior.df).toBeLessThanOrEqual(policy.rules.molecular_progression.between_patient_df);
  });
});
