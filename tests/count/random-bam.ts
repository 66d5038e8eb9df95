import type { SamRecord } from '../../src/io/sam-record.js';
import type { Site } from '../../src/count/types.js';
import { mulberry32 } from '../../src/simulate/rng.js';

/**
 * Random alignments of every shape the scan must handle (soft/hard clips, insertions, deletions,
 * N skips, overlapping and non-overlapping mates, all flag bits, '*' qualities) over a random
 * reference, plus sites placed where they are hard: at read ends, on read events, on MNVs.
 */

export const rng = mulberry32;

const BASES = 'ACGT';

export interface RandomCase {
  refs: { name: string; length: number }[];
  refSeq: Record<string, string>;
  records: SamRecord[];
  sites: Site[];
}

interface Options {
  reads: number;
  refLength: number;
  /** Allow odd flags/qualities (secondary, '*' quality, hard clips ...). */
  wild: boolean;
}

export function randomCase(seed: number, opts: Partial<Options> = {}): RandomCase {
  const o: Options = { reads: 40, refLength: 400, wild: true, ...opts };
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const refs = [
    { name: 'c1', length: o.refLength },
    { name: 'c2', length: o.refLength },
  ];
  const refSeq: Record<string, string> = {};
  for (const ref of refs) refSeq[ref.name] = Array.from({ length: ref.length }, () => pick(BASES.split(''))).join('');
  const records: SamRecord[] = [];
  const events: { chrom: string; pos0: number; kind: 'I' | 'D'; seq: string }[] = [];
  const readEnds: { chrom: string; pos0: number }[] = [];

  /** One alignment: CIGAR string, read bases and qualities. */
  function alignment(chrom: string, start0: number, len: number) {
    const ref = refSeq[chrom];
    const ops: [string, number][] = [];
    let seq = '';
    let refPos = start0;
    if (r() < 0.15) ops.push(['H', int(1, 5)]);
    if (r() < 0.3) {
      const n = int(1, 8);
      ops.push(['S', n]);
      for (let i = 0; i < n; i++) seq += pick(BASES.split(''));
    }
    let remaining = len;
    while (remaining > 0) {
      const m = Math.min(remaining, int(1, 25));
      const op = r() < 0.1 ? pick(['=', 'X']) : 'M';
      ops.push([op, m]);
      for (let i = 0; i < m; i++) {
        const b = ref[refPos + i] ?? 'A';
        seq += r() < 0.06 ? pick(BASES.split('')) : b;
      }
      refPos += m;
      remaining -= m;
      if (remaining <= 0) break;
      const ev = r();
      if (ev < 0.2) {
        const n = int(1, 3);
        let ins = '';
        for (let i = 0; i < n; i++) ins += pick(BASES.split(''));
        ops.push(['I', n]);
        seq += ins;
        events.push({ chrom, pos0: refPos - 1, kind: 'I', seq: ins });
      } else if (ev < 0.4) {
        const n = int(1, 3);
        ops.push(['D', n]);
        events.push({ chrom, pos0: refPos - 1, kind: 'D', seq: ref.slice(refPos, refPos + n) });
        refPos += n;
      } else if (ev < 0.45) {
        const n = int(5, 30);
        ops.push(['N', n]);
        refPos += n;
      }
    }
    if (r() < 0.3) {
      const n = int(1, 8);
      ops.push(['S', n]);
      for (let i = 0; i < n; i++) seq += pick(BASES.split(''));
    }
    if (r() < 0.15) ops.push(['H', int(1, 5)]);
    // Merge neighbouring ops of one kind (a valid CIGAR never repeats an op).
    const merged: [string, number][] = [];
    for (const [op, n] of ops) {
      const last = merged[merged.length - 1];
      if (last && last[0] === op) last[1] += n;
      else merged.push([op, n]);
    }
    const cigar = merged.map(([op, n]) => `${n}${op}`).join('');
    let qual = '';
    for (let i = 0; i < seq.length; i++) qual += String.fromCharCode(33 + (r() < 0.7 ? int(20, 41) : int(2, 25)));
    if (o.wild && r() < 0.05) qual = '*';
    readEnds.push({ chrom, pos0: start0 }, { chrom, pos0: refPos - 1 });
    return { cigar, seq, qual, end0: refPos };
  }

  let n = 0;
  while (records.length < o.reads) {
    const chrom = r() < 0.8 ? 'c1' : 'c2';
    const len = int(20, 80);
    const start0 = int(0, o.refLength - len - 40);
    const name = `q${seed}_${n++}`;
    const a = alignment(chrom, start0, len);
    const mapq = r() < 0.15 ? int(0, 19) : int(20, 60);
    const wildFlags = () => {
      if (!o.wild) return 0;
      let f = 0;
      if (r() < 0.05) f |= 0x100;
      if (r() < 0.05) f |= 0x200;
      if (r() < 0.05) f |= 0x400;
      if (r() < 0.05) f |= 0x800;
      return f;
    };
    if (r() < 0.7) {
      // A pair: mate starts nearby (overlapping or not), opposite strand.
      const mateStart0 = Math.min(o.refLength - len - 40, start0 + int(0, 60));
      const b = alignment(chrom, mateStart0, int(20, 80));
      const tlen = Math.max(a.end0, b.end0) - start0;
      const rev = r() < 0.5;
      const f1 = 0x1 | 0x40 | (r() < 0.8 ? 0x2 : 0) | (rev ? 0x10 : 0x20) | wildFlags();
      const f2 = 0x1 | 0x80 | (f1 & 0x2) | (rev ? 0x20 : 0x10) | wildFlags();
      records.push({
        qname: name,
        flag: f1,
        rname: chrom,
        pos1: start0 + 1,
        mapq,
        cigar: a.cigar,
        rnext: '=',
        pnext1: mateStart0 + 1,
        tlen,
        seq: a.seq,
        qual: a.qual,
      });
      records.push({
        qname: name,
        flag: f2,
        rname: chrom,
        pos1: mateStart0 + 1,
        mapq: r() < 0.1 ? int(0, 19) : mapq,
        cigar: b.cigar,
        rnext: '=',
        pnext1: start0 + 1,
        tlen: -tlen,
        seq: b.seq,
        qual: b.qual,
      });
    } else {
      const flag = (r() < 0.5 ? 0x10 : 0) | wildFlags();
      records.push({
        qname: name,
        flag,
        rname: chrom,
        pos1: start0 + 1,
        mapq,
        cigar: a.cigar,
        rnext: '*',
        pnext1: 0,
        tlen: 0,
        seq: a.seq,
        qual: a.qual,
      });
    }
  }
  if (o.wild && r() < 0.3) {
    records.push({
      qname: `u${seed}`,
      flag: 0x4,
      rname: '*',
      pos1: 0,
      mapq: 0,
      cigar: '*',
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq: 'ACGT',
      qual: 'IIII',
    });
  }

  const sites: Site[] = [];
  const site = (chrom: string, pos0: number, ref: string | undefined, alt: string | undefined): void => {
    if (ref === undefined || alt === undefined || ref === '' || alt === '' || ref.includes('undefined') || alt.includes('undefined'))
      return;
    if (pos0 < 0 || pos0 + ref.length > o.refLength) return;
    sites.push({ chrom, pos1: pos0 + 1, ref, alt, gene: '', protein: '', id: `s${sites.length}` });
  };
  const nSites = int(3, 12);
  for (let i = 0; i < nSites; i++) {
    const kind = r();
    const anchor = r() < 0.4 && readEnds.length ? pick(readEnds) : { chrom: r() < 0.8 ? 'c1' : 'c2', pos0: int(0, o.refLength - 10) };
    const ref = refSeq[anchor.chrom];
    const p = anchor.pos0 + int(-1, 1);
    if (kind < 0.4) site(anchor.chrom, p, ref[p] ?? 'A', pick(BASES.replace(ref[p] ?? 'A', '').split('')));
    else if (kind < 0.55) {
      const L = int(2, 3);
      const alt = Array.from({ length: L }, (_, j) => pick(BASES.replace(ref[p + j] ?? 'A', '').split(''))).join('');
      site(anchor.chrom, p, ref.slice(p, p + L), alt);
    } else if (kind < 0.7) {
      site(anchor.chrom, p, ref.slice(p, p + 1 + int(1, 3)), ref[p]);
    } else if (kind < 0.8) {
      site(anchor.chrom, p, ref[p], ref[p] + pick(BASES.split('')));
    } else if (events.length) {
      const e = pick(events);
      const er = refSeq[e.chrom];
      if (e.kind === 'I') site(e.chrom, e.pos0, er[e.pos0], er[e.pos0] + e.seq);
      else site(e.chrom, e.pos0, er[e.pos0] + e.seq, er[e.pos0]);
    }
  }
  return { refs, refSeq, records, sites };
}
