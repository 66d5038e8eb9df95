/**
 * Every read on one side (a nadir phase without an alt read, or a window draw without one): the
 * finite bound is the exact conditional bound of the observed split, so the rise test and the
 * rule-out bound keep their levels at the shallowest counts. And the nadir is a level before the
 * assessment window: another window draw never serves as it.
 */
import { describe, expect, it } from 'vitest';
import { binomialDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { assessMolecularChange } from '../../src/timeline/longitudinal/model.js';
import type { BetweenDrawPrior, SeriesSite } from '../../src/timeline/longitudinal/types.js';
import { seriesInput, seriesSite } from '../helpers/series-input.js';

const SETTINGS = { fold: 2, alpha: 0.01, intervalLevel: 0.95, ruleOutLevel: 0.95, phaseAlpha: 0.01 };
/** A between-draw CV of ~0 known with overwhelming weight: the sampling part alone decides. */
const NO_VARIATION: BetweenDrawPrior = { cv: 1e-4, df: 1e12, source: 'test' };
const input = (sites: SeriesSite[], windowIdx: number[], prior = NO_VARIATION) => seriesInput(sites, windowIdx, prior, SETTINGS);
const site = seriesSite;

describe('a nadir phase without an alt read', () => {
  it('three reads in the window after three empty draws are not a 1% rise: exact p = (1/4)³', () => {
    // Equal depths: under no change each of the 3 reads falls in the window draw with probability 1/4.
    const r = assessMolecularChange(
      input([site('a', [0, 0, 0, 2], [3000, 3000, 3000, 3000]), site('b', [0, 0, 0, 1], [3000, 3000, 3000, 3000])], [3]),
    );
    const c = r.comparisons[0];
    expect(c.fold_infinite).toBe(true);
    expect(c.p_value).toBeCloseTo(0.25 ** 3, 4);
    expect(r.status).not.toBe('progression');
  });

  it('two reads after three empty draws: p = (1/4)² = 0.0625, and the 95% lower bound is exact', () => {
    const r = assessMolecularChange(input([site('a', [0, 0, 0, 2], [3000, 3000, 3000, 3000])], [3]));
    const c = r.comparisons[0];
    expect(c.p_value).toBeCloseTo(0.0625, 4);
    // Two-sided 95% interval: the lower bound θ solves P(both reads in the window) = (θ/(θ+3))² = 0.025.
    const q = Math.sqrt(0.025);
    expect(c.low).toBeCloseTo((3 * q) / (1 - q), 3);
  });

  it('stable shallow series (1 expected read a draw, CV 0): false alarms stay below α', () => {
    const rng = new Xoshiro128(20261205);
    const n = 20_000;
    let alarms = 0;
    let fromEmptyNadir = 0;
    for (let i = 0; i < n; i++) {
      const alt = Array.from({ length: 4 }, () => binomialDraw(rng, 3000, 1 / 3000));
      const r = assessMolecularChange(input([site('a', alt, [3000, 3000, 3000, 3000])], [3]));
      if (r.status === 'progression') {
        alarms++;
        if (r.comparisons[0].fold_infinite) fromEmptyNadir++;
      }
    }
    // Measured 0.55% (0.1% from an empty nadir); with the likelihood-ratio bound at z it was 1.8%,
    // three quarters of it from an empty nadir.
    expect(alarms / n).toBeLessThan(0.01);
    expect(fromEmptyNadir / n).toBeLessThan(0.003);
  });
});

describe('a window draw without an alt read', () => {
  it('0 of 150 reads after 29 of 6,000: the 95% upper bound is the exact one, and a 2-fold rise is not ruled out', () => {
    const r = assessMolecularChange(input([site('a', [15, 14, 0], [3000, 3000, 150]), site('b', [15, 14, 0], [3000, 3000, 150])], [2]));
    const c = r.comparisons[0];
    // Per site 29 reads and r = 150/6000: P(no read in the window | θ) = (1 + θr)^(−29) per site, 58 reads in all.
    const exact = (Math.pow(0.05, -1 / 58) - 1) / (150 / 6000);
    expect(c.upper_bound).toBeCloseTo(exact, 2);
    expect(exact).toBeGreaterThan(2);
    expect(r.status).not.toBe('ruled_out');
  });

  it('real 2-fold rises in shallow window draws (120×) are ruled out at most at the nominal 5%', () => {
    const rng = new Xoshiro128(20261206);
    const n = 10_000;
    let ruledOut = 0;
    for (let i = 0; i < n; i++) {
      const sites = [0, 1].map((k) =>
        site(`s${k}`, [binomialDraw(rng, 3000, 0.005), binomialDraw(rng, 3000, 0.005), binomialDraw(rng, 120, 0.01)], [3000, 3000, 120]),
      );
      if (assessMolecularChange(input(sites, [2])).status === 'ruled_out') ruledOut++;
    }
    // 7.3% with the likelihood-ratio bound at z (almost all from window draws without a read).
    expect(ruledOut / n).toBeLessThan(0.05);
  });
});

describe('the nadir is before the assessment window', () => {
  it('two window draws and no earlier draw: nothing to compare with, never ruled out', () => {
    const sites = [site('a', [30, 31], [3000, 3000]), site('b', [29, 30], [3000, 3000])];
    const r = assessMolecularChange(input(sites, [0, 1], { cv: 0.15, df: 20, source: 'test' }));
    expect(r.status).toBe('not_evaluable');
    expect(r.comparisons.map((c) => c.nadir_draws)).toEqual([[], []]);
    expect(r.comparisons[1].note).toMatch(/no draw of the current therapy line before the assessment window/);
  });

  it('with an earlier draw, both window draws are compared with it alone', () => {
    const sites = [site('a', [30, 31, 29], [3000, 3000, 3000]), site('b', [29, 30, 31], [3000, 3000, 3000])];
    const r = assessMolecularChange(input(sites, [1, 2], { cv: 0.15, df: 20, source: 'test' }));
    expect(r.comparisons.map((c) => c.nadir_draws)).toEqual([['d0'], ['d0']]);
  });
});

describe('caveats of the nadir phase', () => {
  it('a prior CV of 0 with a three-draw phase: no one-draw caveat, and the unweighed own variation is named', () => {
    const sites = [site('a', [40, 52, 33, 47, 38, 50], Array(6).fill(3000)), site('b', [40, 52, 33, 47, 38, 50], Array(6).fill(3000))];
    // A cohort estimate of 0 whose upper bound (the test's CV, which selects the phase) is 0.12.
    const r = assessMolecularChange(input(sites, [5], { cv: 0, df: 15, testCv: 0.12, source: 'test' }));
    expect(r.comparisons[0].nadir_draws.length).toBeGreaterThan(1);
    expect(r.caveats.join(' ')).not.toMatch(/one draw in the nadir phase/);
    expect(r.caveats.join(' ')).toMatch(/prior's between-draw CV is 0/);
  });

  it('a one-draw phase keeps its caveat', () => {
    const sites = [site('a', [30, 31], [3000, 3000])];
    const r = assessMolecularChange(input(sites, [1], { cv: 0.15, df: 20, source: 'test' }));
    expect(r.caveats.join(' ')).toMatch(/one draw in the nadir phase/);
  });
});
