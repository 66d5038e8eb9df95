/**
 * The fold of the tumour signal above each site's background (fold.ts): exact single-site values,
 * the infinite and empty cases, the no-change test's null distribution, and the decision on series
 * whose background is as large as the tumour signal.
 */
import { describe, expect, it } from 'vitest';
import { binomialDraw, normalDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { expectedInfoAt, sampledFold, type TwoGroupCounts } from '../../src/timeline/longitudinal/fold.js';
import { assessMolecularChange } from '../../src/timeline/longitudinal/model.js';
import { maxLikelihoodSigma2 } from '../../src/timeline/longitudinal/phase-likelihood.js';
import { estimateCohortPrior } from '../../src/timeline/longitudinal/prior.js';
import { siteTrends } from '../../src/timeline/longitudinal/trend.js';
import type { SeriesSite } from '../../src/timeline/longitudinal/types.js';
import { betweenDrawCv2 } from '../../src/timeline/longitudinal/variance.js';
import { simulatedCohort } from '../../src/bench/accuracy-longitudinal.js';
import { seriesInput } from '../helpers/series-input.js';

const Z95 = 1.959963984540054;
const settings = { fold: 2, alpha: 0.01, intervalLevel: 0.95, ruleOutLevel: 0.95, phaseAlpha: 0.001 };

function one(aR: number, nR: number, aT: number, nT: number, b: number): TwoGroupCounts {
  return { refAlt: [aR], refDepth: [nR], targetAlt: [aT], targetDepth: [nT], background: [b] };
}

describe('fold of the signal above the background', () => {
  it('one site: θ̂ is the ratio of the allele fractions above the background', () => {
    expect(Math.exp(sampledFold(one(30, 3000, 60, 3000, 0), Z95).logFold)).toBeCloseTo(2, 10);
    // (60/3000 − 1e-3)/(30/3000 − 1e-3) = 0.019/0.009
    expect(Math.exp(sampledFold(one(30, 3000, 60, 3000, 1e-3), Z95).logFold)).toBeCloseTo(0.019 / 0.009, 8);
    // Unequal depths: (50/2000 − 5e-4)/(40/8000 − 5e-4)
    expect(Math.exp(sampledFold(one(40, 8000, 50, 2000, 5e-4), Z95).logFold)).toBeCloseTo(0.0245 / 0.0045, 8);
  });

  it('without a background the sampling interval is the conditional likelihood-ratio interval', () => {
    // One site, equal depths: a_T | s ~ Binomial(s, θ/(1 + θ)); the LR bound solves the binomial deviance.
    const f = sampledFold(one(30, 3000, 60, 3000, 0), Z95);
    const dev = (lam: number) => {
      const pi = Math.exp(lam) / (1 + Math.exp(lam));
      const ll = (p: number) => 60 * Math.log(p) + 30 * Math.log(1 - p);
      return 2 * (ll(60 / 90) - ll(pi));
    };
    expect(dev(f.low)).toBeCloseTo(Z95 * Z95, 6);
    expect(dev(f.high)).toBeCloseTo(Z95 * Z95, 6);
  });

  it('a reference at its background gives an infinite fold with a finite lower bound; a target at it, a fold of 0', () => {
    const up = sampledFold(one(3, 3000, 40, 3000, 1e-3), Z95);
    expect(up.logFold).toBe(Infinity);
    expect(Number.isFinite(up.low)).toBe(true);
    const down = sampledFold(one(40, 3000, 2, 3000, 1e-3), Z95);
    expect(down.logFold).toBe(-Infinity);
    expect(Number.isFinite(down.high)).toBe(true);
    expect(down.high).toBeLessThan(0);
  });

  it('no signal above the background in either group: no estimate, and the model says so', () => {
    expect(sampledFold(one(2, 3000, 3, 3000, 1e-3), Z95).logFold).toBeNaN();
    const sites: SeriesSite[] = [{ key: 's', label: 's', alt: [3, 2, 3, 2], depth: [3000, 3000, 3000, 3000], background: 1e-3 }];
    const m = assessMolecularChange(seriesInput(sites, undefined, { cv: 0.15, df: 50, source: 't' }, settings));
    expect(m.status).toBe('not_evaluable');
    expect(m.comparisons[0].note).toMatch(/no signal above the sites' background/);
  });

  it('reads only at a site the window draw does not cover are not "background": the note says no site covered in both has a read', () => {
    const sites: SeriesSite[] = [
      { key: 'a', label: 'a', alt: [9, 8, 7, 0], depth: [3000, 3000, 3000, 0], background: 1e-4 },
      { key: 'b', label: 'b', alt: [0, 0, 0, 0], depth: [3000, 3000, 3000, 3000], background: 1e-4 },
    ];
    const m = assessMolecularChange(seriesInput(sites, undefined, { cv: 0.15, df: 50, source: 't' }, settings));
    expect(m.comparisons[0].note).toMatch(
      /no alt read at the clonal sites in the nadir phase nor in this draw, at any site covered in both/,
    );
  });

  it("a site's trend with no signal above its background in either group says so", () => {
    const draws = seriesInput(
      [{ key: 's', label: 's', alt: [0, 0, 0], depth: [3000, 3000, 3000] }],
      undefined,
      { cv: 0.15, df: 50, source: 't' },
      settings,
    ).draws;
    const trend = (alt: number[]) =>
      siteTrends({
        draws,
        sites: [{ key: 's', label: 's', alt, depth: [3000, 3000, 3000], background: 1e-3 }],
        target: 2,
        therapyStartDay: null,
        sigma2: 0.02,
        sigmaDf: 50,
        settings: { fold: 2, alpha: 0.01, intervalLevel: 0.95, phaseAlpha: 0.001 },
      })[0];
    expect(trend([2, 3, 2]).note).toBe("no more alt reads in the nadir phase and this draw than the site's background explains");
    expect(trend([0, 0, 0]).note).toBe('no alt read in the nadir phase nor in this draw');
    expect(trend([2, 3, 40]).fold_infinite).toBe(true);
  });

  it('the expected information at a fold counts only the signal above the background', () => {
    const without = expectedInfoAt(one(30, 3000, 0, 3000, 0), Math.log(2));
    // b = 0: s π(1 − π) with s = 30 + 60, π = 2/3.
    expect(without).toBeCloseTo(90 * (2 / 3) * (1 / 3), 10);
    const withBg = expectedInfoAt(one(30, 3000, 0, 3000, 5e-3), Math.log(2));
    expect(withBg).toBeGreaterThan(0);
    expect(withBg).toBeLessThan(without);
    expect(expectedInfoAt(one(15, 3000, 0, 3000, 5e-3), Math.log(2))).toBe(0);
  });

  it('no change, background as large as the signal: the 95% interval misses θ = 1 on each side about 2.5% of the time', () => {
    let low = 0;
    let high = 0;
    const N = 4000;
    for (let rep = 0; rep < N; rep++) {
      const rng = new Xoshiro128(500 + rep);
      const c: TwoGroupCounts = { refAlt: [], refDepth: [], targetAlt: [], targetDepth: [], background: [] };
      for (let i = 0; i < 16; i++) {
        const f = 5e-4 * (0.6 + (0.8 * i) / 15);
        (c.refAlt as number[]).push(binomialDraw(rng, 9000, f + 5e-4));
        (c.targetAlt as number[]).push(binomialDraw(rng, 3000, f + 5e-4));
        (c.refDepth as number[]).push(9000);
        (c.targetDepth as number[]).push(3000);
        (c.background as number[]).push(5e-4);
      }
      const s = sampledFold(c, Z95);
      if (s.low > 0) low++;
      if (s.high < 0) high++;
    }
    // 2.5% of 4,000 is 100 (sd 10); profiling c_i out instead gave 3.0–3.3% per side here.
    expect(low / N).toBeLessThan(0.032);
    expect(high / N).toBeLessThan(0.032);
    expect(low / N).toBeGreaterThan(0.018);
    expect(high / N).toBeGreaterThan(0.018);
  });
});

describe('decisions when the background is as large as the tumour signal (16 markers at 0.05%, 3,000×, background 5e-4)', () => {
  function status(fold: number, rep: number): string {
    const rng = new Xoshiro128(1000 + rep);
    const sites: SeriesSite[] = [];
    for (let i = 0; i < 16; i++) {
      const f = 5e-4 * (0.7 + (0.6 * (i % 4)) / 3);
      const alt = [0, 1, 2, 3].map((t) => binomialDraw(rng, 3000, f * (t === 3 ? fold : 1) + 5e-4));
      sites.push({ key: `s${i}`, label: `s${i}`, alt, depth: [3000, 3000, 3000, 3000], background: 5e-4 });
    }
    return assessMolecularChange(seriesInput(sites, undefined, { cv: 0.15, df: 50, source: 'test' }, settings)).status;
  }
  const count = (fold: number, what: string) => Array.from({ length: 400 }, (_, r) => status(fold, r)).filter((s) => s === what).length;

  it('a real 2-fold rise is ruled out at most about 5% of the time (a quarter of them when the background counted as signal) and called often', () => {
    expect(count(2, 'ruled_out')).toBeLessThanOrEqual(28);
    expect(count(2, 'progression')).toBeGreaterThan(100);
  });

  it('stable series: false alarms near α', () => {
    expect(count(1, 'progression')).toBeLessThanOrEqual(10);
  });
});

describe('between-draw variation of the tumour level, not of the background', () => {
  const observed = [52, 71, 40, 63, 48];
  const expected = [55, 60, 50, 58, 52];

  it("a patient's own κ̂: with half of each draw's reads from the background it is 4 times the κ̂ of all reads", () => {
    const all = betweenDrawCv2(observed, expected, 1);
    expect(all.kappa).toBeGreaterThan(0);
    const half = betweenDrawCv2(
      observed,
      expected,
      1,
      expected.map((e) => e / 2),
    );
    expect(half.kappa).toBeCloseTo(4 * all.kappa, 8);
    expect(half.df).toBe(all.df);
  });

  it("the cohort's σ̂² with half of each draw's expected reads from the background is the tumour's, not a diluted one", () => {
    const rng = new Xoshiro128(23);
    const sigma2 = Math.log1p(0.3 ** 2);
    // 150 phases of 5 draws: 60 tumour reads and 60 background reads expected per draw.
    const phases = Array.from({ length: 150 }, () => {
      // Poisson(mean) as Binomial(10⁶, mean/10⁶).
      const observed = Array.from({ length: 5 }, () =>
        binomialDraw(rng, 1e6, (60 + 60 * Math.exp(Math.sqrt(sigma2) * normalDraw(rng) - sigma2 / 2)) / 1e6),
      );
      const level = observed.reduce((a, b) => a + b, 0) / 5;
      return { observed, expected: observed.map(() => level), signal: observed.map(() => level - 60) };
    });
    const cvOf = (s2: number) => Math.sqrt(Math.expm1(s2));
    expect(cvOf(maxLikelihoodSigma2(phases))).toBeGreaterThan(0.26);
    expect(cvOf(maxLikelihoodSigma2(phases))).toBeLessThan(0.34);
    // All reads taken for tumour: about half the CV.
    expect(cvOf(maxLikelihoodSigma2(phases.map(({ observed, expected }) => ({ observed, expected }))))).toBeLessThan(0.2);
  });

  it('a simulated cohort whose reads are half background (16 markers at 0.05%, background 5e-4) estimates the tumour CV, not a diluted one', () => {
    const cvs = [0, 1, 2, 3, 4].map(
      (k) =>
        estimateCohortPrior(
          simulatedCohort(
            100 + k,
            { cv: 0.3, depth: 3000, markers: 16, vaf: 0.0005, rho: 0, background: 5e-4 },
            { patients: 60, draws: 6 },
          ),
        ).cv,
    );
    const mean = cvs.reduce((a, b) => a + b, 0) / cvs.length;
    // Reads of all origins would show about half the tumour's CV (0.15); measured 0.21–0.32, mean 0.28.
    expect(mean).toBeGreaterThan(0.24);
    expect(mean).toBeLessThan(0.36);
  });
});
