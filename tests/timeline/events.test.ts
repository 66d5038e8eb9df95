import { describe, expect, it } from 'vitest';
import { changeEvent } from '../../src/timeline/events.js';
import { DEFAULT_EVENT_SETTINGS } from '../../src/timeline/types.js';
import { makeTimeline } from './fixtures.js';

const S = DEFAULT_EVENT_SETTINGS;
const det = (alt: number, depth = 3000) => ({ alt, depth, call: 'detected' as const });
const nd = (alt: number, depth = 3000) => ({ alt, depth, call: 'not_detected' as const });

describe('events between consecutive draws', () => {
  it('emerged needs the detection and a significant increase', () => {
    expect(changeEvent(nd(0), det(12), S).event).toBe('emerged');
    // Detected by the calling stage (e.g. a very clean background) but 1 vs 0 reads is p = 0.5.
    expect(changeEvent(nd(0), det(1), S)).toMatchObject({ event: 'stable' });
    expect(changeEvent(nd(0), det(1), S).pValue).toBeCloseTo(0.5, 12);
  });
  it('rising needs ≥ 2-fold and p < 0.01; a significant 1.5-fold rise is stable', () => {
    expect(changeEvent(det(30), det(90), S).event).toBe('rising');
    expect(changeEvent(det(300), det(450), S).event).toBe('stable');
    // 2-fold but not significant: 3 → 6 reads.
    expect(changeEvent(det(3), det(6), S).event).toBe('stable');
  });
  it('falling and cleared mirror rising and emerged', () => {
    expect(changeEvent(det(90), det(30), S).event).toBe('falling');
    expect(changeEvent(det(30), nd(0), S).event).toBe('cleared');
    expect(changeEvent(det(3), nd(1), S).event).toBe('stable');
  });
  it('a low_depth draw on either side is not assessable', () => {
    expect(changeEvent({ alt: 0, depth: 20, call: 'low_depth' }, det(30), S)).toMatchObject({ event: 'not_assessable', pValue: null });
  });
});

describe('timeline builder', () => {
  const t = makeTimeline('P', [
    {
      sample: 'a',
      date: '2026-01-01',
      counts: { TP53_R175H: [90, 3000], TP53_R273H: [80, 3000], ESR1_D538G: [0, 3000], GATA3_X1: [15, 3000] },
    },
    {
      sample: 'b',
      date: '2026-02-01',
      counts: { TP53_R175H: [30, 3000], TP53_R273H: [25, 3000], ESR1_D538G: [0, 3000], GATA3_X1: [5, 3000] },
    },
    {
      sample: 'c',
      date: '2026-03-01',
      counts: { TP53_R175H: [31, 3000], TP53_R273H: [30, 3000], ESR1_D538G: [20, 3000], GATA3_X1: [6, 3000] },
    },
  ]);
  const site = (gene: string) => t.sites.find((s) => s.gene === gene)!;
  it('first detection, nadir, events per site', () => {
    expect(site('ESR1').first_detection).toEqual({ sample: 'c', collection_date: '2026-03-01' });
    expect(site('ESR1').points.map((p) => p.event)).toEqual(['baseline', 'stable', 'emerged']);
    expect(site('TP53').nadir).toEqual({ sample: 'b', collection_date: '2026-02-01', vaf: 0.01 });
    expect(site('TP53').points.map((p) => p.event)).toEqual(['baseline', 'falling', 'stable']);
    // ESR1 at c against its nadir (0 of 3,000 at a and b; the earliest wins): fold undefined,
    // p = P(X ≥ 20 | Bin(20, 1/2)) = 2^-20.
    const esr1 = site('ESR1').points[2].from_nadir!;
    expect([esr1.sample, esr1.fold]).toEqual(['a', null]);
    expect(esr1.p_value / 2 ** -20).toBeCloseTo(1, 12);
    expect(site('TP53').points[2].from_nadir!.sample).toBe('b');
    expect(site('TP53').points[2].from_nadir!.fold).toBeCloseTo(31 / 30, 12);
    expect(site('TP53').points[0].from_nadir).toBeNull();
  });
  it('clonal sites: detected at baseline within half of the top baseline VAF (GATA3 at 0.5% beside TP53 at 3% is not)', () => {
    expect(t.tumour_fraction.clonal_sites).toEqual(['chr17:7675088:C>T', 'chr17:7673802:C>T']);
    expect(site('GATA3').clonal).toBe(false);
    expect(t.tumour_fraction.points.map((p) => [p.alt_count, p.depth, p.event])).toEqual([
      [170, 6000, 'baseline'],
      [55, 6000, 'falling'],
      [61, 6000, 'stable'],
    ]);
    // The one definition: 2 × the shared allele fraction given the background e = 1e-4, which for
    // sites sharing e is (pooled VAF − e)/(1 − 2e).
    expect(t.tumour_fraction.points[0].estimate).toBeCloseTo((2 * (170 / 6000 - 1e-4)) / (1 - 2e-4), 9);
  });
});

describe('tumour-informed sites and the clonal set', () => {
  const draws = [
    { sample: 'd0', date: '2026-01-01', counts: { TP53_R175H: [90, 3000], PIK3CA_H1047R: [60, 3000], ESR1_D538G: [0, 3000] } },
    { sample: 'd1', date: '2026-03-01', counts: { TP53_R175H: [30, 3000], PIK3CA_H1047R: [20, 3000], ESR1_D538G: [0, 3000] } },
  ] as const;
  const build = (tumourInformed?: ('PIK3CA_H1047R' | 'ESR1_D538G')[]) =>
    makeTimeline(
      'P',
      draws.map((d) => ({ ...d, counts: { ...d.counts } })),
      { tumourInformed },
    );
  it('panel sites alone: TP53 (3%) and PIK3CA (2% ≥ half of 3%) are both clonal', () => {
    const t = build();
    expect(t.tumour_fraction.clonal_sites).toEqual(['chr17:7675088:C>T', 'chr3:179234297:A>G']);
    expect(t.sites.map((s) => s.tumour_informed)).toEqual([false, false, false]);
  });
  it('with PIK3CA from the tissue VCF, only it is pooled: a plasma-only TP53 may be clonal haematopoiesis', () => {
    const t = build(['PIK3CA_H1047R']);
    expect(t.tumour_fraction.clonal_sites).toEqual(['chr3:179234297:A>G']);
    expect(t.tumour_fraction.points.map((p) => [p.alt_count, p.depth])).toEqual([
      [60, 3000],
      [20, 3000],
    ]);
    expect(t.sites.find((s) => s.gene === 'PIK3CA')!.tumour_informed).toBe(true);
  });
  it('a tumour-informed site not detected at baseline does not empty the clonal set: the panel sites stay', () => {
    const t = build(['ESR1_D538G']);
    expect(t.tumour_fraction.clonal_sites).toEqual(['chr17:7675088:C>T', 'chr3:179234297:A>G']);
  });
});
