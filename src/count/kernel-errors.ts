import { closeSync, openSync, readSync } from 'node:fs';
import { isBamStream } from '../io/bam-header.js';
import { notBamHint } from '../io/bgzf-reader.js';
import { describeProblem } from './record-check.js';
import { BgzfProblem, KernelStatus, type WasmKernel } from './kernel.js';
import type { Piece } from './pieces.js';

/**
 * The one-line message for a kernel status that ends a piece in an error: it names the file, the
 * BGZF block (by file offset) or the record (by virtual offset), and what is wrong.
 */

const INFLATE_REASONS = [
  '',
  'invalid block type',
  'stored block length does not match its complement',
  'invalid code lengths in a dynamic block header',
  'invalid Huffman code',
  'invalid symbol',
  'match distance before the start of the block',
  'more data than ISIZE',
  'data ends before the final block',
  'less data than ISIZE',
];

/** "virtual offset V (BGZF block at byte C, offset U)", or a position in standard input. */
export function describeVoffset(coff: number, u: number): string {
  if (coff < 0) return `${u} bytes into the records after the header of the streamed BAM`;
  return `virtual offset ${coff * 65536 + u} (BGZF block at byte ${coff}, offset ${u})`;
}

function firstBytes(path: string): Uint8Array {
  if (isBamStream(path)) return new Uint8Array(0); // a pipe: its bytes are gone
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4);
    const n = readSync(fd, b, 0, 4, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function kernelError(kernel: WasmKernel, bam: string, indexPath: string | null, refNames: string[], piece: Piece): string {
  const e = kernel.error();
  const status = kernel.status;
  const atPieceStart = e.coff === piece.startCoff && piece.skip >= 0 && !piece.toEnd;
  if (status === KernelStatus.Bgzf) {
    const at = `BGZF block at byte ${e.coff}`;
    switch (e.reason as BgzfProblem) {
      case BgzfProblem.Header:
        if (indexPath && atPieceStart)
          return `${indexPath}: index does not belong to ${bam}: it points to a byte that is not the start of a BGZF block`;
        if (e.detail === 1) return `${bam}: not a BGZF block at byte ${e.coff} (gzip member without BC field)`;
        return `${bam}: not a BGZF block at byte ${e.coff} (bad gzip/BGZF header)${e.coff === 0 ? notBamHint(firstBytes(bam), 0, bam) : ''}`;
      case BgzfProblem.IsizeLarge:
        return `${bam}: ${at} claims ${e.value} inflated bytes, more than the 65536 a BGZF block can hold`;
      case BgzfProblem.Inflate:
        return `${bam}: ${at} does not inflate (${INFLATE_REASONS[e.detail] ?? 'corrupt deflate data'})`;
      case BgzfProblem.Crc:
        return `${bam}: ${at} fails its CRC32 check (corrupt data)`;
      case BgzfProblem.Size:
        if (e.detail < 0) return `${bam}: ${at} inflates to more than the ${e.value} bytes its ISIZE says`;
        return `${bam}: ${at} inflates to ${e.detail} bytes, its ISIZE says ${e.value}`;
      case BgzfProblem.SkipPast:
        return `${indexPath ?? bam}: index does not belong to ${bam}: it points to offset ${e.detail} of the block at byte ${e.coff}, which holds fewer bytes`;
      default:
        return `${bam}: ${at} is corrupt`;
    }
  }
  if (status === KernelStatus.Malformed) {
    const bytes = kernel.bufferAt(e.pos, 64 * 1024);
    const what = describeProblem(e.reason, bytes, 0, refNames.length);
    // The first record of an indexed piece: the index may point into another BAM.
    const hint =
      indexPath && !piece.toEnd && piece.skip >= 0 && kernel.pieceEnd().first === null ? ` (is ${indexPath} the index of this BAM?)` : '';
    return `${bam}: corrupt BAM record at ${describeVoffset(e.coff, e.u)}: ${what}${hint}`;
  }
  if (status === KernelStatus.Unsorted) {
    const ref = e.detail;
    const pos0 = new DataView(kernel.bufferAt(e.pos, 12).slice().buffer).getInt32(8, true);
    const at = ref < 0 ? 'unplaced (refID -1)' : `at ${refNames[ref] ?? ref}:${pos0 + 1}`;
    return `${bam}: BAM is not sorted by coordinate: read ${kernel.unsortedName()} ${at} (${describeVoffset(e.coff, e.u)}) comes after a later position (sort it with samtools sort)`;
  }
  if (status === KernelStatus.Truncated) {
    if (e.reason === 1) return `${bam}: truncated BAM: BGZF block at byte ${e.coff} is cut off at end of file`;
    if (e.reason === 3) return `${bam}: truncated BAM: the file ends inside its header`;
    return `${bam}: truncated BAM: the file ends inside a record`;
  }
  if (status === KernelStatus.Header) return `${bam}: corrupt BAM header`;
  if (status === KernelStatus.ResyncFailed) return `${bam}: no record starts in the BGZF block at byte ${piece.startCoff}`;
  return `${bam}: the scan stopped unexpectedly (status ${status})`;
}
