import { describe, expect, it } from 'vitest';
import { CHISQ1_95, logLik, locusData, mleFraction, profileInterval, summarizeSample } from '../../src/stats/sample-test.js';
import { StatsInputError } from '../../src/stats/types.js';
import { binomialDraw, called, mulberry32 } from './helpers.js';

const opts = { sample: 'S1', alpha: 0.05, siteAlpha: 0.01, minDepth: 100, background: 'pon' as const };

describe('integrated per-sample test', () => {
  it('finds the MLE of the tumour fraction (checked on a fine grid)', () => {
    const rows = [called(3000, 4, 1e-4), called(2500, 2, 2e-4), called(4000, 6, 5e-5)];
    const d = locusData(rows);
    const pHat = mleFraction(d);
    let best = 0;
    let bestL = -Infinity;
    for (let i = 0; i <= 100_000; i++) {
      const p = (i / 100_000) * 0.01;
      const l = logLik(d, p);
      if (l > bestL) {
        bestL = l;
        best = p;
      }
    }
    expect(Math.abs(pHat - best)).toBeLessThan(2e-7);
    expect(pHat).toBeGreaterThan(0);
  });

  it('puts the profile interval where 2ΔlogL = 3.841', () => {
    const d = locusData([called(3000, 9, 1e-4), called(3000, 5, 1e-4)]);
    const pHat = mleFraction(d);
    const { low, high } = profileInterval(d, pHat);
    const top = logLik(d, pHat);
    expect(low).toBeLessThan(pHat);
    expect(high).toBeGreaterThan(pHat);
    expect(2 * (top - logLik(d, low))).toBeCloseTo(CHISQ1_95, 6);
    expect(2 * (top - logLik(d, high))).toBeCloseTo(CHISQ1_95, 6);
  });

  it('estimates 0 with p = 1 when no site shows excess alt reads', () => {
    const s = summarizeSample([called(3000, 0, 1e-4), called(3000, 0, 1e-4)], opts);
    expect(s.tumour_fraction.estimate).toBe(0);
    expect(s.p_value).toBe(1);
    expect(s.detected).toBe(false);
    expect(s.tumour_fraction.low).toBe(0);
  });

  it('refuses an empty site set and excludes germline/CHIP and low-depth sites', () => {
    expect(() => summarizeSample([], opts)).toThrow(StatsInputError);
    const s = summarizeSample(
      [called(3000, 300, 1e-4, { germlineOrChip: true }), called(50, 1, 1e-4, { call: 'low_depth' }), called(3000, 0, 1e-4)],
      opts,
    );
    expect(s.sites_tested).toBe(1);
    expect(s.sites_excluded).toEqual({ germline_or_chip: 1, low_depth: 1 });
    expect(s.detected).toBe(false);
    expect(s.informative_reads).toBe(3000);
  });

  // False-positive rate on null data, in both p-value regimes (Monte Carlo at few expected
  // background reads, chi-bar-square at many). 400 replicates: binomial SE of a 5% rate is 1.1%.
  for (const [label, e] of [
    ['Monte Carlo regime (0.6 expected background reads)', 2e-5],
    ['chi-bar-square regime (30 expected)', 1e-3],
  ] as const) {
    it(`keeps the false-positive rate at α = 0.05 on null samples: ${label}`, () => {
      const rand = mulberry32(e === 2e-5 ? 11 : 12);
      let fp = 0;
      const reps = 400;
      for (let r = 0; r < reps; r++) {
        const rows = Array.from({ length: 10 }, () => called(3000, binomialDraw(rand, 3000, e), e));
        if (summarizeSample(rows, opts).detected) fp++;
      }
      expect(fp / reps).toBeLessThan(0.05 + 3 * 0.011);
    });
  }

  it('detects 0.1% tumour fraction over 10 sites at 3,000× with a 2e-5 background', () => {
    const rand = mulberry32(99);
    const e = 2e-5;
    const g = 0.001 * (1 - e) + (1 - 0.001) * e;
    let hits = 0;
    for (let r = 0; r < 50; r++) {
      const rows = Array.from({ length: 10 }, () => called(3000, binomialDraw(rand, 3000, g), e));
      const s = summarizeSample(rows, opts);
      if (s.detected) hits++;
      expect(s.settings.p_value_method).toBe('monte_carlo');
    }
    // Expected 30 tumour reads against 0.6 background: detection is essentially certain.
    expect(hits).toBeGreaterThanOrEqual(49);
  });

  it('is deterministic (Monte Carlo p-values are seeded)', () => {
    const rows = [called(3000, 2, 2e-5), called(3000, 1, 2e-5)];
    expect(summarizeSample(rows, opts)).toEqual(summarizeSample(rows, opts));
  });
});
