import { BGZF_BLOCK_DATA, BGZF_EOF, bgzfBlock } from './bgzf-writer.js';

/**
 * A bgzip-compressed FASTA with its samtools indexes (.fai, .gzi), for a genome known only in
 * windows: bases inside the windows come from `fill`, every other base is N. A full-length genome
 * whose reads lie in a few kilobases (a simulated panel) then costs megabytes, not gigabytes: a
 * BGZF block of N lines is compressed once and repeated (GRCh38's 3.1 Gb are 47,400 such blocks of
 * ~240 bytes each, 11.5 MB), and htslib, samtools and `--reference` read it by random access.
 */

export interface FastaContig {
  name: string;
  length: number;
}

/** A half-open span [start0, end0) of a contig whose bases `fill` gives. */
export interface FastaWindow {
  contig: string;
  start0: number;
  end0: number;
}

export interface EncodedFasta {
  /** The BGZF-compressed FASTA, ending with the BGZF EOF block. */
  fasta: Buffer;
  /** `samtools faidx`'s index: name, length, offset of the first base, bases and bytes per line. */
  fai: string;
  /** htslib's BGZF block index (`.gzi`): count, then (compressed, uncompressed) offset pairs, little-endian uint64. */
  gzi: Buffer;
}

/** Bases per FASTA line (Ensembl and the GRCh38 analysis sets use 60). */
export const FASTA_LINE_BASES = 60;
/** Whole lines per BGZF block: 1,070 × 61 bytes = 65,270, the most that fit in htslib's 65,280. */
const LINES_PER_BLOCK = Math.floor(BGZF_BLOCK_DATA / (FASTA_LINE_BASES + 1));
const N = 78;
const NEWLINE = 10;

export function encodeWindowedFasta(
  contigs: readonly FastaContig[],
  windows: readonly FastaWindow[],
  fill: (contig: string, start0: number, n: number, out: Uint8Array) => void,
): EncodedFasta {
  const lineBytes = FASTA_LINE_BASES + 1;
  const blocks: Buffer[] = [];
  /** Uncompressed offset of each block after the first, for the .gzi. */
  const gziPairs: [number, number][] = [];
  let compressed = 0;
  let uncompressed = 0;
  const emit = (data: Uint8Array, block?: Buffer): void => {
    if (blocks.length > 0) gziPairs.push([compressed, uncompressed]);
    const b = block ?? bgzfBlock(data);
    blocks.push(b);
    compressed += b.length;
    uncompressed += data.length;
  };
  const nLines = Buffer.alloc(LINES_PER_BLOCK * lineBytes, 'N'.repeat(FASTA_LINE_BASES) + '\n', 'latin1');
  const nBlock = bgzfBlock(nLines);
  const faiLines: string[] = [];
  const seen = new Set<string>();
  for (const c of contigs) {
    if (seen.has(c.name)) throw new Error(`FASTA contig ${c.name} is given twice`);
    seen.add(c.name);
    emit(Buffer.from(`>${c.name}\n`, 'latin1'));
    faiLines.push(`${c.name}\t${c.length}\t${uncompressed}\t${FASTA_LINE_BASES}\t${lineBytes}\n`);
    const own = windows.filter((w) => w.contig === c.name && w.end0 > w.start0);
    const lines = Math.ceil(c.length / FASTA_LINE_BASES);
    for (let first = 0; first < lines; first += LINES_PER_BLOCK) {
      const last = Math.min(lines, first + LINES_PER_BLOCK);
      const start0 = first * FASTA_LINE_BASES;
      const end0 = Math.min(c.length, last * FASTA_LINE_BASES);
      const inBlock = own.filter((w) => w.start0 < end0 && w.end0 > start0);
      if (inBlock.length === 0 && end0 - start0 === LINES_PER_BLOCK * FASTA_LINE_BASES) {
        emit(nLines, nBlock);
        continue;
      }
      const bases = Buffer.alloc(end0 - start0, N);
      for (const w of inBlock) {
        const from = Math.max(w.start0, start0);
        const to = Math.min(w.end0, end0);
        fill(c.name, from, to - from, bases.subarray(from - start0, to - start0));
      }
      const text = Buffer.allocUnsafe(bases.length + (last - first));
      let at = 0;
      for (let i = 0; i < bases.length; i += FASTA_LINE_BASES) {
        const n = Math.min(FASTA_LINE_BASES, bases.length - i);
        text.set(bases.subarray(i, i + n), at);
        at += n;
        text[at++] = NEWLINE;
      }
      emit(text);
    }
  }
  blocks.push(BGZF_EOF);
  const gzi = Buffer.alloc(8 + 16 * gziPairs.length);
  gzi.writeBigUInt64LE(BigInt(gziPairs.length), 0);
  gziPairs.forEach(([c, u], i) => {
    gzi.writeBigUInt64LE(BigInt(c), 8 + 16 * i);
    gzi.writeBigUInt64LE(BigInt(u), 16 + 16 * i);
  });
  return { fasta: Buffer.concat(blocks), fai: faiLines.join(''), gzi };
}
