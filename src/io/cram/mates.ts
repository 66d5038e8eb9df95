import type { CramRecord } from '@gmod/cram';

/**
 * Mate fields of the records of one slice, as htslib derives them when it decodes a CRAM
 * (cram_decode_slice_xref in htslib's cram/cram_decode.c), so that a record's RNEXT, PNEXT, TLEN
 * and mate flags equal what `samtools view -b` of the same CRAM writes.
 *
 * CRAM stores a mate in one of two ways (CRAM 3.1 spec §10.4): "detached" (mate reference, position
 * and TLEN stored with the record) or "mate downstream" (the record points at a later record of the
 * same slice and the TLEN is recomputed on decoding). @gmod/cram resolves the downstream pointers
 * into `mate.uniqueId` but estimates TLEN from read lengths; htslib uses the aligned ends:
 * TLEN = rightmost end − leftmost start + 1 over all segments of the template, positive for the
 * leftmost segment (READ1 wins a tie), negative for the others, 0 when a segment is unmapped or the
 * segments lie on different references.
 */

export interface MateFields {
  flags: number;
  /** -1 when there is no mate reference. */
  mateRefId: number;
  /** 1-based mate position, 0 when none. */
  matePos1: number;
  tlen: number;
  /** The read name, or a name shared by the segments of one template when the CRAM dropped names. */
  name: string;
}

const CF_DETACHED = 0x2;
const CF_MATE_DOWNSTREAM = 0x4;
const MF_REVERSE = 0x1;
const MF_UNMAPPED = 0x2;
const PAIRED = 0x1;
const UNMAPPED = 0x4;
const MATE_UNMAPPED = 0x8;
const REVERSE = 0x10;
const MATE_REVERSE = 0x20;
const READ1 = 0x40;

export class CorruptMatesError extends Error {}

/**
 * `alignedEnd1[i]`: 1-based last reference base of record i (its start for unmapped records).
 * Throws CorruptMatesError when a downstream pointer leaves the slice or points backwards.
 */
export function resolveMates(records: readonly CramRecord[], alignedEnd1: ArrayLike<number>): MateFields[] {
  const n = records.length;
  const base = n > 0 ? records[0].uniqueId : 0;
  // mateLine[i]: the next segment of i's template in this slice (htslib's mate_line), -1 if none.
  const mateLine = new Int32Array(n).fill(-1);
  const isTarget = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if ((r.cramFlags & CF_DETACHED) !== 0 || (r.cramFlags & CF_MATE_DOWNSTREAM) === 0) continue;
    const target = r.mate?.uniqueId === undefined ? -1 : r.mate.uniqueId - base;
    if (!(target > i && target < n) || isTarget[target])
      throw new CorruptMatesError(`record ${i + 1} of a slice points to an impossible mate`);
    mateLine[i] = target;
    isTarget[target] = 1;
  }
  // Each chain i → … → last: TLEN for all its segments; the last segment's mate is the first.
  const tlen = new Float64Array(n);
  const mateOf = Int32Array.from(mateLine);
  const firstOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (mateLine[i] < 0 || isTarget[i]) continue;
    const chain = [i];
    for (let k = mateLine[i]; k >= 0; k = mateLine[k]) chain.push(k);
    templateLength(records, alignedEnd1, chain, tlen);
    mateOf[chain[chain.length - 1]] = i;
    for (const k of chain) firstOf[k] = i;
  }
  const out: MateFields[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = records[i];
    let flags = r.flags;
    let mateRefId = -1;
    let matePos1 = 0;
    let len = 0;
    if (mateOf[i] >= 0) {
      const m = records[mateOf[i]];
      matePos1 = m.alignmentStart;
      mateRefId = m.sequenceId;
      flags |= PAIRED;
      len = tlen[i];
      if (m.flags & UNMAPPED) {
        flags |= MATE_UNMAPPED;
        len = 0;
      }
      if (flags & UNMAPPED) len = 0;
      if (m.flags & REVERSE) flags |= MATE_REVERSE;
    } else if ((r.cramFlags & CF_DETACHED) !== 0) {
      const mf = r.mate?.flags ?? 0;
      if (mf & MF_REVERSE) flags |= PAIRED | MATE_REVERSE;
      if (mf & MF_UNMAPPED) flags |= MATE_UNMAPPED;
      mateRefId = flags & PAIRED ? (r.mate?.sequenceId ?? -1) : -1;
      matePos1 = r.mate?.alignmentStart ?? 0;
      len = r.templateSize ?? 0;
    }
    out[i] = { flags, mateRefId, matePos1, tlen: len, name: readName(records, i, firstOf[i]) };
  }
  return out;
}

/**
 * TLEN of one template (records in `chain`, first to last): ±(rightmost end − leftmost start + 1),
 * positive for the leftmost segment (READ1 breaks a tie), 0 when the segments lie on different
 * references.
 */
function templateLength(records: readonly CramRecord[], end1: ArrayLike<number>, chain: readonly number[], tlen: Float64Array): void {
  let left = records[chain[0]].alignmentStart;
  let right = end1[chain[0]];
  let leftCount = 0;
  let sameRef = true;
  for (const k of chain) {
    const start = records[k].alignmentStart;
    if (left > start) {
      left = start;
      leftCount = 1;
    } else if (left === start) leftCount++;
    if (right < end1[k]) right = end1[k];
    if (records[k].sequenceId !== records[chain[0]].sequenceId) sameRef = false;
  }
  const len = right - left + 1;
  for (const k of chain) {
    if (!sameRef) tlen[k] = 0;
    else if (records[k].alignmentStart === left && (leftCount === 1 || (records[k].flags & READ1) !== 0)) tlen[k] = len;
    else tlen[k] = -len;
  }
}

/** The stored read name; when the CRAM kept none, the segments of a template share their first's number. */
function readName(records: readonly CramRecord[], i: number, first: number): string {
  const r = records[i];
  const stored = r._syntheticReadName === undefined ? r.readName : undefined;
  if (stored !== undefined && stored !== '') return stored;
  return String(records[first >= 0 ? first : i].uniqueId);
}
