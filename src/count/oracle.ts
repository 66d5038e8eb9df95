import type { SiteSpec } from './site-model.js';
import { MARK_DEL, MARK_INS, ROW_INTS, ScanStatus, type ScanFilters, type Scanner } from './scanner.js';
import { AlleleCode } from './types.js';
import { blockSizeProblem, checkRecord, RecordProblem, type CheckedRecord } from './record-check.js';

/**
 * The reference counter: the same semantics as native/scan.ts, written the obvious way so that it
 * is easy to check by reading. Each record is decoded into an object, its alignment is expanded
 * into one entry per reference position (aligned base, deletion or skip, plus what is inserted
 * after it), and each site is classified by looking positions up in that map. Slow (objects and
 * strings per record) and only used by tests and `engine: 'oracle'`.
 */

interface DecodedRead {
  refId: number;
  pos0: number;
  mapq: number;
  flag: number;
  name: string;
  cigar: { op: string; len: number }[];
  seq: string;
  qual: number[];
  mateRefId: number;
  matePos0: number;
  tlen: number;
}

const SEQ_CODES = '=ACMGRSVTWYHKDBN';
const CIGAR_CODES = 'MIDNSHP=X';

/** Decodes a record that passed checkRecord (`checked` says which CIGAR to use: field or CG tag). */
export function decodeRecord(bytes: Uint8Array, off: number, checked: CheckedRecord): DecodedRead {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off);
  const lName = v.getUint8(12);
  const nCigar = v.getUint16(16, true);
  const lSeq = v.getInt32(20, true);
  let p = 36;
  const name = Buffer.from(bytes.buffer, bytes.byteOffset + off + p, lName - 1).toString('latin1');
  p += lName;
  const cigar: { op: string; len: number }[] = [];
  for (let i = 0; i < checked.nCigar; i++) {
    const c = v.getUint32(checked.cigarAt + i * 4, true);
    cigar.push({ op: CIGAR_CODES[c & 0xf] ?? '?', len: c >>> 4 });
  }
  p += nCigar * 4;
  let seq = '';
  for (let i = 0; i < lSeq; i++) {
    const b = v.getUint8(p + (i >> 1));
    seq += SEQ_CODES[i % 2 === 0 ? b >> 4 : b & 0xf];
  }
  p += (lSeq + 1) >> 1;
  const qual: number[] = [];
  for (let i = 0; i < lSeq; i++) qual.push(v.getUint8(p + i));
  return {
    refId: v.getInt32(4, true),
    pos0: v.getInt32(8, true),
    mapq: v.getUint8(13),
    flag: v.getUint16(18, true),
    name,
    cigar,
    seq,
    qual,
    mateRefId: v.getInt32(24, true),
    matePos0: v.getInt32(28, true),
    tlen: v.getInt32(32, true),
  };
}

/** What a read shows at one reference position. */
interface RefPosition {
  what: 'base' | 'del' | 'skip';
  /** base: the query index; del: index of the next query base (htslib's qpos for deletions). */
  qpos: number;
  /** Inserted bases right after this position ('' when none), and whether a deletion follows. */
  insertedAfter: string;
  deletionAfter: number;
}

/**
 * Expands the alignment: map from reference position to what the read has there, for positions
 * in [lo, hi) only (a CIGAR may span 2^31 reference bases; the sites need a few of them).
 */
function alignmentMap(read: DecodedRead, lo: number, hi: number): Map<number, RefPosition> {
  const map = new Map<number, RefPosition>();
  let r = read.pos0;
  let q = 0;
  let last: RefPosition | undefined;
  for (const { op, len } of read.cigar) {
    if (len === 0) continue; // an operation of length 0 is no operation (as in htslib's pileup)
    const from = Math.max(0, lo - r);
    const to = Math.min(len, hi - r);
    if (op === 'M' || op === '=' || op === 'X') {
      for (let i = from; i < to; i++) map.set(r + i, { what: 'base', qpos: q + i, insertedAfter: '', deletionAfter: 0 });
      if (len > 0) last = map.get(r + len - 1); // undefined outside the window: no site needs it
      r += len;
      q += len;
    } else if (op === 'I') {
      if (last) last.insertedAfter = read.seq.slice(q, q + len);
      q += len;
    } else if (op === 'S') {
      q += len;
      last = undefined; // a clip separates the insertion from the anchor
    } else if (op === 'D' || op === 'N') {
      if (op === 'D' && last && last.insertedAfter === '') last.deletionAfter = len;
      for (let i = from; i < to; i++) map.set(r + i, { what: op === 'D' ? 'del' : 'skip', qpos: q, insertedAfter: '', deletionAfter: 0 });
      last = undefined;
      r += len;
    } else if (op === 'H') {
      last = undefined;
    }
    // P: nothing, and it does not separate an anchor from the event after it.
  }
  return map;
}

function alignedEnd(read: DecodedRead): number {
  let end = read.pos0;
  for (const { op, len } of read.cigar) if ('MDN=X'.includes(op)) end += len;
  return end === read.pos0 ? end + 1 : end;
}

interface Classified {
  allele: AlleleCode;
  qual: number;
  marks: number;
}

export function classifyRead(read: DecodedRead, map: Map<number, RefPosition>, site: SiteSpec): Classified | null {
  if (read.seq.length === 0) return null;
  const first = map.get(site.start0);
  if (!first || first.what === 'skip') return null;
  if (first.what === 'del') {
    return { allele: AlleleCode.OTHER, qual: first.qpos < read.qual.length ? read.qual[first.qpos] : 0, marks: MARK_DEL };
  }
  const marks = first.insertedAfter !== '' ? MARK_INS : 0;
  const end = alignedEnd(read);
  const qual = read.qual[first.qpos];
  if (site.kind === 'insertion' || site.kind === 'deletion') {
    if (first.insertedAfter !== '') {
      const alt = site.kind === 'insertion' && first.insertedAfter === site.alt;
      return { allele: alt ? AlleleCode.ALT : AlleleCode.OTHER, qual, marks };
    }
    if (first.deletionAfter > 0) {
      const alt = site.kind === 'deletion' && first.deletionAfter === site.refLen;
      return { allele: alt ? AlleleCode.ALT : AlleleCode.OTHER, qual, marks };
    }
    // No event: the read must go on past the anchor (an aligned base or a skip follows).
    const next = map.get(site.start0 + 1);
    if (!next || next.what === 'del') return null;
    if (next.what === 'base' && next.qpos !== first.qpos + 1) return null; // clipped in between
    if (site.kind === 'deletion' && end < site.start0 + 1 + site.refLen) return null;
    return { allele: AlleleCode.REF, qual, marks };
  }
  // MNV: all refLen positions aligned, consecutive in the read.
  if (end < site.start0 + site.refLen) return null;
  let bases = '';
  let minQual = 255;
  for (let j = 0; j < site.refLen; j++) {
    const at = map.get(site.start0 + j)!;
    if (j > 0) {
      const prev = map.get(site.start0 + j - 1)!;
      if (at.what !== 'base' || prev.insertedAfter !== '' || at.qpos !== prev.qpos + 1) {
        return { allele: AlleleCode.OTHER, qual: minQual, marks };
      }
    }
    bases += read.seq[at.qpos];
    minQual = Math.min(minQual, read.qual[at.qpos]);
  }
  const allele = bases === site.alt ? AlleleCode.ALT : bases === site.ref ? AlleleCode.REF : AlleleCode.OTHER;
  return { allele, qual: minQual, marks };
}

/** Two 32-bit FNV-1a variants over the read name (as native/scan.ts). */
export function nameHash(name: string): [number, number] {
  let a = 2166136261;
  let b = 0x9747b28c;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return [a | 0, b | 0];
}

export class OracleScanner implements Scanner {
  private sorted: SiteSpec[] = [];
  private lo = 0;
  private hi = 0;
  private filters: ScanFilters = { excludeFlags: 0, minMapq: 0 };
  private nRef = 0;
  private buf = new Uint8Array(0);
  private out: number[] = [];
  private lastRef = -1;
  private lastPos = -1;
  private stopRef = 0;
  private stopPos = 0;
  private readToEnd = false;
  status: ScanStatus = ScanStatus.NeedMore;
  errorOffset = 0;
  errorReason = 0;
  firstOnSiteContig = -1;
  readsSeen = 0;
  readsPassing = 0;

  configure(sorted: SiteSpec[], ownedLo: number, ownedHi: number, filters: ScanFilters, nRef: number): void {
    this.nRef = nRef;
    this.sorted = sorted;
    this.lo = ownedLo;
    this.hi = ownedHi;
    this.filters = filters;
  }

  reset(): void {
    this.lastRef = -1;
    this.lastPos = -1;
    this.readsSeen = 0;
    this.readsPassing = 0;
  }

  setStop(refId: number, pos0: number, toEnd: boolean): void {
    this.stopRef = refId;
    this.stopPos = pos0;
    this.readToEnd = toEnd;
  }

  input(capacity: number, keep: number): Uint8Array {
    if (capacity > this.buf.length) {
      const next = new Uint8Array(Math.max(capacity, this.buf.length * 2));
      next.set(this.buf.subarray(0, keep));
      this.buf = next;
    }
    return this.buf;
  }

  rows(): Int32Array {
    return Int32Array.from(this.out);
  }

  scan(length: number, limit: number): number {
    this.out = [];
    const view = new DataView(this.buf.buffer, this.buf.byteOffset);
    let off = 0;
    this.status = ScanStatus.NeedMore;
    this.firstOnSiteContig = -1;
    for (;;) {
      if (off >= limit) {
        this.status = ScanStatus.Limit;
        break;
      }
      if (off + 4 > length) break;
      const blockSize = view.getInt32(off, true);
      const sizeProblem = blockSizeProblem(blockSize);
      if (sizeProblem !== RecordProblem.OK) return this.fail(ScanStatus.Malformed, off, sizeProblem);
      if (off + 4 + blockSize > length) break;
      const checked = checkRecord(this.buf, off, this.nRef);
      if (checked.problem !== RecordProblem.OK) return this.fail(ScanStatus.Malformed, off, checked.problem);
      const read = decodeRecord(this.buf, off, checked);
      // Unplaced reads (refID -1) come after every placed read; their positions are not ordered.
      const order = read.refId < 0 ? Number.POSITIVE_INFINITY : read.refId;
      if (order < this.lastRef || (order === this.lastRef && read.refId >= 0 && read.pos0 < this.lastPos)) {
        return this.fail(ScanStatus.Unsorted, off, 0);
      }
      this.lastRef = order;
      this.lastPos = read.pos0;
      // Sites this read could start at or before (the first site at or after its start).
      const firstIdx = this.sorted.findIndex((s) => s.refId > read.refId || (s.refId === read.refId && s.start0 >= read.pos0));
      const first = firstIdx < 0 ? this.sorted.length : firstIdx;
      const past =
        read.refId < 0 || read.refId > this.stopRef || (read.refId === this.stopRef && read.pos0 > this.stopPos) || first >= this.hi;
      if (past && !this.readToEnd) {
        this.status = ScanStatus.Past;
        break;
      }
      if (!past) {
        if (first < this.sorted.length && this.sorted[first].refId === read.refId && this.firstOnSiteContig < 0)
          this.firstOnSiteContig = off;
        this.processRead(read, first, off, checked.refEnd);
      }
      off += 4 + blockSize;
    }
    return off;
  }

  private fail(status: ScanStatus, off: number, reason: number): number {
    this.status = status;
    this.errorOffset = off;
    this.errorReason = reason;
    return off;
  }

  private processRead(read: DecodedRead, first: number, off: number, end: number): void {
    const touched = this.sorted.slice(first).filter((s) => s.refId === read.refId && s.start0 < end);
    if (touched.length === 0) return;
    const passes = (read.flag & this.filters.excludeFlags) === 0 && read.mapq >= this.filters.minMapq;
    if (first >= this.lo) {
      this.readsSeen++;
      if (passes) this.readsPassing++;
    }
    if (!passes) return;
    // Positions the sites look at: from the first site's base to just past the last one's span.
    const map = alignmentMap(read, Math.min(...touched.map((t) => t.start0)), Math.max(...touched.map((t) => t.start0 + t.refLen + 2)));
    const paired = (read.flag & 1) !== 0;
    // |TLEN| = 2^31 (TLEN -2^31) is clamped to 2^31 - 1, the largest int32 row value.
    const fragLen = paired && read.tlen !== 0 ? Math.min(Math.abs(read.tlen), 0x7fffffff) : Math.min(end - read.pos0, 0x7fffffff);
    const [hi, lo] = nameHash(read.name);
    for (let k = 0; k < touched.length; k++) {
      const sortedIdx = first + k;
      if (sortedIdx < this.lo || sortedIdx >= this.hi) continue;
      const site = touched[k];
      const c = classifyRead(read, map, site);
      if (!c) continue;
      this.out.push(
        site.index,
        c.allele | (c.marks << 8) | (c.qual << 16),
        read.flag,
        read.pos0,
        paired ? read.matePos0 : -1,
        fragLen,
        hi,
        lo,
        off,
        read.mateRefId === read.refId ? 1 : 0,
      );
    }
  }
}

export const ORACLE_ROW_INTS = ROW_INTS;
