import type { BamHeader, SamRecord } from '../../src/io/sam-record.js';
// Small seeded PRNG for test data (mulberry32), independent of the code under test: the copy in
// tests/count/random-bam.ts, re-exported under the name these tests use (one copy in the tree).
import { rng as testRng } from '../count/random-bam.js';

export { testRng };

const BASES = 'ACGTN';

/**
 * Random records of every shape the BAM writer must handle: clips, indels, N skips, unmapped
 * reads placed next to mates, unplaced reads, '*' quality, tags of every integer width.
 */
export function randomRecords(
  rand: () => number,
  header: BamHeader,
  n: number,
  opts: { maxPos?: number; unplaced?: number } = {},
): SamRecord[] {
  const int = (k: number) => Math.floor(rand() * k);
  const recs: SamRecord[] = [];
  // Leave the last contig empty when there are ≥ 3, to cover a reference with no reads.
  const usable = header.refs.length >= 3 ? header.refs.slice(0, -1) : header.refs;
  for (let i = 0; i < n; i++) {
    const ref = usable[int(usable.length)];
    const maxPos = Math.min(ref.length - 400, opts.maxPos ?? ref.length);
    const pos1 = 1 + int(Math.max(1, maxPos));
    const unmappedPlaced = rand() < 0.05;
    let cigar = '';
    let qlen = 0;
    if (!unmappedPlaced) {
      const parts: string[] = [];
      if (rand() < 0.2) {
        const h = 1 + int(5);
        parts.push(`${h}H`);
      }
      if (rand() < 0.3) {
        const s = 1 + int(20);
        parts.push(`${s}S`);
        qlen += s;
      }
      const m1 = 10 + int(60);
      parts.push(`${m1}M`);
      qlen += m1;
      const r = rand();
      if (r < 0.15) {
        const l = 1 + int(6);
        parts.push(`${l}I`);
        qlen += l;
      } else if (r < 0.3) parts.push(`${1 + int(6)}D`);
      else if (r < 0.35) parts.push(`${100 + int(5000)}N`);
      else if (r < 0.4) {
        const e = 1 + int(5);
        parts.push(`${e}=`, '1X');
        qlen += e + 1;
      }
      const m2 = 10 + int(60);
      parts.push(`${m2}M`);
      qlen += m2;
      if (rand() < 0.3) {
        const s = 1 + int(20);
        parts.push(`${s}S`);
        qlen += s;
      }
      if (rand() < 0.1) parts.push(`${1 + int(5)}H`);
      cigar = parts.join('');
    } else {
      qlen = 50 + int(100);
    }
    let seq = '';
    for (let j = 0; j < qlen; j++) seq += BASES[rand() < 0.02 ? 4 : int(4)];
    let qual = '';
    if (rand() < 0.1) qual = '*';
    else for (let j = 0; j < qlen; j++) qual += String.fromCharCode(33 + int(42));
    const tags: Record<string, string | number> = {};
    if (rand() < 0.5) tags.RX = Array.from({ length: 8 }, () => BASES[int(4)]).join('');
    if (rand() < 0.5) tags.NM = int(5);
    if (rand() < 0.3) tags.XS = [-5, -200, -40000, 300, 70000, 3000000000][int(6)];
    if (rand() < 0.2) tags.RG = 'grp1';
    let flag = 0x1 | (rand() < 0.5 ? 0x40 : 0x80);
    if (unmappedPlaced) flag |= 0x4;
    if (rand() < 0.5) flag |= 0x10;
    if (rand() < 0.5) flag |= 0x20;
    if (rand() < 0.05) flag |= 0x400;
    if (rand() < 0.03) flag |= 0x100;
    recs.push({
      qname: `r${i}`,
      flag,
      rname: ref.name,
      pos1,
      mapq: unmappedPlaced ? 0 : int(61),
      cigar: unmappedPlaced ? '*' : cigar,
      rnext: '=',
      pnext1: pos1 + int(200),
      tlen: unmappedPlaced ? 0 : int(600) - 300,
      seq,
      qual,
      tags,
    });
  }
  for (let i = 0; i < (opts.unplaced ?? 0); i++) {
    recs.push({
      qname: `u${i}`,
      flag: 0x4 | 0x8 | 0x1 | 0x40,
      rname: '*',
      pos1: 0,
      mapq: 0,
      cigar: '*',
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq: 'ACGTACGTAC',
      qual: 'IIIIIIIIII',
    });
  }
  return recs;
}
