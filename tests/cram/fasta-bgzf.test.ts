import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexedFastaFile } from '../../src/io/fasta.js';
import { encodeWindowedFasta } from '../../src/io/fasta-bgzf-writer.js';
import { UserError } from '../../src/util/errors.js';
import { rng } from '../count/random-bam.js';
import { requireTools } from '../helpers/requires.js';
import { samtools, writeFasta } from './cram-fixtures.js';

/**
 * `--reference` reads a bgzipped FASTA (samtools faidx's .fai + .gzi) as it reads a plain one:
 * the same bases for every span, block boundaries included; a gzip (not bgzip) FASTA or a missing
 * .gzi is one line naming the file.
 */
const HAVE_SAMTOOLS = requireTools('samtools', 'bgzip');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-fasta-bgzf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const r = rng(4242);
/** Two contigs spanning several 64 KiB blocks; the second's length not a multiple of the line width. */
const contigs = { c1: 150_000, c2: 70_017 };
const seqs: Record<string, string> = Object.fromEntries(
  Object.entries(contigs).map(([name, n]) => [name, Array.from({ length: n }, () => 'ACGT'[Math.floor(r() * 4)]).join('')]),
);

function write(path: string, windows: { contig: string; start0: number; end0: number }[]): void {
  const enc = encodeWindowedFasta(
    Object.entries(contigs).map(([name, length]) => ({ name, length })),
    windows,
    (contig, start0, n, out) => out.set(Buffer.from(seqs[contig].slice(start0, start0 + n), 'latin1')),
  );
  writeFileSync(path, enc.fasta);
  writeFileSync(`${path}.fai`, enc.fai);
  writeFileSync(`${path}.gzi`, enc.gzi);
}

/** Spans at block edges (65,270 bytes of text per full block) and random ones. */
function spans(): [string, number, number][] {
  const out: [string, number, number][] = [
    ['c1', 0, 10],
    ['c1', 64_150, 64_400],
    ['c1', 149_990, 150_000],
    ['c2', 0, 70_017],
    ['c1', 0, 150_000],
  ];
  for (let i = 0; i < 200; i++) {
    const name = r() < 0.5 ? 'c1' : 'c2';
    const a = Math.floor(r() * contigs[name as keyof typeof contigs]);
    out.push([name, a, a + 1 + Math.floor(r() * 5000)]);
  }
  return out;
}

describe('IndexedFastaFile on a bgzipped FASTA', () => {
  it('fetches the bases of every span, N outside the written windows', () => {
    const path = join(dir, 'w.fa.gz');
    const windows = [
      { contig: 'c1', start0: 1000, end0: 70_000 },
      { contig: 'c2', start0: 60_000, end0: 70_017 },
    ];
    write(path, windows);
    const fa = new IndexedFastaFile(path);
    for (const [name, a, b] of spans()) {
      const end = Math.min(b, contigs[name as keyof typeof contigs]);
      const want = Array.from({ length: end - a }, (_, k) => {
        const p = a + k;
        return windows.some((w) => w.contig === name && p >= w.start0 && p < w.end0) ? seqs[name][p] : 'N';
      }).join('');
      expect(fa.fetch(name, a, b), `${name}:${a}-${b}`).toBe(want);
    }
    fa.close();
  });

  it.skipIf(!HAVE_SAMTOOLS)('reads what samtools bgzip + faidx write, and writes what they index', () => {
    const plain = join(dir, 'p.fa');
    writeFasta(plain, seqs);
    const gz = join(dir, 'p.fa.gz');
    writeFileSync(gz, execFileSync('bgzip', ['-c', plain]));
    samtools(['faidx', gz]);
    const fromSamtools = new IndexedFastaFile(gz);
    const fromPlain = new IndexedFastaFile(plain);
    for (const [name, a, b] of spans()) expect(fromSamtools.fetch(name, a, b)).toBe(fromPlain.fetch(name, a, b));
    fromSamtools.close();
    fromPlain.close();
    // Ours, whole contigs written: samtools faidx derives the same .fai and .gzi from the bytes.
    const ours = join(dir, 'o.fa.gz');
    write(ours, [
      { contig: 'c1', start0: 0, end0: contigs.c1 },
      { contig: 'c2', start0: 0, end0: contigs.c2 },
    ]);
    const copy = join(dir, 'o-copy.fa.gz');
    copyFileSync(ours, copy);
    samtools(['faidx', copy]);
    expect(readFileSync(`${copy}.fai`, 'utf8')).toBe(readFileSync(`${ours}.fai`, 'utf8'));
    expect(readFileSync(`${copy}.gzi`).equals(readFileSync(`${ours}.gzi`))).toBe(true);
    expect(samtools(['faidx', ours, 'c2:69901-70017']).split('\n').slice(1).join('')).toBe(seqs.c2.slice(69_900));
  });

  it('rejects a gzip (not bgzip) FASTA and a bgzipped one without its .gzi, naming the file', () => {
    const gz = join(dir, 'g.fa.gz');
    writeFileSync(gz, gzipSync('>c1\nACGT\n'));
    writeFileSync(`${gz}.fai`, 'c1\t4\t4\t4\t5\n');
    expect(() => new IndexedFastaFile(gz)).toThrow(UserError);
    expect(() => new IndexedFastaFile(gz)).toThrow(`${gz}: is gzip-compressed, not bgzip-compressed`);
    const bg = join(dir, 'nogzi.fa.gz');
    write(bg, []);
    rmSync(`${bg}.gzi`);
    expect(() => new IndexedFastaFile(bg)).toThrow(`${bg}: is bgzip-compressed but has no block index ${bg}.gzi`);
  });
});
