import { UserError } from '../util/errors.js';
import { describeVoffset } from './kernel-errors.js';
import { KernelStatus, type RecordRef, type WasmKernel } from './kernel.js';
import type { RangeResult } from './piece-runner.js';
import type { Piece, Range } from './pieces.js';

/**
 * Joins the ranges' results, in file order, into what one thread reading everything would have
 * found — exactly, for every thread count:
 *
 * - A cut piece (a segment cut at a BGZF block) must start where the previous range's last piece
 *   stopped (the next record's virtual offset). If it does not (the record straddling the cut
 *   spans several blocks, or the first-record search was fooled), the range is counted again
 *   from the right offset.
 * - If that previous piece stopped because reads passed the segment's last site, one thread
 *   would not have read the rest of the segment: the cut piece is dropped (it counted nothing,
 *   its first read being past the stop too; if it did count or failed, the range is counted
 *   again without it).
 * - Sort order across pieces: each piece's first record against the previous piece's last.
 * - The first error in file order is the one reported.
 * - Mates split by a range boundary: each range hands over the rows whose mate may lie in an
 *   earlier range ("deferred") and the rows still waiting at its end; the merge pairs them in
 *   range order (native/tally.ts mergeBoundary), then counts the rest alone.
 */

/** What the last merge did at cuts (for tests: every path must be exercised). */
export const lastMerge = { cuts: 0, verified: 0, recounted: 0, dropped: 0 };

export interface Merged {
  counts: Float64Array;
  readsSeen: number;
  readsPassing: number;
  firstOnSiteContig: RecordRef | null;
  observationRows: Int32Array | null;
  umis: string[];
  bytesRead: number;
}

function order(ref: number): number {
  return ref < 0 ? Number.POSITIVE_INFINITY : ref;
}

function outOfOrder(a: RecordRef, b: RecordRef): boolean {
  const oa = order(a.refId);
  const ob = order(b.refId);
  return ob < oa || (ob === oa && b.refId >= 0 && b.pos0 < a.pos0);
}

export function mergeRanges(
  bamPath: string,
  refNames: string[],
  ranges: Range[],
  results: RangeResult[],
  merger: WasmKernel,
  rerun: (range: number, pieces: Piece[]) => RangeResult,
): Merged {
  merger.beginWorker(false);
  Object.assign(lastMerge, { cuts: 0, verified: 0, recounted: 0, dropped: 0 });
  let prevLast: RecordRef | null = null;
  let counts: Float64Array | null = null;
  let readsSeen = 0;
  let readsPassing = 0;
  let firstOnSiteContig: RecordRef | null = null;
  const rows: Int32Array[] = [];
  const umis: string[] = [];
  let bytesRead = 0;
  let lastPiece = null as { piece: Piece; result: RangeResult['pieces'][number] } | null;
  for (let k = 0; k < ranges.length; k++) {
    let pieces = ranges[k].pieces;
    let res = results[k];
    let dropFirst = false;
    const first = pieces[0];
    if (k > 0 && first && first.skip === -1 && lastPiece && lastPiece.piece.segment === first.segment) {
      const prev = lastPiece.result;
      lastMerge.cuts++;
      if (prev.status !== KernelStatus.Limit || !prev.end) {
        // One thread would have stopped the segment before the cut.
        const p0 = res.pieces[0];
        lastMerge.dropped++;
        if (p0 && (p0.contributed || p0.error !== null)) {
          pieces = pieces.slice(1);
          res = rerun(k, pieces);
          lastMerge.recounted++;
        } else {
          dropFirst = true;
        }
      } else {
        const p0 = res.pieces[0];
        const found = p0 && p0.status !== KernelStatus.ResyncFailed ? { coff: first.startCoff, u: p0.startU } : null;
        if (!found || found.coff * 65536 + found.u !== prev.end.coff * 65536 + prev.end.u) {
          pieces = [{ ...first, startCoff: prev.end.coff, skip: prev.end.u }, ...pieces.slice(1)];
          res = rerun(k, pieces);
          lastMerge.recounted++;
        } else {
          lastMerge.verified++;
        }
      }
    }
    for (let i = 0; i < res.pieces.length; i++) {
      const pr = res.pieces[i];
      if (i === 0 && dropFirst) continue;
      if (pr.first && prevLast && outOfOrder(prevLast, pr.first)) {
        const at = pr.first.refId < 0 ? 'unplaced (refID -1)' : `at ${refNames[pr.first.refId] ?? pr.first.refId}:${pr.first.pos0 + 1}`;
        throw new UserError(
          `${bamPath}: BAM is not sorted by coordinate: read ${pr.first.name} ${at} (${describeVoffset(pr.first.coff, pr.first.u)}) comes after a later position (sort it with samtools sort)`,
        );
      }
      if (pr.error !== null) throw new UserError(pr.error);
      if (pr.last) prevLast = pr.last;
      lastPiece = { piece: pieces[i], result: pr };
    }
    if (!counts) counts = res.counts.slice();
    else for (let i = 0; i < counts.length; i++) counts[i] += res.counts[i];
    readsSeen += res.readsSeen;
    readsPassing += res.readsPassing;
    firstOnSiteContig ??= res.firstOnSiteContig;
    if (res.observationRows) {
      rows.push(res.observationRows);
      for (const u of res.umis) umis.push(u);
    }
    bytesRead += res.bytesRead;
    merger.mergeBoundary(res.boundary);
  }
  merger.flushWaiting();
  const extra = merger.counts();
  if (!counts) counts = extra;
  else for (let i = 0; i < counts.length; i++) counts[i] += extra[i];
  let observationRows: Int32Array | null = null;
  if (results.some((r) => r.observationRows)) {
    observationRows = new Int32Array(rows.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const r of rows) {
      observationRows.set(r, at);
      at += r.length;
    }
  }
  return { counts, readsSeen, readsPassing, firstOnSiteContig, observationRows, umis, bytesRead };
}
