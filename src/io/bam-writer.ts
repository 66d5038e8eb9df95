import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { BgzfWriter } from './bgzf-writer.js';
import { BamIndexBuilder, BAI_SHAPE, csiShapeFor } from './bam-index-writer.js';
import type { BamHeader, SamRecord } from './sam-record.js';
import { compareForCoordinateSort, encodeBamHeader, encodeBamRecord, RefDictionary, type RecordPlacement } from './bam-encode.js';

export {
  bamHeaderText,
  compareForCoordinateSort,
  encodeBamHeader,
  encodeBamRecord,
  RefDictionary,
  type RecordPlacement,
} from './bam-encode.js';

/**
 * BAM writer (SAM spec section 4.2) for tests and the simulator: SAM-like records in, BGZF-
 * compressed BAM out, plus a BAI/CSI index built on the fly. Records are laid out in blocks as
 * htslib lays them out (a new block when a record does not fit, header in its own block(s)).
 */

export type IndexKind = 'bai' | 'csi' | false;

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
      ? new BamIndexBuilder(
          header.refs.length,
          this.bgzf.tell(),
          indexKind === 'csi' ? csiShapeFor(header.refs.map((r) => r.length)) : BAI_SHAPE,
        )
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
