/**
 * BAM record checks in plain TypeScript: the oracle's copy of native/record.ts (same rules, same
 * reason codes, checked in the same order), and the one place where a reason code becomes the
 * words of an error message. The rules are at least as strict as htslib's `bam_read1` /
 * `sam_read1` and the aux walk of `sam_format1` (SAM spec §4.2):
 *
 * - block_size ≥ 32 and ≤ 64 MiB (htslib allows 2 GiB; see MAX_RECORD_BYTES);
 * - refID and next_refID in −1 … n_ref−1; pos and next_pos ≥ −1;
 * - l_read_name ≥ 1, read name + CIGAR + SEQ + QUAL within block_size (64-bit sum), the name
 *   NUL-terminated with no NUL inside (htslib repairs a missing NUL; this is an error here);
 * - CIGAR operations 0–8 (MIDNSHP=X) only; H only first or last and S only with nothing but H
 *   between it and an end (SAM spec §1.4.6; htslib does not check this, and its pileup reads a
 *   mid-read clip as no gap at all), operations of length 0 counting as absent (htslib accepts
 *   them); for a mapped read with SEQ, the CIGAR's query length
 *   equals l_seq (a CG:B:I tag replaces a placeholder `<l_seq>S…` CIGAR, as htslib does);
 * - the alignment ends at or before 2^31 − 1;
 * - aux fields: types AcCsSiIfdZHB only, each value inside the record, Z/H NUL-terminated, B
 *   arrays of subtype cCsSiIf whose count (unsigned 32-bit) fits in the bytes left.
 */

export const enum RecordProblem {
  OK = 0,
  BlockSmall = 1,
  BlockLarge = 2,
  RefId = 3,
  NextRefId = 4,
  Pos = 5,
  NameEmpty = 6,
  FieldsLong = 7,
  NameNul = 8,
  CigarOp = 9,
  CigarQlen = 10,
  AuxTruncated = 11,
  AuxType = 12,
  AuxArray = 13,
  End = 14,
  NameChar = 15,
  CigarClip = 16,
}

/** Largest record accepted (the longest real reads stay below 16 MiB). */
export const MAX_RECORD_BYTES = 64 << 20;

const QUERY_OPS = new Set(['M', 'I', 'S', '=', 'X']);
const REF_OPS = new Set(['M', 'D', 'N', '=', 'X']);
const CIGAR_CODES = 'MIDNSHP=X';

/** What the scan needs from a record that passed every check. */
export interface CheckedRecord {
  problem: RecordProblem.OK;
  /** Byte offset (from the record's block_size field) and length of the CIGAR to walk. */
  cigarAt: number;
  nCigar: number;
  /** 0-based exclusive alignment end (pos + 1 when the CIGAR spans no reference). */
  refEnd: number;
}

export type CheckResult = CheckedRecord | { problem: Exclude<RecordProblem, RecordProblem.OK> };

function fail(problem: Exclude<RecordProblem, RecordProblem.OK>): CheckResult {
  return { problem };
}

/** block_size bounds: checkable before the rest of the record has arrived. */
export function blockSizeProblem(blockSize: number): RecordProblem {
  if (blockSize < 32) return RecordProblem.BlockSmall;
  if (blockSize > MAX_RECORD_BYTES) return RecordProblem.BlockLarge;
  return RecordProblem.OK;
}

/** Checks the whole record starting at bytes[off] (4 + block_size bytes must be present). */
export function checkRecord(bytes: Uint8Array, off: number, nRef: number): CheckResult {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off);
  const blockSize = v.getInt32(0, true);
  const sizeProblem = blockSizeProblem(blockSize);
  if (sizeProblem !== RecordProblem.OK) return fail(sizeProblem);
  const refId = v.getInt32(4, true);
  if (refId < -1 || refId >= nRef) return fail(RecordProblem.RefId);
  const nextRefId = v.getInt32(24, true);
  if (nextRefId < -1 || nextRefId >= nRef) return fail(RecordProblem.NextRefId);
  const pos = v.getInt32(8, true);
  if (pos < -1 || v.getInt32(28, true) < -1) return fail(RecordProblem.Pos);
  const lName = v.getUint8(12);
  if (lName === 0) return fail(RecordProblem.NameEmpty);
  const nCigar = v.getUint16(16, true);
  const flag = v.getUint16(18, true);
  const lSeq = v.getInt32(20, true);
  // Plain numbers are exact far beyond 2^32: no overflow to think about here.
  if (lSeq < 0 || 32 + lName + nCigar * 4 + Math.floor((lSeq + 1) / 2) + lSeq > blockSize) return fail(RecordProblem.FieldsLong);

  const end = 4 + blockSize;
  const nameAt = 36;
  if (v.getUint8(nameAt + lName - 1) !== 0) return fail(RecordProblem.NameNul);
  for (let i = 0; i < lName - 1; i++) if (v.getUint8(nameAt + i) === 0) return fail(RecordProblem.NameChar);
  let cigarAt = nameAt + lName;
  let n = nCigar;
  const auxAt = cigarAt + nCigar * 4 + Math.floor((lSeq + 1) / 2) + lSeq;

  // Aux fields.
  let cg: { at: number; count: number } | null = null;
  const fixed: Record<string, number> = { A: 1, c: 1, C: 1, s: 2, S: 2, i: 4, I: 4, f: 4, d: 8 };
  const arrayOf: Record<string, number> = { c: 1, C: 1, s: 2, S: 2, i: 4, I: 4, f: 4 };
  let p = auxAt;
  while (p < end) {
    if (end - p < 3) return fail(RecordProblem.AuxTruncated);
    const tag = String.fromCharCode(v.getUint8(p), v.getUint8(p + 1));
    const type = String.fromCharCode(v.getUint8(p + 2));
    p += 3;
    if (Object.hasOwn(fixed, type)) {
      if (end - p < fixed[type]) return fail(RecordProblem.AuxTruncated);
      p += fixed[type];
    } else if (type === 'Z' || type === 'H') {
      const nul = bytes.subarray(off + p, off + end).indexOf(0);
      if (nul < 0) return fail(RecordProblem.AuxTruncated);
      p += nul + 1;
    } else if (type === 'B') {
      if (end - p < 5) return fail(RecordProblem.AuxTruncated);
      const sub = String.fromCharCode(v.getUint8(p));
      if (!Object.hasOwn(arrayOf, sub)) return fail(RecordProblem.AuxType);
      const count = v.getUint32(p + 1, true);
      if (tag === 'CG' && sub === 'I' && !cg) cg = { at: p + 5, count }; // the first, as bam_aux_get
      p += 5;
      if (count * arrayOf[sub] > end - p) return fail(RecordProblem.AuxArray);
      p += count * arrayOf[sub];
    } else {
      return fail(RecordProblem.AuxType);
    }
  }

  // htslib's bam_tag2cigar: a placeholder `<l_seq>S…` CIGAR stands for the CG:B:I tag's.
  if (cg && nCigar > 0 && refId >= 0 && pos >= 0) {
    const first = v.getUint32(cigarAt, true);
    if ((first & 0xf) === 4 && first >>> 4 === lSeq && cg.count >= nCigar && cg.count < 2 ** 29) {
      cigarAt = cg.at;
      n = cg.count;
    }
  }
  let qlen = 0;
  let rlen = 0;
  // Clip placement on the operations of nonzero length.
  const nonzero: { i: number; op: string }[] = [];
  for (let i = 0; i < n; i++) {
    const c = v.getUint32(cigarAt + i * 4, true);
    if (c >>> 4 > 0) nonzero.push({ i, op: CIGAR_CODES[c & 0xf] ?? '?' });
  }
  const clipProblem = (i: number, op: string): boolean => {
    const k = nonzero.findIndex((x) => x.i === i);
    if (op === 'H') return k !== 0 && k !== nonzero.length - 1;
    if (op === 'S') return !nonzero.slice(0, k).every((x) => x.op === 'H') && !nonzero.slice(k + 1).every((x) => x.op === 'H');
    return false;
  };
  for (let i = 0; i < n; i++) {
    const c = v.getUint32(cigarAt + i * 4, true);
    const op = CIGAR_CODES[c & 0xf];
    if (op === undefined) return fail(RecordProblem.CigarOp);
    if (c >>> 4 === 0) continue;
    if (clipProblem(i, op)) return fail(RecordProblem.CigarClip);
    if (QUERY_OPS.has(op)) qlen += c >>> 4;
    if (REF_OPS.has(op)) rlen += c >>> 4;
  }
  if (n > 0 && lSeq > 0 && (flag & 4) === 0 && qlen !== lSeq) return fail(RecordProblem.CigarQlen);
  const refEnd = rlen === 0 ? pos + 1 : pos + rlen;
  if (refEnd > 0x7fffffff) return fail(RecordProblem.End);
  return { problem: RecordProblem.OK, cigarAt, nCigar: n, refEnd };
}

/** The words for a reason code, with the offending values read from the record's bytes. */
export function describeProblem(problem: RecordProblem, bytes: Uint8Array, off: number, nRef: number): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off);
  const have = bytes.length - off;
  const i32 = (at: number): number => (have >= at + 4 ? v.getInt32(at, true) : Number.NaN);
  switch (problem) {
    case RecordProblem.BlockSmall:
      return `block_size ${i32(0)} is below the 32-byte minimum`;
    case RecordProblem.BlockLarge:
      return `block_size ${i32(0)} exceeds the ${MAX_RECORD_BYTES >> 20} MiB limit for one record`;
    case RecordProblem.RefId:
      return `refID ${i32(4)} is outside -1..${nRef - 1} (the header lists ${nRef} references)`;
    case RecordProblem.NextRefId:
      return `next_refID ${i32(24)} is outside -1..${nRef - 1} (the header lists ${nRef} references)`;
    case RecordProblem.Pos:
      return `position ${i32(8)} or mate position ${i32(28)} is below -1`;
    case RecordProblem.NameEmpty:
      return 'l_read_name is 0 (a read name needs at least its NUL)';
    case RecordProblem.FieldsLong:
      return `read name, CIGAR, SEQ and QUAL (l_read_name ${v.getUint8(12)}, n_cigar_op ${v.getUint16(16, true)}, l_seq ${i32(20)}) do not fit in block_size ${i32(0)}`;
    case RecordProblem.NameNul:
      return 'read name is not NUL-terminated';
    case RecordProblem.NameChar:
      return 'read name contains a NUL byte';
    case RecordProblem.CigarOp:
      return 'CIGAR has an operation code above 8 (only MIDNSHP=X exist)';
    case RecordProblem.CigarQlen:
      return `CIGAR covers ${cigarQueryLength(bytes, off)} query bases but SEQ has ${i32(20)}`;
    case RecordProblem.AuxTruncated:
      return 'an aux field runs past the end of the record';
    case RecordProblem.AuxType:
      return 'an aux field has an unknown value type';
    case RecordProblem.AuxArray:
      return 'an aux B array claims more values than the record holds';
    case RecordProblem.CigarClip:
      return 'CIGAR has a clip inside the alignment (H must be first or last, S next to the ends)';
    case RecordProblem.End:
      return 'alignment reaches beyond position 2^31-1';
    default:
      return `record check ${problem as number} failed`;
  }
}

/** Query length of the record's own CIGAR field (for the message). */
function cigarQueryLength(bytes: Uint8Array, off: number): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset + off);
  const at = 36 + v.getUint8(12);
  let q = 0;
  for (let i = 0; i < v.getUint16(16, true); i++) {
    const c = v.getUint32(at + i * 4, true);
    if (QUERY_OPS.has(CIGAR_CODES[c & 0xf] ?? '')) q += c >>> 4;
  }
  return q;
}
