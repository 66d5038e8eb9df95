import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileError, UserError } from '../util/errors.js';

/**
 * BAI and CSI index parsing (SAM spec §5.2 and the CSI spec). Written here rather than reusing
 * @gmod/bam's parsers because its CSI parser skips each bin's `loffset`, so CSI queries lose the
 * minimum-offset pruning (measured: 2× the inflate on sparse sites without it); one parser for both
 * formats keeps the pruning identical.
 *
 * Virtual offsets are held as plain numbers: coffset · 65536 + uoffset, exact below 2^53
 * (compressed files under 128 TiB).
 */

export interface Chunk {
  /** Virtual offset of the first record. */
  beg: number;
  /** Virtual offset just after the last record (exclusive). */
  end: number;
}

interface RefIndex {
  bins: Map<number, Chunk[]>;
  /** BAI linear index (16 kb windows) or CSI per-bin loffsets. */
  linear: number[];
  loffset: Map<number, number>;
}

export interface BamIndex {
  kind: 'bai' | 'csi';
  path: string;
  minShift: number;
  depth: number;
  refs: RefIndex[];
}

const TWO32 = 4294967296;

function readVoffset(view: DataView, p: number): number {
  return view.getUint32(p + 4, true) * TWO32 + view.getUint32(p, true);
}

export function coffsetOf(v: number): number {
  return Math.floor(v / 65536);
}
export function uoffsetOf(v: number): number {
  return v % 65536;
}

/**
 * The index file next to a BAM: `x.bam.bai`, `x.bai`, `x.bam.csi`, `x.csi` (first that exists), or
 * null. htslib's hts_idx_check_local accepts both the appended and the replaced-extension name for
 * each kind, so `samtools index -c -o x.csi x.bam` output must be found too.
 */
export function findIndexPath(bamPath: string): string | null {
  const candidates = [`${bamPath}.bai`, bamPath.replace(/\.bam$/, '.bai'), `${bamPath}.csi`, bamPath.replace(/\.bam$/, '.csi')];
  for (const c of candidates) if (c !== bamPath && existsSync(c)) return c;
  return null;
}

/**
 * Limits checked before anything is allocated or looped over. A BAI of a 100 GB whole-genome BAM
 * is ~10 MB; CSI depth and min_shift follow from 32-bit bin numbers: the deepest bin of depth d is
 * (8^(d+1) − 1)/7, which fits in a uint32 up to d = 10 (htslib writes at most 9), and
 * min_shift + 3·depth ≤ 62 keeps every bin's span exact in a double.
 */
export const INDEX_LIMITS = {
  /** Inflated size of a compressed index. */
  maxBytes: 512 << 20,
  maxDepth: 10,
  maxShiftPlusLevels: 62,
} as const;

/** Bins of levels 0..depth-1 (the first bin number of level `depth`). */
function binsAbove(depth: number): number {
  return (8 ** depth - 1) / 7;
}

/**
 * Sum of the ISIZE fields of a BGZF file's blocks, read from their headers and footers without
 * inflating anything; null when the bytes are not all well-formed BGZF blocks (plain gzip).
 */
function bgzfInflatedSize(bytes: Uint8Array): number | null {
  let total = 0;
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < 18 || bytes[pos] !== 0x1f || bytes[pos + 1] !== 0x8b || (bytes[pos + 3] & 4) === 0) return null;
    const xlen = bytes[pos + 10] | (bytes[pos + 11] << 8);
    if (xlen < 6 || bytes[pos + 12] !== 66 || bytes[pos + 13] !== 67) return null;
    const size = (bytes[pos + 16] | (bytes[pos + 17] << 8)) + 1;
    if (size < 12 + xlen + 8 || pos + size > bytes.length) return null;
    total += (bytes[pos + size - 4] | (bytes[pos + size - 3] << 8) | (bytes[pos + size - 2] << 16)) + bytes[pos + size - 1] * 2 ** 24;
    pos += size;
  }
  return total;
}

export function readBamIndex(path: string): BamIndex {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > INDEX_LIMITS.maxBytes)
      throw fileError(path, `corrupt index: ${size} bytes, more than the ${INDEX_LIMITS.maxBytes}-byte limit`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw fileError(path, `cannot read index (${err.code ?? err.message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // CSI (and some BAI writers) store the index BGZF-compressed: gzip members concatenated.
    const declared = bgzfInflatedSize(bytes);
    if (declared !== null && declared > INDEX_LIMITS.maxBytes) {
      throw fileError(
        path,
        `corrupt index: inflates to more than ${INDEX_LIMITS.maxBytes} bytes (limit; its BGZF blocks declare ${declared})`,
      );
    }
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: INDEX_LIMITS.maxBytes });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_BUFFER_TOO_LARGE')
        throw fileError(path, `corrupt index: inflates to more than ${INDEX_LIMITS.maxBytes} bytes (limit)`);
      throw fileError(path, `corrupt compressed index (${err.message})`);
    }
  }
  return parseBamIndex(bytes, path);
}

/** Parses BAI or CSI bytes (already inflated); every count is checked against the bytes left. */
export function parseBamIndex(bytes: Uint8Array, path: string): BamIndex {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (what: string): never => {
    throw fileError(path, `corrupt index: ${what}`);
  };
  const truncated = (): never => {
    throw fileError(path, 'truncated or corrupt index (it ends inside a record)');
  };
  const need = (p: number, n: number): void => {
    if (n < 0 || p + n > bytes.length) truncated();
  };
  /** A count of items of at least `each` bytes: not negative, and the bytes must be there. */
  const count = (p: number, what: string, each: number): number => {
    need(p, 4);
    const n = view.getInt32(p, true);
    if (n < 0) corrupt(`negative ${what} ${n} at byte ${p}`);
    if (n * each > bytes.length - p - 4) truncated();
    return n;
  };
  need(0, 8);
  const magic = Buffer.from(bytes.buffer, bytes.byteOffset, 4).toString('latin1');
  let p: number;
  let kind: 'bai' | 'csi';
  let minShift = 14;
  let depth = 5;
  if (magic === 'BAI\x01') {
    kind = 'bai';
    p = 4;
  } else if (magic === 'CSI\x01') {
    kind = 'csi';
    need(4, 12);
    minShift = view.getInt32(4, true);
    depth = view.getInt32(8, true);
    const lAux = view.getInt32(12, true);
    if (depth < 0 || depth > INDEX_LIMITS.maxDepth) corrupt(`CSI depth ${depth} is outside 0-${INDEX_LIMITS.maxDepth}`);
    if (minShift < 0 || minShift + 3 * depth > INDEX_LIMITS.maxShiftPlusLevels) {
      corrupt(
        `CSI min_shift ${minShift} with depth ${depth} (needs 0 <= min_shift and min_shift + 3*depth <= ${INDEX_LIMITS.maxShiftPlusLevels})`,
      );
    }
    if (lAux < 0) corrupt(`negative CSI l_aux ${lAux}`);
    need(16, lAux);
    p = 16 + lAux;
  } else {
    throw fileError(path, 'not a BAI or CSI index (bad magic)');
  }
  const binBytes = kind === 'csi' ? 16 : 8;
  // Each reference holds at least n_bin (and for BAI n_intv): 4 or 8 bytes.
  const nRef = count(p, 'reference count', kind === 'csi' ? 4 : 8);
  p += 4;
  const pseudoBin = binsAbove(depth + 1) + 1;
  const refs: RefIndex[] = [];
  for (let r = 0; r < nRef; r++) {
    const nBin = count(p, `bin count of reference ${r}`, binBytes);
    p += 4;
    const bins = new Map<number, Chunk[]>();
    const loffset = new Map<number, number>();
    for (let b = 0; b < nBin; b++) {
      need(p, binBytes);
      const bin = view.getUint32(p, true);
      p += 4;
      if (bins.has(bin) || loffset.has(bin)) corrupt(`bin ${bin} of reference ${r} appears twice`);
      if (kind === 'csi') {
        loffset.set(bin, readVoffset(view, p));
        p += 8;
      }
      const nChunk = count(p, `chunk count of bin ${bin} of reference ${r}`, 16);
      p += 4;
      const chunks: Chunk[] = [];
      for (let c = 0; c < nChunk; c++) {
        chunks.push({ beg: readVoffset(view, p), end: readVoffset(view, p + 8) });
        p += 16;
      }
      if (bin !== pseudoBin) bins.set(bin, chunks);
    }
    const linear: number[] = [];
    if (kind === 'bai') {
      const nIntv = count(p, `linear index size of reference ${r}`, 8);
      p += 4;
      for (let i = 0; i < nIntv; i++) linear.push(readVoffset(view, p + i * 8));
      p += nIntv * 8;
    }
    refs.push({ bins, linear, loffset });
  }
  return { kind, path, minShift, depth, refs };
}

/**
 * Bins overlapping [beg0, end0) at every level that the reference has (hts reg2bins). A level whose
 * range of bins is wider than the reference's whole bin list is answered from that list instead,
 * as htslib's reg2bins_wide does, so a wide region on a fine index never builds a huge list.
 */
function reg2bins(beg0: number, end0: number, minShift: number, depth: number, present: Map<number, Chunk[]>): number[] {
  const bins: number[] = [];
  const end = end0 - 1;
  for (let l = 0, s = minShift + depth * 3; l <= depth; s -= 3, l++) {
    const t = binsAbove(l);
    const b = t + Math.floor(beg0 / 2 ** s);
    const e = t + Math.floor(end / 2 ** s);
    if (e - b + 1 > present.size) {
      for (const bin of present.keys()) if (bin >= b && bin <= e) bins.push(bin);
    } else {
      for (let i = b; i <= e; i++) bins.push(i);
    }
  }
  return bins;
}

/** Smallest virtual offset a record overlapping beg0 can have (linear index / CSI loffset). */
function minOffset(index: BamIndex, ref: RefIndex, beg0: number): number {
  if (index.kind === 'bai') {
    const w = Math.floor(beg0 / 16384);
    // Empty windows hold 0; use the nearest earlier non-empty one (htslib does the same).
    for (let i = Math.min(w, ref.linear.length - 1); i >= 0; i--) if (ref.linear[i] > 0) return ref.linear[i];
    return 0;
  }
  // CSI: the loffset of the finest existing bin containing beg0, walking up to the parents.
  const firstAtDeepest = binsAbove(index.depth);
  let bin = firstAtDeepest + Math.floor(beg0 / 2 ** index.minShift);
  for (let l = index.depth; l >= 0; l--) {
    const lo = ref.loffset.get(bin);
    if (lo !== undefined) return lo;
    if (bin === 0) break;
    bin = Math.floor((bin - 1) / 8);
  }
  return 0;
}

/** Chunks that may hold records overlapping [beg0, end0) of refId, sorted, overlaps merged. */
export function chunksForRange(index: BamIndex, refId: number, beg0: number, end0: number): Chunk[] {
  const ref = index.refs[refId];
  if (!ref) return [];
  if (beg0 >= 2 ** (index.minShift + 3 * index.depth)) {
    // Past what the index's bins can address: its bins would name another level's bins.
    throw fileError(
      index.path,
      `corrupt index: position ${beg0 + 1} lies beyond the ${2 ** (index.minShift + 3 * index.depth)} bp its min_shift ${index.minShift} and depth ${index.depth} cover`,
    );
  }
  const lo = minOffset(index, ref, beg0);
  const found: Chunk[] = [];
  const end = Math.min(Math.max(end0, beg0 + 1), 2 ** (index.minShift + 3 * index.depth));
  for (const bin of reg2bins(beg0, end, index.minShift, index.depth, ref.bins)) {
    for (const c of ref.bins.get(bin) ?? []) if (c.end > lo) found.push({ beg: Math.max(c.beg, lo), end: c.end });
  }
  return mergeChunks(found);
}

/** Sorts and merges chunks that overlap or touch (touching chunks share a block: read it once). */
export function mergeChunks(chunks: Chunk[]): Chunk[] {
  const sorted = [...chunks].sort((a, b) => a.beg - b.beg || a.end - b.end);
  const out: Chunk[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && c.beg <= last.end) last.end = Math.max(last.end, c.end);
    else out.push({ ...c });
  }
  return out;
}

/**
 * Checks that the index can belong to this BAM: same number of references, no chunk past the end
 * of the file. Returns a warning when the index is older than the BAM (samtools warns too).
 */
export function checkIndexFits(index: BamIndex, nRefs: number, bamPath: string, bamSize: number): string | null {
  if (index.refs.length !== nRefs) {
    throw fileError(index.path, `index does not belong to ${bamPath}: it has ${index.refs.length} references, the BAM header ${nRefs}`);
  }
  const pastEnd = (v: number): boolean => coffsetOf(v) > bamSize;
  for (const ref of index.refs) {
    // A linear-index or loffset entry past the end would make every chunk look too early to read.
    const minimum = [...ref.linear, ...ref.loffset.values()].find(pastEnd);
    if (minimum !== undefined) {
      throw fileError(
        index.path,
        `index does not belong to ${bamPath}: it points to byte ${coffsetOf(minimum)} past the end of the BAM (${bamSize} bytes)`,
      );
    }
    for (const chunks of ref.bins.values()) {
      for (const c of chunks) {
        if (coffsetOf(c.beg) >= bamSize || coffsetOf(c.end) > bamSize) {
          throw fileError(
            index.path,
            `index does not belong to ${bamPath}: it points to byte ${coffsetOf(c.beg)} past the end of the BAM (${bamSize} bytes)`,
          );
        }
      }
    }
  }
  try {
    if (statSync(index.path).mtimeMs < statSync(bamPath).mtimeMs) return `${index.path}: index is older than ${bamPath}`;
  } catch {
    // unreadable stat: the reads below report it
  }
  return null;
}
