import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SITE_KIND_CODE, type SiteSpec } from './site-model.js';
import { ROW_INTS } from './scanner.js';
import type { CountSettings } from './types.js';

/**
 * The counting kernel (native/scan.ts) as seen from TypeScript: one WebAssembly instance, one
 * linear memory, per thread. This file only moves bytes and numbers in and out; the rules live
 * in the module.
 *
 * Two ways in:
 * - compressed BGZF bytes, read straight into the module's memory (compressedRoom + feed): the
 *   module inflates, checks CRC32 and ISIZE, and scans, one call per batch;
 * - already-inflated BAM record bytes (inflatedArea + scanInflated): what node's zlib produces
 *   (the reference inflater, OLIGOTRACK_INFLATE=zlib) and what a CRAM decoder produces once it
 *   encodes its records as BAM records (block_size through the aux fields, SAM spec §4.2). Such
 *   bytes need no BGZF framing; `coff` is then any running position used in messages.
 */

// The WebAssembly global is not in tsconfig's ES2022 lib (no DOM types): the part used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  configure(
    refs: number,
    sites: number,
    seqBytes: number,
    exclude: number,
    mapq: number,
    baseq: number,
    fragment: number,
    rowsOut: number,
    umi: number,
    compBytes: number,
    bufBytes: number,
  ): void;
  sitesAt(): number;
  seqAt(): number;
  beginWorker(defer: number): void;
  beginPiece(startCoff: number, skip: number, limitCoff: number, limitU: number, stopRef: number, stopPos: number, toEnd: number): void;
  compRoom(): number;
  compPtr(): number;
  compNext(): number;
  feed(n: number): number;
  resume(): number;
  inflatedArea(n: number): number;
  scanInflated(n: number, coff: number): number;
  finishPiece(): number;
  getStatus(): number;
  getError(k: number): number;
  getPiece(k: number): number;
  getWorker(k: number): number;
  namesPtr(): number;
  bufPtr(): number;
  rowsPtr(): number;
  rowsCount(): number;
  umiPtr(): number;
  rowsDrained(): void;
  countsPtr(): number;
  boundaryPtr(): number;
  boundaryRows(): number;
  exportWaiting(): void;
  mergeBoundary(rows: number, n: number): void;
  flushWaiting(): void;
  inflate(inPtr: number, inLen: number, outPtr: number, outLen: number): number;
  crc32(p: number, n: number, crc: number): number;
  crc32Slice8(p: number, n: number, crc: number): number;
  heapBase(): number;
  scratch(bytes: number): number;
}

/** Kernel statuses (native/scan.ts ST_*). */
export const enum KernelStatus {
  NeedInput = 0,
  Limit = 1,
  Past = 2,
  Unsorted = 3,
  Malformed = 4,
  RowsFull = 5,
  Bgzf = 6,
  End = 7,
  Truncated = 8,
  ResyncFailed = 9,
  Header = 10,
}

/** BGZF problems (native/scan.ts BG_*). */
export const enum BgzfProblem {
  Header = 1,
  IsizeLarge = 2,
  Inflate = 3,
  Crc = 4,
  Size = 5,
  SkipPast = 6,
}

/** Counter fields per site, in the module's order (tally.ts COUNTER_FIELDS is the same list). */
export const KERNEL_FIELDS = 13;
/** Boundary rows: 7 ints (kind, site slot, hash hi, hash lo, code, flag, fragment length). */
export const BOUNDARY_INTS = 7;
const KERNEL_ROW_INTS = 12;

let compiled: WasmModule | undefined;

/** The module built by `npm run build:wasm` (native/ → native/build/scan.wasm). */
export function kernelModule(): WasmModule {
  if (!compiled) {
    // Same relative path from src/count/ (tests) and dist/count/ (the CLI).
    const path = fileURLToPath(new URL('../../native/build/scan.wasm', import.meta.url));
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new Error(`WASM kernel not built: ${path} is missing (run npm run build:wasm)`);
    }
    compiled = new WA.Module(bytes);
  }
  return compiled;
}

/** A record the kernel names in a summary: read name, position and virtual offset. */
export interface RecordRef {
  name: string;
  refId: number;
  pos0: number;
  coff: number;
  u: number;
}

/** What a piece ended with. */
export interface PieceEnd {
  status: KernelStatus;
  first: RecordRef | null;
  last: RecordRef | null;
  /** Where the next record starts (Limit / Past). */
  end: { coff: number; u: number } | null;
  /** The first record's offset in the piece's first block (found, for a cut piece). */
  startU: number;
  /** Whether the piece counted anything (a read over a site). */
  contributed: boolean;
}

export interface KernelSettings {
  excludeFlags: number;
  minMapq: number;
  minBaseq: number;
  mates: CountSettings['mates'];
  /** Emit the per-read observation rows, with UMIs from this source (null: no UMI). */
  rows: boolean;
  umiSource: CountSettings['umiSource'] | null;
}

/** One kernel instance (one per thread). */
export class WasmKernel {
  private readonly x: KernelExports;
  private nSites = 0;
  private readonly compBytes: number;
  private readonly bufBytes: number;
  private siteIndex: Int32Array = new Int32Array(0);

  /**
   * `bytes`: the BAM's size when known, so that small files get small buffers (tests count
   * thousands of tiny BAMs); large ones get a 1 MiB read area and a 2 MiB scan buffer.
   */
  constructor(bytes = Number.POSITIVE_INFINITY) {
    this.compBytes = Math.max(1 << 17, Math.min(1 << 20, bytes + 65536));
    this.bufBytes = Math.max(1 << 17, Math.min(2 << 20, 2 * bytes));
    this.x = new WA.Instance(kernelModule(), {}).exports as unknown as KernelExports;
  }

  private u8(): Uint8Array {
    return new Uint8Array(this.x.memory.buffer);
  }

  get exports(): KernelExports {
    return this.x;
  }

  /** Sites sorted as the scan walks them (by refId, start0): counts come back in this order. */
  configure(sorted: SiteSpec[], nRef: number, s: KernelSettings): void {
    const seqBytes = sorted.reduce((n, site) => n + site.ref.length + site.alt.length, 0);
    const umi = !s.umiSource ? -1 : s.umiSource === 'name' ? 0 : s.umiSource.charCodeAt(0) | (s.umiSource.charCodeAt(1) << 8);
    this.x.configure(
      nRef,
      sorted.length,
      seqBytes,
      s.excludeFlags,
      s.minMapq,
      s.minBaseq,
      s.mates === 'fragment' ? 1 : 0,
      s.rows ? 1 : 0,
      s.rows ? umi : -1,
      this.compBytes,
      this.bufBytes,
    );
    this.scratchLen = 0;
    this.nSites = sorted.length;
    this.siteIndex = Int32Array.from(sorted, (site) => site.index);
    const mem = this.u8();
    const table = new Int32Array(this.x.memory.buffer, this.x.sitesAt(), sorted.length * 8);
    let q = this.x.seqAt();
    sorted.forEach((site, i) => {
      const refPtr = q;
      for (let j = 0; j < site.ref.length; j++) mem[q++] = site.ref.charCodeAt(j);
      const altPtr = q;
      for (let j = 0; j < site.alt.length; j++) mem[q++] = site.alt.charCodeAt(j);
      table.set([site.refId, site.start0, SITE_KIND_CODE[site.kind], site.refLen, site.alt.length, refPtr, altPtr, site.index], i * 8);
    });
  }

  beginWorker(defer: boolean): void {
    this.x.beginWorker(defer ? 1 : 0);
  }

  /**
   * A piece: its first block at file offset startCoff; `skip` bytes before its first record (-1:
   * find it, -2: skip the BAM header); records at or after (limitCoff, limitU) are not its own;
   * reads after (stopRef, stopPos) end it unless toEnd.
   */
  beginPiece(startCoff: number, skip: number, limitCoff: number, limitU: number, stopRef: number, stopPos: number, toEnd: boolean): void {
    this.x.beginPiece(startCoff, skip, limitCoff, limitU, stopRef, stopPos, toEnd ? 1 : 0);
  }

  /** Where to write compressed bytes (a view valid until the next kernel call). */
  compressedRoom(): Uint8Array {
    const room = this.x.compRoom();
    return new Uint8Array(this.x.memory.buffer, this.x.compPtr(), room);
  }

  /** File offset of the first compressed byte the kernel still needs. */
  compressedNext(): number {
    return this.x.compNext();
  }

  feed(n: number): KernelStatus {
    return this.x.feed(n) as KernelStatus;
  }

  resume(): KernelStatus {
    return this.x.resume() as KernelStatus;
  }

  /** Where to write n inflated bytes (a view valid until the next kernel call). */
  inflatedArea(n: number): Uint8Array {
    const at = this.x.inflatedArea(n);
    if (at === 0) return new Uint8Array(0); // a record over the size limit: status says so
    return new Uint8Array(this.x.memory.buffer, at, n);
  }

  scanInflated(n: number, coff: number): KernelStatus {
    return this.x.scanInflated(n, coff) as KernelStatus;
  }

  finishPiece(): KernelStatus {
    return this.x.finishPiece() as KernelStatus;
  }

  get status(): KernelStatus {
    return this.x.getStatus() as KernelStatus;
  }

  error(): { reason: number; detail: number; pos: number; coff: number; u: number; value: number } {
    const g = (k: number) => this.x.getError(k);
    return { reason: g(0), detail: g(1), pos: g(2), coff: g(3), u: g(4), value: g(5) };
  }

  /** The scan buffer from `pos` (for describing a malformed record; valid until the next call). */
  bufferAt(pos: number, length: number): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, this.x.bufPtr() + pos, length);
  }

  private name(slot: number): string {
    const at = this.x.namesPtr() + slot * 256;
    const mem = this.u8();
    return Buffer.from(mem.buffer, at + 1, mem[at]).toString('latin1');
  }

  /** Name slot 2: the record an Unsorted status stopped at. */
  unsortedName(): string {
    return this.name(2);
  }

  pieceEnd(): PieceEnd {
    const g = (k: number) => this.x.getPiece(k);
    const status = this.status;
    const first = g(0) === -2 ? null : { refId: g(0), pos0: g(1), coff: g(2), u: g(3), name: this.name(0) };
    const last = g(4) === -2 ? null : { refId: g(4), pos0: g(5), coff: g(6), u: g(7), name: this.name(1) };
    const end = status === KernelStatus.Limit || status === KernelStatus.Past ? { coff: g(8), u: g(9) } : null;
    return { status, first, last, end, startU: g(10), contributed: g(11) === 1 };
  }

  readsSeen(): number {
    return this.x.getWorker(0);
  }
  readsPassing(): number {
    return this.x.getWorker(1);
  }
  /** The first read seen on a contig with sites still ahead (zero-depth warning). */
  firstOnSiteContig(): RecordRef | null {
    const g = (k: number) => this.x.getWorker(k);
    return g(2) === -2 ? null : { refId: g(2), pos0: g(3), coff: g(4), u: g(5), name: this.name(3) };
  }

  /** Counts per site, in sorted order, KERNEL_FIELDS each (a copy). */
  counts(): Float64Array {
    return new Float64Array(this.x.memory.buffer, this.x.countsPtr(), this.nSites * KERNEL_FIELDS).slice();
  }

  /** Moves the mates still waiting into the boundary list and returns the list (a copy). */
  boundary(): Int32Array {
    this.x.exportWaiting();
    return new Int32Array(this.x.memory.buffer, this.x.boundaryPtr(), this.x.boundaryRows() * BOUNDARY_INTS).slice();
  }

  /** Merges boundary rows of consecutive ranges (in range order) into this kernel's counts. */
  mergeBoundary(rows: Int32Array): void {
    if (rows.length === 0) return;
    const at = this.scratch(rows.byteLength);
    new Int32Array(this.x.memory.buffer, at, rows.length).set(rows);
    this.x.mergeBoundary(at, rows.length / BOUNDARY_INTS);
  }

  flushWaiting(): void {
    this.x.flushWaiting();
  }

  private scratchAt = 0;
  private scratchLen = 0;
  private scratch(bytes: number): number {
    if (bytes > this.scratchLen) {
      this.scratchAt = this.x.scratch(bytes);
      this.scratchLen = bytes;
    }
    return this.scratchAt;
  }

  /**
   * Observation rows emitted since the last drain, in the 10-int layout of scanner.ts (the record
   * offset field unused), and their UMIs.
   */
  drainRows(): { rows: Int32Array; umis: string[] } {
    const n = this.x.rowsCount();
    const src = new Int32Array(this.x.memory.buffer, this.x.rowsPtr(), n * KERNEL_ROW_INTS);
    const mem = this.u8();
    const arena = this.x.umiPtr();
    const out = new Int32Array(n * ROW_INTS);
    const umis = new Array<string>(n);
    for (let r = 0; r < n; r++) {
      const s = r * KERNEL_ROW_INTS;
      const d = r * ROW_INTS;
      for (let k = 0; k < 8; k++) out[d + k] = src[s + k];
      out[d + 8] = 0;
      out[d + 9] = src[s + 9];
      umis[r] = Buffer.from(mem.buffer, arena + src[s + 10], src[s + 11]).toString('latin1');
    }
    this.x.rowsDrained();
    return { rows: out, umis };
  }

  /** Input index of each sorted site (counts() order → the caller's sites). */
  get sortedIndex(): Int32Array {
    return this.siteIndex;
  }
}
