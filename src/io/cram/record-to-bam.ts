import type { CramRecord } from '@gmod/cram';
import { reg2bin } from '../sam-record.js';
import type { MateFields } from './mates.js';

/**
 * One CRAM record → one BAM record (SAM spec §4.2: block_size, refID, pos, l_read_name, mapq,
 * bin, n_cigar_op, flag, l_seq, next_refID, next_pos, tlen, read_name, cigar, seq, qual, tags),
 * rebuilt the way htslib's cram_decode_seq rebuilds it: read features walked in order, reference
 * bases copied between them, one CIGAR operation per run. The counting kernel then reads these
 * bytes exactly as it reads a BAM's.
 */

/** Reference bases a slice's records are decoded against. */
/** One reference's bases as a slice holds them. */
export interface ReferenceSpan {
  start0: number;
  /** Upper-case ASCII bases from start0. */
  bases: Uint8Array;
  contigLength: number;
}

export interface ReferenceWindow {
  /** The span held for `refId`, or null. */
  span(refId: number): ReferenceSpan | null;
  /** false for CRAMs written without a reference (no_ref): every base is stored in the record. */
  readonly present: boolean;
}

export class CramRecordError extends Error {}

const OP = { M: 0, I: 1, D: 2, N: 3, S: 4, H: 5, P: 6 } as const;
const NT16 = (() => {
  const t = new Uint8Array(256).fill(15);
  const alphabet = '=ACMGRSVTWYHKDBN';
  for (let i = 0; i < 16; i++) {
    t[alphabet.charCodeAt(i)] = i;
    t[alphabet.toLowerCase().charCodeAt(i)] = i;
  }
  return t;
})();
/** Row of the substitution matrix for a reference base (A C G T, anything else N). */
const SUB_ROW = (() => {
  const t = new Uint8Array(256).fill(4);
  'ACGT'.split('').forEach((c, i) => {
    t[c.charCodeAt(0)] = i;
    t[c.toLowerCase().charCodeAt(0)] = i;
  });
  return t;
})();
const MAX_READ_LENGTH = 1 << 28;
const MISSING_QUAL = 0xff;
const LOSSY_QUAL = 30;

const UNMAPPED = 0x4;
const CF_PRESERVE_QUAL = 0x1;
const CF_NO_SEQ = 0x8;

/** Growing output buffer of concatenated BAM records. */
export class BamRecordBuffer {
  bytes: Buffer = Buffer.allocUnsafe(1 << 20);
  length = 0;

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }

  clear(): void {
    this.length = 0;
  }
}

/** Per-record scratch reused across records. */
export class RecordScratch {
  readonly decoder = new AlignmentDecoder();
  seq = new Uint8Array(1024);
  qual = new Uint8Array(1024);
  cigar: number[] = [];

  fit(n: number): void {
    if (n > this.seq.length) {
      this.seq = new Uint8Array(n * 2);
      this.qual = new Uint8Array(n * 2);
    }
  }
}

/** 1-based last reference base of a mapped record (its start when unmapped or without bases on the reference). */
export function alignedEnd1(rec: CramRecord): number {
  if (rec.flags & UNMAPPED) return rec.alignmentStart;
  return rec.alignmentStart - 1 + Math.max(0, rec.lengthOnRef ?? 0);
}

export function appendBamRecord(
  rec: CramRecord,
  mate: MateFields,
  ref: ReferenceWindow,
  substitution: readonly (readonly string[])[],
  readGroup: string | undefined,
  scratch: RecordScratch,
  out: BamRecordBuffer,
): void {
  const len = rec.readLength;
  if (!(Number.isInteger(len) && len >= 0 && len <= MAX_READ_LENGTH)) throw new CramRecordError(`read length ${len} out of range`);
  scratch.fit(len);
  const { seq, qual } = scratch;
  const cigar = scratch.cigar;
  cigar.length = 0;
  const mapped = (rec.flags & UNMAPPED) === 0;
  const refId = rec.sequenceId;
  let haveSeq = (rec.cramFlags & CF_NO_SEQ) === 0;
  const preserved = (rec.cramFlags & CF_PRESERVE_QUAL) !== 0;
  const q = rec.qualityScores;
  if (preserved && len > 0 && q) {
    if (q.length < len) throw new CramRecordError('quality scores shorter than the read');
    qual.set(q.subarray(0, len), 0);
  } else qual.fill(MISSING_QUAL, 0, len);
  let refEnd0 = rec.alignmentStart - 1;
  if (mapped) {
    refEnd0 = scratch.decoder.decode(rec, ref, substitution, scratch, preserved);
  } else if (haveSeq) {
    const bases = rec.readBases;
    if (bases === null || bases === undefined) haveSeq = false;
    else {
      if (bases.length < len) throw new CramRecordError('unmapped read has fewer bases than its length');
      for (let i = 0; i < len; i++) seq[i] = bases.charCodeAt(i);
    }
  }
  const lSeq = haveSeq ? len : 0;
  const name = mate.name;
  const nameBytes = Buffer.byteLength(name, 'latin1');
  if (nameBytes < 1 || nameBytes > 254) throw new CramRecordError(`read name of ${nameBytes} characters (1-254 allowed)`);
  if (cigar.length > 0xffff) throw new CramRecordError('more than 65535 CIGAR operations');
  const tagLength = tagsSize(rec.tags, readGroup);
  const blockSize = 32 + nameBytes + 1 + 4 * cigar.length + ((lSeq + 1) >> 1) + lSeq + tagLength;
  out.reserve(4 + blockSize);
  const b = out.bytes;
  let o = out.length;
  const pos0 = rec.alignmentStart - 1;
  const end0 = mapped && refEnd0 > pos0 ? refEnd0 : pos0 + 1;
  b.writeInt32LE(blockSize, o);
  b.writeInt32LE(refId, o + 4);
  b.writeInt32LE(pos0, o + 8);
  b[o + 12] = nameBytes + 1;
  b[o + 13] = mapped ? (rec.mappingQuality ?? 0) & 0xff : 0;
  b.writeUInt16LE(refId < 0 ? 4680 : reg2bin(Math.max(pos0, -1), end0), o + 14);
  b.writeUInt16LE(cigar.length, o + 16);
  b.writeUInt16LE(mate.flags & 0xffff, o + 18);
  b.writeInt32LE(lSeq, o + 20);
  b.writeInt32LE(mate.mateRefId, o + 24);
  b.writeInt32LE(mate.matePos1 - 1, o + 28);
  b.writeInt32LE(clampInt32(mate.tlen), o + 32);
  o += 36;
  o += b.write(name, o, 'latin1');
  b[o++] = 0;
  for (const c of cigar) {
    b.writeUInt32LE(c >>> 0, o);
    o += 4;
  }
  for (let i = 0; i < lSeq; i += 2) {
    const hi = NT16[seq[i]];
    const lo = i + 1 < lSeq ? NT16[seq[i + 1]] : 0;
    b[o++] = (hi << 4) | lo;
  }
  if (lSeq > 0) b.set(qual.subarray(0, lSeq), o);
  o += lSeq;
  o = writeTags(b, o, rec.tags, readGroup);
  out.length = o;
}

function clampInt32(v: number): number {
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
}

/**
 * Walks the read features (1-based read positions, in order), filling `seq`/`qual` and the CIGAR
 * (BAM-encoded ops). Returns the 0-based exclusive reference end. One instance per reader, reused
 * for every record (no per-record closures: the garbage collector took a quarter of CRAM time).
 */
class AlignmentDecoder {
  private rec!: CramRecord;
  private ref!: ReferenceWindow;
  private span: ReferenceSpan | null = null;
  private seq!: Uint8Array;
  private qual!: Uint8Array;
  private cigar!: number[];
  private len = 0;
  private seqPos = 1; // next read base, 1-based
  private refPos = 0; // next reference base, 0-based
  private op = 0;
  private opLen = 0;
  private preserved = false;
  private lossyTouched = false;
  private writeBases = true;

  decode(
    rec: CramRecord,
    ref: ReferenceWindow,
    substitution: readonly (readonly string[])[],
    scratch: RecordScratch,
    preserved: boolean,
  ): number {
    this.rec = rec;
    this.ref = ref;
    this.span = ref.present ? ref.span(rec.sequenceId) : null;
    this.seq = scratch.seq;
    this.qual = scratch.qual;
    this.cigar = scratch.cigar;
    this.len = rec.readLength;
    this.seqPos = 1;
    this.refPos = rec.alignmentStart - 1;
    this.op = OP.M;
    this.opLen = 0;
    this.preserved = preserved;
    this.lossyTouched = false;
    // A read stored without SEQ (length 0) still has features describing its CIGAR: walk them, write no bases.
    this.writeBases = this.len > 0;
    if (rec.alignmentStart <= 0) throw new CramRecordError(`mapped read at position ${rec.alignmentStart}`);
    const len = this.len;
    for (const f of rec.readFeatures ?? []) {
      const pos = f.pos;
      if (!(pos >= 1)) throw new CramRecordError(`read feature at read position ${pos}`);
      if (pos > this.seqPos) {
        if (pos > len + 1) throw new CramRecordError('read feature beyond the end of the read');
        this.copyRef(pos - this.seqPos);
      }
      switch (f.code) {
        case 'S':
          this.putBases(pos, f.data);
          if (this.opLen > 0) this.cigar.push((this.opLen << 4) | this.op);
          this.cigar.push((f.data.length << 4) | OP.S);
          this.op = OP.S;
          this.opLen = 0;
          this.seqPos += f.data.length;
          break;
        case 'X': {
          const refBase = this.refBase(this.refPos);
          const sub = substitution[SUB_ROW[refBase < 0 ? 78 : refBase]]?.[f.data];
          if (sub === undefined) throw new CramRecordError(`substitution code ${f.data} out of range`);
          this.putBases(pos, sub);
          this.push(OP.M, 1);
          this.seqPos++;
          this.refPos++;
          break;
        }
        case 'D':
          this.push(OP.D, f.data);
          this.refPos += f.data;
          break;
        case 'N':
          this.push(OP.N, f.data);
          this.refPos += f.data;
          break;
        case 'I':
          this.putBases(pos, f.data);
          this.push(OP.I, f.data.length);
          this.seqPos += f.data.length;
          break;
        case 'i':
          this.putBases(pos, f.data);
          this.push(OP.I, 1);
          this.seqPos++;
          break;
        case 'b':
          this.putBases(pos, f.data);
          this.push(OP.M, f.data.length);
          this.seqPos += f.data.length;
          this.refPos += f.data.length;
          break;
        case 'B':
          this.putBases(pos, f.data[0]);
          this.setQual(pos, f.data[1]);
          this.push(OP.M, 1);
          this.seqPos++;
          this.refPos++;
          break;
        case 'q':
          this.push(OP.M, 0);
          for (let k = 0; k < f.data.length; k++) this.setQual(pos + k, f.data[k]);
          break;
        case 'Q':
          this.setQual(pos, f.data);
          break;
        case 'H':
          this.push(OP.H, f.data);
          break;
        case 'P':
          this.push(OP.P, f.data);
          break;
        default:
          throw new CramRecordError(`unknown read feature code '${(f as { code: string }).code}'`);
      }
    }
    if (len >= this.seqPos) this.copyRef(len - this.seqPos + 1);
    if (this.opLen > 0) this.cigar.push((this.opLen << 4) | this.op);
    if (this.writeBases && this.seqPos - 1 > len) throw new CramRecordError('read features hold more bases than the read length');
    return this.refPos;
  }

  /** Reference base at pos0 ('N' beyond the contig, -1 outside the slice's span). */
  private refBase(pos0: number): number {
    const s = this.span;
    if (!s) return this.ref.present ? -1 : 78;
    if (pos0 >= s.contigLength) return 78;
    const i = pos0 - s.start0;
    return i >= 0 && i < s.bases.length ? s.bases[i] : -1;
  }

  private push(next: number, n: number): void {
    if (this.opLen > 0 && this.op !== next) {
      this.cigar.push((this.opLen << 4) | this.op);
      this.opLen = 0;
    }
    this.op = next;
    this.opLen += n;
  }

  private copyRef(n: number): void {
    if (this.writeBases) {
      const at = this.seqPos - 1;
      if (!this.ref.present)
        this.seq.fill(61, at, at + n); // '=': htslib's placeholder when there is no reference
      else {
        for (let i = 0; i < n; i++) {
          const c = this.refBase(this.refPos + i);
          if (c < 0) throw new CramRecordError(`read extends beyond its slice's reference span (position ${this.refPos + i + 1})`);
          this.seq[at + i] = c;
        }
      }
    }
    this.push(OP.M, n);
    this.refPos += n;
    this.seqPos += n;
  }

  private putBases(at: number, bases: string): void {
    if (!this.writeBases) return;
    if (at - 1 + bases.length > this.len) throw new CramRecordError('read feature beyond the end of the read');
    for (let i = 0; i < bases.length; i++) this.seq[at - 1 + i] = bases.charCodeAt(i);
  }

  private setQual(at: number, q: number): void {
    if (this.preserved) return; // the full quality string comes after the features and wins
    if (!this.lossyTouched) {
      this.qual.fill(LOSSY_QUAL, 0, this.len);
      this.lossyTouched = true;
    }
    if (at >= 1 && at <= this.len) this.qual[at - 1] = q;
  }
}

/** Aux fields as BAM bytes: types chosen as htslib's SAM parser chooses them; RG from the read group. */
type TagValue = string | number | number[];

function keptTags(tags: CramRecord['tags'], readGroup: string | undefined): [string, TagValue][] {
  const out: [string, TagValue][] = [];
  for (const key in tags) {
    const value = tags[key];
    if (value === undefined || key.length !== 2) continue;
    if (key === 'RG' && readGroup !== undefined) continue;
    out.push([key, value]);
  }
  if (readGroup !== undefined) out.push(['RG', readGroup]);
  return out;
}

function tagsSize(tags: CramRecord['tags'], readGroup: string | undefined): number {
  let n = 0;
  for (const [, v] of keptTags(tags, readGroup)) n += tagSize(v);
  return n;
}

function writeTags(b: Buffer, o: number, tags: CramRecord['tags'], readGroup: string | undefined): number {
  for (const [k, v] of keptTags(tags, readGroup)) o = writeTag(b, o, k, v);
  return o;
}

function intType(min: number, max: number): { code: number; size: number } {
  if (min >= 0) return max <= 0xff ? { code: 0x43, size: 1 } : max <= 0xffff ? { code: 0x53, size: 2 } : { code: 0x49, size: 4 };
  if (min >= -128 && max <= 127) return { code: 0x63, size: 1 };
  if (min >= -32768 && max <= 32767) return { code: 0x73, size: 2 };
  return { code: 0x69, size: 4 };
}

const FLOAT = { code: 0x66, size: 4 };
const isInt32ish = (v: number): boolean => Number.isInteger(v) && v >= -2147483648 && v <= 4294967295;

function arrayType(v: number[]): { code: number; size: number } {
  if (!v.every(isInt32ish)) return FLOAT;
  if (v.length === 0) return { code: 0x43, size: 1 };
  let min = v[0];
  let max = v[0];
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return intType(min, max);
}

function tagSize(v: TagValue): number {
  if (typeof v === 'string') return 3 + Buffer.byteLength(v, 'latin1') + 1;
  if (typeof v === 'number') return 3 + (isInt32ish(v) ? intType(v, v).size : 4);
  return 3 + 5 + arrayType(v).size * v.length;
}

function writeNumber(b: Buffer, o: number, code: number, v: number): void {
  switch (code) {
    case 0x43:
      b.writeUInt8(v, o);
      break;
    case 0x63:
      b.writeInt8(v, o);
      break;
    case 0x53:
      b.writeUInt16LE(v, o);
      break;
    case 0x73:
      b.writeInt16LE(v, o);
      break;
    case 0x49:
      b.writeUInt32LE(v, o);
      break;
    case 0x69:
      b.writeInt32LE(v, o);
      break;
    default:
      b.writeFloatLE(v, o);
  }
}

function writeTag(b: Buffer, o: number, key: string, v: TagValue): number {
  b[o] = key.charCodeAt(0);
  b[o + 1] = key.charCodeAt(1);
  o += 2;
  if (typeof v === 'string') {
    b[o++] = 0x5a; // Z
    o += b.write(v, o, 'latin1');
    b[o++] = 0;
    return o;
  }
  if (typeof v === 'number') {
    const t = isInt32ish(v) ? intType(v, v) : FLOAT;
    b[o++] = t.code;
    writeNumber(b, o, t.code, v);
    return o + t.size;
  }
  const t = arrayType(v);
  b[o++] = 0x42; // B
  b[o++] = t.code;
  b.writeUInt32LE(v.length, o);
  o += 4;
  for (const x of v) {
    writeNumber(b, o, t.code, x);
    o += t.size;
  }
  return o;
}
