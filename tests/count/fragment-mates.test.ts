import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import type { SamRecord } from '../../src/io/sam-record.js';
import { requireTools } from '../helpers/requires.js';
import { parseBases } from './pileup.js';

/**
 * `--mates fragment` against samtools' default overlap removal (htslib tweak_overlap_quality:
 * agreeing mates → one base with the summed quality, capped at 200; disagreeing → the better base
 * kept at 0.8 × its quality, the other dropped). Each pair below sits at its own site; where the
 * two rules differ the test says so explicitly.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-mates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REF = 'ACGT'.repeat(500);
const q = (n: number): string => String.fromCharCode(33 + n);

interface PairCase {
  name: string;
  /** Base and quality of read 1 and read 2 at the site (null: the read does not cover it). */
  r1: [string, number] | null;
  r2: [string, number] | null;
  mapq2?: number;
  /** What oligotrack counts (fragment mode). */
  ours: { ref: number; alt: number; discordant: number };
  /** What samtools mpileup -Q20 (overlap removal on) shows: ref and alt tokens. */
  samtools: { ref: number; alt: number };
}

// Site i at 1-based position 100 * (i + 1); REF there is REF[pos - 1], ALT the next base in ACGT.
const cases: PairCase[] = [
  {
    name: 'agree alt, 15+15 summed to 30',
    r1: ['alt', 15],
    r2: ['alt', 15],
    ours: { ref: 0, alt: 1, discordant: 0 },
    samtools: { ref: 0, alt: 1 },
  },
  {
    name: 'agree ref, 10+8 = 18 still below 20',
    r1: ['ref', 10],
    r2: ['ref', 8],
    ours: { ref: 0, alt: 0, discordant: 0 },
    samtools: { ref: 0, alt: 0 },
  },
  {
    name: 'disagree 30 vs 25: ours discordant, samtools keeps ref at 24',
    r1: ['ref', 30],
    r2: ['alt', 25],
    ours: { ref: 0, alt: 0, discordant: 1 },
    samtools: { ref: 1, alt: 0 },
  },
  {
    name: 'disagree 22 vs 21: ours discordant, samtools keeps 17.6 → filtered',
    r1: ['ref', 22],
    r2: ['alt', 21],
    ours: { ref: 0, alt: 0, discordant: 1 },
    samtools: { ref: 0, alt: 0 },
  },
  {
    name: 'disagree alt 30 vs ref 10: the low-quality mate drops, alt counts',
    r1: ['alt', 30],
    r2: ['ref', 10],
    ours: { ref: 0, alt: 1, discordant: 0 },
    samtools: { ref: 0, alt: 1 },
  },
  {
    name: 'agree alt 60+60 capped at 200 (passes)',
    r1: ['alt', 60],
    r2: ['alt', 60],
    ours: { ref: 0, alt: 1, discordant: 0 },
    samtools: { ref: 0, alt: 1 },
  },
  { name: 'only read 1 covers the site', r1: ['alt', 30], r2: null, ours: { ref: 0, alt: 1, discordant: 0 }, samtools: { ref: 0, alt: 1 } },
  {
    name: 'mate 2 has MAPQ 5: read 1 counts alone',
    r1: ['ref', 30],
    r2: ['alt', 30],
    mapq2: 5,
    ours: { ref: 1, alt: 0, discordant: 0 },
    samtools: { ref: 1, alt: 0 },
  },
];

function build(): { records: SamRecord[]; sites: Site[] } {
  const records: SamRecord[] = [];
  const sites: Site[] = [];
  cases.forEach((c, i) => {
    const pos1 = 100 * (i + 1);
    const ref = REF[pos1 - 1];
    const alt = 'ACGT'['ACGT'.indexOf(ref) + 1] ?? 'A';
    sites.push({ chrom: 'chr1', pos1, ref, alt, gene: '', protein: '', id: c.name });
    const read = (start1: number, at: [string, number] | null, flag: number, mate1: number, tlen: number, mapq: number): SamRecord => {
      let seq = REF.slice(start1 - 1, start1 - 1 + 50);
      let qual = q(35).repeat(50);
      if (at) {
        const k = pos1 - start1;
        seq = seq.slice(0, k) + (at[0] === 'alt' ? alt : ref) + seq.slice(k + 1);
        qual = qual.slice(0, k) + q(at[1]) + qual.slice(k + 1);
      }
      return { qname: `p${i}`, flag, rname: 'chr1', pos1: start1, mapq, cigar: '50M', rnext: '=', pnext1: mate1, tlen, seq, qual };
    };
    const s1 = pos1 - 20;
    const s2 = c.r2 ? pos1 - 10 : pos1 + 5; // not covering the site when r2 is null
    records.push(read(s1, c.r1, 0x1 | 0x2 | 0x40 | 0x20, s2, s2 + 50 - s1, 60));
    records.push(read(s2, c.r2, 0x1 | 0x2 | 0x80 | 0x10, s1, -(s2 + 50 - s1), c.mapq2 ?? 60));
  });
  return { records, sites };
}

describe('fragment mode: overlapping mates', () => {
  const { records, sites } = build();
  const bam = join(dir, 'pairs.bam');
  const { bam: bytes, index } = encodeBamWithIndex({ refs: [{ name: 'chr1', length: REF.length }] }, records);
  writeFileSync(bam, bytes);
  writeFileSync(`${bam}.bai`, index);

  it('counts each fragment once by the documented rule', async () => {
    const r = await countBam(bam, sites, DEFAULT_COUNT_SETTINGS);
    cases.forEach((c, i) => {
      const row = r.rows[i];
      expect({ ref: row.refCount, alt: row.altCount, discordant: row.discordantMates }, c.name).toEqual(c.ours);
      expect(row.depth, c.name).toBe(c.ours.ref + c.ours.alt);
    });
    // Reads mode counts the two reads (each filtered on its own quality).
    const reads = await countBam(bam, sites, { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' });
    expect(reads.rows[0].altCount).toBe(0); // 15 and 15, each below 20
    expect(reads.rows[5].altCount).toBe(2);
    expect(reads.rows[2].refCount + reads.rows[2].altCount).toBe(2);
  });

  it.skipIf(!requireTools('samtools'))('differs from samtools overlap removal exactly where documented', async () => {
    const posFile = join(dir, 'pos.txt');
    writeFileSync(posFile, sites.map((s) => `chr1\t${s.pos1}\n`).join(''));
    const text = execFileSync(
      'samtools',
      ['mpileup', '-B', '-A', '-d', '0', '-Q', '20', '-q', '20', '--ff', 'UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY', '-l', posFile, bam],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const byPos = new Map(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'))
        .map((f) => [Number(f[1]), parseBases(f[4], f[5], [])]),
    );
    cases.forEach((c, i) => {
      const tokens = byPos.get(sites[i].pos1) ?? [];
      const got = { ref: tokens.filter((t) => t.base === sites[i].ref).length, alt: tokens.filter((t) => t.base === sites[i].alt).length };
      expect(got, `samtools: ${c.name}`).toEqual(c.samtools);
    });
  });
});
