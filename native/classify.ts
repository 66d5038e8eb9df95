// Classification of one read at one site (the counting rules of docs/methods/counting.md;
// the oracle, src/count/oracle.ts, implements the same rules its own way). The read is the one
// the scan has just checked: its fields are set here by setRead.

// Site table: 8 x i32 per site, sorted by (refId, start0):
//   [0] refId  [1] start0  [2] kind (0 MNV/SNV/complex, 1 insertion, 2 deletion)
//   [3] refLen (MNV: bases compared; DEL: deleted length; INS: 1)
//   [4] altLen (MNV: alt length, alt can only match when altLen == refLen; INS: inserted length)
//   [5] pointer to the ref bases (ASCII, upper case)  [6] pointer to the alt bases (MNV: alt;
//   INS: the inserted sequence)  [7] index of the site in the caller's site list
export const SITE_BYTES: i32 = 32;
export let sitesPtr: usize = 0;

export const ALLELE_REF: i32 = 0;
export const ALLELE_ALT: i32 = 1;
export const ALLELE_OTHER: i32 = 2;
const MARK_DEL: i32 = 1; // the site's first base is deleted in the read
const MARK_INS: i32 = 2; // an insertion follows the site's first base in the read

// The read being classified.
let rPos: i32 = 0;
let rCigar: usize = 0;
let rNCigar: i32 = 0;
let rSeq: usize = 0;
let rQual: usize = 0;
let rLSeq: i32 = 0;
let rRefEnd: i32 = 0;
// Result of classify.
export let cAllele: i32 = 0;
export let cQual: i32 = 0;
export let cMarks: i32 = 0;

export function setRead(pos: i32, cigar: usize, nCigar: i32, seq: usize, qual: usize, lSeq: i32, refEnd: i32): void {
  rPos = pos;
  rCigar = cigar;
  rNCigar = nCigar;
  rSeq = seq;
  rQual = qual;
  rLSeq = lSeq;
  rRefEnd = refEnd;
}

@inline export function siteField(i: i32, f: i32): i32 {
  return load<i32>(sitesPtr + <usize>(i * SITE_BYTES + f * 4));
}

@inline function opLen(i: i32): i32 {
  return <i32>(load<u32>(rCigar + (<usize>i << 2)) >>> 4);
}
@inline function opType(i: i32): i32 {
  return <i32>(load<u32>(rCigar + (<usize>i << 2)) & 0xf);
}
@inline function isAligned(t: i32): bool {
  return t == 0 || t == 7 || t == 8; // M, =, X
}
@inline function qualAt(q: i32): i32 {
  return <i32>load<u8>(rQual + <usize>q);
}

// "=ACMGRSVTWYHKDBN" as ASCII
@inline function baseAt(q: i32): i32 {
  const b = <i32>load<u8>(rSeq + <usize>(q >> 1));
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
export function classify(s: i32): bool {
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
        if (baseAt(qp + 1 + j) != <i32>load<u8>(<usize>altPtr + <usize>j)) { cAllele = ALLELE_OTHER; return true; }
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
    if (b != <i32>load<u8>(<usize>refPtr + <usize>j)) allRef = false;
    if (allAlt && b != <i32>load<u8>(<usize>altPtr + <usize>j)) allAlt = false;
    off++;
    q++;
  }
  cQual = minQ;
  cAllele = allAlt ? ALLELE_ALT : allRef ? ALLELE_REF : ALLELE_OTHER;
  return true;
}

