/**
 * One alignment as SAM text fields (what `samtools view` prints), the input of the BAM writer.
 * Coordinates follow SAM: `pos1`/`pnext1` are 1-based, 0 when unplaced.
 */
export interface SamRecord {
  qname: string;
  flag: number;
  /** Reference name, '*' when unplaced. */
  rname: string;
  /** 1-based leftmost mapped position, 0 when unplaced. */
  pos1: number;
  mapq: number;
  /** CIGAR string, '*' when absent. */
  cigar: string;
  /** '=', '*' or a contig name. */
  rnext: string;
  /** 1-based mate position, 0 when none. */
  pnext1: number;
  tlen: number;
  /** Bases, '*' when absent. */
  seq: string;
  /** Phred+33 qualities, or '*' (stored as 0xFF bytes in BAM). */
  qual: string;
  /**
   * Optional fields in output order. A string becomes type Z, an integer the smallest of
   * c/C/s/S/i/I that holds it (as htslib's SAM parser does), any other number type f.
   */
  tags?: Record<string, string | number>;
}

/** BAM header: @HD and @SQ lines are generated from `refs`; `text` adds e.g. @RG/@PG/@CO lines. */
export interface BamHeader {
  refs: { name: string; length: number }[];
  text?: string;
}

/** CIGAR operation codes in BAM order (SAM spec 4.2). */
export const CIGAR_OPS = 'MIDNSHP=X';

/** Operations that consume the reference: M D N = X. */
const CONSUMES_REF = [true, false, true, true, false, false, false, true, true];
/** Operations that consume the query: M I S = X. */
const CONSUMES_QUERY = [true, true, false, false, true, false, false, true, true];

export interface CigarOp {
  op: number; // index into CIGAR_OPS
  len: number;
}

/** Parses a CIGAR string ('*' → no operations). Throws on malformed text. */
export function parseCigar(cigar: string): CigarOp[] {
  if (cigar === '*' || cigar === '') return [];
  const ops: CigarOp[] = [];
  let len = 0;
  let haveDigits = false;
  for (let i = 0; i < cigar.length; i++) {
    const c = cigar.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      len = len * 10 + (c - 48);
      haveDigits = true;
      continue;
    }
    const op = CIGAR_OPS.indexOf(cigar[i]);
    if (op < 0 || !haveDigits) throw new Error(`malformed CIGAR '${cigar}'`);
    if (len >= 1 << 28) throw new Error(`CIGAR operation too long in '${cigar}'`);
    ops.push({ op, len });
    len = 0;
    haveDigits = false;
  }
  if (haveDigits) throw new Error(`malformed CIGAR '${cigar}' (trailing length)`);
  return ops;
}

/** Reference bases covered by the alignment (sum of M/D/N/=/X). */
export function cigarRefLength(ops: CigarOp[]): number {
  let n = 0;
  for (const o of ops) if (CONSUMES_REF[o.op]) n += o.len;
  return n;
}

/** Query bases the CIGAR implies (sum of M/I/S/=/X); must equal SEQ length when SEQ is given. */
export function cigarQueryLength(ops: CigarOp[]): number {
  let n = 0;
  for (const o of ops) if (CONSUMES_QUERY[o.op]) n += o.len;
  return n;
}

/**
 * Bin of a 0-based half-open interval [beg0, end0) in the UCSC/SAM binning scheme with
 * `minShift` (14 → 16 kb leaves) and `depth` levels (5 for BAI). SAM spec section 5.3.
 */
export function reg2bin(beg0: number, end0: number, minShift = 14, depth = 5): number {
  let s = minShift;
  let t = ((1 << (depth * 3)) - 1) / 7;
  const last = end0 - 1;
  if (end0 <= 0x7fffffff) {
    // Fast path: 32-bit shifts (exact for int32 positions, -1 included).
    for (let l = depth; l > 0; l--, s += 3, t -= 1 << (l * 3)) if (beg0 >> s === last >> s) return t + (beg0 >> s);
    return 0;
  }
  for (let l = depth; l > 0; l--, s += 3, t -= 1 << (l * 3)) {
    if (Math.floor(beg0 / 2 ** s) === Math.floor(last / 2 ** s)) return t + Math.floor(beg0 / 2 ** s);
  }
  return 0;
}
