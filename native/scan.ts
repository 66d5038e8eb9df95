// oligotrack counting kernel (AssemblyScript → WebAssembly).
//
// One call of `scan` per batch of raw BAM record bytes (never per record: crossing the JS/WASM
// boundary per record is what makes @gmod/bam's path 9× the inflate floor). The kernel parses each
// record in place, applies the flag/MAPQ filters, walks the CIGAR against the sorted sites and
// writes one 40-byte observation row per (read, owned site) it can classify. Base-quality filtering
// and mate merging happen in TypeScript on those rows (src/count/tally.ts), identically for this
// kernel and for the plain-TS oracle (src/count/oracle.ts).
//
// Memory is laid out by the TypeScript driver (src/count/wasm-scan.ts) above __heap_base; this
// module allocates nothing (runtime stub).
//
// Site table: 8 × i32 per site, sorted by (refId, start0):
//   [0] refId  [1] start0  [2] kind (0 MNV/SNV/complex, 1 insertion, 2 deletion)
//   [3] refLen (MNV: bases compared; DEL: deleted length; INS: 1)
//   [4] altLen (MNV: alt length, alt can only match when altLen == refLen; INS: inserted length)
//   [5] pointer to the ref bases (ASCII, upper case)  [6] pointer to the alt bases (MNV: alt;
//   INS: the inserted sequence)  [7] index of the site in the caller's site list
// Observation row: 10 × i32:
//   [0] site index  [1] allele | marks << 8 | qual << 16  [2] flag  [3] read start0
//   [4] mate start0 (-1 unpaired)  [5] fragment length  [6] name hash hi  [7] name hash lo
//   [8] offset of the record (its block_size field) in the batch  [9] 1 if the mate is on the
//   same contig (next_refID == refID), else 0

const STATUS_NEED_MORE: i32 = 0; // stopped at an incomplete record at the end of the batch
const STATUS_LIMIT: i32 = 1; // reached a record starting at or after the segment's end offset
const STATUS_PAST: i32 = 2; // reads now start after the segment's last site
const STATUS_UNSORTED: i32 = 3;
const STATUS_MALFORMED: i32 = 4;
const STATUS_OUT_FULL: i32 = 5;

const ALLELE_REF: i32 = 0;
const ALLELE_ALT: i32 = 1;
const ALLELE_OTHER: i32 = 2;
const MARK_DEL: i32 = 1; // the site's first base is deleted in the read
const MARK_INS: i32 = 2; // an insertion follows the site's first base in the read

import { checkBody, checkHead, MAX_RECORD_BYTES, REC_BLOCK_LARGE, REC_BLOCK_SMALL, REC_OK, recCigar, recNCigar, recQual, recRefEnd, recSeq } from './record';

const ROW_BYTES: i32 = 40;
const SITE_BYTES: i32 = 32;

// Settings and per-group state, set by `configure` / `resetState`.
let excludeFlags: i32 = 0xf04;
let minMapq: i32 = 20;
let sitesPtr: i32 = 0;
let nSites: i32 = 0;
let ownedLo: i32 = 0;
let ownedHi: i32 = 0;
let stopRef: i32 = 0;
let stopPos: i32 = 0;
let sitePointer: i32 = 0;
let lastRef: i32 = -1;
let lastPos: i32 = -1;
// Sequential passes read every record to the end (each one checked, sort order included):
// stopping after the last site would leave a misplaced record, or a corrupt one, unseen.
let readToEnd: bool = false;

// Outputs of the last call.
let status: i32 = 0;
let rowsWritten: i32 = 0;
let errorOffset: i32 = 0;
let errorReason: i32 = 0;
let nRef: i32 = 0;
// Offset (in the last batch) of the first record on a contig that still has sites ahead, or -1.
let firstOnSiteContig: i32 = -1;
let readsSeen: f64 = 0;
let readsPassing: f64 = 0;

// Per-read scratch (set by parseRead).
let rRef: i32 = 0;
let rPos: i32 = 0;
let rFlag: i32 = 0;
let rCigar: i32 = 0;
let rNCigar: i32 = 0;
let rSeq: i32 = 0;
let rQual: i32 = 0;
let rLSeq: i32 = 0;
let rRefEnd: i32 = 0;
// Result of classify.
let cAllele: i32 = 0;
let cQual: i32 = 0;
let cMarks: i32 = 0;

export function heapBase(): i32 {
  return <i32>__heap_base;
}

export function configure(exclude: i32, mapq: i32, sites: i32, n: i32, lo: i32, hi: i32, refs: i32): void {
  nRef = refs;
  excludeFlags = exclude;
  minMapq = mapq;
  sitesPtr = sites;
  nSites = n;
  ownedLo = lo;
  ownedHi = hi;
}

/** Start of a new group of segments (sorted-order check and site pointer restart). */
export function resetState(): void {
  sitePointer = 0;
  lastRef = -1;
  lastPos = -1;
  readsSeen = 0;
  readsPassing = 0;
}

/** Reads starting after (stopRefId, stopPos0) cannot cover any site of the current segment. */
export function setStop(ref: i32, pos: i32, toEnd: bool): void {
  stopRef = ref;
  stopPos = pos;
  readToEnd = toEnd;
}

export function getStatus(): i32 {
  return status;
}
export function getRows(): i32 {
  return rowsWritten;
}
export function getErrorOffset(): i32 {
  return errorOffset;
}
export function getErrorReason(): i32 {
  return errorReason;
}
export function getFirstOnSiteContig(): i32 {
  return firstOnSiteContig;
}
export function getReadsSeen(): f64 {
  return readsSeen;
}
export function getReadsPassing(): f64 {
  return readsPassing;
}

@inline function siteField(i: i32, f: i32): i32 {
  return load<i32>(sitesPtr + i * SITE_BYTES + f * 4);
}

@inline function opLen(i: i32): i32 {
  return <i32>(load<u32>(rCigar + i * 4) >>> 4);
}
@inline function opType(i: i32): i32 {
  return <i32>(load<u32>(rCigar + i * 4) & 0xf);
}
@inline function isAligned(t: i32): bool {
  return t == 0 || t == 7 || t == 8; // M, =, X
}
@inline function qualAt(q: i32): i32 {
  return <i32>load<u8>(rQual + q);
}

// "=ACMGRSVTWYHKDBN" as ASCII
@inline function baseAt(q: i32): i32 {
  const b = <i32>load<u8>(rSeq + (q >> 1));
  const nib = (q & 1) == 0 ? b >> 4 : b & 0xf;
  switch (nib) {
    case 0: return 61; // '='
    case 1: return 65; // A
    case 2: return 67; // C
    case 3: return 77; // M
    case 4: return 71; // G
    case 5: return 82; // R
    case 6: return 83; // S
    case 7: return 86; // V
    case 8: return 84; // T
    case 9: return 87; // W
    case 10: return 89; // Y
    case 11: return 72; // H
    case 12: return 75; // K
    case 13: return 68; // D
    case 14: return 66; // B
    default: return 78; // N
  }
}

/** Index of the next CIGAR op after `i` that is neither padding (P) nor of length 0, or rNCigar. */
@inline function nextOp(i: i32): i32 {
  let j = i + 1;
  while (j < rNCigar && (opType(j) == 6 || opLen(j) == 0)) j++;
  return j;
}

/**
 * Classifies the current read at site s. Returns false when the read is not counted there
 * (reference skip at the site, alignment ends before the site's span is resolved, no SEQ).
 */
function classify(s: i32): bool {
  const start0 = siteField(s, 1);
  const kind = siteField(s, 2);
  const refLen = siteField(s, 3);
  const altLen = siteField(s, 4);
  const refPtr = siteField(s, 5);
  const altPtr = siteField(s, 6);
  if (rLSeq == 0) return false;
  cMarks = 0;
  // Find the CIGAR op that holds start0.
  let refPos = rPos;
  let qpos = 0;
  let i = 0;
  for (; i < rNCigar; i++) {
    const t = opType(i);
    const l = opLen(i);
    if (isAligned(t)) {
      if (start0 < refPos + l) break;
      refPos += l;
      qpos += l;
    } else if (t == 1 || t == 4) {
      qpos += l;
    } else if (t == 2) {
      if (start0 < refPos + l) {
        // First base deleted: quality of the next read base, as htslib's pileup (qpos of a
        // deletion is the following query base); 0 when none follows.
        cAllele = ALLELE_OTHER;
        cMarks = MARK_DEL;
        cQual = qpos < rLSeq ? qualAt(qpos) : 0;
        return true;
      }
      refPos += l;
    } else if (t == 3) {
      if (start0 < refPos + l) return false;
      refPos += l;
    }
  }
  if (i >= rNCigar) return false;
  const k = start0 - refPos; // offset of the site's first base inside op i
  const qp = qpos + k;
  const lastInOp = k == opLen(i) - 1;
  const after = lastInOp ? nextOp(i) : -1; // op following the anchor base, when it ends op i
  const afterType = after >= 0 && after < rNCigar ? opType(after) : -1;
  if (lastInOp && afterType == 1) cMarks |= MARK_INS;

  if (kind == 1 || kind == 2) {
    cQual = qualAt(qp);
    const continues = !lastInOp || isAligned(afterType) || afterType == 3;
    if (afterType == 1) {
      if (kind == 2) { cAllele = ALLELE_OTHER; return true; }
      const insLen = opLen(after);
      if (insLen != altLen) { cAllele = ALLELE_OTHER; return true; }
      for (let j = 0; j < insLen; j++) {
        if (baseAt(qp + 1 + j) != <i32>load<u8>(altPtr + j)) { cAllele = ALLELE_OTHER; return true; }
      }
      cAllele = ALLELE_ALT;
      return true;
    }
    if (afterType == 2) {
      cAllele = kind == 2 && opLen(after) == refLen ? ALLELE_ALT : ALLELE_OTHER;
      return true;
    }
    if (!continues) return false; // anchor is the last aligned base: insertion/deletion unknowable
    if (kind == 2 && rRefEnd < start0 + 1 + refLen) return false; // ends inside the deleted span
    cAllele = ALLELE_REF;
    return true;
  }

  // MNV / SNV / complex: every base of the ref span must be aligned, contiguously.
  if (rRefEnd < start0 + refLen) return false;
  let allRef = true;
  let allAlt = altLen == refLen;
  let minQ = 255;
  let op = i;
  let off = k;
  let q = qp;
  for (let j = 0; j < refLen; j++) {
    if (off >= opLen(op)) {
      const nx = nextOp(op);
      if (nx >= rNCigar || !isAligned(opType(nx))) {
        // An insertion, deletion or skip inside the span: a different event.
        cAllele = ALLELE_OTHER;
        cQual = minQ;
        return true;
      }
      op = nx;
      off = 0;
    }
    const b = baseAt(q);
    const bq = qualAt(q);
    if (bq < minQ) minQ = bq;
    if (b != <i32>load<u8>(refPtr + j)) allRef = false;
    if (allAlt && b != <i32>load<u8>(altPtr + j)) allAlt = false;
    off++;
    q++;
  }
  cQual = minQ;
  cAllele = allAlt ? ALLELE_ALT : allRef ? ALLELE_REF : ALLELE_OTHER;
  return true;
}

/**
 * Scans records in [inPtr, inPtr + inLen). Records starting at or after inPtr + limit are not
 * processed (segment end). Writes rows at outPtr (capacity outCap rows). Returns the number of
 * bytes consumed (whole records); see getStatus().
 */
export function scan(inPtr: i32, inLen: i32, limit: i32, outPtr: i32, outCap: i32): i32 {
  let off = 0;
  let rows = 0;
  status = STATUS_NEED_MORE;
  firstOnSiteContig = -1;
  while (true) {
    if (off >= limit) { status = STATUS_LIMIT; break; }
    if (off + 4 > inLen) break;
    const p = inPtr + off;
    const blockSize = load<i32>(p);
    // block_size bounds first (the record may still be incomplete), the rest once it is whole.
    let problem = blockSize < 32 ? REC_BLOCK_SMALL : blockSize > MAX_RECORD_BYTES ? REC_BLOCK_LARGE : REC_OK;
    if (problem == REC_OK) {
      if (off + 4 + blockSize > inLen) break;
      problem = checkHead(p, nRef);
      if (problem == REC_OK) problem = checkBody(p);
    }
    if (problem != REC_OK) { status = STATUS_MALFORMED; errorOffset = off; errorReason = problem; break; }
    const ref = load<i32>(p + 4);
    const pos = load<i32>(p + 8);
    const mapq = <i32>load<u8>(p + 13);
    const flag = <i32>load<u16>(p + 18);
    const lSeq = load<i32>(p + 20);
    // Unplaced reads (refID -1) sort after every placed one.
    const order = ref < 0 ? 0x7fffffff : ref;
    if (order < lastRef || (order == lastRef && ref >= 0 && pos < lastPos)) {
      status = STATUS_UNSORTED;
      errorOffset = off;
      break;
    }
    lastRef = order;
    lastPos = pos;
    let past = ref < 0 || ref > stopRef || (ref == stopRef && pos > stopPos);
    if (!past) {
      // Skip sites that end before this read's start (reads are sorted, so forever).
      while (sitePointer < nSites) {
        const sr = siteField(sitePointer, 0);
        if (sr < ref || (sr == ref && siteField(sitePointer, 1) < pos)) sitePointer++;
        else break;
      }
      past = sitePointer >= ownedHi;
    }
    if (past && !readToEnd) { status = STATUS_PAST; break; }
    if (rows + (ownedHi - ownedLo) > outCap) { status = STATUS_OUT_FULL; break; }
    if (!past && sitePointer < nSites && siteField(sitePointer, 0) == ref) {
      if (firstOnSiteContig < 0) firstOnSiteContig = off;
      const lName = <i32>load<u8>(p + 12);
      rRef = ref;
      rPos = pos;
      rFlag = flag;
      rNCigar = recNCigar;
      rCigar = <i32>recCigar;
      rSeq = <i32>recSeq;
      rQual = <i32>recQual;
      rLSeq = lSeq;
      const end = recRefEnd;
      rRefEnd = end;
      if (siteField(sitePointer, 1) < end) {
        const first = sitePointer;
        const owned = first >= ownedLo && first < ownedHi;
        const passes = (flag & excludeFlags) == 0 && mapq >= minMapq;
        if (owned) {
          readsSeen += 1;
          if (passes) readsPassing += 1;
        }
        if (passes) {
          let hHi: u32 = 0;
          let hLo: u32 = 0;
          let hashed = false;
          const tlen = load<i32>(p + 32);
          const paired = (flag & 1) != 0;
          // |TLEN|, with |-2^31| clamped to 2^31 - 1 (an i32 row field; no real fragment is that long).
          const fragLen = paired && tlen != 0 ? (tlen < 0 ? (tlen == i32.MIN_VALUE ? i32.MAX_VALUE : -tlen) : tlen) : <i32>min<i64>(<i64>end - <i64>pos, 0x7fffffff);
          const mateStart = paired ? load<i32>(p + 28) : -1;
          for (let s = first; s < ownedHi && s < nSites; s++) {
            if (siteField(s, 0) != ref || siteField(s, 1) >= end) break;
            if (s < ownedLo) continue;
            if (!classify(s)) continue;
            if (!hashed) {
              // Two independent 32-bit FNV-1a variants over the name (without its NUL).
              let a: u32 = 2166136261;
              let b: u32 = 0x9747b28c;
              for (let j = 0; j < lName - 1; j++) {
                const c = <u32>load<u8>(p + 36 + j);
                a = (a ^ c) * 16777619;
                b = (b ^ c) * 0x5bd1e995;
                b ^= b >>> 15;
              }
              hHi = a;
              hLo = b;
              hashed = true;
            }
            const o = outPtr + rows * ROW_BYTES;
            store<i32>(o, siteField(s, 7));
            store<i32>(o + 4, cAllele | (cMarks << 8) | (cQual << 16));
            store<i32>(o + 8, flag);
            store<i32>(o + 12, pos);
            store<i32>(o + 16, mateStart);
            store<i32>(o + 20, fragLen);
            store<u32>(o + 24, hHi);
            store<u32>(o + 28, hLo);
            store<i32>(o + 32, off);
            store<i32>(o + 36, load<i32>(p + 24) == ref ? 1 : 0); // mate on the same contig
            rows++;
          }
        }
      }
    }
    off += 4 + blockSize;
  }
  rowsWritten = rows;
  return off;
}

export { inflate, inflatedBytes } from './inflate';
export { crc32, crc32Slice8 } from './crc32';
