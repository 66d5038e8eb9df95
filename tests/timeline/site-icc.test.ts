/**
 * The cohort's site × draw ICC (site-icc.ts): its estimate from patients with several sites, and a
 * one-site patient taking φ from its upper bound (resolve.ts, model.ts).
 */
import { describe, expect, it } from 'vitest';
import { simulatedCohort } from '../../src/bench/accuracy-longitudinal.js';
import { simulateSeries } from '../../src/bench/accuracy-series.js';
import { Xoshiro128 } from '../../src/stats/rng.js';
import { assessMolecularChange } from '../../src/timeline/longitudinal/model.js';
import { resolveBetweenDrawPrior } from '../../src/timeline/longitudinal/resolve.js';
import { cohortSiteIcc, type LineCounts } from '../../src/timeline/longitudinal/site-icc.js';
import { phiOfIcc, siteDrawPearson } from '../../src/timeline/longitudinal/variance.js';
import { seriesInput, seriesSite } from '../helpers/series-input.js';

const settings = { fold: 2, alpha: 0.01, intervalLevel: 0.95, ruleOutLevel: 0.95, phaseAlpha: 0.001 };
const priorSettings = {
  fallback: { cv: 0.7, df: 1, source: 'policy default' },
  minPatients: 10,
  minDf: 8,
  testLevel: 0.95,
  betweenPatientDf: 20,
};

function linesOf(cv: number, depth: number, markers: number, rho: number, seed: number): LineCounts[] {
  return simulatedCohort(seed, { cv, depth, markers, vaf: 0.02, rho }, { patients: 40, draws: 6 }).map((s) => ({
    alt: s.sites.map((x) => x.alt),
    depth: s.sites.map((x) => x.depth),
    draws: s.draws.map((_, t) => t),
  }));
}

describe('site × draw Pearson statistic', () => {
  it('two sites × two draws by hand: Poisson and binomial scales, df and the depth term', () => {
    // Symmetric table: every fitted mean is 15; residuals ±5.
    const p = siteDrawPearson(
      [
        [10, 20],
        [20, 10],
      ],
      [
        [1000, 1000],
        [1000, 1000],
      ],
      [0, 1],
    );
    expect(p.df).toBe(1);
    expect(p.x2).toBeCloseTo((4 * 25) / 15, 10);
    expect(p.x2Binomial).toBeCloseTo((4 * 25) / (15 * (1 - 0.015)), 10);
    expect(p.depthExcess).toBeCloseTo((4 * 999) / 4, 10);
  });

  it('a site near 100% (fitted μ above n) does not divide by zero: 1 − p is floored at ½', () => {
    // Site 2 reads nearly every read as alt; the log-linear fit puts some μ above n.
    const p = siteDrawPearson(
      [
        [10, 30, 20],
        [98, 100, 99],
      ],
      [
        [1000, 1000, 1000],
        [100, 100, 100],
      ],
      [0, 1, 2],
    );
    expect(Number.isFinite(p.x2Binomial)).toBe(true);
    expect(p.x2Binomial).toBeLessThanOrEqual(2 * p.x2 + 1e-9);
    expect(p.x2Binomial).toBeGreaterThanOrEqual(p.x2);
  });

  it('φ of an ICC is 1 + ρ(n̄ − 1), n̄ weighted by the alt reads', () => {
    const phi = phiOfIcc([[30, 10]], [[1000, 3000]], [0, 1], 1e-4);
    expect(phi).toBeCloseTo(1 + 1e-4 * ((30 * 999 + 10 * 2999) / 40), 12);
    expect(phiOfIcc([[30]], [[1000]], [0], 0)).toBe(1);
  });
});

describe("the cohort's site × draw ICC", () => {
  it('recovers the simulated ρ on average over cohorts of 40 patients with 4 markers, and its SE matches its spread', () => {
    for (const [depth, rho] of [
      [3000, 1e-4],
      [1500, 3e-4],
    ]) {
      const est = Array.from({ length: 12 }, (_, k) => cohortSiteIcc(linesOf(0.15, depth, 4, rho, 500 + k))!);
      const mean = est.reduce((a, e) => a + e.rho, 0) / est.length;
      const sd = Math.sqrt(est.reduce((a, e) => a + (e.rho - mean) ** 2, 0) / (est.length - 1));
      const se = est.reduce((a, e) => a + e.se, 0) / est.length;
      expect(Math.abs(mean - rho)).toBeLessThan(0.25 * rho);
      expect(sd / se).toBeGreaterThan(0.5);
      expect(sd / se).toBeLessThan(1.8);
      expect(est[0].df).toBe(40 * 3 * 5);
    }
  });

  it('is near 0 for binomial counts and absent for a cohort of one-marker patients', () => {
    const est = cohortSiteIcc(linesOf(0.15, 3000, 4, 0, 77))!;
    expect(est.rho).toBeLessThan(3e-5);
    expect(cohortSiteIcc(linesOf(0.15, 1500, 1, 1e-4, 77))).toBeNull();
  });
});

describe("the cohort prior's ICC for one-site patients", () => {
  it('a 4-marker cohort gives its upper 95% bound and says so; a one-marker cohort gives none and keeps the noise in its CV', () => {
    const four = resolveBetweenDrawPrior(
      { kind: 'auto' },
      simulatedCohort(20261127, { cv: 0, depth: 3000, markers: 4, vaf: 0.02, rho: 1e-4 }, { patients: 40, draws: 6 }),
      [],
      priorSettings,
    );
    const icc = four.estimate!.siteDrawIcc!;
    expect(icc.lines).toBe(40);
    expect(four.prior.siteIcc!.rho).toBeCloseTo(icc.rho + 1.6448536269514722 * icc.se, 12);
    expect(four.note).toContain('site × draw ICC');
    const one = resolveBetweenDrawPrior(
      { kind: 'auto' },
      simulatedCohort(20261127, { cv: 0, depth: 3000, markers: 1, vaf: 0.02, rho: 1e-4 }, { patients: 40, draws: 6 }),
      [],
      priorSettings,
    );
    expect(one.prior.siteIcc).toBeUndefined();
    expect(one.note).not.toContain('site × draw ICC');
    // √(ρ/VAF) ≈ 0.07: the site × draw noise stays in a one-marker cohort's CV.
    expect(one.estimate!.cv).toBeGreaterThan(0.04);
  });
});

describe('a one-site patient with the cohort ICC', () => {
  /** Stable series of 3 draws and a window draw at 1,500×, CV 15%, ρ = 1e-4. */
  const stable = (seed: number, markers: number, vaf: number) =>
    simulateSeries(new Xoshiro128(seed), { cv: 0.15, depth: 1500, markers, vaf, before: 3, window: 1, fold: 1, rho: 1e-4 });
  const s = stable(31, 1, 0.005);
  const site = seriesSite('m1', s.sites[0].alt, s.sites[0].depth);
  const base = { cv: 0.15, df: 15, source: 'test' };

  it('takes φ = 1 + ρ(n̄ − 1) at its own depth, says so, and widens its interval', () => {
    const withIcc = assessMolecularChange(seriesInput([site], undefined, { ...base, siteIcc: { rho: 1e-4, df: 600 } }, settings));
    const without = assessMolecularChange(seriesInput([site], undefined, base, settings));
    // 1 + ρ(n̄ − 1), n̄ the depth averaged over the alt reads of the four draws, written out here.
    let reads = 0;
    let weighted = 0;
    for (let t = 0; t < 4; t++) {
      reads += site.alt[t];
      weighted += site.alt[t] * site.depth[t];
    }
    expect(reads).toBeGreaterThan(0);
    expect(withIcc.site_dispersion.phi).toBeCloseTo(1 + 1e-4 * (weighted / reads - 1), 12);
    expect(withIcc.site_dispersion.df).toBe(600);
    expect(without.site_dispersion.phi).toBe(1);
    expect(withIcc.caveats.join(' ')).toContain('site × draw dispersion from the cohort');
    const [a, b] = [withIcc.comparisons[0], without.comparisons[0]];
    expect(Math.log(a.high! / a.low!)).toBeGreaterThan(Math.log(b.high! / b.low!));
  });

  it('a patient with two sites keeps its own φ', () => {
    const t = stable(32, 2, 0.02);
    const sites = t.sites.map((x, i) => seriesSite(`m${i}`, x.alt, x.depth));
    const withIcc = assessMolecularChange(seriesInput(sites, undefined, { ...base, siteIcc: { rho: 5e-3, df: 600 } }, settings));
    const without = assessMolecularChange(seriesInput(sites, undefined, base, settings));
    expect(withIcc.site_dispersion).toEqual(without.site_dispersion);
  });
});
