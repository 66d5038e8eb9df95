import type { SamRecord } from '../../src/io/sam-record.js';

/**
 * A small plasma-like BAM built in code, with counts known by construction (not by running the
 * counter): GRCh38 contig lengths, three sites on chr6 and chr17 with chosen allele mixes.
 */
export const GRCH38_REFS = [
  { name: 'chr1', length: 248956422 },
  { name: 'chr6', length: 170805979 },
  { name: 'chr17', length: 83257441 },
];
export const GRCH37_REFS = [
  { name: '1', length: 249250621 },
  { name: '6', length: 171115067 },
  { name: '17', length: 81195210 },
];

export interface PlannedSite {
  chrom: string;
  pos1: number;
  ref: string;
  alt: string;
  /** Unpaired reads on the forward strand carrying ref / alt / another base. */
  refFwd: number;
  altFwd: number;
  altRev: number;
  other: number;
  /** Reads carrying alt but excluded: MAPQ 5 and duplicate-flagged. */
  lowMapqAlt: number;
  dupAlt: number;
  /** Pairs whose two mates both cover the site with the alt base (1 fragment, 2 reads). */
  overlappingAltPairs: number;
}

export const PLANNED: PlannedSite[] = [
  {
    chrom: 'chr6',
    pos1: 152094405,
    ref: 'A',
    alt: 'G',
    refFwd: 40,
    altFwd: 3,
    altRev: 2,
    other: 1,
    lowMapqAlt: 4,
    dupAlt: 3,
    overlappingAltPairs: 2,
  },
  {
    chrom: 'chr6',
    pos1: 152098960,
    ref: 'T',
    alt: 'C',
    refFwd: 25,
    altFwd: 0,
    altRev: 0,
    other: 0,
    lowMapqAlt: 0,
    dupAlt: 0,
    overlappingAltPairs: 0,
  },
  {
    chrom: 'chr17',
    pos1: 7675088,
    ref: 'C',
    alt: 'T',
    refFwd: 30,
    altFwd: 6,
    altRev: 6,
    other: 2,
    lowMapqAlt: 1,
    dupAlt: 0,
    overlappingAltPairs: 1,
  },
];

const READ_LEN = 50;
const OFFSET = 20; // the site is base 21 of every read
const OTHER: Record<string, string> = { A: 'C', C: 'G', G: 'T', T: 'A' };

function readSeq(base: string): string {
  const flank = 'ACGTTGCA'.repeat(7);
  return flank.slice(0, OFFSET) + base + flank.slice(0, READ_LEN - OFFSET - 1);
}

export function plannedRecords(): SamRecord[] {
  const records: SamRecord[] = [];
  let n = 0;
  const single = (s: PlannedSite, base: string, flag: number, mapq = 60) =>
    records.push({
      qname: `r${n++}`,
      flag,
      rname: s.chrom,
      pos1: s.pos1 - OFFSET,
      mapq,
      cigar: `${READ_LEN}M`,
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq: readSeq(base),
      qual: 'I'.repeat(READ_LEN),
    });
  for (const s of PLANNED) {
    for (let i = 0; i < s.refFwd; i++) single(s, s.ref, 0);
    for (let i = 0; i < s.altFwd; i++) single(s, s.alt, 0);
    for (let i = 0; i < s.altRev; i++) single(s, s.alt, 16);
    for (let i = 0; i < s.other; i++) single(s, OTHER[s.alt] === s.ref ? OTHER[s.ref] : OTHER[s.alt], 0);
    for (let i = 0; i < s.lowMapqAlt; i++) single(s, s.alt, 0, 5);
    for (let i = 0; i < s.dupAlt; i++) single(s, s.alt, 0x400);
    for (let i = 0; i < s.overlappingAltPairs; i++) {
      const qname = `p${n++}`;
      const start1 = s.pos1 - OFFSET;
      const mateStart1 = s.pos1 - 10; // mates overlap across the site; fragment = 60 bp
      records.push(
        {
          qname,
          flag: 0x1 | 0x2 | 0x20 | 0x40,
          rname: s.chrom,
          pos1: start1,
          mapq: 60,
          cigar: `${READ_LEN}M`,
          rnext: '=',
          pnext1: mateStart1,
          tlen: 60,
          seq: readSeq(s.alt),
          qual: 'I'.repeat(READ_LEN),
        },
        {
          qname,
          flag: 0x1 | 0x2 | 0x10 | 0x80,
          rname: s.chrom,
          pos1: mateStart1,
          mapq: 60,
          cigar: `${READ_LEN}M`,
          rnext: '=',
          pnext1: start1,
          tlen: -60,
          seq: readSeq(s.alt).slice(10) + 'ACGTACGTAC',
          qual: 'I'.repeat(READ_LEN),
        },
      );
    }
  }
  return records;
}

/** Expected fragment-mode counts of a planned site, by construction. */
export function expected(s: PlannedSite) {
  const alt = s.altFwd + s.altRev + s.overlappingAltPairs;
  return { depth: s.refFwd + alt + s.other, ref: s.refFwd, alt, other: s.other, altReadsMode: alt + s.overlappingAltPairs };
}
