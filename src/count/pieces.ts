import { closeSync, openSync, readSync } from 'node:fs';
import { coffsetOf, uoffsetOf, type BamIndex } from '../io/bam-index.js';
import { isBgzfHeader } from '../io/bgzf-reader.js';
import { planIndexed } from './plan.js';
import type { SiteSpec } from './site-model.js';

/**
 * What each thread reads: pieces of the BAM in file order, cut into one contiguous range per
 * thread by compressed bytes.
 *
 * A piece is a merged index segment (plan.ts), or with no index the whole file after its header
 * (read to the end, every record checked). With `--threads N` the pieces are cut into N ranges of
 * about equal compressed size: at a segment boundary when one is close to the even split (within
 * SPLIT_SLACK of the total), otherwise inside a segment at a BGZF block boundary. A piece cut
 * at a block starts at the first record found in that block (the kernel's resync) and the
 * previous range reads on into the block until the record that straddles the cut is complete;
 * the merge (merge.ts) checks that the two agree, and re-runs the later range from the exact
 * offset when they do not, so a cut can never change a count.
 */

export interface Piece {
  /** Segment (index order) the piece belongs to: a cut segment has two or more pieces. */
  segment: number;
  /** File offset of the piece's first BGZF block. */
  startCoff: number;
  /** Bytes of that block before the first record; -1: find it (cut piece); -2: skip the BAM header. */
  skip: number;
  /** Records starting at or after (limitCoff, limitU) are not this piece's. */
  limitCoff: number;
  limitU: number;
  /** Reads starting after (stopRefId, stopPos0) reach none of the segment's sites. */
  stopRefId: number;
  stopPos0: number;
  /** Read to the end of the data (sequential passes), never stopping after the last site. */
  toEnd: boolean;
}

export interface Range {
  pieces: Piece[];
  /** Compressed bytes planned (progress). */
  bytes: number;
}

/** No limit (beyond any file offset, exact as a double). */
export const NO_LIMIT = 2 ** 52;

/** A segment boundary this close to an even split (as a share of the total bytes) is used as the cut. */
const SPLIT_SLACK = 0.03;

/**
 * The first range runs on this thread, which starts at once; worker threads start ~60 ms later
 * (a new V8 isolate and its modules, measured on the 2-core development machine) against ~600 ms
 * of work each on the benchmark BAM with 2 threads. The first range gets this much more.
 */
const FIRST_RANGE_WEIGHT = 1.1;

function pieceBytes(p: Piece, fileSize: number): number {
  const end = p.limitCoff >= NO_LIMIT ? fileSize : p.limitCoff + (p.limitU > 0 ? 65536 : 0);
  return Math.max(0, end - p.startCoff);
}

/** Pieces for an indexed BAM: one per merged segment. */
export function indexedPieces(sorted: SiteSpec[], index: BamIndex): Piece[] {
  const group = planIndexed(sorted, index, 1)[0];
  if (!group?.segments) return [];
  return group.segments.map((seg, segment) => ({
    segment,
    startCoff: coffsetOf(seg.beg),
    skip: uoffsetOf(seg.beg),
    limitCoff: coffsetOf(seg.end),
    limitU: uoffsetOf(seg.end),
    stopRefId: seg.stopRefId,
    stopPos0: seg.stopPos0,
    toEnd: false,
  }));
}

/** The sequential pass: the whole file, header skipped, every record read. */
export function sequentialPieces(): Piece[] {
  return [{ segment: 0, startCoff: 0, skip: -2, limitCoff: NO_LIMIT, limitU: 0, stopRefId: 0x7fffffff, stopPos0: 0x7fffffff, toEnd: true }];
}

/**
 * Cuts pieces into `threads` ranges of about equal compressed bytes. `findBlock(offset)` gives
 * the start of a BGZF block at or after a file offset (or null), for cuts inside a piece.
 */
export function splitRanges(
  pieces: Piece[],
  threads: number,
  fileSize: number,
  findBlock: (offset: number, before: number) => number | null,
): Range[] {
  const sizes = pieces.map((p) => pieceBytes(p, fileSize));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (threads <= 1 || pieces.length === 0 || total === 0) return [{ pieces, bytes: total }];
  const ranges: Range[] = [];
  const weights = Array.from({ length: threads }, (_, k) => (k === 0 ? FIRST_RANGE_WEIGHT : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const targetAfter = (k: number): number => (total * weights.slice(0, k + 1).reduce((a, b) => a + b, 0)) / weightSum;
  let current: Piece[] = [];
  let done = 0; // bytes in ranges already closed
  let inCurrent = 0;
  const queue = pieces.map((p, i) => ({ p, size: sizes[i] }));
  while (queue.length > 0 && ranges.length < threads - 1) {
    const target = targetAfter(ranges.length);
    const { p, size } = queue[0];
    const before = done + inCurrent;
    if (before + size <= target) {
      current.push(p);
      inCurrent += size;
      queue.shift();
      continue;
    }
    // The split falls inside this piece: at its start or end if close enough, else cut it.
    const slack = total * SPLIT_SLACK;
    if (target - before <= slack && current.length > 0) {
      ranges.push({ pieces: current, bytes: inCurrent });
      done += inCurrent;
      current = [];
      inCurrent = 0;
      continue;
    }
    if (before + size - target <= slack) {
      current.push(p);
      inCurrent += size;
      queue.shift();
      ranges.push({ pieces: current, bytes: inCurrent });
      done += inCurrent;
      current = [];
      inCurrent = 0;
      continue;
    }
    const pieceEnd = p.limitCoff >= NO_LIMIT ? fileSize : p.limitCoff;
    const cut = findBlock(p.startCoff + Math.max(1, Math.round(target - before)), pieceEnd);
    if (cut === null || cut <= p.startCoff || cut >= pieceEnd) {
      // No block boundary to cut at (a short piece): the whole piece goes to this range.
      current.push(p);
      inCurrent += size;
      queue.shift();
      ranges.push({ pieces: current, bytes: inCurrent });
      done += inCurrent;
      current = [];
      inCurrent = 0;
      continue;
    }
    const head: Piece = { ...p, limitCoff: cut, limitU: 0 };
    const tail: Piece = { ...p, startCoff: cut, skip: -1 };
    current.push(head);
    inCurrent += cut - p.startCoff;
    ranges.push({ pieces: current, bytes: inCurrent });
    done += inCurrent;
    current = [];
    inCurrent = 0;
    queue[0] = { p: tail, size: pieceBytes(tail, fileSize) };
  }
  for (const q of queue) {
    current.push(q.p);
    inCurrent += q.size;
  }
  if (current.length > 0) ranges.push({ pieces: current, bytes: inCurrent });
  return ranges;
}

/**
 * The first BGZF block that starts at or after `offset` and before `before`, found by its
 * header: gzip magic, FEXTRA, XLEN 6 with the BC subfield, and the next block's header right
 * after it (or the end of the file). A false match inside compressed data would need ~140 bits
 * to agree by chance; and the merge verifies every cut anyway (see the top of this file).
 */
export function blockFinder(path: string, fileSize: number): (offset: number, before: number) => number | null {
  return (offset, before) => {
    const fd = openSync(path, 'r');
    try {
      const window = Buffer.alloc(256 << 10);
      for (let at = offset; at < before; at += window.length - 65536 - 18) {
        const n = readSync(fd, window, 0, window.length, at);
        for (let i = 0; i + 18 <= n && at + i < before; i++) {
          if (!isBgzfHeader(window, i)) continue;
          const size = window.readUInt16LE(i + 16) + 1;
          const next = at + i + size;
          if (next === fileSize) return at + i;
          if (i + size + 18 <= n) {
            if (isBgzfHeader(window, i + size)) return at + i;
            continue;
          }
          const head = Buffer.alloc(18);
          if (readSync(fd, head, 0, 18, next) === 18 && isBgzfHeader(head, 0)) return at + i;
        }
        if (n < window.length) break;
      }
      return null;
    } finally {
      closeSync(fd);
    }
  };
}
