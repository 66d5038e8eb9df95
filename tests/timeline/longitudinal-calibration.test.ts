/**
 * Calibration of the longitudinal model on simulated series with between-draw and between-site
 * variation (the accuracy script's count-level simulator), the cohort prior, and the per-site trend.
 */
import { describe, expect, it } from 'vitest';
import { simulateSeries, type SeriesSpec } from '../../src/bench/accuracy-series.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { defaultPrior, modelSettings, priorSettings } from '../../src/classify/rule-molecular.js';
import { resolveBetweenDrawPrior } from '../../src/timeline/longitudinal/resolve.js';
import { Xoshiro128 } from '../../src/stats/rng.js';
import { assessMolecularChange } from '../../src/timeline/longitudinal/model.js';
import { type CohortSeries, estimateCohortPrior } from '../../src/timeline/longitudinal/prior.js';
import { siteTrends } from '../../src/timeline/longitudinal/trend.js';
import type { BetweenDrawPrior, SeriesSite } from '../../src/timeline/longitudinal/types.js';

const { policy } = loadPolicy();
const settings = modelSettings(policy);
const base: Omit<SeriesSpec, 'cv' | 'before' | 'fold'> = { depth: 1500, markers: 2, vaf: 0.02, window: 1, rho: 1e-4 };

function progressionRate(spec: SeriesSpec, prior: BetweenDrawPrior, n: number, seed: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const s = simulateSeries(new Xoshiro128(seed + i), spec);
    const m = assessMolecularChange({
      draws: s.draws,
      sites: s.sites,
      windowIdx: s.windowIdx,
      therapyStartDay: s.therapyStartDay,
      prior,
      settings,
    });
    if (m.status === 'progression') hits++;
  }
  return hits / n;
}

describe('false alarms on stable, over-dispersed series (1,000 seeds each)', () => {
  it('between-draw CV 30%, 4 and 8 draws: at most α with the policy default prior', () => {
    for (const before of [3, 7]) {
      const rate = progressionRate({ ...base, cv: 0.3, before, fold: 1 }, defaultPrior(policy), 1000, 1000 * before);
      expect(rate, `${before + 1} draws`).toBeLessThanOrEqual(policy.rules.molecular_progression.alpha);
    }
  });

  it('between-draw CV 50%, 8 draws, one marker: at most α with the policy default prior', () => {
    const rate = progressionRate({ ...base, markers: 1, cv: 0.5, before: 7, fold: 1 }, defaultPrior(policy), 1000, 77);
    expect(rate).toBeLessThanOrEqual(policy.rules.molecular_progression.alpha);
  });

  it('the same series judged as if draws varied by sampling alone give false alarms several times α (the failure the model prevents)', () => {
    const binomialOnly = { cv: 0, df: 1000, source: 'sampling noise only' };
    const rate = progressionRate({ ...base, cv: 0.3, before: 3, fold: 1 }, binomialOnly, 1000, 3000);
    expect(rate).toBeGreaterThan(3 * policy.rules.molecular_progression.alpha);
  });

  it("a real 4-fold rise at 1,500× over 2 markers and 8 draws is called most of the time with a cohort's prior", () => {
    // The prior a cohort of 40 such patients gives (classify's default path).
    const run = Array.from({ length: 40 }, (_, p) => {
      const s = simulateSeries(new Xoshiro128(4000 + p), { ...base, cv: 0.15, before: 6, window: 0, fold: 1 });
      return { patient: `c${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] };
    });
    const resolved = resolveBetweenDrawPrior({ kind: 'auto' }, run, [], priorSettings(policy));
    expect(resolved.basis).toBe('cohort');
    expect(progressionRate({ ...base, cv: 0.15, before: 7, fold: 4 }, resolved.prior, 300, 9)).toBeGreaterThan(0.9);
  });

  it('with the policy default alone (no cohort) the same rise is rarely called: the price of a wide prior', () => {
    // Prior CV 70% with 1 df; the rise test's variance under "no change" includes the window draw.
    expect(progressionRate({ ...base, cv: 0.15, before: 7, fold: 4 }, defaultPrior(policy), 300, 9)).toBeLessThan(0.1);
  });
});

describe('cohort prior', () => {
  function cohort(cv: number, patients: number, risers: number, seed: number): CohortSeries[] {
    return Array.from({ length: patients }, (_, p) => {
      const rises = p < risers;
      const s = simulateSeries(new Xoshiro128(seed + p), { ...base, cv, before: rises ? 4 : 6, window: rises ? 2 : 0, fold: 3 });
      return { patient: `p${p}`, draws: s.draws, sites: s.sites, lineStarts: [s.therapyStartDay] };
    });
  }

  it('recovers the between-draw CV of a stable cohort (60 patients × 6 draws) within ±25%', () => {
    for (const cv of [0.15, 0.3, 0.5]) {
      const est = estimateCohortPrior(cohort(cv, 60, 0, 500));
      expect(est.cv, `CV ${cv}`).toBeGreaterThan(0.75 * cv);
      expect(est.cv, `CV ${cv}`).toBeLessThan(1.25 * cv);
      expect(est.patients).toBe(60);
      expect(est.rawDf).toBeGreaterThan(50);
      // The effective df reflect the estimate's own precision, never more than the residuals hold.
      expect(est.df).toBeGreaterThan(8);
      expect(est.df).toBeLessThanOrEqual(est.rawDf);
    }
  });

  it('is robust to a minority of real 3-fold rises (10 of 60 patients)', () => {
    const clean = estimateCohortPrior(cohort(0.3, 60, 0, 900));
    const mixed = estimateCohortPrior(cohort(0.3, 60, 10, 900));
    expect(mixed.cv).toBeLessThan(1.25 * clean.cv);
  });

  it('without a phase of two draws it carries no information (0 patients, 0 df)', () => {
    const one = simulateSeries(new Xoshiro128(1), { ...base, cv: 0.3, before: 1, window: 0, fold: 1 });
    const est = estimateCohortPrior([{ patient: 'p', draws: one.draws, sites: one.sites, lineStarts: [] }]);
    expect(est.patients).toBe(0);
    expect(est.df).toBe(0);
    expect(est.rawDf).toBe(0);
  });
});

describe('per-site trend (same model, BH across sites)', () => {
  const draws = Array.from({ length: 5 }, (_, t) => ({ sample: `d${t}`, day: 20_454 + 60 * t, date: '' }));
  const s = (key: string, alt: number[], detected?: boolean[]): SeriesSite => ({
    key,
    label: key,
    alt,
    depth: [3000, 3000, 3000, 3000, 3000],
    ...(detected ? { detected } : {}),
  });
  const trend = (sites: SeriesSite[]) =>
    siteTrends({
      draws,
      sites,
      target: 4,
      therapyStartDay: null,
      sigma2: Math.log1p(0.15 ** 2),
      sigmaDf: 10,
      settings: { ...settings, phaseAlpha: settings.phaseAlpha },
    });

  it('names rising, emerged, cleared, falling and stable, and stays stable for noise at a steady 0.8%', () => {
    const t = trend([
      s('rise', [30, 31, 29, 30, 120]),
      s('new', [0, 0, 0, 0, 40], [false, false, false, false, true]),
      s('gone', [40, 42, 39, 41, 0], [true, true, true, true, false]),
      s('fall', [120, 118, 121, 119, 30]),
      // ESR1 present at 0.8% from the first draw: noise must not read as a rise.
      s('steady', [24, 27, 22, 25, 29]),
    ]);
    expect(t.map((x) => [x.key, x.trend])).toEqual([
      ['rise', 'rising'],
      ['new', 'emerged'],
      ['gone', 'cleared'],
      ['fall', 'falling'],
      ['steady', 'stable'],
    ]);
    for (const x of t) expect(x.q_value as number).toBeGreaterThanOrEqual(x.p_value as number);
  });

  it('a single alt read after zeros is not an emergence', () => {
    expect(trend([s('blip', [0, 0, 0, 0, 1], [false, false, false, false, false])])[0].trend).toBe('stable');
  });
});
