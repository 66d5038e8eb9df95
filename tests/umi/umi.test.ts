import { describe, expect, it } from 'vitest';
import { collapseUmiFamilies, consensusAllele, NoUmiError } from '../../src/count/umi.js';
import { directionalEdge, duplexPartnerUmi, groupUmisDirectional } from '../../src/count/umi-group.js';
import type { Site } from '../../src/count/types.js';
import { pair, table, type ObsRead } from './obs.js';

const SITE: Site = { chrom: 'chr1', pos1: 1100, ref: 'C', alt: 'T', gene: '', protein: '', id: '' };
const opts = { minBaseq: 20, keepSingletons: true };

function groups(counts: Record<string, number>): string[][] {
  const rep = groupUmisDirectional(new Map(Object.entries(counts)));
  const by = new Map<string, string[]>();
  for (const [u, r] of rep) by.set(r, [...(by.get(r) ?? []), u].sort());
  return [...by.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('directional UMI grouping (UMI-tools rule: count(a) ≥ 2·count(b) − 1)', () => {
  it('applies the threshold exactly', () => {
    expect(directionalEdge(9, 5)).toBe(true); // 9 ≥ 9
    expect(directionalEdge(8, 5)).toBe(false); // 8 < 9
    expect(directionalEdge(1, 1)).toBe(true); // two singletons one edit apart merge
  });
  it('merges an error UMI into its parent but keeps two real molecules apart', () => {
    expect(groups({ ACGT: 10, ACGA: 5 })).toEqual([['ACGA', 'ACGT']]);
    expect(groups({ ACGT: 10, ACGA: 6 })).toEqual([['ACGA'], ['ACGT']]);
    expect(groups({ ACGT: 10, TTTT: 1 })).toEqual([['ACGT'], ['TTTT']]); // edit distance 3
  });
  it('follows chains of decreasing counts (A→B→C even though A and C are two edits apart)', () => {
    // The UMI-tools paper's motivating case: directional links a node to a parent at least ~2× as frequent.
    expect(groups({ AAAA: 100, AAAT: 40, AATT: 10 })).toEqual([['AAAA', 'AAAT', 'AATT']]);
    // but does not link two similar-count nodes through a chain
    expect(groups({ AAAA: 100, AAAT: 60, AATT: 30 })).toEqual([['AAAA'], ['AAAT', 'AATT']]);
  });
  it('does not depend on input order', () => {
    const a = groupUmisDirectional(
      new Map([
        ['ACGT', 3],
        ['ACGA', 2],
        ['TCGA', 1],
      ]),
    );
    const b = groupUmisDirectional(
      new Map([
        ['TCGA', 1],
        ['ACGA', 2],
        ['ACGT', 3],
      ]),
    );
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
  });
  it('pairs duplex halves', () => {
    expect(duplexPartnerUmi('AAC-GGT')).toBe('GGT-AAC');
    expect(duplexPartnerUmi('AACGGT')).toBe('AACGGT');
  });
});

describe('consensus', () => {
  it('is the quality-weighted majority; a tie is N', () => {
    expect(
      consensusAllele([
        { allele: 0, weight: 30 },
        { allele: 0, weight: 30 },
        { allele: 1, weight: 30 },
      ]),
    ).toBe(0);
    expect(
      consensusAllele([
        { allele: 0, weight: 30 },
        { allele: 1, weight: 30 },
      ]),
    ).toBe(-1);
    expect(
      consensusAllele([
        { allele: 0, weight: 40 },
        { allele: 1, weight: 20 },
      ]),
    ).toBe(0);
    expect(consensusAllele([])).toBe(-1);
  });
});

describe('collapseUmiFamilies', () => {
  it('turns a family with one sequencing error into one ref family, raw counts beside it', () => {
    const reads: ObsRead[] = [
      ...pair('r1', 'ACGT', 0),
      ...pair('r2', 'ACGT', 0),
      ...pair('r3', 'ACGT', 1, { mates: 1 }),
      ...pair('r4', 'ACGA', 0, { mates: 1 }), // an error UMI of the same family (3 ≥ 2·1 − 1)
    ];
    const res = collapseUmiFamilies(table(reads), [SITE], opts);
    const row = res.rows[0];
    expect(row.families).toBe(1);
    expect(row.refCount).toBe(1);
    expect(row.altCount).toBe(0);
    expect(row.rawRefCount).toBe(5);
    expect(row.rawAltCount).toBe(1);
    expect(res.familySizeHistogram[4]).toBe(1);
  });

  it('merges mates: agreeing mates are one vote, disagreeing mates no vote', () => {
    const reads = [...pair('a', 'AAAA', 1), ...pair('b', 'CCCC', 0, { mateAllele: 1 })];
    const res = collapseUmiFamilies(table(reads), [SITE], opts);
    expect(res.rows[0].altCount).toBe(1); // family AAAA, size 1 (one template)
    expect(res.rows[0].discordantMates).toBe(1);
    expect(res.noConsensus).toBe(1); // family CCCC has only a discordant template
    expect(res.familySizeHistogram[1]).toBe(2);
  });

  it('separates families by position and orientation, and pairs duplex strands', () => {
    const reads = [
      ...pair('t1', 'AAA-CCC', 1),
      ...pair('t2', 'AAA-CCC', 1), // top strand
      ...pair('b1', 'CCC-AAA', 1, { top: false }),
      ...pair('b2', 'CCC-AAA', 1, { top: false }), // bottom strand, same molecule
      ...pair('x1', 'AAA-CCC', 0, { start0: 1001 }), // other position: another molecule
    ];
    const res = collapseUmiFamilies(table(reads), [SITE], opts);
    expect(res.rows[0].families).toBe(2);
    expect(res.duplexFamilies).toBe(1);
    expect(res.rows[0].altCount).toBe(1);
    expect(res.rows[0].refCount).toBe(1);
  });

  it('calls N when the two strands of a duplex disagree', () => {
    const reads = [...pair('t1', 'AAA-CCC', 1), ...pair('b1', 'CCC-AAA', 0, { top: false })];
    const res = collapseUmiFamilies(table(reads), [SITE], opts);
    expect(res.rows[0].depth).toBe(0);
    expect(res.noConsensus).toBe(1);
  });

  it('drops singletons on request and ignores low-quality votes', () => {
    const reads = [...pair('s', 'GGGG', 1, { mates: 1 }), ...pair('f1', 'TTTT', 0), ...pair('f2', 'TTTT', 1, { qual: 10 })];
    const kept = collapseUmiFamilies(table(reads), [SITE], opts);
    expect(kept.rows[0].altCount).toBe(1);
    expect(kept.rows[0].refCount).toBe(1); // the Q10 alt vote is filtered
    const dropped = collapseUmiFamilies(table(reads), [SITE], { ...opts, keepSingletons: false });
    expect(dropped.rows[0].altCount).toBe(0);
    expect(dropped.singletonsDropped).toBe(1);
  });

  it('counts reads without a UMI in a warning, and refuses a table with no UMI at all', () => {
    const reads = [...pair('a', 'AAAA', 0), ...pair('n', '', 1)];
    const res = collapseUmiFamilies(table(reads), [SITE], opts);
    expect(res.readsWithoutUmi).toBe(2);
    expect(res.rows[0].altCount).toBe(0);
    expect(res.warnings[0]).toMatch(/^2 reads at the sites had no UMI/);
    expect(() => collapseUmiFamilies(table(pair('n', '', 1)), [SITE], opts)).toThrow(NoUmiError);
  });

  it('keeps sites apart and rows in site order', () => {
    const s2: Site = { ...SITE, pos1: 1200 };
    const reads = [...pair('a', 'AAAA', 1, { site: 1 }), ...pair('b', 'AAAA', 0, { site: 0 })];
    const res = collapseUmiFamilies(table(reads), [SITE, s2], opts);
    expect(res.rows.map((r) => [r.site.pos1, r.refCount, r.altCount])).toEqual([
      [1100, 1, 0],
      [1200, 0, 1],
    ]);
  });
});
