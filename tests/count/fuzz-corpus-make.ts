import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bgzfCompress } from '../../src/io/bgzf-writer.js';
import { encodeBam } from '../../src/io/bam-writer.js';
import type { SamRecord } from '../../src/io/sam-record.js';
import { splitBam, type BamParts } from './bam-mutate.js';

/**
 * How the files of test-data/fuzz-corpus/bam-records/ were made: hostile BAM records that once
 * crashed, hung or silently changed a count, each written once and kept as bytes (the replay test,
 * tests/count/fuzz-corpus.test.ts, reads the stored files, so a change to the writer cannot
 * quietly change the corpus). Regenerate with OLIGOTRACK_MAKE_CORPUS=1 npx vitest run
 * tests/count/fuzz-corpus.test.ts, then review the diff.
 */

export interface CorpusEntry {
  file: string;
  what: string;
  /** A regular expression the one-line error must match, or null when the count must succeed. */
  error: string | null;
}

const REFS = [
  { name: 'chr1', length: 10000 },
  { name: 'chr2', length: 10000 },
  { name: 'chr3', length: 10000 },
];

/** Sites the replay counts at: one per contig. */
export const CORPUS_SITES = [
  { chrom: 'chr1', pos1: 1000, ref: 'A', alt: 'C', gene: '', protein: '', id: 's1' },
  { chrom: 'chr2', pos1: 500, ref: 'A', alt: 'C', gene: '', protein: '', id: 's2' },
  { chrom: 'chr3', pos1: 500, ref: 'A', alt: 'C', gene: '', protein: '', id: 's3' },
];

function reads(): SamRecord[] {
  const out: SamRecord[] = [];
  let n = 0;
  for (const [rname, center] of [
    ['chr1', 1000],
    ['chr2', 500],
    ['chr3', 500],
  ] as const) {
    for (let k = 0; k < 12; k++) {
      const pos1 = center - 60 + k * 8;
      const seq = 'A'.repeat(50);
      out.push({
        qname: `p${n}`,
        flag: 0x1 | 0x2 | 0x40 | 0x20,
        rname,
        pos1,
        mapq: 60,
        cigar: '50M',
        rnext: '=',
        pnext1: pos1 + 20,
        tlen: 120,
        seq,
        qual: 'I'.repeat(50),
      });
      out.push({
        qname: `p${n}`,
        flag: 0x1 | 0x2 | 0x80 | 0x10,
        rname,
        pos1: pos1 + 20,
        mapq: 60,
        cigar: '50M',
        rnext: '=',
        pnext1: pos1,
        tlen: -120,
        seq,
        qual: 'I'.repeat(50),
      });
      n++;
    }
  }
  return out;
}

type Edit = (parts: BamParts) => void;

/** Index of the first record on refID `ref` whose position is at least pos0. */
function recordAt(parts: BamParts, ref: number, pos0 = 0): number {
  const i = parts.records.findIndex((r) => r.readInt32LE(4) === ref && r.readInt32LE(8) >= pos0);
  if (i < 0) throw new Error(`no record on ${ref} at ${pos0}`);
  return i;
}

const setI32 =
  (field: number, v: number, which = (p: BamParts) => recordAt(p, 0)): Edit =>
  (p) =>
    p.records[which(p)].writeInt32LE(v, field);

function setCigar(text: string, seqLen: number | null): Edit {
  return (p) => {
    const i = recordAt(p, 0, 980);
    const r = p.records[i];
    const lName = r[12];
    const ops = [...text.matchAll(/(\d+)([MIDNSHP=X#])/g)].map((m) => ({
      len: Number(m[1]),
      op: m[2] === '#' ? 9 : 'MIDNSHP=X'.indexOf(m[2]),
    }));
    const lSeq = seqLen ?? r.readInt32LE(20);
    const head = Buffer.from(r.subarray(0, 36 + lName));
    const cigar = Buffer.alloc(4 * ops.length);
    ops.forEach((o, k) => cigar.writeUInt32LE(((o.len << 4) | o.op) >>> 0, 4 * k));
    const seq = Buffer.alloc(((lSeq + 1) >> 1) + lSeq, 0x11);
    seq.fill(30, (lSeq + 1) >> 1);
    const rec = Buffer.concat([head, cigar, seq]);
    rec.writeInt32LE(rec.length - 4, 0);
    rec.writeUInt16LE(ops.length, 16);
    rec.writeInt32LE(lSeq, 20);
    p.records[i] = rec;
  };
}

function appendAux(aux: Buffer): Edit {
  return (p) => {
    const i = recordAt(p, 0, 980);
    const rec = Buffer.concat([p.records[i], aux]);
    rec.writeInt32LE(rec.length - 4, 0);
    p.records[i] = rec;
  };
}

function move(from: (p: BamParts) => number, to: (p: BamParts) => number): Edit {
  return (p) => {
    const [rec] = p.records.splice(from(p), 1);
    p.records.splice(to(p), 0, rec);
  };
}

const negativeArray = Buffer.alloc(8 + 12);
negativeArray.write('XBBI', 0, 'latin1');
negativeArray.writeInt32LE(-1, 4);

const CASES: (CorpusEntry & { edit: Edit | null; raw?: (bam: Buffer) => Buffer })[] = [
  {
    file: 'refid-99-before-sites.bam',
    what: 'a record with refID 99 before the first site (once stopped the scan: depth 0, exit 0)',
    error: 'refID 99 is outside -1\\.\\.2',
    edit: setI32(4, 99, () => 0),
  },
  { file: 'refid-minus-2.bam', what: 'refID -2', error: 'refID -2 is outside', edit: setI32(4, -2) },
  { file: 'next-refid-99.bam', what: 'next_refID 99', error: 'next_refID 99 is outside', edit: setI32(24, 99) },
  {
    file: 'block-size-2g.bam',
    what: 'block_size 2^31-1 (once a 32-bit overflow and a WASM trap)',
    error: 'block_size 2147483647 exceeds the 64 MiB limit',
    edit: setI32(0, 0x7fffffff),
  },
  {
    file: 'cigar-268435455M.bam',
    what: 'CIGAR 268435455M with 50 bases of SEQ (once read past WASM memory)',
    error: 'CIGAR covers 268435455 query bases but SEQ has 50',
    edit: setCigar('268435455M', null),
  },
  {
    file: 'cigar-268435455M-no-seq.bam',
    what: 'CIGAR 268435455M with SEQ * (valid; the read cannot be counted)',
    error: null,
    edit: setCigar('268435455M', 0),
  },
  {
    file: 'cigar-268435455D.bam',
    what: '10M 268435455D 40M: valid, a 268 Mb deletion (once hung the oracle)',
    error: null,
    edit: setCigar('10M268435455D40M', null),
  },
  { file: 'cigar-op-9.bam', what: 'CIGAR operation code 9', error: 'operation code above 8', edit: setCigar('20M10#20M', null) },
  {
    file: 'cigar-longer-than-seq.bam',
    what: 'CIGAR 60M, SEQ 50 bases (once read bases out of QUAL)',
    error: 'CIGAR covers 60 query bases but SEQ has 50',
    edit: setCigar('60M', null),
  },
  {
    file: 'cigar-shorter-than-seq.bam',
    what: 'CIGAR 40M, SEQ 50 bases',
    error: 'CIGAR covers 40 query bases but SEQ has 50',
    edit: setCigar('40M', null),
  },
  {
    file: 'cigar-mid-hard-clip.bam',
    what: '22M 5H 28M: a hard clip inside the alignment (the engines once disagreed)',
    error: 'clip inside the alignment',
    edit: setCigar('22M5H28M', null),
  },
  {
    file: 'cigar-zero-length-ops.bam',
    what: '5H 0I 50M 0D 5H: zero-length operations, as htslib-test xx#minimal.sam (valid)',
    error: null,
    edit: setCigar('5H0I50M0D5H', null),
  },
  {
    file: 'name-without-nul.bam',
    what: 'read name without its NUL',
    error: 'not NUL-terminated',
    edit: (p) => {
      const r = p.records[recordAt(p, 0)];
      r[36 + r[12] - 1] = 0x41;
    },
  },
  {
    file: 'tlen-min.bam',
    what: 'TLEN -2^31 on a read over the site (once printed mean_frag_len -2147483648)',
    error: null,
    edit: setI32(32, -0x80000000, (p) => recordAt(p, 0, 980)),
  },
  {
    file: 'aux-b-array-negative.bam',
    what: 'aux B:I array with count -1 (once an endless loop with --umi)',
    error: 'B array claims more values',
    edit: appendAux(negativeArray),
  },
  {
    file: 'contigs-out-of-order.bam',
    what: 'chr3 reads before chr2 reads (once chr3 depth 0, exit 0)',
    error: 'not sorted by coordinate',
    edit: move(
      (p) => recordAt(p, 2),
      (p) => recordAt(p, 1),
    ),
  },
  {
    file: 'late-record-early.bam',
    what: 'a chr3 record placed among chr1 reads (the scan stopped there, before the chr1 site)',
    error: 'not sorted by coordinate',
    edit: move(
      (p) => recordAt(p, 2),
      () => 1,
    ),
  },
  {
    file: 'isize-4g.bam',
    what: 'a BGZF block whose ISIZE is 2^32-1 (once a RangeError from zlib)',
    error: 'claims 4294967295 inflated bytes',
    edit: null,
    raw: (bam) => {
      const out = Buffer.from(bam);
      const second = out.readUInt16LE(16) + 1; // the first records block follows the header block
      out.writeUInt32LE(0xffffffff, second + out.readUInt16LE(second + 16) + 1 - 4);
      return out;
    },
  },
];

export function makeCorpus(dir: string): CorpusEntry[] {
  mkdirSync(dir, { recursive: true });
  const intact = encodeBam({ refs: REFS }, reads(), { level: 6 });
  writeFileSync(join(dir, 'intact.bam'), intact);
  const entries: CorpusEntry[] = [{ file: 'intact.bam', what: 'the unmutated file', error: null }];
  for (const c of CASES) {
    let bytes: Buffer;
    if (c.raw) bytes = c.raw(intact);
    else {
      const parts = splitBam(intact);
      c.edit!(parts);
      bytes = bgzfCompress(Buffer.concat([parts.header, ...parts.records]), 6);
    }
    writeFileSync(join(dir, c.file), bytes);
    entries.push({ file: c.file, what: c.what, error: c.error });
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}
