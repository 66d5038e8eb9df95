import { crc32, unzipSync } from 'node:zlib';
import type { CramFile } from '@gmod/cram';
import type { CramFileHandle } from './file-handle.js';

/**
 * Checks run on CRAM bytes before @gmod/cram decodes them. Its decoders trust lengths and counts
 * from the file: a truncated gzip block sends its WASM inflater into an endless loop, a corrupt
 * landmark count into a loop of 2³¹ iterations, and it verifies a block's CRC32 only after
 * decompressing it. Here every block is bounded by the file and checked against its CRC32 (CRAM 3)
 * first, container headers are bounded, and gzip blocks are inflated by node's zlib (which stops
 * at the declared size and fails cleanly on damage).
 */

export class CorruptCramError extends Error {}

/** Largest uncompressed block accepted: htslib writes slices of ~10,000 reads, a few MB each. */
const MAX_BLOCK_BYTES = 1 << 30;
/** Largest landmark (slice) count in one container; htslib writes one to a few. */
const MAX_LANDMARKS = 1 << 16;

/** ITF8 (CRAM spec §2.3): value and byte length; throws past the end. */
export function readItf8(b: Uint8Array, at: number): [number, number] {
  if (at >= b.length) throw new CorruptCramError('integer runs past the end of the data');
  const b0 = b[at];
  const need = b0 < 0x80 ? 1 : b0 < 0xc0 ? 2 : b0 < 0xe0 ? 3 : b0 < 0xf0 ? 4 : 5;
  if (at + need > b.length) throw new CorruptCramError('integer runs past the end of the data');
  if (need === 1) return [b0, 1];
  if (need === 2) return [((b0 & 0x3f) << 8) | b[at + 1], 2];
  if (need === 3) return [((b0 & 0x1f) << 16) | (b[at + 1] << 8) | b[at + 2], 3];
  if (need === 4) return [((b0 & 0x0f) << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3], 4];
  return [((b0 & 0x0f) << 28) | (b[at + 1] << 20) | (b[at + 2] << 12) | (b[at + 3] << 4) | (b[at + 4] & 0x0f) | 0, 5];
}

/** LTF8 (CRAM spec §2.3): byte length only (the value is not needed here). */
function ltf8Length(b: Uint8Array, at: number): number {
  if (at >= b.length) throw new CorruptCramError('integer runs past the end of the data');
  let n = 1;
  for (let mask = 0x80; n < 9 && (b[at] & mask) !== 0; mask >>= 1) n++;
  if (at + n > b.length) throw new CorruptCramError('integer runs past the end of the data');
  return n;
}

/** A container header (CRAM spec §7) bounded by the file: length, slice landmarks. */
export function checkContainerHeader(handle: CramFileHandle, pos: number, major: number): void {
  const b = handle.readSync(64, pos);
  if (b.length < 4) throw new CorruptCramError(`container at byte ${pos} lies past the end of the file`);
  const length = new DataView(b.buffer, b.byteOffset).getInt32(0, true);
  let at = 4;
  for (let i = 0; i < 4; i++) at += readItf8(b, at)[1]; // reference id, start, span, records
  at += major >= 3 ? ltf8Length(b, at) : readItf8(b, at)[1]; // record counter
  if (major >= 2) at += ltf8Length(b, at); // bases
  at += readItf8(b, at)[1]; // blocks
  const [landmarks] = readItf8(b, at);
  if (length < 0 || pos + length > handle.size)
    throw new CorruptCramError(`container at byte ${pos} claims ${length} bytes, past the end of the file`);
  if (landmarks < 0 || landmarks > MAX_LANDMARKS) throw new CorruptCramError(`container at byte ${pos} claims ${landmarks} slices`);
}

/** A block (CRAM spec §8) bounded by the file, its sizes plausible and (CRAM 3) its CRC32 right. */
export function checkBlock(handle: CramFileHandle, pos: number, major: number): void {
  const head = handle.readSync(32, pos);
  if (head.length < 5) throw new CorruptCramError(`block at byte ${pos} lies past the end of the file`);
  if (head[0] > 8) throw new CorruptCramError(`block at byte ${pos} has unknown compression method ${head[0]}`);
  if (head[1] > 5) throw new CorruptCramError(`block at byte ${pos} has unknown content type ${head[1]}`);
  let at = 2;
  at += readItf8(head, at)[1]; // content id
  const [compressed, n1] = readItf8(head, at);
  at += n1;
  const [uncompressed, n2] = readItf8(head, at);
  at += n2;
  const crcBytes = major >= 3 ? 4 : 0;
  if (compressed < 0 || pos + at + compressed + crcBytes > handle.size)
    throw new CorruptCramError(`block at byte ${pos} claims ${compressed} bytes, past the end of the file`);
  if (uncompressed < 0 || uncompressed > MAX_BLOCK_BYTES)
    throw new CorruptCramError(`block at byte ${pos} claims ${uncompressed} bytes uncompressed`);
  if (major < 3) return;
  const whole = handle.readSync(at + compressed + 4, pos);
  const recorded = new DataView(whole.buffer, whole.byteOffset).getUint32(at + compressed, true);
  if (crc32(whole.subarray(0, at + compressed)) >>> 0 !== recorded)
    throw new CorruptCramError(`block at byte ${pos} fails its CRC32 check`);
}

type Decompress = (method: string, input: Uint8Array, size: number) => Promise<Uint8Array>;

/** Installs the checks on one CramFile reading through `handle`. */
export function guardCramFile(cram: CramFile, handle: CramFileHandle, major: number): void {
  const file = cram as unknown as {
    readBlock(position: number): Promise<unknown>;
    readBlockFromBuffer(buffer: Uint8Array, offset: number, filePosition: number): Promise<unknown>;
    _uncompressPre: Decompress;
  };
  const readBlock = file.readBlock.bind(cram);
  const readBlockFromBuffer = file.readBlockFromBuffer.bind(cram);
  const uncompressPre = file._uncompressPre.bind(cram) as Decompress;
  file.readBlock = async (position) => {
    checkBlock(handle, position, major);
    return readBlock(position);
  };
  file.readBlockFromBuffer = async (buffer, offset, filePosition) => {
    checkBlock(handle, filePosition, major);
    return readBlockFromBuffer(buffer, offset, filePosition);
  };
  file._uncompressPre = async (method, input, size) => {
    if (method !== 'gzip') return uncompressPre(method, input, size);
    try {
      const out = unzipSync(input, { maxOutputLength: Math.max(size, 1) });
      return new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
    } catch (e) {
      throw new CorruptCramError(`a gzip block does not inflate (${(e as Error).message})`);
    }
  };
}
