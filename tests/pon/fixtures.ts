/**
 * Small BAMs with known counts for the PoN tests, written with the project's BAM writer:
 * unpaired 60-bp reads over a random reference, with chosen alt reads at the sites and chosen
 * error bases at chosen target positions, so every expected rate is known by construction.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBam } from '../../src/io/bam-writer.js';
import type { SamRecord } from '../../src/io/sam-record.js';

export const CHROM_LEN = 5000;
export const READ_LEN = 60;

export function reference(seed = 7): string {
  let a = seed >>> 0;
  let s = '';
  for (let i = 0; i < CHROM_LEN; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    s += 'ACGT'[a >>> 30];
  }
  return s;
}

export const REF = reference();

/** The reference base at a 1-based position. */
export function refAt(pos1: number): string {
  return REF[pos1 - 1];
}

export function otherBase(b: string, k = 1): string {
  const bases = 'ACGT';
  return bases[(bases.indexOf(b) + k) % 4];
}

export interface NormalSpec {
  name: string;
  /** Reads covering [firstPos1, lastPos1]: all start at start1. */
  depth: number;
  start1: number;
  /** Substitutions: pos1 → list of bases to put on reads 0, 1, 2, ... (the rest carry the reference). */
  changes: Map<number, string[]>;
  umi?: (readIndex: number) => string | undefined;
}

export function writeNormal(dir: string, spec: NormalSpec): string {
  const records: SamRecord[] = [];
  for (let r = 0; r < spec.depth; r++) {
    const bases = REF.slice(spec.start1 - 1, spec.start1 - 1 + READ_LEN).split('');
    for (const [pos1, list] of spec.changes) {
      if (r < list.length) bases[pos1 - spec.start1] = list[r];
    }
    const umi = spec.umi?.(r);
    records.push({
      qname: `${spec.name}_r${r}`,
      flag: 0,
      rname: 'chr1',
      pos1: spec.start1,
      mapq: 60,
      cigar: `${READ_LEN}M`,
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq: bases.join(''),
      qual: 'I'.repeat(READ_LEN),
      ...(umi ? { tags: { RX: umi } } : {}),
    });
  }
  const path = join(dir, `${spec.name}.bam`);
  writeBam(path, { refs: [{ name: 'chr1', length: CHROM_LEN }], text: `@RG\tID:${spec.name}\tSM:${spec.name}` }, records);
  return path;
}

export function writeSites(dir: string, sites: { pos1: number; alt: string }[], name = 'sites.tsv'): string {
  const path = join(dir, name);
  writeFileSync(path, `chrom\tpos\tref\talt\n${sites.map((s) => `chr1\t${s.pos1}\t${refAt(s.pos1)}\t${s.alt}`).join('\n')}\n`);
  return path;
}
