import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SITE_KIND_CODE, type SiteSpec } from './site-model.js';
import { ROW_INTS, type ScanFilters, type ScanStatus, type Scanner } from './scanner.js';

// The WebAssembly global is not in tsconfig's ES2022 lib (no DOM types): the part used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface ScanExports {
  memory: WasmMemory;
  heapBase(): number;
  configure(exclude: number, mapq: number, sites: number, n: number, lo: number, hi: number, nRef: number): void;
  resetState(): void;
  setStop(ref: number, pos: number, toEnd: boolean): void;
  scan(inPtr: number, inLen: number, limit: number, outPtr: number, outCap: number): number;
  getStatus(): number;
  getRows(): number;
  getErrorOffset(): number;
  getErrorReason(): number;
  getFirstOnSiteContig(): number;
  getReadsSeen(): number;
  getReadsPassing(): number;
}

let compiled: WasmModule | undefined;

/** The kernel built by `npm run build:wasm` (native/ → native/build/scan.wasm). */
function scanModule(): WasmModule {
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

const PAGE = 65536;
const ROW_BYTES = ROW_INTS * 4;
/** Rows per scan call before the kernel hands back (≈0.65 MB of rows). */
const BASE_ROW_CAPACITY = 16384;

/** The WASM record scanner: one instance (one linear memory) per thread. */
export class WasmScanner implements Scanner {
  private readonly x: ScanExports;
  private outPtr = 0;
  private outCap = 0;
  private inPtr = 0;
  private inCap = 0;
  private rowCount = 0;

  constructor() {
    this.x = new WA.Instance(scanModule(), {}).exports as unknown as ScanExports;
  }

  private ensureBytes(end: number): void {
    const have = this.x.memory.buffer.byteLength;
    if (end > have) this.x.memory.grow(Math.ceil((end - have) / PAGE));
  }

  configure(sorted: SiteSpec[], ownedLo: number, ownedHi: number, filters: ScanFilters, nRef: number): void {
    const base = (this.x.heapBase() + 15) & ~15;
    const seqBytes = sorted.reduce((n, s) => n + s.ref.length + s.alt.length, 0);
    const sitesPtr = base;
    const seqPtr = sitesPtr + sorted.length * 32;
    this.outPtr = (seqPtr + seqBytes + 15) & ~15;
    this.outCap = BASE_ROW_CAPACITY + sorted.length;
    this.inPtr = this.outPtr + this.outCap * ROW_BYTES;
    this.inCap = 0;
    this.ensureBytes(this.inPtr);
    const mem = new Uint8Array(this.x.memory.buffer);
    const ints = new Int32Array(this.x.memory.buffer, sitesPtr, sorted.length * 8);
    let q = seqPtr;
    sorted.forEach((s, i) => {
      const refPtr = q;
      for (let j = 0; j < s.ref.length; j++) mem[q++] = s.ref.charCodeAt(j);
      const altPtr = q;
      for (let j = 0; j < s.alt.length; j++) mem[q++] = s.alt.charCodeAt(j);
      ints.set([s.refId, s.start0, SITE_KIND_CODE[s.kind], s.refLen, s.alt.length, refPtr, altPtr, s.index], i * 8);
    });
    this.x.configure(filters.excludeFlags, filters.minMapq, sitesPtr, sorted.length, ownedLo, ownedHi, nRef);
  }

  reset(): void {
    this.x.resetState();
  }

  setStop(refId: number, pos0: number, toEnd: boolean): void {
    this.x.setStop(refId, pos0, toEnd);
  }

  input(capacity: number, keep: number): Uint8Array {
    if (capacity > this.inCap) {
      // Grow in steps so that a long record does not grow memory block by block.
      this.inCap = Math.max(capacity, this.inCap * 2, 1 << 17);
      this.ensureBytes(this.inPtr + this.inCap);
    }
    void keep; // the input area never moves: growing memory keeps its bytes
    return new Uint8Array(this.x.memory.buffer, this.inPtr, this.inCap);
  }

  scan(length: number, limit: number): number {
    const consumed = this.x.scan(this.inPtr, length, Math.min(limit, 0x7fffffff), this.outPtr, this.outCap);
    this.rowCount = this.x.getRows();
    return consumed;
  }

  get status(): ScanStatus {
    return this.x.getStatus() as ScanStatus;
  }

  rows(): Int32Array {
    return new Int32Array(this.x.memory.buffer, this.outPtr, this.rowCount * ROW_INTS);
  }

  get errorOffset(): number {
    return this.x.getErrorOffset();
  }
  get errorReason(): number {
    return this.x.getErrorReason();
  }
  get firstOnSiteContig(): number {
    return this.x.getFirstOnSiteContig();
  }
  get readsSeen(): number {
    return this.x.getReadsSeen();
  }
  get readsPassing(): number {
    return this.x.getReadsPassing();
  }
}
