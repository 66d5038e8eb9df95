import { describe, expect, it } from 'vitest';
import { predictiveDispersion, siteP } from '../../src/stats/annotate.js';
import { backgroundFor, effectiveDepth } from '../../src/stats/background.js';
import { posteriorMean } from '../../src/stats/dispersion.js';
import { buildPon, formatPon, parsePon } from '../../src/stats/pon.js';
import { betaDraw, binomialDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { glrtPValue, knownBackground, locusData, lrStatistic, summarizeSample } from '../../src/stats/sample-test.js';
import { betaBinomLogPmfProduct, logPmfProduct, sumTail } from './exact.js';
import { binomialDraw as slowBinomialDraw, called, counts, mulberry32, site } from './helpers.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);

describe('per-site predictive tail (background rate estimated from A observations)', () => {
  // Background estimated as Beta(3, 997): 3 alt in 1,000 observations (A = 1000).
  const a = 3;
  const A = 1000;
  const bg = { rate: a / A, dispersion: 0, priorDepth: A };

  it('equals the beta-binomial Beta(a, A−a) predictive, summed term by term without gamma functions', () => {
    for (const [k, n] of [
      [8, 2000],
      [3, 500],
      [20, 3000],
    ]) {
      const ref = sumTail((j) => betaBinomLogPmfProduct(j, n, a, A - a), k, n);
      expect(rel(siteP(k, n, bg), ref)).toBeLessThan(1e-9);
    }
  });

  it('equals the binomial tail integrated over the Beta posterior of the rate (Simpson, 4,000 panels)', () => {
    const [k, n] = [12, 2000];
    // log Beta(3, 997) density normaliser by the product formula: B(3, 997) = 2!·996!/999! = 2/(997·998·999).
    const logB = Math.log(2) - Math.log(997) - Math.log(998) - Math.log(999);
    const density = (e: number): number => (e <= 0 ? 0 : Math.exp(2 * Math.log(e) + 996 * Math.log1p(-e) - logB));
    // P(K ≥ 12) = 1 − Σ_{j<12} pmf(j): 12 product-formula terms per grid point.
    const tail = (e: number): number => {
      let below = 0;
      for (let j = 0; j < k; j++) below += Math.exp(logPmfProduct(j, n, e));
      return 1 - below;
    };
    const hi = 0.04; // Beta(3, 997) mass above 0.04 is < 1e-12
    const panels = 4000;
    const h = hi / panels;
    let s = 0;
    for (let i = 0; i <= panels; i++) {
      const w = i === 0 || i === panels ? 1 : i % 2 ? 4 : 2;
      const e = i * h;
      if (e > 0) s += w * density(e) * tail(e);
    }
    const integral = (s * h) / 3;
    expect(rel(siteP(k, n, bg), integral)).toBeLessThan(1e-6);
  });

  it('is wider than the plain binomial at the point estimate, and equal to it when the rate is known', () => {
    const known = { rate: 0.003, dispersion: 0, priorDepth: Infinity };
    expect(siteP(12, 2000, bg)).toBeGreaterThan(siteP(12, 2000, known));
    expect(
      rel(
        siteP(12, 2000, known),
        sumTail((j) => logPmfProduct(j, 2000, 0.003), 12, 2000),
      ),
    ).toBeLessThan(1e-9);
    expect(predictiveDispersion(known)).toBe(0);
    expect(predictiveDispersion(bg)).toBeCloseTo(1 / 1001, 15);
    // ρ combines with the estimation term as ρ + (1 − ρ)/(A + 1).
    expect(predictiveDispersion({ dispersion: 0.01, priorDepth: 99 })).toBeCloseTo(0.01 + 0.99 / 100, 15);
  });

  it('takes A from the PoN: effective depth + prior strength at the site, one key per estimate', () => {
    const s1 = site('chr1', 100, 'C', 'T');
    const normals = [[counts(s1, 10_000, 1)], [counts(s1, 10_000, 0)], [counts(s1, 10_000, 2)]];
    const pon = parsePon(
      formatPon(buildPon({ sampleNames: ['n1', 'n2', 'n3'], build: 'unknown', sites: [s1], siteCounts: normals, settingsText: 't' })),
      'pon.tsv',
    );
    const b = backgroundFor(pon, s1);
    expect(b.source).toBe('pon_site');
    // The site's 30,000 reads deflated by its between-normal design effect at the class's posterior
    // mean ρ (three normals say little about ρ, so the mean leans on the grid prior), plus the class
    // prior strength (10,000: one site in the class, too few for a spread).
    const s = pon.perSite.get('1:100:C>T')!;
    expect(s.dispersion).toBe(posteriorMean(pon.perClass.get('C>T')!.dispersionPosterior!));
    expect(b.priorDepth).toBe(effectiveDepth(s) + s.pseudoDepth);
    expect(b.priorDepth).toBeCloseTo(30_000 / (1 + 9_999 * s.dispersion) + 10_000, 6);
    // The test itself integrates over ρ: one component per grid value with posterior weight.
    expect(b.components!.length).toBe(pon.perClass.get('C>T')!.dispersionPosterior!.rho.length);
    expect(b.key).toBe('site:1:100:C>T');
  });
});

describe('samplers of the predictive null', () => {
  it('draws Binomial(n, p) with the exact pmf (n = 3000, p = 1e-3 and p = 0.7)', () => {
    for (const [n, p] of [
      [3000, 1e-3],
      [40, 0.7],
    ] as const) {
      const rng = new Xoshiro128(7);
      const draws = 20_000;
      const hist = new Map<number, number>();
      for (let i = 0; i < draws; i++) {
        const k = binomialDraw(rng, n, p);
        hist.set(k, (hist.get(k) ?? 0) + 1);
      }
      // Every value with expected count ≥ 200 is within 5 binomial SDs of its expectation.
      for (let k = 0; k <= n; k++) {
        const pk = Math.exp(logPmfProduct(k, n, p));
        const expected = draws * pk;
        if (expected < 200) continue;
        expect(Math.abs((hist.get(k) ?? 0) - expected)).toBeLessThan(5 * Math.sqrt(expected * (1 - pk)));
      }
    }
  });

  it('draws Beta(a, b) with the right mean and variance, also for a < 1', () => {
    for (const [a, b] of [
      [14.3, 509_986],
      [0.4, 2.6],
    ] as const) {
      const rng = new Xoshiro128(3);
      const m = a / (a + b);
      const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
      const N = 20_000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < N; i++) {
        const x = betaDraw(rng, a, b);
        s += x;
        s2 += x * x;
      }
      const mean = s / N;
      expect(Math.abs(mean - m)).toBeLessThan(5 * Math.sqrt(v / N));
      expect(rel(s2 / N - mean * mean, v)).toBeLessThan(0.1);
    }
  });
});

describe('per-sample test with an estimated background', () => {
  const opts = { sample: 's', alpha: 0.05, siteAlpha: 0.01, minDepth: 100, background: 'pon' as const };

  it('keeps its false-positive rate when the shared PoN rate is itself an estimate (and the known-rate test does not)', () => {
    // True background 3e-5; each replicate's PoN saw Binomial(60,000, 3e-5) alt reads (1.8 expected:
    // the rate is known to ±75%), one estimate shared by all 10 sites at 3,000× (0.9 expected
    // background reads per sample), as the accuracy run's sites share theirs. A PoN that happened to
    // see 0 alt reads says 8e-6, and the known-rate test then calls 2 reads significant.
    const rand = mulberry32(2026);
    const e = 3e-5;
    const ponDepth = 60_000;
    const reps = 400;
    let fpPredictive = 0;
    let fpKnown = 0;
    for (let r = 0; r < reps; r++) {
      const ponAlt = slowBinomialDraw(rand, ponDepth, e);
      const rate = (ponAlt + 0.5) / (ponDepth + 1);
      const rows = Array.from({ length: 10 }, () =>
        called(3000, slowBinomialDraw(rand, 3000, e), rate, { backgroundDepth: ponDepth + 1, backgroundKey: 'site:shared' }),
      );
      if (summarizeSample(rows, opts).detected) fpPredictive++;
      const d = locusData(rows);
      if (glrtPValue(d, lrStatistic(d).T, knownBackground(10)).p <= opts.alpha) fpKnown++;
    }
    // SE of a 5% rate over 400 replicates: 1.1%.
    expect(fpPredictive / reps).toBeLessThan(0.05 + 3 * 0.011);
    expect(fpKnown / reps).toBeGreaterThan(0.05);
    expect(fpKnown).toBeGreaterThan(2 * fpPredictive);
  }, 60_000);

  it('treats rows without background depth as known rates (chi-bar-square at ≥ 20 expected reads)', () => {
    const rows = Array.from({ length: 10 }, () => called(3000, 6, 2e-3));
    expect(summarizeSample(rows, opts).settings.p_value_method).toBe('chi_bar_square');
    const uncertain = rows.map((r) => ({ ...r, backgroundDepth: 1e6, backgroundKey: 'class:C>T' }));
    expect(summarizeSample(uncertain, opts).settings.p_value_method).toBe('monte_carlo');
  });
});
