import { crc32, deflateRawSync } from 'node:zlib';

/**
 * BGZF writing (SAM spec section 4.1): a series of gzip members, each with the 'BC' extra field
 * giving the member size, at most 64 KiB compressed, ended by a fixed 28-byte empty member.
 */

/** The BGZF end-of-file marker block (SAM spec 4.1.2). */
export const BGZF_EOF = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

/**
 * Uncompressed bytes per block. htslib uses 0xff00 (65280), not 65536, so that even
 * incompressible data plus the 26-byte header and footer fits in the 16-bit block size.
 */
export const BGZF_BLOCK_DATA = 0xff00;
const BGZF_HEADER_LEN = 18;
const BGZF_FOOTER_LEN = 8;
const BGZF_MAX_BLOCK = 65536;

/** Compresses one block of ≤ BGZF_BLOCK_DATA bytes into a complete BGZF member. */
export function bgzfBlock(data: Uint8Array, level = 6): Buffer {
  if (data.length > BGZF_BLOCK_DATA) throw new Error(`BGZF block data too large: ${data.length}`);
  let cdata: Uint8Array = deflateRawSync(data, { level });
  if (cdata.length + BGZF_HEADER_LEN + BGZF_FOOTER_LEN > BGZF_MAX_BLOCK) {
    // Incompressible data: store it (level 0 adds 5 bytes per 64 KiB, always fits).
    cdata = deflateRawSync(data, { level: 0 });
  }
  const total = BGZF_HEADER_LEN + cdata.length + BGZF_FOOTER_LEN;
  const out = Buffer.allocUnsafe(total);
  // gzip header: ID1 ID2 CM=8 FLG=FEXTRA MTIME=0 XFL=0 OS=255, XLEN=6, 'B' 'C' SLEN=2 BSIZE.
  out[0] = 0x1f;
  out[1] = 0x8b;
  out[2] = 8;
  out[3] = 4;
  out.writeUInt32LE(0, 4);
  out[8] = 0;
  out[9] = 0xff;
  out.writeUInt16LE(6, 10);
  out[12] = 0x42;
  out[13] = 0x43;
  out.writeUInt16LE(2, 14);
  out.writeUInt16LE(total - 1, 16);
  out.set(cdata, BGZF_HEADER_LEN);
  out.writeUInt32LE(crc32(data), total - 8);
  out.writeUInt32LE(data.length, total - 4);
  return out;
}

/** Compresses a whole byte string into BGZF blocks of BGZF_BLOCK_DATA bytes plus the EOF block. */
export function bgzfCompress(data: Uint8Array, level = 6): Buffer {
  const parts: Buffer[] = [];
  for (let off = 0; off < data.length; off += BGZF_BLOCK_DATA) {
    parts.push(bgzfBlock(data.subarray(off, Math.min(data.length, off + BGZF_BLOCK_DATA)), level));
  }
  parts.push(BGZF_EOF);
  return Buffer.concat(parts);
}

/**
 * Streaming BGZF writer that knows the virtual offset (compressed block address << 16 | offset in
 * block) of every byte it writes, as an index needs. It mirrors htslib's bgzf_write: a block is
 * flushed as soon as it holds BGZF_BLOCK_DATA bytes, and `flushTry(n)` starts a new block when n
 * more bytes would not fit (htslib does this before each BAM record so records rarely straddle
 * blocks). Compressed blocks go to `sink` in order.
 */
export class BgzfWriter {
  private readonly buf = Buffer.allocUnsafe(BGZF_BLOCK_DATA);
  private used = 0;
  /** Compressed bytes emitted so far = address of the block being filled. */
  private blockAddress = 0;
  private closed = false;

  constructor(
    private readonly sink: (block: Buffer) => void,
    private readonly level = 6,
  ) {}

  /** Virtual offset of the next byte to be written. Exact as a double while < 2^53 (128 TiB). */
  tell(): number {
    return this.blockAddress * 65536 + this.used;
  }

  /** Compressed bytes written so far (the file size before the EOF block). */
  compressedSize(): number {
    return this.blockAddress;
  }

  write(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const n = Math.min(BGZF_BLOCK_DATA - this.used, data.length - off);
      this.buf.set(data.subarray(off, off + n), this.used);
      this.used += n;
      off += n;
      if (this.used === BGZF_BLOCK_DATA) this.flush();
    }
  }

  /** Starts a new block if `size` more bytes would not fit in the current one. */
  flushTry(size: number): void {
    if (this.used + size > BGZF_BLOCK_DATA) this.flush();
  }

  /** Compresses and emits the current block (nothing when empty). */
  flush(): void {
    if (this.used === 0) return;
    const block = bgzfBlock(this.buf.subarray(0, this.used), this.level);
    this.used = 0;
    this.blockAddress += block.length;
    this.sink(block);
  }

  /** Flushes and emits the EOF block. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.sink(BGZF_EOF);
    this.closed = true;
  }
}
