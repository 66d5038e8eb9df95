import type { SiteSpec } from './site-model.js';

/**
 * What the segment driver (scan-group.ts) needs from a record scanner. Two implementations with
 * identical output: the WASM kernel (kernel.ts, native/) and the plain-TS oracle (oracle.ts).
 *
 * Observation rows are 10 × int32 (see native/scan.ts for the layout); ROW_* give the fields.
 */
export const ROW_INTS = 10;
export const ROW_SITE = 0;
export const ROW_CODE = 1; // allele | marks << 8 | qual << 16
export const ROW_FLAG = 2;
export const ROW_READ_START = 3;
export const ROW_MATE_START = 4;
export const ROW_FRAG_LEN = 5;
export const ROW_HASH_HI = 6;
export const ROW_HASH_LO = 7;
export const ROW_RECORD_OFFSET = 8;
export const ROW_MATE_SAME_CONTIG = 9;

export const MARK_DEL = 1;
export const MARK_INS = 2;

export const enum ScanStatus {
  NeedMore = 0,
  Limit = 1,
  Past = 2,
  Unsorted = 3,
  Malformed = 4,
  OutFull = 5,
}

export interface ScanFilters {
  excludeFlags: number;
  minMapq: number;
}

export interface Scanner {
  /** Sites sorted as the scan walks them; the scanner emits rows only for sorted[lo, hi). */
  configure(sorted: SiteSpec[], ownedLo: number, ownedHi: number, filters: ScanFilters, nRef: number): void;
  /** Before the first segment of a group. */
  reset(): void;
  /** Reads starting after (refId, pos0) cannot reach the current segment's sites. */
  /** toEnd: never stop early (sequential passes check every record to the end of the file). */
  setStop(refId: number, pos0: number, toEnd: boolean): void;
  /** Input area holding at least `capacity` bytes; bytes already written below `keep` are preserved. */
  input(capacity: number, keep: number): Uint8Array;
  /** Scans input [0, length); records starting at or after `limit` are not processed. Returns bytes consumed. */
  scan(length: number, limit: number): number;
  readonly status: ScanStatus;
  /** Rows written by the last scan (a view valid until the next call). */
  rows(): Int32Array;
  readonly errorOffset: number;
  /** Malformed: the RecordProblem code (src/count/record-check.ts). */
  readonly errorReason: number;
  /** Offset (in the last scan's input) of the first record on a contig with sites ahead, or -1. */
  readonly firstOnSiteContig: number;
  readonly readsSeen: number;
  readonly readsPassing: number;
}
