import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { nameHash } from '../../src/count/oracle.js';
import { AlleleCode, DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import type { SamRecord } from '../../src/io/sam-record.js';

/** The observation table (for UMI collapsing): one row per read at a site, with its UMI. */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-obs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REF = 'ACGTTGCA'.repeat(40);
const site: Site = { chrom: 'chr1', pos1: 101, ref: REF[100], alt: REF[100] === 'A' ? 'C' : 'A', gene: '', protein: '', id: '' };

function read(name: string, start1: number, alt: boolean, tags: Record<string, string | number>, flag = 0): SamRecord {
  let seq = REF.slice(start1 - 1, start1 + 49);
  const k = site.pos1 - start1;
  if (alt) seq = seq.slice(0, k) + site.alt + seq.slice(k + 1);
  return {
    qname: name,
    flag,
    rname: 'chr1',
    pos1: start1,
    mapq: 60,
    cigar: '50M',
    rnext: '*',
    pnext1: 0,
    tlen: 0,
    seq,
    qual: 'I'.repeat(50),
    tags,
  };
}

describe('observations', () => {
  const records = [
    read('a:1:AAAACCCC', 80, true, { NM: 1, RX: 'ACGT-TTGA', MI: '7' }),
    read('b:2:GGGGTTTT', 85, false, { RX: 'CCCC-AAAA', XB: 'x' }, 0x10),
    read('c:3:ACACACAC', 90, true, { AS: 300, BC: 'NNNN' }),
  ];
  const bam = join(dir, 'obs.bam');
  const { bam: bytes, index } = encodeBamWithIndex({ refs: [{ name: 'chr1', length: REF.length }] }, records);
  writeFileSync(bam, bytes);
  writeFileSync(`${bam}.bai`, index);

  for (const [source, want] of [
    ['RX', ['ACGT-TTGA', 'CCCC-AAAA', '']],
    ['MI', ['7', '', '']],
    ['name', ['AAAACCCC', 'GGGGTTTT', 'ACACACAC']],
  ] as const) {
    it(`UMI from ${source}`, async () => {
      const r = await countBam(bam, [site], { ...DEFAULT_COUNT_SETTINGS, umiSource: source }, { observations: true });
      const t = r.observations!;
      expect(t.length).toBe(3);
      expect(t.umi).toEqual(want);
      expect(Array.from(t.allele)).toEqual([AlleleCode.ALT, AlleleCode.REF, AlleleCode.ALT]);
      expect(Array.from(t.readStart0)).toEqual([79, 84, 89]);
      expect(Array.from(t.mateStart0)).toEqual([-1, -1, -1]);
      expect(Array.from(t.fragLen)).toEqual([50, 50, 50]);
      expect(Array.from(t.flag)).toEqual([0, 16, 0]);
      expect(Array.from(t.qual)).toEqual([40, 40, 40]);
      const [hi, lo] = nameHash('b:2:GGGGTTTT');
      expect([t.nameHashHi[1], t.nameHashLo[1]]).toEqual([hi >>> 0, lo >>> 0]);
    });
  }
});
