import { describe, expect, it } from 'vitest';
import { backgroundFor, defaultBackground } from '../../src/stats/background.js';
import { callRow } from '../../src/stats/annotate.js';
import { binomialDraw, Xoshiro128 } from '../../src/stats/rng.js';
import { changeEvent } from '../../src/timeline/events.js';
import { binomLogLowerTail, binomUpperTail, lgamma } from '../../src/stats/binomial.js';
import { decreasePValue, foldChange, increasePValue, wilsonInterval } from '../../src/timeline/two-count-test.js';
import { DEFAULT_EVENT_SETTINGS } from '../../src/timeline/types.js';
import type { SiteCounts } from '../../src/count/types.js';
import { altDepthCounts } from '../../src/simulate/site-counts.js';

// Expected values: exact rational sums Σ C(n,j) p^j (1-p)^(n-j) computed with Python's fractions
// module (independent of this code), rounded to 17 significant digits. The two-count test uses the
// stats module's tails, so these pin the tails at the exact arguments the test produces.
describe('exact binomial tails (src/stats/binomial.ts, as the two-count test uses them)', () => {
  it.each([
    [90, 120, 0.5, 1.886376653177654e-8],
    [25, 35, 0.5, 0.0083369239000603557],
    [12, 17, 0.75, 0.76530561433173716],
    [900, 1000, 0.5, 6.7017177900062962e-162],
    [3, 10, 0.01, 0.00011384911790577964],
    [141, 170, 0.5, 3.6214323696701767e-19],
  ])('P(X ≥ %i | n=%i, p=%f)', (k, n, p, expected) => {
    expect(binomUpperTail(k, n, p) / expected).toBeCloseTo(1, 11);
  });
  it('edges and complements', () => {
    expect(binomUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomUpperTail(4, 10, 0.3) + Math.exp(binomLogLowerTail(3, 10, 0.3))).toBeCloseTo(1, 14);
    expect(Math.exp(lgamma(11))).toBeCloseTo(3628800, 6);
  });
});

describe('wilsonInterval tuple (the tumour-fraction series reads [low, high])', () => {
  it('k = 0: [0, z²/(n + z²)]; k = n: [n/(n + z²), 1]; n = 0: no estimate', () => {
    const z2 = 1.959963984540054 ** 2;
    expect(wilsonInterval(0, 3000)[0]).toBe(0);
    expect(wilsonInterval(0, 3000)[1]).toBeCloseTo(z2 / (3000 + z2), 15);
    expect(wilsonInterval(40, 40)[0]).toBeCloseTo(40 / (40 + z2), 15);
    expect(wilsonInterval(40, 40)[1]).toBe(1);
    expect(wilsonInterval(0, 0).every(Number.isNaN)).toBe(true);
  });
});

describe('two-count test (conditional binomial on alt1 + alt2)', () => {
  it('1 → 3% at 3,000× each: s = 120, π0 = 1/2, p = P(X ≥ 90)', () => {
    expect(increasePValue({ alt: 30, depth: 3000 }, { alt: 90, depth: 3000 }) / 1.886376653177654e-8).toBeCloseTo(1, 11);
  });
  it('a single alt read after none, 3,000× each: p = 0.5, never significant', () => {
    expect(increasePValue({ alt: 0, depth: 3000 }, { alt: 1, depth: 3000 })).toBeCloseTo(0.5, 14);
  });
  it('nullFold 2 with unequal depths: π0 = 2·1000 / (2000 + 2·1000) = 1/2, s = 35, P(X ≥ 25)', () => {
    expect(increasePValue({ alt: 10, depth: 2000 }, { alt: 25, depth: 1000 }, 2) / 0.0083369239000603557).toBeCloseTo(1, 11);
  });
  it('unequal depths: π0 = 3000/4000 = 3/4, s = 17, P(X ≥ 12)', () => {
    expect(increasePValue({ alt: 5, depth: 1000 }, { alt: 12, depth: 3000 }) / 0.76530561433173716).toBeCloseTo(1, 11);
  });
  it('decrease is the increase test with the draws swapped; no data gives p = 1', () => {
    expect(decreasePValue({ alt: 90, depth: 3000 }, { alt: 30, depth: 3000 })).toBe(
      increasePValue({ alt: 30, depth: 3000 }, { alt: 90, depth: 3000 }),
    );
    expect(increasePValue({ alt: 0, depth: 0 }, { alt: 5, depth: 100 })).toBe(1);
    expect(increasePValue({ alt: 0, depth: 100 }, { alt: 0, depth: 100 })).toBe(1);
    expect(foldChange({ alt: 0, depth: 100 }, { alt: 1, depth: 100 })).toBe(Infinity);
  });
});

// Exact binomial draws from the stats module's seeded generator (xoshiro128**), so the simulated
// series are the same on every run and drawn the way the calling stage's own Monte Carlo draws.
const rng = (seed: number) => new Xoshiro128(seed);
const draw = (n: number, p: number, u: Xoshiro128) => binomialDraw(u, n, p);

function called(alt: number, depth: number) {
  const site = { chrom: 'chr1', pos1: 100, ref: 'C', alt: 'T', gene: 'G', protein: 'p.X', id: 's' };
  const row: SiteCounts = { ...altDepthCounts(site, depth, alt), meanFragLenRef: 167, meanFragLenAlt: 150 };
  const c = callRow(row, backgroundFor(defaultBackground(), site), 0.01, 100);
  return { alt, depth, call: c.call };
}

describe('false-alarm rate of emerged/rising on stable series', () => {
  // 2,000 pairs of draws at the same true VAF per level, 3,000× each, calls by the real calling
  // stage: the share of pairs called emerged or rising must stay ≤ α = 0.01.
  it.each([0.0005, 0.002, 0.01, 0.05])('VAF %f: rate ≤ α', (vaf) => {
    const u = rng(Math.round(vaf * 1e6));
    let alarms = 0;
    const pairs = 2000;
    for (let i = 0; i < pairs; i++) {
      const a = called(draw(3000, vaf, u), 3000);
      const b = called(draw(3000, vaf, u), 3000);
      const ev = changeEvent(a, b, DEFAULT_EVENT_SETTINGS).event;
      if (ev === 'emerged' || ev === 'rising') alarms++;
    }
    expect(alarms / pairs).toBeLessThanOrEqual(DEFAULT_EVENT_SETTINGS.alpha);
  });
  it('and the same test sees a real change: 0.3% → 1.2% at 3,000× is rising in ≥ 90% of pairs', () => {
    const u = rng(7);
    let hits = 0;
    for (let i = 0; i < 500; i++) {
      const a = called(draw(3000, 0.003, u), 3000);
      const b = called(draw(3000, 0.012, u), 3000);
      const ev = changeEvent(a, b, DEFAULT_EVENT_SETTINGS).event;
      if (ev === 'rising' || ev === 'emerged') hits++;
    }
    expect(hits / 500).toBeGreaterThanOrEqual(0.9);
  });
});
