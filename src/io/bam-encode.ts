import { cigarQueryLength, cigarRefLength, parseCigar, reg2bin, type BamHeader, type SamRecord } from './sam-record.js';

/**
 * BAM record and header encoding (SAM spec section 4.2): SAM-like fields in, the binary layout
 * out. No I/O; `bam-writer.ts` lays the bytes out in BGZF blocks and indexes them.
 */

const SEQ_CODES = (() => {
  const t = new Uint8Array(256).fill(15); // unknown letters → N
  const alphabet = '=ACMGRSVTWYHKDBN';
  for (let i = 0; i < 16; i++) {
    t[alphabet.charCodeAt(i)] = i;
    t[alphabet.toLowerCase().charCodeAt(i)] = i;
  }
  return t;
})();

const UNMAPPED = 0x4;
const REVERSE = 0x10;

/** Header text: @HD (sort order) and one @SQ per reference, then the caller's extra lines. */
export function bamHeaderText(header: BamHeader, sortOrder: 'coordinate' | 'unsorted'): string {
  let text = `@HD\tVN:1.6\tSO:${sortOrder}\n`;
  for (const r of header.refs) text += `@SQ\tSN:${r.name}\tLN:${r.length}\n`;
  if (header.text) text += header.text.endsWith('\n') ? header.text : `${header.text}\n`;
  return text;
}

/** Binary BAM header: magic, text, reference dictionary. */
export function encodeBamHeader(header: BamHeader, sortOrder: 'coordinate' | 'unsorted' = 'coordinate'): Buffer {
  const text = Buffer.from(bamHeaderText(header, sortOrder), 'utf8');
  const names = header.refs.map((r) => Buffer.from(`${r.name}\0`, 'latin1'));
  const size = 12 + text.length + names.reduce((s, n) => s + 8 + n.length, 0);
  const b = Buffer.allocUnsafe(size);
  b.write('BAM\x01', 0, 'latin1');
  b.writeInt32LE(text.length, 4);
  text.copy(b, 8);
  let o = 8 + text.length;
  b.writeInt32LE(header.refs.length, o);
  o += 4;
  header.refs.forEach((r, i) => {
    b.writeInt32LE(names[i].length, o);
    names[i].copy(b, o + 4);
    o += 4 + names[i].length;
    b.writeInt32LE(r.length, o);
    o += 4;
  });
  return b;
}

/** Maps reference names to BAM ids; '*' → -1. */
export class RefDictionary {
  private readonly ids = new Map<string, number>();
  constructor(readonly header: BamHeader) {
    header.refs.forEach((r, i) => this.ids.set(r.name, i));
  }
  id(name: string, what: string): number {
    if (name === '*') return -1;
    const id = this.ids.get(name);
    if (id === undefined) throw new Error(`${what} '${name}' is not in the BAM header`);
    return id;
  }
}

/** Placement of an encoded record, for sorting and indexing. */
export interface RecordPlacement {
  tid: number;
  /** 0-based start, -1 when unplaced. */
  beg0: number;
  /** 0-based exclusive end as htslib's bam_endpos: beg + reference length, at least beg + 1. */
  end0: number;
  mapped: boolean;
  reverse: boolean;
}

type TagValue = string | number;

function tagSize(v: TagValue): number {
  if (typeof v === 'string') return 3 + Buffer.byteLength(v, 'utf8') + 1;
  if (!Number.isInteger(v)) return 3 + 4;
  if (v < 0) return 3 + (v >= -128 ? 1 : v >= -32768 ? 2 : 4);
  return 3 + (v <= 0xff ? 1 : v <= 0xffff ? 2 : 4);
}

function writeTag(b: Buffer, o: number, key: string, v: TagValue): number {
  if (key.length !== 2) throw new Error(`tag '${key}' must be two characters`);
  b.write(key, o, 'latin1');
  o += 2;
  if (typeof v === 'string') {
    b[o++] = 0x5a; // Z
    o += b.write(v, o, 'utf8');
    b[o++] = 0;
    return o;
  }
  if (!Number.isInteger(v)) {
    b[o++] = 0x66; // f
    b.writeFloatLE(v, o);
    return o + 4;
  }
  if (v < -2147483648 || v > 4294967295) throw new Error(`tag ${key}: integer ${v} does not fit in 32 bits`);
  if (v < 0) {
    if (v >= -128) {
      b[o++] = 0x63; // c
      b.writeInt8(v, o);
      return o + 1;
    }
    if (v >= -32768) {
      b[o++] = 0x73; // s
      b.writeInt16LE(v, o);
      return o + 2;
    }
    b[o++] = 0x69; // i
    b.writeInt32LE(v, o);
    return o + 4;
  }
  if (v <= 0xff) {
    b[o++] = 0x43; // C
    b[o] = v;
    return o + 1;
  }
  if (v <= 0xffff) {
    b[o++] = 0x53; // S
    b.writeUInt16LE(v, o);
    return o + 2;
  }
  b[o++] = 0x49; // I
  b.writeUInt32LE(v, o);
  return o + 4;
}

/**
 * Encodes one record (including its 4-byte block_size) into `scratch` (grown when too small) and
 * returns the buffer used, the byte length and the record's placement.
 */
export function encodeBamRecord(
  rec: SamRecord,
  refs: RefDictionary,
  scratch?: Buffer,
): { bytes: Buffer; length: number; placement: RecordPlacement } {
  const where = `record '${rec.qname}'`;
  const name = Buffer.byteLength(rec.qname, 'latin1');
  if (name < 1 || name > 254) throw new Error(`${where}: QNAME must have 1-254 characters`);
  const tid = refs.id(rec.rname, `${where}: RNAME`);
  const nextTid = rec.rnext === '=' ? tid : refs.id(rec.rnext, `${where}: RNEXT`);
  const cigar = parseCigar(rec.cigar);
  if (cigar.length > 0xffff) throw new Error(`${where}: more than 65535 CIGAR operations`);
  const seqLen = rec.seq === '*' ? 0 : rec.seq.length;
  if (seqLen > 0 && cigar.length > 0 && cigarQueryLength(cigar) !== seqLen) {
    throw new Error(`${where}: CIGAR ${rec.cigar} implies ${cigarQueryLength(cigar)} bases, SEQ has ${seqLen}`);
  }
  if (rec.qual !== '*' && rec.qual.length !== seqLen) {
    throw new Error(`${where}: QUAL has ${rec.qual.length} characters, SEQ ${seqLen}`);
  }
  if (!(Number.isInteger(rec.flag) && rec.flag >= 0 && rec.flag <= 0xffff)) throw new Error(`${where}: FLAG ${rec.flag} out of range`);
  if (!(Number.isInteger(rec.mapq) && rec.mapq >= 0 && rec.mapq <= 255)) throw new Error(`${where}: MAPQ ${rec.mapq} out of range`);
  if (!(Number.isInteger(rec.pos1) && rec.pos1 >= 0 && rec.pos1 <= 2 ** 31 - 1)) throw new Error(`${where}: POS ${rec.pos1} out of range`);
  const pos0 = rec.pos1 - 1;
  const mapped = (rec.flag & UNMAPPED) === 0;
  const rlen = mapped ? cigarRefLength(cigar) : 0;
  // htslib's bam_endpos: an alignment covering no reference base still occupies one position.
  const end0 = pos0 + (rlen > 0 ? rlen : 1);
  const bin = reg2bin(pos0, end0);
  let tagBytes = 0;
  const tags = rec.tags ? Object.entries(rec.tags) : [];
  for (const [, v] of tags) tagBytes += tagSize(v);
  const blockSize = 32 + name + 1 + 4 * cigar.length + ((seqLen + 1) >> 1) + seqLen + tagBytes;
  const total = 4 + blockSize;
  const b = scratch && scratch.length >= total ? scratch : Buffer.allocUnsafe(Math.max(total, 2 * (scratch?.length ?? 0)));
  b.writeInt32LE(blockSize, 0);
  b.writeInt32LE(tid, 4);
  b.writeInt32LE(pos0, 8);
  b[12] = name + 1;
  b[13] = rec.mapq;
  b.writeUInt16LE(bin, 14);
  b.writeUInt16LE(cigar.length, 16);
  b.writeUInt16LE(rec.flag, 18);
  b.writeInt32LE(seqLen, 20);
  b.writeInt32LE(nextTid, 24);
  b.writeInt32LE(rec.pnext1 - 1, 28);
  b.writeInt32LE(rec.tlen, 32);
  let o = 36;
  o += b.write(rec.qname, o, 'latin1');
  b[o++] = 0;
  for (const c of cigar) {
    b.writeUInt32LE(((c.len << 4) | c.op) >>> 0, o);
    o += 4;
  }
  for (let i = 0; i < seqLen; i += 2) {
    const hi = SEQ_CODES[rec.seq.charCodeAt(i)];
    const lo = i + 1 < seqLen ? SEQ_CODES[rec.seq.charCodeAt(i + 1)] : 0;
    b[o++] = (hi << 4) | lo;
  }
  if (rec.qual === '*') {
    b.fill(0xff, o, o + seqLen);
    o += seqLen;
  } else {
    for (let i = 0; i < seqLen; i++) {
      const q = rec.qual.charCodeAt(i) - 33;
      if (q < 0 || q > 93) throw new Error(`${where}: quality character '${rec.qual[i]}' out of range`);
      b[o++] = q;
    }
  }
  for (const [k, v] of tags) o = writeTag(b, o, k, v);
  if (o !== total) throw new Error(`internal: BAM record size ${o} != ${total}`);
  return {
    bytes: b,
    length: total,
    placement: { tid, beg0: tid < 0 ? -1 : pos0, end0: tid < 0 ? 0 : end0, mapped, reverse: (rec.flag & REVERSE) !== 0 },
  };
}

/** samtools sort order: reference id (unplaced last), position, then reverse strand after forward. */
export function compareForCoordinateSort(a: RecordPlacement, b: RecordPlacement): number {
  const ta = a.tid < 0 ? Number.MAX_SAFE_INTEGER : a.tid;
  const tb = b.tid < 0 ? Number.MAX_SAFE_INTEGER : b.tid;
  if (ta !== tb) return ta - tb;
  if (a.beg0 !== b.beg0) return a.beg0 - b.beg0;
  return Number(a.reverse) - Number(b.reverse);
}
