/**
 * The longitudinal model (src/timeline/longitudinal): properties that must hold for any input, the
 * site-matched fold against hand-computed values, zero counts, and bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampledFold } from '../../src/timeline/longitudinal/fold.js';
import { assessMolecularChange } from '../../src/timeline/longitudinal/model.js';
import type { LongitudinalInput, SeriesSite } from '../../src/timeline/longitudinal/types.js';
import { DAY0, seriesInput, seriesSite } from '../helpers/series-input.js';

const SETTINGS = { fold: 2, alpha: 0.01, intervalLevel: 0.95, ruleOutLevel: 0.95, phaseAlpha: 0.01 };
const PRIOR = { cv: 0.2, df: 10, source: 'test' };
const input = (sites: SeriesSite[], windowIdx?: number[], extra: Partial<LongitudinalInput> = {}): LongitudinalInput => ({
  ...seriesInput(sites, windowIdx, PRIOR, SETTINGS),
  ...extra,
});
const site = seriesSite;

describe('site-matched fold (conditional likelihood)', () => {
  it('one site: the MLE is the ratio of rates, and the likelihood-ratio bound solves its equation', () => {
    const f = sampledFold({ refAlt: [30], refDepth: [1500], targetAlt: [60], targetDepth: [1000] }, 1.96);
    expect(Math.exp(f.logFold)).toBeCloseTo(60 / 1000 / (30 / 1500), 9);
    // At the bounds, 2(ℓ(λ̂) − ℓ(λ)) = 1.96² for ℓ = b log π + a log(1−π), π = θr/(1+θr).
    const l = (lam: number) => {
      const pi = (Math.exp(lam) * (1000 / 1500)) / (1 + Math.exp(lam) * (1000 / 1500));
      return 60 * Math.log(pi) + 30 * Math.log(1 - pi);
    };
    expect(2 * (l(f.logFold) - l(f.low))).toBeCloseTo(1.96 ** 2, 6);
    expect(2 * (l(f.logFold) - l(f.high))).toBeCloseTo(1.96 ** 2, 6);
  });

  it('zero counts: no reference read → θ̂ = ∞ with a finite lower bound; no target read → θ̂ = 0 with a finite upper bound; none → undefined', () => {
    const up = sampledFold({ refAlt: [0], refDepth: [3000], targetAlt: [12], targetDepth: [3000] }, 1.96);
    expect(up.logFold).toBe(Infinity);
    expect(Number.isFinite(up.low) && up.low > 0).toBe(true);
    const down = sampledFold({ refAlt: [12], refDepth: [3000], targetAlt: [0], targetDepth: [3000] }, 1.96);
    expect(down.logFold).toBe(-Infinity);
    expect(Number.isFinite(down.high) && down.high < 0).toBe(true);
    expect(Number.isNaN(sampledFold({ refAlt: [0], refDepth: [3000], targetAlt: [0], targetDepth: [3000] }, 1.96).logFold)).toBe(true);
  });
});

describe('model properties', () => {
  const counts = fc.array(
    fc.record({
      rate: fc.double({ min: 0.002, max: 0.05, noNaN: true }),
      depths: fc.array(fc.integer({ min: 200, max: 4000 }), { minLength: 5, maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  );
  const draw = (rate: number, depths: number[], seed: number) =>
    depths.map((n, t) => Math.round(n * rate * (1 + 0.2 * Math.sin(seed + 7 * t))));

  it('is invariant to the order of the sites', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 0, max: 1000 }), (spec, seed) => {
        const sites = spec.map((s, i) => site(`s${i}`, draw(s.rate, s.depths, seed + i), s.depths));
        const a = assessMolecularChange(input(sites));
        const b = assessMolecularChange(input([...sites].reverse()));
        expect(b.status).toBe(a.status);
        expect(b.comparisons[0].fold).toBeCloseTo(a.comparisons[0].fold ?? NaN, 9);
        expect(b.comparisons[0].upper_bound ?? Infinity).toBeCloseTo(a.comparisons[0].upper_bound ?? Infinity, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('a site with no depth in one draw never moves the fold of a draw it is absent from, nor is the contrast with another site-mix changed', () => {
    // Two stable sites at 4% (LOH) and 2%; the 4% site drops out of the window draw, the 2% site out of a nadir draw.
    const full = [site('loh', [120, 118, 121, 119], [3000, 3000, 3000, 3000]), site('het', [60, 61, 59, 60], [3000, 3000, 3000, 3000])];
    const gap = [site('loh', [120, 118, 121, 0], [3000, 3000, 3000, 0]), site('het', [60, 0, 59, 60], [3000, 0, 3000, 3000])];
    const a = assessMolecularChange(input(full));
    const b = assessMolecularChange(input(gap));
    // Only `het` is matched for the window draw; its own fold is ≈ 1, and so is the patient's.
    expect(b.comparisons[0].fold as number).toBeGreaterThan(0.9);
    expect(b.comparisons[0].fold as number).toBeLessThan(1.1);
    expect(a.comparisons[0].fold as number).toBeGreaterThan(0.9);
    expect(b.status).not.toBe('progression');
  });

  it('the interval contains the estimate; the fold is unchanged when every count and depth is scaled together', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 4 }), (spec, seed, k) => {
        const sites = spec.map((s, i) => site(`s${i}`, draw(s.rate, s.depths, seed + i), s.depths));
        // A prior of overwhelming weight fixes σ̃², and with it the log-normal level correction
        // B(σ̃², Σw²), which otherwise moves with the patient's own residuals (their sampling part
        // shrinks as the counts grow).
        const fixed = { prior: { ...PRIOR, df: 1e12 } };
        const c = assessMolecularChange(input(sites, undefined, fixed)).comparisons[0];
        if (c.fold === null) return;
        expect(c.low as number).toBeLessThanOrEqual(c.fold);
        expect(c.high ?? Infinity).toBeGreaterThanOrEqual(c.fold);
        // The conditional likelihood depends on the depths only through their ratios: k × every count is the same fold.
        const scaled = sites.map((s) =>
          site(
            s.key,
            s.alt.map((a) => a * k),
            s.depth.map((n) => n * k),
          ),
        );
        expect(assessMolecularChange(input(scaled, undefined, fixed)).comparisons[0].fold as number).toBeCloseTo(c.fold, 9);
      }),
      { numRuns: 60 },
    );
  });

  it("fold scales: one site, k times the window draw's alt reads is k times the fold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 2, max: 5 }), (nadir, win, k) => {
        const f = (w: number) =>
          assessMolecularChange(input([site('s', [nadir, nadir + 1, nadir, w], [3000, 3000, 3000, 2000])])).comparisons[0].fold as number;
        expect(f(win * k)).toBeCloseTo(k * f(win), 9);
      }),
      { numRuns: 60 },
    );
  });

  it('Holm over the window draws: a second window draw never makes progression easier (adjusted p ≥ unadjusted)', () => {
    const sites = [site('s', [30, 31, 29, 60, 62], [1500, 1500, 1500, 1500, 1500])];
    const one = assessMolecularChange(input(sites, [4]));
    const two = assessMolecularChange(input(sites, [3, 4]));
    const last = two.comparisons.find((c) => c.sample === 'd4')!;
    expect(last.p_holm as number).toBeGreaterThanOrEqual(last.p_value as number);
    expect(last.p_holm as number).toBeGreaterThanOrEqual(one.comparisons[0].p_holm as number);
    expect(two.multiplicity).toMatch(/holm/);
  });

  it('is JSON-safe: no NaN or Infinity anywhere, even with zero counts', () => {
    const res = assessMolecularChange(input([site('s', [0, 0, 0, 9], [3000, 3000, 3000, 3000])]));
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(res.comparisons[0].fold_infinite).toBe(true);
    expect(res.comparisons[0].fold).toBeNull();
    expect(res.comparisons[0].low as number).toBeGreaterThan(1);
  });
});

describe('bad input: a plain sentence, never a crash', () => {
  it('one draw only', () => {
    const r = assessMolecularChange(input([site('s', [30], [1500])], [0]));
    expect(r.status).toBe('not_evaluable');
    expect(r.reason).toBe(
      'The change from the nadir cannot be assessed: d0: no draw of the current therapy line before the assessment window to compare with.',
    );
  });
  it('draws with no informative site (no depth at any clonal site in the window draw)', () => {
    const r = assessMolecularChange(input([site('s', [30, 31, 0], [1500, 1500, 0])]));
    expect(r.status).toBe('not_evaluable');
    expect(r.reason).toMatch(/d2: no read at any tracked clonal site in this draw\.$/);
  });
  it('no alt read anywhere', () => {
    const r = assessMolecularChange(input([site('s', [0, 0, 0], [1500, 1500, 1500])]));
    expect(r.status).toBe('not_evaluable');
    expect(r.reason).toMatch(/no alt read at the clonal sites in the nadir phase nor in this draw/);
  });
  it('a therapy start after every draw', () => {
    const sites = [site('s', [30, 31, 29], [1500, 1500, 1500])];
    const r = assessMolecularChange(input(sites, [2], { therapyStartDay: DAY0 + 365, therapyLabel: 'capecitabine' }));
    expect(r.status).toBe('not_evaluable');
    expect(r.reason).toMatch(/drawn before the current therapy \(capecitabine\) started/);
  });
  it('a site never covered (contig absent from the BAM) is named as a caveat and does not move the result', () => {
    const base = [site('TP53', [30, 31, 29, 30], [1500, 1500, 1500, 1500])];
    const withGhost = [...base, site('ghost', [0, 0, 0, 0], [0, 0, 0, 0])];
    const a = assessMolecularChange(input(base));
    const b = assessMolecularChange(input(withGhost));
    expect(b.comparisons[0].fold).toBe(a.comparisons[0].fold);
    expect(b.caveats.join(' ')).toMatch(/ghost: no read in any draw \(is the contig in the BAM\?\)/);
  });
  it('inconsistent input is a programming error with a message, not a silent guess', () => {
    expect(() => assessMolecularChange(input([site('a', [1, 2, 3], [10, 10, 10]), site('b', [1, 2], [10, 10])]))).toThrow(
      /site b: 2 counts for 3 draws/,
    );
    expect(() => assessMolecularChange(input([site('s', [11, 2, 3], [10, 10, 10])]))).toThrow(/alt 11 of depth 10/);
  });
});
