import { closeSync, openSync, readSync } from 'node:fs';
import { bamStream, isBamStream } from '../io/bam-header.js';
import { BgzfFile, inflateBlock } from '../io/bgzf-reader.js';
import { WasmKernel, KernelStatus, type KernelSettings, type PieceEnd, type RecordRef } from './kernel.js';
import { kernelError } from './kernel-errors.js';
import type { Piece } from './pieces.js';
import type { SiteSpec } from './site-model.js';

/**
 * Runs one thread's range of pieces on one kernel: reads each piece's compressed bytes straight
 * into the kernel's memory (or, with the zlib inflater, inflates them with node:zlib and hands
 * the kernel the inflated bytes), and collects what the merge needs. Plain data in and out, so a
 * worker thread can run it.
 */

export type Inflater = 'wasm' | 'zlib';

/** The inflater: the module's own (default) or node's zlib (OLIGOTRACK_INFLATE=zlib, for comparison). */
export function defaultInflater(): Inflater {
  return process.env.OLIGOTRACK_INFLATE === 'zlib' ? 'zlib' : 'wasm';
}

export interface RangeJob {
  bamPath: string;
  indexPath: string | null;
  refNames: string[];
  sorted: SiteSpec[];
  kernel: KernelSettings;
  pieces: Piece[];
  /** Ranges before this one exist: mates may lie there (deferred to the merge). */
  defer: boolean;
  inflater: Inflater;
}

export interface PieceResult extends PieceEnd {
  /** The error that ended the piece (a one-line message), if any. */
  error: string | null;
}

export interface RangeResult {
  pieces: PieceResult[];
  /** Counts per sorted site (KERNEL_FIELDS each). */
  counts: Float64Array;
  /** Boundary rows (deferred, then waiting) for the merge. */
  boundary: Int32Array;
  readsSeen: number;
  readsPassing: number;
  firstOnSiteContig: RecordRef | null;
  observationRows: Int32Array | null;
  umis: string[];
  bytesRead: number;
}

/** Runs the pieces in order; stops at the first piece that ends in an error. */
export function runRange(job: RangeJob, kernel: WasmKernel, configured: boolean, onBytes?: (n: number) => void): RangeResult {
  if (!configured) kernel.configure(job.sorted, job.refNames.length, job.kernel);
  kernel.beginWorker(job.defer);
  const pieces: PieceResult[] = [];
  const rows: Int32Array[] = [];
  const umis: string[] = [];
  let bytesRead = 0;
  const drain = (): void => {
    if (!job.kernel.rows) return;
    const d = kernel.drainRows();
    if (d.umis.length > 0) {
      rows.push(d.rows);
      for (const u of d.umis) umis.push(u);
    }
  };
  const stream = isBamStream(job.bamPath) ? null : openSync(job.bamPath, 'r');
  try {
    for (const piece of job.pieces) {
      kernel.beginPiece(piece.startCoff, piece.skip, piece.limitCoff, piece.limitU, piece.stopRefId, piece.stopPos0, piece.toEnd);
      const n =
        stream === null
          ? feedStream(job.bamPath, kernel, drain)
          : job.inflater === 'zlib'
            ? feedZlib(job, kernel, piece, drain)
            : feedFile(stream, kernel, piece, drain);
      bytesRead += n;
      onBytes?.(n);
      drain();
      const end = kernel.pieceEnd();
      const failed = end.status !== KernelStatus.Limit && end.status !== KernelStatus.Past && end.status !== KernelStatus.End;
      pieces.push({ ...end, error: failed ? kernelError(kernel, job.bamPath, job.indexPath, job.refNames, piece) : null });
      if (failed) break;
    }
  } finally {
    if (stream !== null) closeSync(stream);
  }
  const total = rows.reduce((n, r) => n + r.length, 0);
  const merged = job.kernel.rows ? new Int32Array(total) : null;
  if (merged) {
    let at = 0;
    for (const r of rows) {
      merged.set(r, at);
      at += r.length;
    }
  }
  return {
    pieces,
    counts: kernel.counts(),
    boundary: kernel.boundary(),
    readsSeen: kernel.readsSeen(),
    readsPassing: kernel.readsPassing(),
    firstOnSiteContig: kernel.firstOnSiteContig(),
    observationRows: merged,
    umis,
    bytesRead,
  };
}

/** Handles the statuses that only ask for something (more bytes, drained rows). */
function settle(kernel: WasmKernel, status: KernelStatus, drain: () => void): KernelStatus {
  while (status === KernelStatus.RowsFull) {
    drain();
    status = kernel.resume();
  }
  return status;
}

/** Compressed bytes read from the file into the kernel until the piece ends. Returns bytes read. */
function feedFile(fd: number, kernel: WasmKernel, piece: Piece, drain: () => void): number {
  let pos = piece.startCoff;
  let read = 0;
  // Blocks beyond the limit may still be needed (a record straddling it): read on, in batches.
  for (;;) {
    const room = kernel.compressedRoom();
    const want = Math.min(room.length, Math.max(1 << 16, piece.limitCoff + (2 << 16) - pos));
    const n = want > 0 ? readSync(fd, room, 0, want, pos) : 0;
    if (n === 0) return read + finish(kernel, drain);
    pos += n;
    read += n;
    const status = settle(kernel, kernel.feed(n), drain);
    if (status !== KernelStatus.NeedInput) return read;
  }
}

function finish(kernel: WasmKernel, drain: () => void): number {
  settle(kernel, kernel.finishPiece(), drain);
  return 0;
}

/** The reference inflater: node's zlib per block (CRC32 and ISIZE checked there), bytes handed over. */
function feedZlib(job: RangeJob, kernel: WasmKernel, piece: Piece, drain: () => void): number {
  const file = new BgzfFile(job.bamPath);
  let read = 0;
  try {
    for (const b of file.rawBlocksFrom(piece.startCoff)) {
      read += b.csize;
      const data = inflateBlock(b.buf, b.pos, b.csize, job.bamPath, b.offset);
      const area = kernel.inflatedArea(data.length);
      if (area.length < data.length) break; // a record over the size limit: the status says so
      area.set(data);
      const status = settle(kernel, kernel.scanInflated(data.length, b.offset), drain);
      if (status !== KernelStatus.NeedInput) return read;
    }
  } finally {
    file.close();
  }
  finish(kernel, drain);
  return read;
}

/** Standard input or a FIFO: the stream after its header (read by readBamHeader), inflated by node's zlib. */
function feedStream(bamPath: string, kernel: WasmKernel, drain: () => void): number {
  const s = bamStream(bamPath)!;
  let read = 0;
  const give = (data: Uint8Array, coff: number): KernelStatus => {
    if (data.length === 0) return KernelStatus.NeedInput;
    const area = kernel.inflatedArea(data.length);
    if (area.length < data.length) return kernel.status;
    area.set(data);
    return settle(kernel, kernel.scanInflated(data.length, coff), drain);
  };
  // The bytes inflated with the header have no block of their own for messages: offset -1.
  if (give(s.leftover, -1) !== KernelStatus.NeedInput) return read;
  for (;;) {
    const next = s.blocks.next();
    if (next.done) break;
    read += next.value.csize;
    if (give(next.value.data, next.value.offset) !== KernelStatus.NeedInput) return read;
  }
  finish(kernel, drain);
  return read;
}
