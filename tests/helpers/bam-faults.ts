import { BGZF_EOF } from '../../src/io/bgzf-writer.js';

/**
 * Deliberately broken BGZF/BAM bytes, for tests of how readers report bad input. Each function
 * returns a new buffer and leaves its input untouched.
 */

/** Start offset and total size of every BGZF block (including the EOF block). */
export function bgzfBlockOffsets(buf: Uint8Array): { start: number; size: number }[] {
  const out: { start: number; size: number }[] = [];
  let off = 0;
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  while (off + 18 <= view.length) {
    if (view[off] !== 0x1f || view[off + 1] !== 0x8b) throw new Error(`no BGZF block at byte ${off}`);
    const size = view.readUInt16LE(off + 16) + 1;
    out.push({ start: off, size });
    off += size;
  }
  return out;
}

/** The file without its 28-byte EOF marker block (what an interrupted writer leaves). */
export function truncateBgzfEof(buf: Uint8Array): Buffer {
  const b = Buffer.from(buf);
  if (b.length < 28 || !b.subarray(b.length - 28).equals(BGZF_EOF)) throw new Error('input has no BGZF EOF block');
  return Buffer.from(b.subarray(0, b.length - 28));
}

/**
 * The file cut in the middle of data block `blockIndex` (default: the last data block), so the
 * last block is incomplete and there is no EOF block.
 */
export function truncateBgzfMidBlock(buf: Uint8Array, blockIndex?: number): Buffer {
  const blocks = bgzfBlockOffsets(buf);
  const dataBlocks = blocks.slice(0, -1); // last is the EOF block
  if (dataBlocks.length === 0) throw new Error('input has no data blocks');
  const blk = dataBlocks[blockIndex ?? dataBlocks.length - 1];
  if (!blk) throw new Error(`no data block ${blockIndex}`);
  return Buffer.from(buf.subarray(0, blk.start + Math.floor(blk.size / 2)));
}

/** The file with the CRC32 of data block `blockIndex` flipped (the data itself intact). */
export function corruptBgzfBlockCrc(buf: Uint8Array, blockIndex: number): Buffer {
  const b = Buffer.from(buf);
  const blocks = bgzfBlockOffsets(b);
  const blk = blocks[blockIndex];
  if (!blk || blockIndex >= blocks.length - 1) throw new Error(`no data block ${blockIndex}`);
  const crcAt = blk.start + blk.size - 8;
  // `^` yields a signed int32: a CRC below 2^31 flips to a negative number, which writeUInt32LE
  // rejects with a RangeError; `>>> 0` brings it back to the unsigned 0..2^32-1 range.
  b.writeUInt32LE((b.readUInt32LE(crcAt) ^ 0xffffffff) >>> 0, crcAt);
  return b;
}
