/**
 * Panel of normals, empirical Bayes (src/stats/pon.ts): carriers per normal, dispersions shrunk
 * toward the class (never cut at 0 when the class is over-dispersed), prior strength from the spread
 * of site rates, the small-panel warning, and the effective depth behind a site's rate.
 */
import { describe, expect, it } from 'vitest';
import { backgroundFor, effectiveDepth } from '../../src/stats/background.js';
import { momIcc } from '../../src/stats/dispersion.js';
import { buildPon, MIN_PON_NORMALS } from '../../src/stats/pon.js';
import { betaDraw, binomialDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { counts, site } from './helpers.js';

const sites = Array.from({ length: 12 }, (_, i) => site('chr1', 1000 + 10 * i, 'C', 'T'));

function panel(normals: number, alt: (n: number, i: number) => number, depth = 3000) {
  return buildPon({
    sampleNames: Array.from({ length: normals }, (_, n) => `N${n}`),
    build: 'GRCh38',
    sites,
    siteCounts: Array.from({ length: normals }, (_, n) => sites.map((s, i) => counts(s, depth, alt(n, i)))),
    settingsText: 't',
  });
}

describe('panel of normals (empirical Bayes)', () => {
  it('a normal carrying a variant is left out of that site only; the site is flagged only when half the normals carry it', () => {
    const pon = panel(10, (n, i) => (i === 0 && n === 3 ? 150 : i === 1 && n < 5 ? 1500 : n % 3));
    const [a, b, c] = pon.sites;
    expect([a.carriers, a.germlineOrChip, a.altReads, a.depth]).toEqual([1, false, 9 - 0, 27_000]);
    expect([b.carriers, b.germlineOrChip]).toEqual([5, true]);
    expect([c.carriers, c.germlineOrChip]).toEqual([0, false]);
    // The carrier's 5% does not raise the site's rate: it equals a site with the same non-carrier counts.
    expect(a.rate).toBeLessThan(5e-4);
  });

  it('site dispersions are shrunk toward an over-dispersed class, not cut at 0', () => {
    const rng = new Xoshiro128(11);
    const rho = 4e-4;
    const pon = panel(10, () => binomialDraw(rng, 3000, betaDraw(rng, (1e-3 * (1 - rho)) / rho, (0.999 * (1 - rho)) / rho)));
    const raw = pon.sites.map((_, i) =>
      momIcc(
        pon.sites[i].sampleRates.map((r) => Math.round(r * 3000)),
        Array(10).fill(3000),
      ),
    );
    // Some sites' own estimates are ≤ 0 by chance; none of the shrunk ones is.
    expect(raw.filter((r) => r <= 0).length).toBeGreaterThan(0);
    const cls = pon.classes.get('C>T')!.dispersion;
    expect(cls).toBeGreaterThan(1e-4);
    for (const s of pon.sites) expect(s.dispersion).toBeGreaterThan(0.3 * cls);
  });

  it('the prior strength of site rates follows their spread within the class', () => {
    const even = panel(10, (n) => (n % 2 === 0 ? 1 : 0));
    const rng = new Xoshiro128(2);
    const spread = panel(10, (_, i) => binomialDraw(rng, 3000, 2e-4 * 2 ** (i % 4)));
    // Sites that look alike borrow up to the class's own depth; sites that differ borrow little.
    expect(even.sites[0].pseudoDepth).toBeGreaterThan(100_000);
    expect(spread.sites[0].pseudoDepth).toBeLessThan(20_000);
  });

  it(`warns under ${MIN_PON_NORMALS} normals`, () => {
    expect(panel(5, () => 0).warnings[0]).toMatch(/^panel of 5 normal\(s\), fewer than 10/);
    expect(panel(10, () => 0).warnings).toEqual([]);
  });

  it('a site rate from dispersed normals rests on fewer effective reads', () => {
    expect(effectiveDepth({ depth: 30_000, dispersion: 0, sampleRates: Array(10).fill(0) })).toBe(30_000);
    expect(effectiveDepth({ depth: 30_000, dispersion: 1e-3, sampleRates: Array(10).fill(0) })).toBeCloseTo(30_000 / (1 + 2999e-3), 6);
    const pon = panel(10, (n) => (n === 0 ? 2 : 0));
    const bg = backgroundFor(
      {
        kind: 'pon',
        origin: 'p',
        build: 'GRCh38',
        siteSetHash: '',
        perSite: new Map(pon.sites.map((s) => [s.siteKey, s])),
        perClass: pon.classes,
        defaultRate: 1e-4,
      },
      sites[0],
    );
    expect(bg.priorDepth).toBeCloseTo(effectiveDepth(pon.sites[0]) + pon.sites[0].pseudoDepth, 6);
  });
});
