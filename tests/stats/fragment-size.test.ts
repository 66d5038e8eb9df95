import { describe, expect, it } from 'vitest';
import { fragmentLengthsFromObservations, fragmentSizeTest, lengthBin, weightedStatistic } from '../../src/stats/fragment-size.js';
import { locusData, lrStatistic, summarizeSample } from '../../src/stats/sample-test.js';
import type { SiteFragmentLengths } from '../../src/stats/types.js';
import { pair, table } from '../umi/obs.js';
import { called, mulberry32 } from './helpers.js';

/** Normal-ish fragment length by the sum of uniforms (mean m, sd ~20). */
function length(rand: () => number, mean: number): number {
  let s = 0;
  for (let i = 0; i < 12; i++) s += rand();
  return Math.round(mean + 20 * (s - 6));
}

function sample(rand: () => number, sites: number, n: number, vaf: number, e: number): { lengths: SiteFragmentLengths[]; alts: number[] } {
  const lengths: SiteFragmentLengths[] = [];
  const alts: number[] = [];
  for (let s = 0; s < sites; s++) {
    const l: SiteFragmentLengths = { ref: [], alt: [] };
    for (let i = 0; i < n; i++) {
      const tumour = rand() < vaf;
      const alt = tumour ? rand() > e : rand() < e;
      (alt ? l.alt : l.ref).push(length(rand, tumour ? 145 : 167));
    }
    lengths.push(l);
    alts.push(l.alt.length);
  }
  return { lengths, alts };
}

describe('fragment-size-weighted test', () => {
  it('reduces to the unweighted GLRT when all weights are 1', () => {
    const rand = mulberry32(3);
    const { lengths } = sample(rand, 5, 2000, 0.002, 1e-4);
    const sites = lengths.map((l) => {
      const refHist = new Float64Array(47);
      const altHist = new Float64Array(47);
      for (const x of l.ref) refHist[lengthBin(x)]++;
      for (const x of l.alt) altHist[lengthBin(x)]++;
      return { e: 1e-4, n: l.ref.length + l.alt.length, refHist, altHist };
    });
    const w = new Float64Array(47).fill(1);
    const rows = lengths.map((l) => called(l.ref.length + l.alt.length, l.alt.length, 1e-4));
    const unweighted = lrStatistic(locusData(rows));
    const weighted = weightedStatistic(sites, w);
    expect(weighted.T).toBeGreaterThan(0);
    expect(Math.abs(weighted.T - unweighted.T)).toBeLessThan(1e-6 * unweighted.T);
    expect(Math.abs(weighted.pHat - unweighted.pHat)).toBeLessThan(1e-9);
  });

  it('keeps its false-positive rate on null samples and gains power when tumour fragments are shorter', () => {
    const rand = mulberry32(8);
    let fpW = 0;
    const nulls = 150;
    for (let r = 0; r < nulls; r++) {
      const { lengths } = sample(rand, 10, 1000, 0, 1e-4);
      if (fragmentSizeTest(lengths, Array(10).fill(1e-4), 0.05, false)!.detected) fpW++;
    }
    expect(fpW / nulls).toBeLessThan(0.05 + 3 * 0.018);
    let plain = 0;
    let weighted = 0;
    for (let r = 0; r < 100; r++) {
      const { lengths, alts } = sample(rand, 10, 1000, 0.0004, 1e-4);
      const rows = alts.map((k, i) => called(lengths[i].ref.length + k, k, 1e-4));
      const s = summarizeSample(rows, {
        sample: 's',
        alpha: 0.05,
        siteAlpha: 0.01,
        minDepth: 100,
        background: 'pon',
        fragmentLengths: lengths,
      });
      if (s.detected) plain++;
      if (s.fragment_size!.detected) weighted++;
      expect(s.fragment_size!.changes_call).toBe(s.detected !== s.fragment_size!.detected);
    }
    expect(weighted).toBeGreaterThan(plain);
  });

  it('takes one length per fragment from the observations', () => {
    const t = table([
      ...pair('a', 'X', 1, { fragLen: 140 }),
      ...pair('b', 'Y', 0, { fragLen: 170, mates: 1 }),
      ...pair('c', 'Z', 0, { fragLen: 180, qual: 5 }),
    ]);
    expect(fragmentLengthsFromObservations(t, 1, 20)).toEqual([{ ref: [170], alt: [140] }]);
  });
});

describe('fragment-size test applicability', () => {
  it('is not reported without enough paired fragments to estimate the normal lengths', () => {
    const lengths = [{ ref: Array(50).fill(60), alt: [60, 60] }];
    expect(fragmentSizeTest(lengths, [1e-4], 0.05, true)).toBeUndefined();
    const rows = [called(52, 2, 1e-4)];
    const s = summarizeSample(rows, {
      sample: 's',
      alpha: 0.05,
      siteAlpha: 0.01,
      minDepth: 10,
      background: 'pon',
      fragmentLengths: lengths,
    });
    expect(s.fragment_size).toBeUndefined();
  });
  it('ignores unpaired reads (their length is the alignment, not the fragment)', () => {
    const t = table([{ allele: 1, flag: 0, readStart0: 100, fragLen: 60, name: 'u', umi: '' }]);
    expect(fragmentLengthsFromObservations(t, 1, 20)).toEqual([{ ref: [], alt: [] }]);
  });
});
