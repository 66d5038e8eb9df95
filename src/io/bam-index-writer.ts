import { bgzfCompress } from './bgzf-writer.js';
import { KHashInt } from './khash-order.js';
import { reg2bin } from './sam-record.js';

/**
 * Builds a BAI or CSI index while records are written, following htslib's hts_idx_push /
 * hts_idx_finish step by step (SAM spec section 5), so that the .bai is byte-identical to what
 * `samtools index` writes for the same BAM. Offsets are BGZF virtual offsets held in doubles
 * (exact below 2^53, i.e. BAMs under 128 TiB).
 */

interface Chunk {
  u: number;
  v: number;
}
interface Bin {
  list: Chunk[];
  loff: number;
}

const NO_BIN = 0xffffffff;
/** htslib merges a bin into its parent when its chunks span less than one 64 KiB block. */
const MIN_MARKER_DIST = 0x10000;

export interface IndexShape {
  minShift: number;
  depth: number;
}
export const BAI_SHAPE: IndexShape = { minShift: 14, depth: 5 };

/**
 * CSI shape as `samtools index -c` chooses it: min_shift 14 and the fewest levels whose span
 * covers the longest reference + 256 (5 levels for human chromosomes, fewer for small test genomes).
 */
export function csiShapeFor(refLengths: number[], minShift = 14): IndexShape {
  const maxLen = Math.max(0, ...refLengths) + 256;
  let depth = 0;
  for (let s = 2 ** minShift; maxLen > s; s *= 8) depth++;
  return { minShift, depth };
}

export class BamIndexBuilder {
  private readonly bidx: (KHashInt<Bin> | null)[];
  private readonly lidx: number[][];
  private readonly nBins: number;
  private readonly metaBin: number;
  private nNoCoor = 0;
  private finished = false;
  // The 'z' state of htslib's hts_idx_t.
  private saveTid = -1;
  private lastTid = -1;
  private saveBin = NO_BIN;
  private lastBin = NO_BIN;
  private saveOff: number;
  private lastOff: number;
  private offBeg: number;
  private lastCoor = -1;
  private nMapped = 0;
  private nUnmapped = 0;

  /** `offset0`: virtual offset of the first record (just after the header). */
  constructor(
    nRefs: number,
    offset0: number,
    private readonly shape: IndexShape = BAI_SHAPE,
  ) {
    this.bidx = new Array<KHashInt<Bin> | null>(nRefs).fill(null);
    this.lidx = Array.from({ length: nRefs }, () => []);
    this.nBins = ((1 << (3 * shape.depth + 3)) - 1) / 7;
    this.metaBin = this.nBins + 1;
    this.saveOff = this.lastOff = this.offBeg = offset0;
  }

  private insertToB(tid: number, bin: number, u: number, v: number): void {
    const h = this.bidx[tid]!;
    const { bucket, absent } = h.put(bin);
    if (absent) h.setValue(bucket, { list: [], loff: 0 });
    h.value(bucket).list.push({ u, v });
  }

  private insertToL(tid: number, beg0: number, end0: number, offset: number): void {
    const l = this.lidx[tid];
    const first = Math.floor(beg0 / 2 ** this.shape.minShift);
    const last = Math.floor((end0 - 1) / 2 ** this.shape.minShift);
    while (l.length < last + 1) l.push(-1);
    for (let i = first; i <= last; i++) if (l[i] === -1) l[i] = offset;
  }

  /**
   * Records one alignment. `tid` -1 for unplaced reads; `beg0`/`end0` the 0-based reference span
   * (end = beg + 1 for unmapped or zero-length alignments, as bam_endpos); `endOffset` the virtual
   * offset just after the record.
   */
  push(tid: number, beg0: number, end0: number, endOffset: number, isMapped: boolean): void {
    if (tid < 0) {
      beg0 = -1;
      end0 = 0;
    }
    const maxPos = 2 ** (this.shape.minShift + 3 * this.shape.depth);
    if (tid >= 0 && (beg0 > maxPos || end0 > maxPos)) {
      throw new Error(`position ${end0} is beyond what a ${this.shape.minShift}/${this.shape.depth} index can hold`);
    }
    if (this.finished) return;
    if (this.lastTid !== tid || (this.lastTid >= 0 && tid < 0)) {
      if (tid >= 0 && this.nNoCoor) throw new Error('unplaced reads must come after all placed reads');
      if (tid >= 0 && this.bidx[tid] !== null) throw new Error(`records of reference #${tid + 1} are not contiguous`);
      this.lastTid = tid;
      this.lastBin = NO_BIN;
    } else if (tid >= 0 && this.lastCoor > beg0) {
      throw new Error(`unsorted positions on reference #${tid + 1}: ${this.lastCoor + 1} followed by ${beg0 + 1}`);
    }
    if (end0 < beg0) throw new Error(`record end ${end0} before its start ${beg0 + 1}`);
    if (tid >= 0) {
      if (this.bidx[tid] === null) this.bidx[tid] = new KHashInt<Bin>();
      if (beg0 < 0) beg0 = 0;
      if (end0 <= 0) end0 = 1;
      this.insertToL(tid, beg0, end0, this.lastOff);
    } else this.nNoCoor++;
    const bin = reg2bin(beg0, end0, this.shape.minShift, this.shape.depth);
    if (this.lastBin !== bin) {
      if (this.saveBin !== NO_BIN) this.insertToB(this.saveTid, this.saveBin, this.saveOff, this.lastOff);
      if (this.lastBin === NO_BIN && this.saveBin !== NO_BIN) {
        const offEnd = this.lastOff;
        this.insertToB(this.saveTid, this.metaBin, this.offBeg, offEnd);
        this.insertToB(this.saveTid, this.metaBin, this.nMapped, this.nUnmapped);
        this.nMapped = this.nUnmapped = 0;
        this.offBeg = offEnd;
      }
      this.saveOff = this.lastOff;
      this.saveBin = this.lastBin = bin;
      this.saveTid = tid;
    }
    if (isMapped) this.nMapped++;
    else this.nUnmapped++;
    this.lastOff = endOffset;
    this.lastCoor = beg0;
  }

  /** The previous record turned out to end a block: its end is the next block's start. */
  amendLast(offset: number): void {
    this.lastOff = offset;
  }

  /** Closes the index; `finalOffset` is the virtual offset just after the last record. */
  finish(finalOffset: number): void {
    if (this.finished) return;
    if (this.saveTid >= 0) {
      this.insertToB(this.saveTid, this.saveBin, this.saveOff, finalOffset);
      this.insertToB(this.saveTid, this.metaBin, this.offBeg, finalOffset);
      this.insertToB(this.saveTid, this.metaBin, this.nMapped, this.nUnmapped);
    }
    for (let i = 0; i < this.bidx.length; i++) {
      this.updateLoff(i);
      this.compressBinning(i);
    }
    this.finished = true;
  }

  private binLevel(bin: number): number {
    let l = 0;
    for (let b = bin; b; b = (b - 1) >> 3) l++;
    return l;
  }

  private updateLoff(i: number): void {
    const l = this.lidx[i];
    // Windows no record started in take the offset of the next window (the last is always set).
    for (let w = l.length - 2; w >= 0; w--) if (l[w] === -1) l[w] = l[w + 1];
    const h = this.bidx[i];
    if (!h) return;
    for (let k = 0; k < h.nBuckets; k++) {
      if (!h.exists(k)) continue;
      const key = h.key(k);
      if (key < this.nBins) {
        const lv = this.binLevel(key);
        const first = ((1 << (3 * lv)) - 1) / 7;
        const bot = (key - first) << ((this.shape.depth - lv) * 3);
        h.value(k).loff = bot < l.length ? l[bot] : 0;
      } else h.value(k).loff = 0;
    }
  }

  private compressBinning(i: number): void {
    const h = this.bidx[i];
    if (!h) return;
    const byU = (a: Chunk, b: Chunk) => a.u - b.u;
    const blk = (voff: number) => Math.floor(voff / 65536);
    for (let l = this.shape.depth; l > 0; l--) {
      const start = ((1 << (3 * l)) - 1) / 7;
      for (let k = 0; k < h.nBuckets; k++) {
        if (!h.exists(k) || h.key(k) >= this.nBins || h.key(k) < start) continue;
        const p = h.value(k);
        if (l < this.shape.depth && p.list.length > 1) p.list.sort(byU);
        if (blk(p.list[p.list.length - 1].v) - blk(p.list[0].u) < MIN_MARKER_DIST) {
          const kp = h.get((h.key(k) - 1) >> 3);
          if (kp === h.nBuckets) continue;
          const q = h.value(kp).list;
          for (const c of p.list) q.push(c);
          h.del(k);
        }
      }
    }
    const k0 = h.get(0);
    if (k0 !== h.nBuckets) h.value(k0).list.sort(byU);
    // Merge adjacent chunks that start in the block where the previous one ends.
    for (let k = 0; k < h.nBuckets; k++) {
      if (!h.exists(k) || h.key(k) >= this.nBins) continue;
      const p = h.value(k);
      const out: Chunk[] = [p.list[0]];
      for (let j = 1; j < p.list.length; j++) {
        const m = out[out.length - 1];
        if (blk(m.v) >= blk(p.list[j].u)) {
          if (m.v < p.list[j].v) m.v = p.list[j].v;
        } else out.push(p.list[j]);
      }
      p.list = out;
    }
  }

  /** Index body shared by BAI and CSI (htslib idx_save_core). */
  private core(csi: boolean): Buffer {
    const parts: Buffer[] = [];
    const i32 = (x: number) => {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32LE(x);
      parts.push(b);
    };
    const u32 = (x: number) => {
      const b = Buffer.allocUnsafe(4);
      b.writeUInt32LE(x);
      parts.push(b);
    };
    const u64 = (x: number) => {
      const b = Buffer.allocUnsafe(8);
      b.writeBigUInt64LE(x < 0 ? 0xffffffffffffffffn : BigInt(x));
      parts.push(b);
    };
    i32(this.bidx.length);
    for (let i = 0; i < this.bidx.length; i++) {
      const h = this.bidx[i];
      i32(h ? h.size : 0);
      if (h) {
        for (let k = 0; k < h.nBuckets; k++) {
          if (!h.exists(k)) continue;
          const p = h.value(k);
          u32(h.key(k));
          if (csi) u64(p.loff);
          i32(p.list.length);
          for (const c of p.list) {
            u64(c.u);
            u64(c.v);
          }
        }
      }
      if (!csi) {
        const l = this.lidx[i];
        i32(l.length);
        for (const off of l) u64(off);
      }
    }
    u64(this.nNoCoor);
    return Buffer.concat(parts);
  }

  /** The .bai bytes (uncompressed, magic BAI\1). Call `finish` first. */
  toBai(): Buffer {
    if (!this.finished) throw new Error('index not finished');
    if (this.shape.minShift !== 14 || this.shape.depth !== 5) throw new Error('BAI needs min_shift 14, depth 5');
    return Buffer.concat([Buffer.from('BAI\x01', 'latin1'), this.core(false)]);
  }

  /** The uncompressed CSI content (magic CSI\1, min_shift, depth, l_aux 0, body). */
  toCsiRaw(): Buffer {
    if (!this.finished) throw new Error('index not finished');
    const head = Buffer.alloc(16);
    head.write('CSI\x01', 0, 'latin1');
    head.writeInt32LE(this.shape.minShift, 4);
    head.writeInt32LE(this.shape.depth, 8);
    head.writeUInt32LE(0, 12);
    return Buffer.concat([head, this.core(true)]);
  }

  /** The .csi bytes: CSI content in BGZF, as htslib writes it. */
  toCsi(level = 6): Buffer {
    return bgzfCompress(this.toCsiRaw(), level);
  }
}
