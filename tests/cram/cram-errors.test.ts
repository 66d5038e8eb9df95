import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCram } from '../../src/count/count-cram.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { UserError } from '../../src/util/errors.js';
import { randomCase, rng } from '../count/random-bam.js';
import { requireTools } from '../helpers/requires.js';
import { cramOf, writeFasta } from './cram-fixtures.js';

/**
 * What a user gets for a CRAM that cannot be read: one line naming the file and what is needed,
 * a UserError (exit 1), never a stack trace or a silently wrong count.
 */

const hasSamtools = requireTools('samtools');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-cram-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fa = '';
let bam = '';
let cram = '';
let sites: Site[] = [];
let refSeq: Record<string, string> = {};

beforeAll(() => {
  if (!hasSamtools) return;
  const c = randomCase(77, { reads: 3000, refLength: 2000, wild: false });
  refSeq = c.refSeq;
  bam = join(dir, 'x.bam');
  const { bam: bytes, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
  writeFileSync(bam, bytes);
  writeFileSync(`${bam}.bai`, index);
  fa = join(dir, 'x.fa');
  writeFasta(fa, c.refSeq);
  // Small slices: the file has many containers, so damage lands in record data as well as headers.
  cram = cramOf(bam, fa, join(dir, 'x.cram'), ['seqs_per_slice=300']);
  sites = [100, 700, 1500].map((p) => ({
    chrom: 'c1',
    pos1: p,
    ref: c.refSeq.c1[p - 1],
    alt: c.refSeq.c1[p - 1] === 'A' ? 'C' : 'A',
    gene: '',
    protein: '',
    id: '',
  }));
});

async function failure(path: string, reference: string | undefined): Promise<UserError> {
  try {
    await countCram(path, sites, DEFAULT_COUNT_SETTINGS, { referencePath: reference });
  } catch (e) {
    if (e instanceof UserError) return e;
    throw new Error(`not a UserError: ${(e as Error).stack}`, { cause: e });
  }
  throw new Error('no error');
}

describe.skipIf(!hasSamtools)('CRAM without its reference, or with the wrong one', () => {
  it('no --reference: names the option and the reference the CRAM was written with', async () => {
    const e = await failure(cram, undefined);
    expect(e.message).toMatch(/^\S+x\.cram: this CRAM stores reads as differences from a reference genome: give --reference genome\.fa/);
    expect(e.message).toMatch(/@SQ SN:c1 LN:2000 M5:[0-9a-f]{32}/);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('a FASTA of the same lengths with one base changed: MD5 mismatch naming both checksums', async () => {
    const bad = join(dir, 'onebase.fa');
    // Three bases after the site at 700: inside the slices the site needs.
    const changed = { ...refSeq, c1: `${refSeq.c1.slice(0, 702)}${refSeq.c1[702] === 'A' ? 'C' : 'A'}${refSeq.c1.slice(703)}` };
    writeFasta(bad, changed);
    const e = await failure(cram, bad);
    expect(e.message).toMatch(
      /onebase\.fa: is not the reference \S+x\.cram was written with: c1:\d+-\d+ has MD5 [0-9a-f]{32} in the FASTA but [0-9a-f]{32} in the CRAM \(@SQ SN:c1 LN:2000 M5:[0-9a-f]{32}( UR:\S+)?\)/,
    );
    expect(e.message).toContain('give --reference the FASTA the CRAM was made with');
  });

  it('another assembly (other lengths and bases): the slice checksum refuses it, the length is warned about', async () => {
    const other = join(dir, 'other.fa');
    writeFasta(other, { c1: refSeq.c2.repeat(2), c2: refSeq.c1 });
    const e = await failure(cram, other);
    expect(e.message).toMatch(/other\.fa: is not the reference/);
  });

  it('a FASTA without the contig the reads are on', async () => {
    const partial = join(dir, 'partial.fa');
    writeFasta(partial, { c2: refSeq.c2 });
    const e = await failure(cram, partial);
    expect(e.message).toMatch(/partial\.fa: has no contig c1, which \S+x\.cram needs to decode its reads/);
  });

  it('a FASTA without .fai, and a missing FASTA', async () => {
    const noFai = join(dir, 'nofai.fa');
    copyFileSync(fa, noFai);
    expect((await failure(cram, noFai)).message).toMatch(/nofai\.fa: no index \S+nofai\.fa\.fai \(run samtools faidx/);
    expect((await failure(cram, join(dir, 'absent.fa'))).message).toMatch(/absent\.fa: reference FASTA not found/);
  });
});

describe.skipIf(!hasSamtools)('hostile CRAM input', () => {
  it('not a CRAM, a truncated CRAM, an unsupported version', async () => {
    expect((await failure(bam, fa)).message).toMatch(/x\.bam: not a CRAM file/);
    const bytes = readFileSync(cram);
    for (const keep of [10, 30, 200, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const cut = join(dir, `cut${keep}.cram`);
      writeFileSync(cut, bytes.subarray(0, keep));
      const e = await failure(cut, fa);
      expect(e.message, `cut at ${keep}`).toMatch(/cut\d+\.cram: (not a CRAM file|truncated CRAM: the EOF container is missing)/);
    }
    const v4 = Buffer.from(bytes);
    v4[4] = 4;
    const v4Path = join(dir, 'v4.cram');
    writeFileSync(v4Path, v4);
    expect((await failure(v4Path, fa)).message).toMatch(/v4\.cram: CRAM version 4\.0 is not supported/);
  });

  it('an index of another CRAM', async () => {
    const other = randomCase(78, { reads: 200, refLength: 2000, wild: false });
    const otherBam = join(dir, 'other.bam');
    writeFileSync(otherBam, encodeBamWithIndex({ refs: other.refs }, other.records, { level: 1 }).bam);
    const otherFa = join(dir, 'other-ref.fa');
    writeFasta(otherFa, other.refSeq);
    const otherCram = cramOf(otherBam, otherFa, join(dir, 'other.cram'));
    const mixed = join(dir, 'mixed.cram');
    copyFileSync(otherCram, mixed);
    copyFileSync(`${cram}.crai`, `${mixed}.crai`);
    const e = await failure(mixed, otherFa);
    expect(e.message).toMatch(/mixed\.cram(\.crai)?: /);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('bytes changed anywhere, or a file cut short behind a valid EOF container: a one-line error or the right counts, never a crash or a hang', async () => {
    // Sites every 50 bases of both contigs: nearly every slice is decoded, so damage lands in what is read.
    const everywhere = ['c1', 'c2'].flatMap((chrom) =>
      Array.from({ length: 38 }, (_, i) => ({ chrom, pos1: 60 + i * 50, ref: 'A', alt: 'C', gene: '', protein: '', id: '' })),
    );
    const count = async (path: string) =>
      JSON.stringify((await countCram(path, everywhere, DEFAULT_COUNT_SETTINGS, { referencePath: fa })).rows);
    const expected = await count(cram);
    const v21 = cramOf(bam, fa, join(dir, 'v21.cram'), ['version=2.1', 'seqs_per_slice=300']);
    const outcomes = { error: 0, same: 0, different: 0 };
    for (const [label, source] of [
      ['3.0', cram],
      ['2.1', v21],
    ] as const) {
      const bytes = readFileSync(source);
      const r = rng(label === '3.0' ? 11 : 12);
      const eof = bytes.subarray(bytes.length - (label === '3.0' ? 38 : 30));
      for (let k = 0; k < 120; k++) {
        const at = 26 + Math.floor(r() * (bytes.length - 26 - 38)); // past the file definition, before the EOF container
        let damaged: Buffer;
        if (k % 3 === 2) damaged = Buffer.concat([bytes.subarray(0, at), eof]);
        else {
          damaged = Buffer.from(bytes);
          damaged[at] ^= 1 + Math.floor(r() * 255);
          if (k % 3 === 1) for (let j = 1; j < 4 && at + j < bytes.length - 38; j++) damaged[at + j] = Math.floor(r() * 256);
        }
        const path = join(dir, `flip.cram`);
        writeFileSync(path, damaged);
        copyFileSync(`${source}.crai`, `${path}.crai`);
        try {
          const got = await count(path);
          if (got === expected) outcomes.same++;
          else {
            outcomes.different++;
            // Only CRAM 2.1 has no block checksums: a changed byte in 3.0 must never pass unnoticed.
            expect(label, `CRAM ${label}: byte ${at} changed the counts without an error`).toBe('2.1');
          }
        } catch (e) {
          expect(e, `byte ${at} of the ${label} file`).toBeInstanceOf(UserError);
          expect((e as Error).message.split('\n')).toHaveLength(1);
          expect((e as Error).message).toContain('flip.cram');
          outcomes.error++;
        }
      }
    }
    console.log(
      `damaged CRAMs: ${outcomes.error} errors, ${outcomes.same} unchanged counts, ${outcomes.different} changed counts (CRAM 2.1 only)`,
    );
    expect(outcomes.error).toBeGreaterThan(200);
  });
});
