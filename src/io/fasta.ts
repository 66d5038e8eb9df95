import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { fileError } from '../util/errors.js';
import { BgzfRandomAccess } from './bgzf-random-access.js';
import { isBgzfHeader, isGzipMagic } from './bgzf-reader.js';

/** One line of a samtools faidx index (.fai): where a contig's bases lie in the FASTA. */
interface FaiEntry {
  name: string;
  length: number;
  offset: number;
  lineBases: number;
  lineBytes: number;
}

/**
 * An indexed FASTA (`samtools faidx`), read with one open descriptor: CRAM decoding fetches the
 * reference span of every slice, and @gmod/indexedfasta opens the file anew for each fetch.
 * Bases come back upper-cased (htslib upper-cases the reference it decodes CRAM against). Plain
 * or bgzip-compressed (with the `.gzi` samtools faidx writes beside the `.fai`), as htslib reads.
 */
export class IndexedFastaFile {
  private fd: number | null;
  private readonly size: number;
  /** Set for a bgzipped FASTA: the .fai offsets are into its uncompressed text. */
  private readonly bgzf: BgzfRandomAccess | null;
  readonly contigs: Map<string, FaiEntry>;

  constructor(readonly path: string) {
    if (!existsSync(path)) throw fileError(path, 'reference FASTA not found');
    const faiPath = `${path}.fai`;
    if (!existsSync(faiPath)) throw fileError(path, `no index ${faiPath} (run samtools faidx ${path})`);
    this.contigs = parseFai(readFileSync(faiPath, 'latin1'), faiPath);
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    const head = Buffer.alloc(Math.min(16, this.size));
    readSync(this.fd, head, 0, head.length, 0);
    try {
      if (isGzipMagic(head) && !isBgzfHeader(head)) {
        throw fileError(
          path,
          'is gzip-compressed, not bgzip-compressed: a FASTA is read at random only from BGZF (gunzip it, then bgzip and samtools faidx it)',
        );
      }
      this.bgzf = isBgzfHeader(head) ? new BgzfRandomAccess(this.fd, path, this.size) : null;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  length(name: string): number | undefined {
    return this.contigs.get(name)?.length;
  }

  /** Bases [start0, end0) of `name`, clipped to the contig; upper case. */
  fetch(name: string, start0: number, end0: number): string {
    const e = this.contigs.get(name);
    if (!e) throw fileError(this.path, `has no contig ${name}`);
    const from = Math.max(0, start0);
    const to = Math.min(e.length, end0);
    if (to <= from) return '';
    const byteOf = (p: number): number => e.offset + Math.floor(p / e.lineBases) * e.lineBytes + (p % e.lineBases);
    const first = byteOf(from);
    const last = byteOf(to - 1) + 1;
    if (!this.bgzf && last > this.size)
      throw fileError(this.path, `is shorter than its index says (contig ${name}); re-run samtools faidx`);
    const raw = Buffer.allocUnsafe(last - first);
    let done = 0;
    if (this.bgzf) done = this.bgzf.read(raw, first);
    while (!this.bgzf && done < raw.length) {
      const got = readSync(this.fd!, raw, done, raw.length - done, first + done);
      if (got === 0) break;
      done += got;
    }
    if (this.bgzf && done < raw.length)
      throw fileError(this.path, `is shorter than its index says (contig ${name}); re-run samtools faidx`);
    let out = '';
    let runStart = 0;
    // Drop line ends (\n, \r\n) between the stretches of bases.
    for (let i = 0; i < done; i++) {
      const c = raw[i];
      if (c === 10 || c === 13) {
        if (i > runStart) out += raw.toString('latin1', runStart, i);
        runStart = i + 1;
      }
    }
    if (done > runStart) out += raw.toString('latin1', runStart, done);
    if (out.length !== to - from)
      throw fileError(this.path, `contig ${name} does not match its index ${this.path}.fai; re-run samtools faidx`);
    return out.toUpperCase();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function parseFai(text: string, faiPath: string): Map<string, FaiEntry> {
  const out = new Map<string, FaiEntry>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const f = line.replace(/\r$/, '').split('\t');
    const [length, offset, lineBases, lineBytes] = f.slice(1, 5).map(Number);
    if (
      f.length < 5 ||
      ![length, offset, lineBases, lineBytes].every((x) => Number.isInteger(x) && x >= 0) ||
      lineBases < 1 ||
      lineBytes < lineBases
    ) {
      throw fileError(faiPath, 'not a samtools faidx index (expected name, length, offset, line bases, line bytes)', i + 1);
    }
    out.set(f[0], { name: f[0], length, offset, lineBases, lineBytes });
  });
  return out;
}
