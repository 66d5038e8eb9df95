import { describe, expect, it } from 'vitest';
import { type ClonalCandidate, chooseClonalSet } from '../../src/classify/clonal-set.js';
import { loadPolicy } from '../../src/classify/policy.js';
import type { SiteOrigin } from '../../src/classify/site-origin.js';

const rules = loadPolicy().policy.rules;

/** VAFs per draw (null = not detected). */
function site(key: string, gene: string, vafs: (number | null)[], extra: Partial<ClonalCandidate> = {}): ClonalCandidate {
  return {
    key,
    gene,
    protein: `p.${key}`,
    tumourInformed: false,
    origin: 'tumour' as SiteOrigin,
    resistanceSite: false,
    points: vafs.map((v) => (v === null ? { call: 'not_detected' as const, vaf: 0 } : { call: 'detected' as const, vaf: v })),
    ...extra,
  };
}

describe('clonal set', () => {
  it('comes from the tumour VCF when given, without germline, CH or acquired-resistance sites', () => {
    const cs = chooseClonalSet(
      [
        site('R175H', 'TP53', [null, 0.002, 0.02], { tumourInformed: true }),
        site('E545K', 'PIK3CA', [null, 0.002, 0.02], { tumourInformed: true }),
        site('P72R', 'TP53', [0.5, 0.5, 0.5], { tumourInformed: true, origin: 'germline_like' }),
        site('D538G', 'ESR1', [null, 0.001, 0.01], { tumourInformed: true, resistanceSite: true }),
        site('R882H', 'DNMT3A', [0.003, 0.003, 0.003], { origin: 'possible_ch' }),
      ],
      [0, 1],
      rules,
    );
    expect(cs.method).toBe('tumour_vcf');
    expect(cs.keys).toEqual(['R175H', 'E545K']);
    expect(cs.text).toBe('clonal set: 2 sites from the tumour VCF (TP53 p.R175H, PIK3CA p.E545K)');
    expect(cs.excluded.map((e) => [e.key, e.reason])).toEqual([
      ['P72R', 'germline-like'],
      ['D538G', 'acquired-resistance site, followed on its own'],
      ['R882H', 'possible clonal haematopoiesis'],
    ]);
  });

  it('a ctDNA-negative first draw does not empty the tissue set (the first draw never chooses it)', () => {
    const cs = chooseClonalSet([site('R175H', 'TP53', [null, null, 0.02], { tumourInformed: true })], [0, 1], rules);
    expect(cs.keys).toEqual(['R175H']);
  });

  it('without tissue: sites detected before the window, never at the draws under test; a subclone below half the top level is left out', () => {
    const sites = [
      site('E545K', 'PIK3CA', [null, 0.002, 0.0022, 0.02]),
      site('E17K', 'AKT1', [null, 0.0024, 0.0018, 0.02]),
      site('L755S', 'ERBB2', [null, 0.0005, 0.0006, 0.001]),
      site('H1047R', 'PIK3CA', [null, null, null, 0.03]),
    ];
    const cs = chooseClonalSet(sites, [0, 1, 2], rules);
    expect(cs.method).toBe('detected_before_window');
    expect(cs.keys).toEqual(['E545K', 'E17K']);
    expect(cs.text).toBe('clonal set: 2 sites detected before the window (PIK3CA p.E545K, AKT1 p.E17K)');
    expect(cs.excluded).toEqual([{ key: 'L755S', label: 'ERBB2 p.L755S', reason: 'subclonal (0.055% against 0.21% before the window)' }]);
    // H1047R, high only in the window, is never chosen: that would bias toward a rise.
    expect(cs.keys).not.toContain('H1047R');
  });

  it('no site before the window: no clonal set, and it says which sites were seen only in the window', () => {
    const cs = chooseClonalSet([site('E545K', 'PIK3CA', [null, null, 0.02])], [0, 1], rules);
    expect(cs.method).toBe('none');
    expect(cs.keys).toEqual([]);
    expect(cs.text).toBe(
      'no clonal set: no tumour VCF and no site detected before the window (PIK3CA p.E545K detected only in the window: never chosen at the draws under test)',
    );
  });

  it('min_detections_before_window: with 2, a site seen once before the window is not enough', () => {
    const strict = { clonal_set: { ...rules.clonal_set, min_detections_before_window: 2 } };
    const once = [site('E545K', 'PIK3CA', [null, 0.002, null, 0.02])];
    expect(chooseClonalSet(once, [0, 1, 2], rules).keys).toEqual(['E545K']);
    expect(chooseClonalSet(once, [0, 1, 2], strict).method).toBe('none');
  });
});
