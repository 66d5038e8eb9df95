// BAM record checks (SAM spec §4.2), at least as strict as htslib's bam_read1 + sam_read1 and the
// aux walk of sam_format1, run on every record the scan reads. The plain-TS mirror is
// src/count/record-check.ts; the two must agree on every rule and reason code (the property and
// fuzz tests compare them on malformed records).
//
// A record at p: block_size(4) refID(4) pos(4) l_read_name(1) mapq(1) bin(2) n_cigar_op(2) flag(2)
// l_seq(4) next_refID(4) next_pos(4) tlen(4) read_name[l_read_name] cigar[n_cigar_op] seq
// qual[l_seq] aux. block_size counts everything after itself.

// Reason codes (RecordProblem in src/count/record-check.ts gives each one its message).
export const REC_OK: i32 = 0;
export const REC_BLOCK_SMALL: i32 = 1; // block_size < 32
export const REC_BLOCK_LARGE: i32 = 2; // block_size above MAX_RECORD_BYTES
export const REC_REF_ID: i32 = 3; // refID outside -1 .. n_ref-1
export const REC_NEXT_REF_ID: i32 = 4; // next_refID outside -1 .. n_ref-1
export const REC_POS: i32 = 5; // pos or next_pos below -1
export const REC_NAME_EMPTY: i32 = 6; // l_read_name 0
export const REC_FIELDS_LONG: i32 = 7; // name + CIGAR + SEQ + QUAL longer than block_size
export const REC_NAME_NUL: i32 = 8; // read name not NUL-terminated
export const REC_CIGAR_OP: i32 = 9; // CIGAR operation code above 8
export const REC_CIGAR_QLEN: i32 = 10; // CIGAR query length differs from l_seq
export const REC_AUX_TRUNCATED: i32 = 11; // an aux field runs past the record's end
export const REC_AUX_TYPE: i32 = 12; // unknown aux value type (or B subtype)
export const REC_AUX_ARRAY: i32 = 13; // B array count larger than the record holds
export const REC_END: i32 = 14; // alignment end beyond 2^31 - 1
export const REC_NAME_CHAR: i32 = 15; // NUL inside the read name
export const REC_CIGAR_CLIP: i32 = 16; // H not first/last, or S with more than H beside it

/**
 * Largest record accepted: 64 MiB. htslib allows up to 2 GiB, but a record that size would need
 * as much memory per thread; the longest real reads (a few Mb of nanopore sequence, SEQ + QUAL +
 * CIGAR) stay below 16 MiB.
 */
export const MAX_RECORD_BYTES: i32 = 64 << 20;

// Bit o set when CIGAR op o consumes the query (M I S = X) / the reference (M D N = X).
const QUERY_OPS: u32 = 0x193;
const REF_OPS: u32 = 0x18d;

// Results of checkRecord (valid when it returns REC_OK).
export let recRefEnd: i32 = 0; // 0-based exclusive end of the alignment (pos + 1 when it spans none)
export let recCigar: usize = 0; // the CIGAR to walk (the CG tag's when htslib would use it)
export let recNCigar: i32 = 0;
export let recSeq: usize = 0;
export let recQual: usize = 0;
export let recAux: usize = 0;
export let recEnd: usize = 0; // first byte after the record

/** Checks what can be checked from the first 36 bytes (block_size through tlen). */
export function checkHead(p: usize, nRef: i32): i32 {
  const blockSize = load<i32>(p);
  if (blockSize < 32) return REC_BLOCK_SMALL;
  if (blockSize > MAX_RECORD_BYTES) return REC_BLOCK_LARGE;
  const ref = load<i32>(p + 4);
  if (ref < -1 || ref >= nRef) return REC_REF_ID;
  const nextRef = load<i32>(p + 24);
  if (nextRef < -1 || nextRef >= nRef) return REC_NEXT_REF_ID;
  if (load<i32>(p + 8) < -1 || load<i32>(p + 28) < -1) return REC_POS;
  const lName = <i32>load<u8>(p + 12);
  if (lName == 0) return REC_NAME_EMPTY;
  const lSeq = load<i32>(p + 20);
  const nCigar = <i32>load<u16>(p + 16);
  // 64-bit sum: l_seq up to 2^31 - 1 would overflow 32 bits.
  const need = <i64>32 + <i64>lName + (<i64>nCigar << 2) + ((<i64>lSeq + 1) >> 1) + <i64>lSeq;
  if (lSeq < 0 || need > <i64>blockSize) return REC_FIELDS_LONG;
  return REC_OK;
}

/**
 * Full check of a complete record at p (checkHead must have passed). Sets rec* for the scan.
 * Every loop is bounded by the record's end, which block_size puts at most MAX_RECORD_BYTES away.
 */
export function checkBody(p: usize): i32 {
  const blockSize = load<i32>(p);
  const end = p + 4 + <usize>blockSize;
  const lName = <i32>load<u8>(p + 12);
  const nCigar = <i32>load<u16>(p + 16);
  const flag = <i32>load<u16>(p + 18);
  const lSeq = load<i32>(p + 20);
  const name = p + 36;
  if (load<u8>(name + <usize>(lName - 1)) != 0) return REC_NAME_NUL;
  for (let i = 0; i < lName - 1; i++) if (load<u8>(name + <usize>i) == 0) return REC_NAME_CHAR;
  let cigar = name + <usize>lName;
  let n = nCigar;
  recSeq = cigar + (<usize>nCigar << 2);
  recQual = recSeq + <usize>((lSeq + 1) >> 1);
  recAux = recQual + <usize>lSeq;
  recEnd = end;
  const aux = checkAux(recAux, end);
  if (aux != REC_OK) return aux;
  // htslib (bam_tag2cigar) replaces a placeholder CIGAR `<l_seq>S<ref>N` by the CG:B:I tag's.
  if (cgAt != 0 && nCigar > 0 && load<i32>(p + 4) >= 0 && load<i32>(p + 8) >= 0) {
    const first = load<u32>(cigar);
    const cgLen = cgCount;
    if ((first & 0xf) == 4 && (first >>> 4) == <u32>lSeq && cgLen >= <u32>nCigar && cgLen < (1 << 29)) {
      cigar = cgAt;
      n = <i32>cgLen;
    }
  }
  // SAM spec §1.4.6: H only first or last, S with nothing but H between it and an end. Operations
  // of length 0 (htslib accepts them; its test files have 0M, 0I, 0D) count as absent.
  let lastNonzero = -1;
  let lastNonH = -1;
  for (let i = 0; i < n; i++) {
    const c = load<u32>(cigar + (<usize>i << 2));
    if ((c >>> 4) == 0) continue;
    lastNonzero = i;
    if ((c & 0xf) != 5) lastNonH = i;
  }
  let qlen: i64 = 0;
  let rlen: i64 = 0;
  let before = 0; // nonzero operations so far
  let onlyH = true; // ... all of them H
  for (let i = 0; i < n; i++) {
    const c = load<u32>(cigar + (<usize>i << 2));
    const op = c & 0xf;
    if (op > 8) return REC_CIGAR_OP;
    if ((c >>> 4) == 0) continue;
    if (op == 5 && before > 0 && i < lastNonzero) return REC_CIGAR_CLIP;
    if (op == 4 && !onlyH && i < lastNonH) return REC_CIGAR_CLIP;
    before++;
    if (op != 5) onlyH = false;
    const len = <i64>(c >>> 4);
    if ((QUERY_OPS >>> op) & 1) qlen += len;
    if ((REF_OPS >>> op) & 1) rlen += len;
  }
  // As htslib: only for mapped reads with a CIGAR and a SEQ.
  if (n > 0 && lSeq > 0 && (flag & 4) == 0 && qlen != <i64>lSeq) return REC_CIGAR_QLEN;
  const pos = <i64>load<i32>(p + 8);
  const refEnd = rlen == 0 ? pos + 1 : pos + rlen;
  if (refEnd > 0x7fffffff) return REC_END;
  recRefEnd = <i32>refEnd;
  recCigar = cigar;
  recNCigar = n;
  return REC_OK;
}

// Set by checkAux: the values and count of the first CG:B:I tag, or 0.
let cgAt: usize = 0;
let cgCount: u32 = 0;

/** Walks the aux fields in [p, end); every step advances at least 3 bytes or fails. */
function checkAux(p: usize, end: usize): i32 {
  cgAt = 0;
  while (p < end) {
    if (end - p < 3) return REC_AUX_TRUNCATED;
    const t0 = load<u8>(p);
    const t1 = load<u8>(p + 1);
    const type = load<u8>(p + 2);
    p += 3;
    const size = valueSize(type);
    if (size > 0) {
      if (end - p < <usize>size) return REC_AUX_TRUNCATED;
      p += <usize>size;
    } else if (type == 0x5a || type == 0x48) {
      // Z, H: NUL-terminated inside the record.
      while (p < end && load<u8>(p) != 0) p++;
      if (p >= end) return REC_AUX_TRUNCATED;
      p++;
    } else if (type == 0x42) {
      // B: subtype, u32 count, count values.
      if (end - p < 5) return REC_AUX_TRUNCATED;
      const sub = load<u8>(p);
      const each = valueSize(sub);
      if (each == 0 || each == 8) return REC_AUX_TYPE; // no d or A arrays in BAM
      if (sub == 0x41) return REC_AUX_TYPE;
      const count = <u64>load<u32>(p + 1);
      if (t0 == 0x43 && t1 == 0x47 && sub == 0x49 && cgAt == 0) {
        cgAt = p + 5; // CG:B:I (the first one, as htslib's bam_aux_get)
        cgCount = load<u32>(p + 1);
      }
      p += 5;
      if (count * <u64>each > <u64>(end - p)) return REC_AUX_ARRAY;
      p += <usize>(count * <u64>each);
    } else {
      return REC_AUX_TYPE;
    }
  }
  return REC_OK;
}

/** Bytes of a fixed-size aux value type, 0 for Z/H/B and unknown types. */
@inline function valueSize(type: u8): i32 {
  switch (type) {
    case 0x41: // A
    case 0x63: // c
    case 0x43: // C
      return 1;
    case 0x73: // s
    case 0x53: // S
      return 2;
    case 0x69: // i
    case 0x49: // I
    case 0x66: // f
      return 4;
    case 0x64: // d
      return 8;
    default:
      return 0;
  }
}
