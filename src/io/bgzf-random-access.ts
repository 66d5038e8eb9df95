import { existsSync, readFileSync, readSync } from 'node:fs';
import { blockSize, inflateBlock } from './bgzf-reader.js';
import { fileError } from '../util/errors.js';

/**
 * Reads the uncompressed bytes of a bgzip-compressed file at any offset through its `.gzi` (the
 * block index `bgzip -i` and `samtools faidx` write: a little-endian uint64 count, then one
 * (compressed, uncompressed) offset pair per block after the first). A bgzipped FASTA's `.fai`
 * gives offsets into the uncompressed text, as for a plain FASTA.
 */
export class BgzfRandomAccess {
  /** Block starts, the first block (0, 0) included, in file order. */
  private readonly coffsets: number[] = [0];
  private readonly uoffsets: number[] = [0];
  /** The last block inflated: CRAM slices fetch neighbouring spans, often from one block. */
  private cached: { index: number; data: Buffer } | null = null;

  constructor(
    private readonly fd: number,
    private readonly path: string,
    private readonly fileSize: number,
  ) {
    const gziPath = `${path}.gzi`;
    if (!existsSync(gziPath)) throw fileError(path, `is bgzip-compressed but has no block index ${gziPath} (run samtools faidx ${path})`);
    const gzi = readFileSync(gziPath);
    const n = gzi.length >= 8 ? Number(gzi.readBigUInt64LE(0)) : -1;
    if (n < 0 || gzi.length !== 8 + 16 * n) throw fileError(gziPath, 'not a bgzip block index (.gzi); re-run samtools faidx');
    for (let i = 0; i < n; i++) {
      const c = Number(gzi.readBigUInt64LE(8 + 16 * i));
      const u = Number(gzi.readBigUInt64LE(16 + 16 * i));
      if (c <= this.coffsets[i] || u < this.uoffsets[i] || c >= fileSize)
        throw fileError(gziPath, `entry ${i + 1} is out of order or past the end of ${path}; re-run samtools faidx`);
      this.coffsets.push(c);
      this.uoffsets.push(u);
    }
  }

  /** Fills `out` from uncompressed offset `pos`; returns the bytes read (fewer at the end of the file). */
  read(out: Buffer, pos: number): number {
    let i = this.blockOf(pos);
    let done = 0;
    while (done < out.length && i < this.coffsets.length) {
      const data = this.block(i);
      const from = pos + done - this.uoffsets[i];
      if (from < data.length) {
        const n = Math.min(data.length - from, out.length - done);
        data.copy(out, done, from, from + n);
        done += n;
      }
      i++;
    }
    return done;
  }

  /** The last block starting at or before uncompressed offset `pos`. */
  private blockOf(pos: number): number {
    let lo = 0;
    let hi = this.uoffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.uoffsets[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private block(i: number): Buffer {
    if (this.cached?.index === i) return this.cached.data;
    const at = this.coffsets[i];
    const head = Buffer.alloc(Math.min(18, this.fileSize - at));
    readSync(this.fd, head, 0, head.length, at);
    const size = blockSize(head, 0, this.path, at);
    if (size < 0 || at + size > this.fileSize) throw fileError(this.path, `BGZF block at byte ${at} is truncated`);
    const raw = Buffer.alloc(size);
    readSync(this.fd, raw, 0, size, at);
    const data = inflateBlock(raw, 0, size, this.path, at);
    this.cached = { index: i, data };
    return data;
  }
}
