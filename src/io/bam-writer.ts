import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { BgzfWriter } from './bgzf-writer.js';
import { BamIndexBuilder, BAI_SHAPE, csiShapeFor } from './bam-index-writer.js';
import { cigarQueryLength, cigarRefLength, parseCigar, reg2bin, type BamHeader, type SamRecord } from './sam-record.js';

/**
 * BAM writer (SAM spec section 4.2) for tests and the simulator: SAM-like records in, BGZF-
 * compressed BAM out, plus a BAI/CSI index built on the fly. Records are laid out in blocks as
 * htslib lays them out (a new block when a record does not fit, header in its own block(s)).
 */

export type IndexKind = 'bai' | 'csi' | false;

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
  let b = scratch && scratch.length >= total ? scratch : Buffer.allocUnsafe(Math.max(total, 2 * (scratch?.length ?? 0)));
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

/** True when `b` may not follow `a` in a coordinate-sorted BAM (strand order does not matter). */
function outOfOrder(a: RecordPlacement, b: RecordPlacement): boolean {
  const ta = a.tid < 0 ? Number.MAX_SAFE_INTEGER : a.tid;
  const tb = b.tid < 0 ? Number.MAX_SAFE_INTEGER : b.tid;
  return ta > tb || (ta === tb && a.beg0 > b.beg0);
}

/**
 * Writes records to BGZF and (optionally) an index. The core of both the in-memory and the
 * streaming writer: records must arrive in coordinate order when an index is built.
 */
class BamAssembler {
  private readonly bgzf: BgzfWriter;
  private readonly index: BamIndexBuilder | null;
  private readonly refs: RefDictionary;
  private scratch: Buffer = Buffer.allocUnsafe(1 << 16);
  private last: RecordPlacement | null = null;
  private count = 0;

  constructor(
    header: BamHeader,
    sink: (block: Buffer) => void,
    private readonly indexKind: IndexKind,
    sorted: boolean,
    level: number,
  ) {
    this.refs = new RefDictionary(header);
    this.bgzf = new BgzfWriter(sink, level);
    this.bgzf.write(encodeBamHeader(header, sorted ? 'coordinate' : 'unsorted'));
    this.bgzf.flush(); // htslib flushes after the header: records start in a fresh block
    this.index = indexKind
      ? new BamIndexBuilder(header.refs.length, this.bgzf.tell(), indexKind === 'csi' ? csiShapeFor(header.refs.map((r) => r.length)) : BAI_SHAPE)
      : null;
  }

  add(rec: SamRecord): void {
    const enc = encodeBamRecord(rec, this.refs, this.scratch);
    this.scratch = enc.bytes;
    this.addEncoded(enc.bytes.subarray(0, enc.length), enc.placement);
  }

  addEncoded(bytes: Buffer, p: RecordPlacement): void {
    if (this.index && this.last && outOfOrder(this.last, p)) {
      throw new Error(`records not coordinate-sorted at record ${this.count + 1}`);
    }
    const before = this.bgzf.tell();
    this.bgzf.flushTry(bytes.length);
    // A reader that finishes the previous record at the very end of a block reports the next
    // block's start (offset 0) as its end: amend the last offset so the index matches samtools'.
    if (this.bgzf.tell() !== before) this.index?.amendLast(this.bgzf.tell());
    this.bgzf.write(bytes);
    this.index?.push(p.tid, p.beg0, p.end0, this.bgzf.tell(), p.mapped);
    this.last = p;
    this.count++;
  }

  /** Flushes the data and EOF blocks; returns the index bytes (or null). */
  close(): Buffer | null {
    this.bgzf.flush();
    // samtools index's last bgzf_tell, after reading the empty EOF block, is the file end.
    const finalOffset = this.bgzf.tell();
    this.bgzf.close();
    if (!this.index) return null;
    this.index.finish(finalOffset);
    return this.indexKind === 'csi' ? this.index.toCsi() : this.index.toBai();
  }
}

export interface EncodeBamOptions {
  /** Coordinate-sort the records as samtools sort would (default true). */
  sort?: boolean;
  /** zlib level 0-9 (default 6, as htslib). */
  level?: number;
}

function encodeAll(
  header: BamHeader,
  records: SamRecord[],
  opts: EncodeBamOptions & { index?: IndexKind },
): { bam: Buffer; index: Buffer | null } {
  const sort = opts.sort ?? true;
  const refs = new RefDictionary(header);
  const blocks: Buffer[] = [];
  const asm = new BamAssembler(header, (b) => blocks.push(b), opts.index ?? false, sort, opts.level ?? 6);
  if (sort) {
    const encoded = records.map((r, i) => {
      const e = encodeBamRecord(r, refs);
      return { bytes: Buffer.from(e.bytes.subarray(0, e.length)), placement: e.placement, i };
    });
    encoded.sort((a, b) => compareForCoordinateSort(a.placement, b.placement) || a.i - b.i);
    for (const e of encoded) asm.addEncoded(e.bytes, e.placement);
  } else {
    for (const r of records) asm.add(r);
  }
  const index = asm.close();
  return { bam: Buffer.concat(blocks), index };
}

/** The bytes of a BAM file holding `records` (coordinate-sorted unless `sort: false`). */
export function encodeBam(header: BamHeader, records: SamRecord[], opts: EncodeBamOptions = {}): Buffer {
  return encodeAll(header, records, { ...opts, index: false }).bam;
}

/** BAM bytes plus index bytes, without touching the disk. */
export function encodeBamWithIndex(
  header: BamHeader,
  records: SamRecord[],
  opts: EncodeBamOptions & { index?: 'bai' | 'csi' } = {},
): { bam: Buffer; index: Buffer } {
  const r = encodeAll(header, records, { ...opts, index: opts.index ?? 'bai' });
  return { bam: r.bam, index: r.index! };
}

function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Writes the index file atomically (temp + rename). */
function writeAtomic(path: string, data: Buffer): void {
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export interface WriteBamOptions extends EncodeBamOptions {
  /** 'bai' (default) writes path + '.bai', 'csi' path + '.csi', false no index. */
  index?: IndexKind;
}

/** Writes a BAM file (and its index) atomically: no partial file is left on failure. */
export function writeBam(path: string, header: BamHeader, records: SamRecord[], opts: WriteBamOptions = {}): void {
  // With `sort: false` and an index, the records must already be in order (the assembler checks).
  const indexKind = opts.index ?? 'bai';
  const { bam, index } = encodeAll(header, records, { ...opts, index: indexKind });
  mkdirSync(dirname(path), { recursive: true });
  writeAtomic(path, bam);
  if (index) writeAtomic(`${path}.${indexKind}`, index);
}

/**
 * Streams a coordinate-sorted BAM to disk with bounded memory: BGZF blocks are written as they
 * fill and the index is built on the fly. The file appears under `path` only on `close()`;
 * `abort()` (or an exception from `add`) leaves nothing behind but what `abort` removes.
 */
export class BamStreamWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly asm: BamAssembler;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;
  private readonly indexKind: IndexKind;

  constructor(
    private readonly path: string,
    header: BamHeader,
    opts: { index?: IndexKind; level?: number } = {},
  ) {
    this.indexKind = opts.index ?? 'bai';
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPath(path);
    this.fd = openSync(this.tmp, 'w');
    this.asm = new BamAssembler(header, (b) => this.sink(b), this.indexKind, true, opts.level ?? 6);
  }

  private sink(block: Buffer): void {
    this.pending.push(block);
    this.pendingBytes += block.length;
    // Batch ~1 MiB per write() call: one syscall per 64 KiB block costs ~10% at 150 MiB.
    if (this.pendingBytes >= 1 << 20) this.drain();
  }

  private drain(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, Buffer.concat(this.pending));
    this.pending.length = 0;
    this.pendingBytes = 0;
  }

  /** Appends one record; throws (and removes the temporary file) if it is out of order. */
  add(rec: SamRecord): void {
    if (this.done) throw new Error('BamStreamWriter: add after close');
    try {
      this.asm.add(rec);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Appends a record already encoded by `encodeBamRecord` (block_size included). */
  addEncoded(bytes: Buffer, placement: RecordPlacement): void {
    if (this.done) throw new Error('BamStreamWriter: add after close');
    try {
      this.asm.addEncoded(bytes, placement);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  close(): void {
    if (this.done) return;
    try {
      const index = this.asm.close();
      this.drain();
      closeSync(this.fd);
      this.done = true;
      renameSync(this.tmp, this.path);
      if (index) writeAtomic(`${this.path}.${this.indexKind}`, index);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Discards everything written so far. */
  abort(): void {
    if (!this.done) {
      this.done = true;
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    rmSync(this.tmp, { force: true });
  }
}
