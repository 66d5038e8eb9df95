import { describe, expect, it } from 'vitest';
import { annotateCounts } from '../../src/stats/annotate.js';
import {
  backgroundFor,
  defaultBackground,
  inSampleBackground,
  probeRowsToBaseCounts,
  probeSitesForTargets,
} from '../../src/stats/background.js';
import { momDispersion } from '../../src/stats/dispersion.js';
import { substitutionClass } from '../../src/stats/substitution.js';
import { siteKey, StatsInputError } from '../../src/stats/types.js';
import { binomialDraw, counts, mulberry32, site } from './helpers.js';

/** Beta draw via two gamma draws (Marsaglia–Tsang), for beta-binomial test data. */
function gamma(rand: () => number, k: number): number {
  if (k < 1) return gamma(rand, k + 1) * rand() ** (1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = rand();
      const u2 = rand();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

describe('method-of-moments dispersion', () => {
  it('recovers ρ from beta-binomial data and gives ~0 for binomial data', () => {
    const rand = mulberry32(5);
    const mu = 0.01;
    const rho = 0.01;
    const a = (mu * (1 - rho)) / rho;
    const b = ((1 - mu) * (1 - rho)) / rho;
    const alt: number[] = [];
    const depth: number[] = [];
    const altBin: number[] = [];
    for (let i = 0; i < 400; i++) {
      const ga = gamma(rand, a);
      const p = ga / (ga + gamma(rand, b));
      alt.push(binomialDraw(rand, 1000, p));
      altBin.push(binomialDraw(rand, 1000, mu));
      depth.push(1000);
    }
    expect(momDispersion(alt, depth)).toBeGreaterThan(0.006);
    expect(momDispersion(alt, depth)).toBeLessThan(0.015);
    expect(momDispersion(altBin, depth)).toBeLessThan(0.001);
  });
  it('is 0 with fewer than two units or no alt reads', () => {
    expect(momDispersion([3], [100])).toBe(0);
    expect(momDispersion([0, 0], [100, 100])).toBe(0);
  });
});

describe('substitution classes', () => {
  it('names SNVs, MNVs and indels', () => {
    expect(substitutionClass({ ref: 'c', alt: 'T' })).toBe('C>T');
    expect(substitutionClass({ ref: 'CA', alt: 'TG' })).toBe('mnv');
    expect(substitutionClass({ ref: 'C', alt: 'CA' })).toBe('indel');
  });
});

describe('in-sample background from target probes', () => {
  it('makes three probes per position and skips tested sites', () => {
    const probes = probeSitesForTargets([{ chrom: 'chr1', start0: 99, end0: 102 }], [site('chr1', 101, 'C', 'T')]);
    expect(probes.map((p) => `${p.pos1}${p.ref}>${p.alt}`)).toEqual(['100A>C', '100A>G', '100A>T', '102A>C', '102A>G', '102A>T']);
  });

  it('pools errors per class with the majority base as reference and drops variant positions', () => {
    // Position 100: C majority (A=1, C=998, G=0, T=1) → C>A 1/1000, C>T 1/1000
    // Position 101: C majority (A=0, C=1000, G=0, T=2) → C>T 2/1002
    // Position 102: heterozygous (A=500, G=500) → skipped
    // Position 103: depth 10 → skipped
    const mk = (pos1: number, a: number, c: number, g: number, t: number) => {
      const s = (alt: string) => site('chr1', pos1, 'A', alt);
      return [
        { ...counts(s('C'), a + c + g + t, c), refCount: a },
        { ...counts(s('G'), a + c + g + t, g), refCount: a },
        { ...counts(s('T'), a + c + g + t, t), refCount: a },
      ];
    };
    const rows = [...mk(100, 1, 998, 0, 1), ...mk(101, 0, 1000, 0, 2), ...mk(102, 500, 0, 500, 0), ...mk(103, 0, 10, 0, 0)];
    const { model, positionsUsed } = inSampleBackground(probeRowsToBaseCounts(rows), { origin: 's.bam', build: 'GRCh38' });
    expect(positionsUsed).toBe(2);
    const ct = model.perClass.get('C>T')!;
    expect(ct.altReads).toBe(3);
    expect(ct.depth).toBe(2002);
    expect(ct.rate).toBeCloseTo((3 + 0.5) / (2002 + 1), 15);
    expect(model.perClass.get('C>A')!.altReads).toBe(1);
    const bg = backgroundFor(model, site('chr1', 500, 'C', 'T'));
    expect(bg.source).toBe('in_sample');
    expect(bg.rate).toBe(ct.rate);
    // A class never seen (no A/G/T reference positions) falls back to the default rate.
    expect(backgroundFor(model, site('chr1', 500, 'T', 'G')).source).toBe('default');
  });

  it('uses trinucleotide context with a reference', () => {
    const ref = 'GACGTA'; // pos1 1..6
    const base = (_c: string, pos1: number) => ref[pos1 - 1] ?? 'N';
    const rows = [
      { ...counts(site('chr1', 3, 'A', 'C'), 1000, 998), refCount: 0 },
      { ...counts(site('chr1', 3, 'A', 'G'), 1000, 0), refCount: 0 },
      { ...counts(site('chr1', 3, 'A', 'T'), 1000, 2), refCount: 0 },
    ];
    const { model } = inSampleBackground(probeRowsToBaseCounts(rows), { origin: 's.bam', build: 'GRCh38', referenceBase: base });
    expect(model.perClass.get('A[C>T]G')!.altReads).toBe(2);
    expect(backgroundFor(model, site('chr1', 3, 'C', 'T'), 'A[C>T]G').rate).toBe(model.perClass.get('A[C>T]G')!.rate);
  });

  it('refuses when no position is usable', () => {
    expect(() => inSampleBackground([], { origin: 's.bam', build: 'x' })).toThrow(StatsInputError);
  });
});

describe('annotateCounts', () => {
  const bg = defaultBackground(1e-3);
  it('calls detected / not_detected / low_depth with the documented columns', () => {
    const rows = [
      counts(site('chr1', 1, 'C', 'T'), 1000, 10),
      counts(site('chr1', 2, 'C', 'T'), 1000, 1),
      counts(site('chr1', 3, 'C', 'T'), 50, 5),
    ];
    const out = annotateCounts({ rows }, { background: bg, alpha: 0.01, minDepth: 100 });
    expect(out.map((r) => r.call)).toEqual(['detected', 'not_detected', 'low_depth']);
    expect(out[0].vaf).toBe(0.01);
    expect(out[0].pValue).toBeLessThan(1e-5);
    expect(out[1].pValue).toBeCloseTo(1 - 0.999 ** 1000, 12);
    expect(out[0].vafLow).toBeLessThan(0.01);
    expect(out[0].vafHigh).toBeGreaterThan(0.01);
    expect(out[0].lod).toBeGreaterThan(0);
    expect(out[0].backgroundRate).toBe(1e-3);
  });
  it('never calls a germline/CHIP site detected', () => {
    const model = defaultBackground(1e-3);
    model.kind = 'pon';
    model.perSite.set(siteKey(site('chr1', 1, 'C', 'T')), {
      siteKey: siteKey(site('chr1', 1, 'C', 'T')),
      substitution: 'C>T',
      altReads: 600,
      depth: 1000,
      rate: 0.5,
      dispersion: 0,
      sampleRates: [0.5],
      pseudoAlt: 0,
      pseudoDepth: 0,
      germlineOrChip: true,
    });
    const out = annotateCounts({ rows: [counts(site('chr1', 1, 'C', 'T'), 1000, 900)] }, { background: model, alpha: 0.01, minDepth: 100 });
    expect(out[0].call).toBe('not_detected');
    expect(out[0].germlineOrChip).toBe(true);
  });
});
