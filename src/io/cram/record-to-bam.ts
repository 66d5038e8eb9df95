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
export interface ReferenceWindow {
  /**
   * Upper-case base (char code) at 0-based position `pos0` of reference `refId`; 78 ('N') beyond
   * the contig's end; -1 when the position lies outside what the slice declared (a corrupt CRAM).
   */
  base(refId: number, pos0: number): number;
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
    refEnd0 = decodeAlignment(rec, ref, substitution, seq, qual, preserved, cigar);
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
  const tags = tagBytes(rec.tags, readGroup);
  const blockSize = 32 + nameBytes + 1 + 4 * cigar.length + ((lSeq + 1) >> 1) + lSeq + tags.length;
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
  tags.copy(b, o);
  o += tags.length;
  out.length = o;
}

function clampInt32(v: number): number {
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)));
}

/**
 * Walks the read features (1-based read positions, in order), filling `seq`/`qual` and the CIGAR
 * (BAM-encoded ops). Returns the 0-based exclusive reference end.
 */
function decodeAlignment(
  rec: CramRecord,
  ref: ReferenceWindow,
  substitution: readonly (readonly string[])[],
  seq: Uint8Array,
  qual: Uint8Array,
  preserved: boolean,
  cigar: number[],
): number {
  const len = rec.readLength;
  const refId = rec.sequenceId;
  let seqPos = 1; // next read base, 1-based
  let refPos = rec.alignmentStart - 1; // next reference base, 0-based
  if (rec.alignmentStart <= 0) throw new CramRecordError(`mapped read at position ${rec.alignmentStart}`);
  let opLen = 0;
  let op: number = OP.M;
  let lossyTouched = false;
  const push = (next: number, n: number): void => {
    if (opLen > 0 && op !== next) {
      cigar.push((opLen << 4) | op);
      opLen = 0;
    }
    op = next;
    opLen += n;
  };
  // A read stored without SEQ (length 0) still has features describing its CIGAR: walk them, write no bases.
  const writeBases = len > 0;
  const copyRef = (n: number): void => {
    for (let i = 0; i < n && writeBases; i++) {
      let c: number;
      if (!ref.present) c = 61; // '=': htslib's placeholder when there is no reference to copy
      else {
        c = ref.base(refId, refPos + i);
        if (c < 0) throw new CramRecordError(`read extends beyond its slice's reference span (position ${refPos + i + 1})`);
      }
      seq[seqPos - 1 + i] = c;
    }
    push(OP.M, n);
    refPos += n;
    seqPos += n;
  };
  const putBases = (at: number, bases: string): void => {
    if (!writeBases) return;
    if (at - 1 + bases.length > len) throw new CramRecordError('read feature beyond the end of the read');
    for (let i = 0; i < bases.length; i++) seq[at - 1 + i] = bases.charCodeAt(i);
  };
  const setQual = (at: number, q: number): void => {
    if (preserved) return; // the full quality string comes after the features and wins
    if (!lossyTouched) {
      qual.fill(LOSSY_QUAL, 0, len);
      lossyTouched = true;
    }
    if (at >= 1 && at <= len) qual[at - 1] = q;
  };
  for (const f of rec.readFeatures ?? []) {
    const pos = f.pos;
    if (!(pos >= 1)) throw new CramRecordError(`read feature at read position ${pos}`);
    if (pos > seqPos) {
      if (pos > len + 1) throw new CramRecordError('read feature beyond the end of the read');
      copyRef(pos - seqPos);
    }
    switch (f.code) {
      case 'S':
        putBases(pos, f.data);
        if (opLen > 0) cigar.push((opLen << 4) | op);
        cigar.push((f.data.length << 4) | OP.S);
        op = OP.S;
        opLen = 0;
        seqPos += f.data.length;
        break;
      case 'X': {
        const refBase = ref.present ? ref.base(refId, refPos) : 78;
        const row = substitution[SUB_ROW[refBase < 0 ? 78 : refBase]];
        const sub = row?.[f.data];
        if (sub === undefined) throw new CramRecordError(`substitution code ${f.data} out of range`);
        putBases(pos, sub);
        push(OP.M, 1);
        seqPos++;
        refPos++;
        break;
      }
      case 'D':
        push(OP.D, f.data);
        refPos += f.data;
        break;
      case 'N':
        push(OP.N, f.data);
        refPos += f.data;
        break;
      case 'I':
        putBases(pos, f.data);
        push(OP.I, f.data.length);
        seqPos += f.data.length;
        break;
      case 'i':
        putBases(pos, f.data);
        push(OP.I, 1);
        seqPos++;
        break;
      case 'b':
        putBases(pos, f.data);
        push(OP.M, f.data.length);
        seqPos += f.data.length;
        refPos += f.data.length;
        break;
      case 'B':
        putBases(pos, f.data[0]);
        setQual(pos, f.data[1]);
        push(OP.M, 1);
        seqPos++;
        refPos++;
        break;
      case 'q':
        push(OP.M, 0);
        f.data.forEach((q, k) => setQual(pos + k, q));
        break;
      case 'Q':
        setQual(pos, f.data);
        break;
      case 'H':
        push(OP.H, f.data);
        break;
      case 'P':
        push(OP.P, f.data);
        break;
      default:
        throw new CramRecordError(`unknown read feature code '${(f as { code: string }).code}'`);
    }
  }
  if (len >= seqPos) copyRef(len - seqPos + 1);
  if (opLen > 0) cigar.push((opLen << 4) | op);
  if (writeBases && seqPos - 1 > len) throw new CramRecordError('read features hold more bases than the read length');
  return refPos;
}

/** Aux fields as BAM bytes: types chosen as htslib's SAM parser chooses them; RG from the read group. */
function tagBytes(tags: CramRecord['tags'], readGroup: string | undefined): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (value === undefined || key.length !== 2) continue;
    if (key === 'RG' && readGroup !== undefined) continue;
    parts.push(encodeTag(key, value));
  }
  if (readGroup !== undefined) parts.push(encodeTag('RG', readGroup));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

function intType(min: number, max: number): { code: string; size: number } {
  if (min >= 0) return max <= 0xff ? { code: 'C', size: 1 } : max <= 0xffff ? { code: 'S', size: 2 } : { code: 'I', size: 4 };
  if (min >= -128 && max <= 127) return { code: 'c', size: 1 };
  if (min >= -32768 && max <= 32767) return { code: 's', size: 2 };
  return { code: 'i', size: 4 };
}

function writeNumber(b: Buffer, o: number, code: string, v: number): void {
  switch (code) {
    case 'C': b.writeUInt8(v, o); break;
    case 'c': b.writeInt8(v, o); break;
    case 'S': b.writeUInt16LE(v, o); break;
    case 's': b.writeInt16LE(v, o); break;
    case 'I': b.writeUInt32LE(v, o); break;
    case 'i': b.writeInt32LE(v, o); break;
    default: b.writeFloatLE(v, o);
  }
}

function encodeTag(key: string, value: string | number | number[]): Buffer {
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'latin1');
    const b = Buffer.alloc(3 + text.length + 1);
    b.write(key, 0, 'latin1');
    b[2] = 0x5a; // Z
    text.copy(b, 3);
    return b;
  }
  if (typeof value === 'number') {
    const isInt = Number.isInteger(value) && value >= -2147483648 && value <= 4294967295;
    const t = isInt ? intType(value, value) : { code: 'f', size: 4 };
    const b = Buffer.alloc(3 + t.size);
    b.write(key, 0, 'latin1');
    b.write(t.code, 2, 'latin1');
    writeNumber(b, 3, t.code, value);
    return b;
  }
  const ints = value.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 4294967295);
  const t = ints && value.length > 0 ? intType(Math.min(...value), Math.max(...value)) : ints ? { code: 'C', size: 1 } : { code: 'f', size: 4 };
  const b = Buffer.alloc(3 + 5 + t.size * value.length);
  b.write(key, 0, 'latin1');
  b[2] = 0x42; // B
  b.write(t.code, 3, 'latin1');
  b.writeUInt32LE(value.length, 4);
  value.forEach((v, i) => writeNumber(b, 8 + i * t.size, t.code, v));
  return b;
}
