import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { crc32, gunzip, inflateRawSync } from 'node:zlib';
import { fileError } from '../util/errors.js';

/**
 * BGZF (SAM/BAM spec §4.1) block reading: every block is a gzip member with a BC extra field
 * giving its compressed size. Each block is inflated with node:zlib's inflateRawSync (measured in
 * docs/decisions/0002: the async threadpool gains nothing once work is already split over
 * worker_threads) and checked against its CRC32 and ISIZE, so a flipped byte is an error naming
 * the file and the block offset rather than a silently wrong count.
 */

/** The 28-byte empty block every BGZF file ends with (SAM spec §4.1.2). */
export const BGZF_EOF = Buffer.from('1f8b08040000000000ff0600424302001b0003000000000000000000', 'hex');

export interface BgzfBlock {
  /** File offset of the block (the "coffset" of a virtual offset). */
  offset: number;
  /** Compressed size of the whole block, header and footer included. */
  csize: number;
  data: Buffer;
}

/**
 * What a non-BGZF file at byte 0 most likely is, for the error message: users hand over CRAM
 * (its file definition starts with the 4 bytes "CRAM") or SAM text (a header line starts with '@') as often as
 * a corrupt BAM.
 */
export function notBamHint(buf: Uint8Array, pos: number, file: string): string {
  const head = Buffer.from(buf.buffer, buf.byteOffset + pos, Math.min(4, buf.length - pos)).toString('latin1');
  if (head === 'CRAM') return `; this is a CRAM file: convert it with samtools view -b -T ref.fa -o out.bam ${file}`;
  if (head.startsWith('@')) return `; this looks like SAM text: convert it with samtools view -b -o out.bam ${file}`;
  return '';
}

/** True for the gzip magic bytes at b[i] (a plain gzip member or a BGZF block). */
export function isGzipMagic(b: Uint8Array, i = 0): boolean {
  return b.length >= i + 2 && b[i] === 0x1f && b[i + 1] === 0x8b;
}

/**
 * True for a BGZF block header at b[i] (SAM spec §4.1): gzip magic, deflate, FEXTRA, and the 'BC'
 * subfield of length 2 first among 6 extra bytes, as htslib and bgzip write it.
 */
export function isBgzfHeader(b: Uint8Array, i = 0): boolean {
  return (
    isGzipMagic(b, i) &&
    b[i + 2] === 8 &&
    (b[i + 3] & 4) !== 0 &&
    b[i + 10] === 6 &&
    b[i + 11] === 0 &&
    b[i + 12] === 66 &&
    b[i + 13] === 67 &&
    b[i + 14] === 2 &&
    b[i + 15] === 0
  );
}

/** Total block size from its header at buf[pos..], -1 if the header is incomplete. Throws on bad magic. */
export function blockSize(buf: Uint8Array, pos: number, file: string, fileOffset: number): number {
  if (buf.length - pos < 18) return -1;
  // gzip magic, deflate, and FLG exactly FEXTRA (SAM spec §4.1; no name, comment or header CRC).
  if (buf[pos] !== 0x1f || buf[pos + 1] !== 0x8b || buf[pos + 2] !== 8 || buf[pos + 3] !== 4) {
    throw fileError(
      file,
      `not a BGZF block at byte ${fileOffset} (bad gzip/BGZF header)${fileOffset === 0 ? notBamHint(buf, pos, file) : ''}`,
    );
  }
  const xlen = buf[pos + 10] | (buf[pos + 11] << 8);
  if (buf.length - pos < 12 + xlen) return -1;
  // Find the BC subfield among the extra subfields.
  let x = pos + 12;
  const xend = x + xlen;
  while (x + 4 <= xend) {
    const slen = buf[x + 2] | (buf[x + 3] << 8);
    if (buf[x] === 66 && buf[x + 1] === 67 && slen === 2) {
      const size = (buf[x + 4] | (buf[x + 5] << 8)) + 1;
      // Smaller than its own header and footer (htslib checks the same): the sizes inside are lies.
      if (size < 12 + xlen + 8)
        throw fileError(file, `not a BGZF block at byte ${fileOffset} (block size ${size} is smaller than its header and footer)`);
      return size;
    }
    x += 4 + slen;
  }
  throw fileError(file, `not a BGZF block at byte ${fileOffset} (gzip member without BC field)`);
}

/** Inflates one complete block buf[pos, pos+size) and verifies CRC32 and ISIZE. */
export function inflateBlock(buf: Uint8Array, pos: number, size: number, file: string, fileOffset: number): Buffer {
  const xlen = buf[pos + 10] | (buf[pos + 11] << 8);
  const dataStart = pos + 12 + xlen;
  const dataEnd = pos + size - 8;
  const view = new DataView(buf.buffer, buf.byteOffset + dataEnd, 8);
  const expectedCrc = view.getUint32(0, true);
  const isize = view.getUint32(4, true);
  checkIsize(isize, file, fileOffset);
  let out: Buffer;
  try {
    // chunkSize = the block's own size: node's default 16 KB output chunks cost 4 passes per block.
    out = dataEnd > dataStart ? inflateRawSync(buf.subarray(dataStart, dataEnd), { chunkSize: Math.max(64, isize) }) : Buffer.alloc(0);
  } catch (e) {
    throw fileError(file, `BGZF block at byte ${fileOffset} does not inflate (${(e as Error).message})`);
  }
  if (out.length !== isize) {
    throw fileError(file, `BGZF block at byte ${fileOffset} inflates to ${out.length} bytes, its ISIZE says ${isize}`);
  }
  if (crc32(out) !== expectedCrc) {
    throw fileError(file, `BGZF block at byte ${fileOffset} fails its CRC32 check (corrupt data)`);
  }
  return out;
}

/** A BGZF block holds at most 64 KiB of data (SAM spec §4.1: ISIZE < 2^16 + 1). */
export const BGZF_MAX_ISIZE = 65536;

function checkIsize(isize: number, file: string, fileOffset: number): void {
  if (isize > BGZF_MAX_ISIZE) {
    throw fileError(
      file,
      `BGZF block at byte ${fileOffset} claims ${isize} inflated bytes, more than the ${BGZF_MAX_ISIZE} a BGZF block can hold`,
    );
  }
}

const READ_CHUNK = 4 << 20;

/**
 * Inflater: 'async' (libuv threadpool, blocks inflated ahead of the scan) or 'sync'
 * (inflateRawSync in the scanning thread). OLIGOTRACK_INFLATE overrides the default for
 * measurements (docs/decisions/0002).
 */
/** Blocks per gunzip call and calls in flight (measured in docs/decisions/0002). */
const CHUNK_BLOCKS = Number(process.env.OLIGOTRACK_CHUNK_BLOCKS ?? 8);
const CHUNKS_IN_FLIGHT = Number(process.env.OLIGOTRACK_CHUNKS_IN_FLIGHT ?? 3);

export const INFLATE_MODE: 'sync' | 'async' =
  process.env.OLIGOTRACK_INFLATE === 'sync' ? 'sync' : process.env.OLIGOTRACK_INFLATE === 'async' ? 'async' : 'async';

/**
 * A BGZF file opened for block-wise reading with plain synchronous reads (no per-read
 * open/close). `-` is standard input, read sequentially (only `blocksFrom(0)`).
 */
export class BgzfFile {
  readonly fd: number;
  readonly size: number;
  readonly isStdin: boolean;
  /** Stdin only: whether the last block read was the empty EOF block. */
  lastBlockWasEof = false;

  constructor(readonly path: string) {
    let stat: Stats;
    try {
      this.fd = path === '-' ? 0 : openSync(path, 'r');
      stat = fstatSync(this.fd);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw fileError(path, `cannot read BAM (${err.code ?? err.message})`);
    }
    if (stat.isDirectory()) {
      closeSync(this.fd);
      throw fileError(path, 'is a directory, not a BAM file');
    }
    // A pipe or a device (stdin, a FIFO, /dev/fd/N) is read as a stream: sequentially, size unknown.
    this.isStdin = path === '-' || !stat.isFile();
    this.size = this.isStdin ? Number.POSITIVE_INFINITY : stat.size;
  }

  close(): void {
    if (this.fd !== 0) closeSync(this.fd);
  }

  /** Throws unless the file ends with the BGZF EOF block (a cut-off copy usually does not). */
  checkEofBlock(): void {
    if (this.isStdin) return;
    const tail = Buffer.alloc(28);
    if (this.size >= 28) readSync(this.fd, tail, 0, 28, this.size - 28);
    if (this.size < 28 || !tail.equals(BGZF_EOF)) {
      throw fileError(this.path, 'truncated BAM: the BGZF end-of-file block is missing');
    }
  }

  private read(buf: Buffer, at: number, length: number, filePos: number): number {
    if (!this.isStdin) return readSync(this.fd, buf, at, length, filePos);
    for (;;) {
      try {
        return readSync(this.fd, buf, at, length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // non-blocking pipe with no data yet
        if (code === 'EOF') return 0;
        throw e;
      }
    }
  }

  /**
   * Compressed blocks from `offset` on, in file order (`buf[pos, pos + csize)`, valid until the
   * next step). Stop iterating to stop reading.
   */
  *rawBlocksFrom(offset: number): Generator<{ offset: number; csize: number; buf: Buffer; pos: number }> {
    let buf = Buffer.alloc(0);
    let bufStart = offset; // file offset of buf[0]
    let have = 0;
    let pos = 0;
    // Reads start at 256 KiB and double up to READ_CHUNK: a header read then costs ~1 ms, where a
    // fresh 4 MiB buffer cost ~14 ms (page faults and copy) for a 300-byte header.
    let readChunk = 256 << 10;
    while (true) {
      const size = pos < have ? blockSize(buf.subarray(0, have), pos, this.path, bufStart + pos) : -1;
      if (size < 0 || pos + size > have) {
        // Refill: keep the unread tail, read more.
        const keep = have - pos;
        if (bufStart + pos >= this.size) return;
        // Small files get a small buffer: tests open thousands of tiny BAMs.
        const chunk = Math.min(readChunk, Math.max(65536 * 2, this.size - bufStart - pos));
        readChunk = Math.min(READ_CHUNK, readChunk * 2);
        const next = Buffer.allocUnsafe(Math.max(chunk, keep + Math.max(size, 0) + 65536));
        buf.copy(next, 0, pos, have);
        buf = next;
        bufStart += pos;
        pos = 0;
        have = keep;
        const n = this.read(buf, have, buf.length - have, bufStart + have);
        have += n;
        if (n === 0) {
          if (keep === 0) {
            if (this.isStdin && !this.lastBlockWasEof) {
              throw fileError(this.path, 'truncated BAM: the BGZF end-of-file block is missing');
            }
            return;
          }
          throw fileError(this.path, `truncated BAM: BGZF block at byte ${bufStart} is cut off at end of file`);
        }
        continue;
      }
      this.lastBlockWasEof = size === 28 && buf.subarray(pos, pos + 28).equals(BGZF_EOF);
      yield { offset: bufStart + pos, csize: size, buf, pos };
      pos += size;
    }
  }

  /** Inflated blocks from `offset` on, inflated here one at a time (header reading, stdin). */
  *blocksFrom(offset: number): Generator<BgzfBlock> {
    for (const b of this.rawBlocksFrom(offset)) {
      yield { offset: b.offset, csize: b.csize, data: inflateBlock(b.buf, b.pos, b.csize, this.path, b.offset) };
    }
  }

  /**
   * Inflated data from `offset` on, in chunks of `blocksPerChunk` whole blocks. In 'async' mode
   * each chunk is one `zlib.gunzip` call on libuv's threadpool (gzip members concatenate, and
   * gunzip checks every member's CRC32 and ISIZE), with up to `inFlight` chunks inflating ahead
   * of the consumer: the inflate runs on the second core while this thread scans, and one call
   * per 8 blocks keeps the per-call cost of node's zlib binding small (docs/decisions/0002).
   */
  async *chunksAhead(offset: number, blocksPerChunk = CHUNK_BLOCKS, inFlight = CHUNKS_IN_FLIGHT): AsyncGenerator<InflatedChunk> {
    if (INFLATE_MODE === 'sync') {
      for (const b of this.blocksFrom(offset)) yield { data: b.data, blocks: [{ offset: b.offset, csize: b.csize, isize: b.data.length }] };
      return;
    }
    const queue: { blocks: ChunkBlock[]; data: Promise<Buffer> }[] = [];
    const raw = this.rawBlocksFrom(offset);
    let done = false;
    // A bad block header found while reading ahead is reported after the blocks before it, so
    // that the first bad block in file order is the one named.
    let pendingError: unknown = null;
    const fill = (): void => {
      while (!done && queue.length < inFlight) {
        const parts: Buffer[] = [];
        const blocks: ChunkBlock[] = [];
        while (blocks.length < blocksPerChunk) {
          let next: IteratorResult<{ offset: number; csize: number; buf: Buffer; pos: number }>;
          try {
            next = raw.next();
          } catch (e) {
            pendingError = e;
            done = true;
            break;
          }
          if (next.done) {
            done = true;
            break;
          }
          const b = next.value;
          // Copied: the read buffer is reused for later blocks while this chunk inflates.
          parts.push(Buffer.from(b.buf.subarray(b.pos, b.pos + b.csize)));
          const isize = b.buf.readUInt32LE(b.pos + b.csize - 4);
          checkIsize(isize, this.path, b.offset);
          blocks.push({ offset: b.offset, csize: b.csize, isize });
        }
        if (blocks.length === 0) break;
        const compressed = parts.length === 1 ? parts[0] : Buffer.concat(parts);
        const data = gunzipChunk(compressed, blocks, this.path);
        data.catch(() => undefined); // a chunk never consumed (segment stopped) must not crash
        queue.push({ blocks, data });
      }
    };
    fill();
    while (queue.length > 0) {
      const head = queue.shift()!;
      const data = await head.data;
      fill();
      yield { data, blocks: head.blocks };
    }
    if (pendingError !== null) throw pendingError;
  }
}

export interface ChunkBlock {
  offset: number;
  csize: number;
  isize: number;
}

/** Inflated bytes of consecutive whole blocks, and where each block came from. */
export interface InflatedChunk {
  data: Buffer;
  blocks: ChunkBlock[];
}

/** gunzip of consecutive BGZF blocks; on failure, finds the bad block for a precise message. */
function gunzipChunk(compressed: Buffer, blocks: ChunkBlock[], file: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    // One output chunk for the whole call: with node's default 16 KB chunks each call goes back and
    // forth between the threadpool and JS 32 times (27% of a sparse run's CPU in processCallback).
    const total = blocks.reduce((n, b) => n + b.isize, 0);
    gunzip(compressed, { chunkSize: Math.max(64, total) }, (err, out) => {
      if (!err) {
        resolvePromise(out);
        return;
      }
      let pos = 0;
      try {
        for (const b of blocks) {
          inflateBlock(compressed, pos, b.csize, file, b.offset);
          pos += b.csize;
        }
      } catch (precise) {
        reject(precise);
        return;
      }
      reject(
        fileError(file, `BGZF blocks at bytes ${blocks[0].offset}-${blocks[blocks.length - 1].offset} do not inflate (${err.message})`),
      );
    });
  });
}
