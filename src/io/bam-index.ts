import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileError } from '../util/errors.js';

/**
 * BAI and CSI index parsing (SAM spec §5.2 and the CSI spec). Written here rather than reusing
 * @gmod/bam's parsers because its CSI parser skips each bin's `loffset`, so CSI queries lose the
 * minimum-offset pruning (NOTES §1 measured 2× the inflate on sparse sites); one parser for both
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
  const candidates = [
    `${bamPath}.bai`,
    bamPath.replace(/\.bam$/, '.bai'),
    `${bamPath}.csi`,
    bamPath.replace(/\.bam$/, '.csi'),
  ];
  for (const c of candidates) if (c !== bamPath && existsSync(c)) return c;
  return null;
}

export function readBamIndex(path: string): BamIndex {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw fileError(path, `cannot read index (${err.code ?? err.message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // CSI (and some BAI writers) store the index BGZF-compressed: gzip members concatenated.
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw fileError(path, `corrupt compressed index (${(e as Error).message})`);
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const truncated = (): never => {
    throw fileError(path, 'truncated or corrupt index');
  };
  const need = (p: number, n: number): void => {
    if (p + n > bytes.length) truncated();
  };
  need(0, 8);
  const magic = bytes.toString('latin1', 0, 4);
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
    p = 16 + lAux;
  } else {
    throw fileError(path, 'not a BAI or CSI index (bad magic)');
  }
  need(p, 4);
  const nRef = view.getInt32(p, true);
  p += 4;
  const pseudoBin = ((1 << ((depth + 1) * 3)) - 1) / 7 + 1;
  const refs: RefIndex[] = [];
  for (let r = 0; r < nRef; r++) {
    need(p, 4);
    const nBin = view.getInt32(p, true);
    p += 4;
    const bins = new Map<number, Chunk[]>();
    const loffset = new Map<number, number>();
    for (let b = 0; b < nBin; b++) {
      need(p, kind === 'csi' ? 16 : 8);
      const bin = view.getUint32(p, true);
      p += 4;
      if (kind === 'csi') {
        loffset.set(bin, readVoffset(view, p));
        p += 8;
      }
      const nChunk = view.getInt32(p, true);
      p += 4;
      need(p, nChunk * 16);
      const chunks: Chunk[] = [];
      for (let c = 0; c < nChunk; c++) {
        chunks.push({ beg: readVoffset(view, p), end: readVoffset(view, p + 8) });
        p += 16;
      }
      if (bin !== pseudoBin) bins.set(bin, chunks);
    }
    const linear: number[] = [];
    if (kind === 'bai') {
      need(p, 4);
      const nIntv = view.getInt32(p, true);
      p += 4;
      need(p, nIntv * 8);
      for (let i = 0; i < nIntv; i++) linear.push(readVoffset(view, p + i * 8));
      p += nIntv * 8;
    }
    refs.push({ bins, linear, loffset });
  }
  return { kind, path, minShift, depth, refs };
}

/** Bins overlapping [beg0, end0) at every level (hts reg2bins). */
function reg2bins(beg0: number, end0: number, minShift: number, depth: number): number[] {
  const bins: number[] = [];
  const end = end0 - 1;
  let t = 0;
  for (let l = 0, s = minShift + depth * 3; l <= depth; s -= 3, t += 1 << (l * 3), l++) {
    const b = t + Math.floor(beg0 / 2 ** s);
    const e = t + Math.floor(end / 2 ** s);
    for (let i = b; i <= e; i++) bins.push(i);
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
  const firstAtDeepest = ((1 << (index.depth * 3)) - 1) / 7;
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
  const lo = minOffset(index, ref, beg0);
  const found: Chunk[] = [];
  for (const bin of reg2bins(beg0, Math.max(end0, beg0 + 1), index.minShift, index.depth)) {
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
  for (const ref of index.refs) {
    for (const chunks of ref.bins.values()) {
      for (const c of chunks) {
        if (coffsetOf(c.beg) >= bamSize || coffsetOf(c.end) > bamSize) {
          throw fileError(index.path, `index does not belong to ${bamPath}: it points to byte ${coffsetOf(c.beg)} past the end of the BAM (${bamSize} bytes)`);
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
