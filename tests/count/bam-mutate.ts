import { crc32, inflateRawSync } from 'node:zlib';
import { bgzfCompress } from '../../src/io/bgzf-writer.js';

/**
 * Seeded mutations of small BAM files for the record fuzz test: in the decompressed stream (record
 * fields set to boundary values, CIGAR and aux bytes rewritten, records cut, swapped or
 * duplicated, bytes flipped; then re-compressed) and in the compressed layer (deflate bits, CRC,
 * ISIZE, block sizes and headers, cuts). Each returns new bytes and a one-line description.
 */

export interface BamParts {
  /** Inflated bytes of the header (magic through the reference list). */
  header: Buffer;
  /** Each record's bytes, block_size included. */
  records: Buffer[];
}

/** Inflates every BGZF block (no checks: the input is our own writer's output). */
export function inflateAll(bam: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  let off = 0;
  const b = Buffer.from(bam.buffer, bam.byteOffset, bam.byteLength);
  while (off + 18 <= b.length) {
    const size = b.readUInt16LE(off + 16) + 1;
    const xlen = b.readUInt16LE(off + 10);
    parts.push(inflateRawSync(b.subarray(off + 12 + xlen, off + size - 8)));
    off += size;
  }
  return Buffer.concat(parts);
}

export function splitBam(bam: Uint8Array): BamParts {
  const raw = inflateAll(bam);
  let p = 8 + raw.readInt32LE(4);
  const nRef = raw.readInt32LE(p);
  p += 4;
  for (let i = 0; i < nRef; i++) p += 8 + raw.readInt32LE(p);
  const header = raw.subarray(0, p);
  const records: Buffer[] = [];
  while (p + 4 <= raw.length) {
    const size = raw.readInt32LE(p) + 4;
    records.push(Buffer.from(raw.subarray(p, p + size)));
    p += size;
  }
  return { header: Buffer.from(header), records };
}

/** Header and records re-compressed in 0xff00-byte blocks (records straddle blocks freely). */
export function joinBam(parts: BamParts): Buffer {
  return bgzfCompress(Buffer.concat([parts.header, ...parts.records]), 1);
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Field offsets in a record (from its block_size field) and their widths. */
const FIELDS = [
  ['block_size', 0, 4],
  ['refID', 4, 4],
  ['pos', 8, 4],
  ['l_read_name', 12, 1],
  ['mapq', 13, 1],
  ['bin', 14, 2],
  ['n_cigar_op', 16, 2],
  ['flag', 18, 2],
  ['l_seq', 20, 4],
  ['next_refID', 24, 4],
  ['next_pos', 28, 4],
  ['tlen', 32, 4],
] as const;

function boundaryValue(r: Rand, width: number, current: number, nRef: number): number {
  const common = [0, 1, -1, -2, current + 1, current - 1, current * 2, nRef, nRef + 1, 99, int(r, 1 << 16)];
  const wide = width === 4 ? [0x7fffffff, -0x80000000, 0x7fffffff - 3, 1 << 28, -(1 << 20)] : width === 2 ? [0xffff, 0x8000] : [0xff, 0x80];
  return pick(r, [...common, ...wide]);
}

function writeField(buf: Buffer, at: number, width: number, v: number): void {
  if (width === 4) buf.writeInt32LE(v | 0, at);
  else if (width === 2) buf.writeUInt16LE(v & 0xffff, at);
  else buf[at] = v & 0xff;
}

function readField(buf: Buffer, at: number, width: number): number {
  return width === 4 ? buf.readInt32LE(at) : width === 2 ? buf.readUInt16LE(at) : buf[at];
}

/** Appends an aux field to a record (fixing block_size), possibly malformed. */
function appendAux(rec: Buffer, aux: Buffer, fixSize: boolean): Buffer {
  const out = Buffer.concat([rec, aux]);
  if (fixSize) out.writeInt32LE(out.length - 4, 0);
  return out;
}

function randomAux(r: Rand): { bytes: Buffer; what: string } {
  const kind = int(r, 7);
  if (kind === 0) {
    const n = pick(r, [-1, -100, 0x7fffffff, 3, 1000000]);
    const b = Buffer.alloc(8 + 4 * 3);
    b.write('XBBI', 0, 'latin1');
    b.writeInt32LE(n, 4);
    return { bytes: b, what: `B:I array count ${n}` };
  }
  if (kind === 1) return { bytes: Buffer.from('RXZACGT', 'latin1'), what: 'Z value without NUL' };
  if (kind === 2) return { bytes: Buffer.from('XQq\x01\x02', 'latin1'), what: 'unknown aux type q' };
  if (kind === 3) return { bytes: Buffer.from('XIi\x01', 'latin1'), what: 'truncated i value' };
  if (kind === 4) return { bytes: Buffer.from('X', 'latin1'), what: 'one stray aux byte' };
  if (kind === 5) return { bytes: Buffer.from('RXZACGTACGT\x00', 'latin1'), what: 'valid RX:Z tag' };
  const b = Buffer.alloc(8);
  b.write('XBBd', 0, 'latin1');
  b.writeInt32LE(0, 4);
  return { bytes: b, what: 'B array of subtype d' };
}

/** One mutation of the decompressed stream. */
export function mutateStream(r: Rand, parts: BamParts, nRef: number): { parts: BamParts; what: string } {
  const records = parts.records.map((x) => Buffer.from(x));
  const header = Buffer.from(parts.header);
  const i = int(r, records.length);
  const rec = records[i];
  const kind = int(r, 10);
  let what: string;
  if (kind <= 2) {
    const [name, at, width] = pick(r, FIELDS);
    const v = boundaryValue(r, width, readField(rec, at, width), nRef);
    writeField(rec, at, width, v);
    what = `record ${i}: ${name} = ${v}`;
  } else if (kind === 3) {
    const lName = rec[12];
    const nCigar = rec.readUInt16LE(16);
    if (nCigar === 0) {
      rec[36 + lName - 1] = 0x41;
      what = `record ${i}: read name without NUL`;
    } else {
      const k = int(r, nCigar);
      const at = 36 + lName + 4 * k;
      const c = rec.readUInt32LE(at);
      const op = r() < 0.5 ? 9 + int(r, 7) : int(r, 9);
      const len = r() < 0.5 ? c >>> 4 : pick(r, [0, 1, (c >>> 4) + 1, (1 << 28) - 1, 268435455]);
      rec.writeUInt32LE(((len << 4) | op) >>> 0, at);
      what = `record ${i}: CIGAR op ${k} = ${len}${'MIDNSHP=X'[op] ?? `#${op}`}`;
    }
  } else if (kind === 4) {
    const lName = rec[12];
    if (r() < 0.5) rec[36 + lName - 1] = 0x41;
    else rec[36 + int(r, Math.max(1, lName - 1))] = 0;
    what = `record ${i}: read name NUL moved`;
  } else if (kind === 5) {
    const aux = randomAux(r);
    const fix = r() < 0.8;
    records[i] = appendAux(rec, aux.bytes, fix) as (typeof records)[number];
    what = `record ${i}: appended ${aux.what}${fix ? '' : ' (block_size not updated)'}`;
  } else if (kind === 6) {
    const n = 1 + int(r, 4);
    for (let k = 0; k < n; k++) rec[int(r, rec.length)] ^= 1 << int(r, 8);
    what = `record ${i}: ${n} bit flips`;
  } else if (kind === 7) {
    const j = int(r, records.length);
    [records[i], records[j]] = [records[j], records[i]];
    what = `records ${i} and ${j} swapped`;
  } else if (kind === 8) {
    const cut = int(r, rec.length);
    records[i] = rec.subarray(0, cut);
    what = `record ${i} cut to ${cut} bytes`;
  } else {
    // Base or quality changes: a valid file whose counts must follow.
    const lName = rec[12];
    const nCigar = rec.readUInt16LE(16);
    const lSeq = rec.readInt32LE(20);
    if (lSeq > 0) {
      const seqAt = 36 + lName + 4 * nCigar;
      const k = int(r, lSeq);
      if (r() < 0.5) rec[seqAt + (k >> 1)] = int(r, 256);
      else rec[seqAt + ((lSeq + 1) >> 1) + k] = pick(r, [0, 2, 19, 20, 40, 93, 0xff]);
    }
    what = `record ${i}: base/quality changed`;
  }
  return { parts: { header, records }, what };
}

interface BlockAt {
  start: number;
  size: number;
}

function blocksOf(bam: Buffer): BlockAt[] {
  const out: BlockAt[] = [];
  let off = 0;
  while (off + 18 <= bam.length) {
    const size = bam.readUInt16LE(off + 16) + 1;
    out.push({ start: off, size });
    off += size;
  }
  return out;
}

/** One mutation of the compressed bytes. */
export function mutateCompressed(r: Rand, bam: Buffer): { bam: Buffer; what: string } {
  const out = Buffer.from(bam);
  const blocks = blocksOf(out).slice(0, -1); // not the EOF block
  const b = pick(r, blocks);
  const kind = int(r, 8);
  if (kind <= 2) {
    // A flipped bit in the deflate data; half the time with the CRC made to match again when the
    // block still inflates (so that only the record checks can notice).
    const at = b.start + 18 + int(r, b.size - 26);
    out[at] ^= 1 << int(r, 8);
    let what = `bit flip in deflate data at byte ${at}`;
    if (r() < 0.5) {
      try {
        const data = inflateRawSync(out.subarray(b.start + 18, b.start + b.size - 8));
        out.writeUInt32LE(crc32(data), b.start + b.size - 8);
        out.writeUInt32LE(data.length, b.start + b.size - 4);
        what += ' (CRC and ISIZE recomputed)';
      } catch {
        what += ' (does not inflate)';
      }
    }
    return { bam: out, what };
  }
  if (kind === 3) {
    out.writeUInt32LE((out.readUInt32LE(b.start + b.size - 8) ^ (1 << int(r, 32))) >>> 0, b.start + b.size - 8);
    return { bam: out, what: `CRC32 of block at ${b.start} changed` };
  }
  if (kind === 4) {
    const v = pick(r, [0, 1, 65536, 65537, 0xffffffff, out.readUInt32LE(b.start + b.size - 4) + 1]);
    out.writeUInt32LE(v >>> 0, b.start + b.size - 4);
    return { bam: out, what: `ISIZE of block at ${b.start} = ${v}` };
  }
  if (kind === 5) {
    const field = pick(r, [0, 1, 2, 3, 10, 12, 13, 14, 16, 17]);
    out[b.start + field] ^= 1 << int(r, 8);
    return { bam: out, what: `header byte ${field} of block at ${b.start} changed` };
  }
  if (kind === 6) {
    const cut = b.start + int(r, b.size);
    return { bam: Buffer.concat([out.subarray(0, cut), out.subarray(out.length - 28)]), what: `file cut at ${cut} (EOF block kept)` };
  }
  // A block dropped or repeated.
  if (r() < 0.5)
    return { bam: Buffer.concat([out.subarray(0, b.start), out.subarray(b.start + b.size)]), what: `block at ${b.start} dropped` };
  return { bam: Buffer.concat([out.subarray(0, b.start + b.size), out.subarray(b.start)]), what: `block at ${b.start} repeated` };
}
