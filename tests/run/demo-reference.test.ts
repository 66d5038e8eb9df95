import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSamples, demoSpec, loadDemoSites, loadTruthVafs } from '../../src/demo/cohort.js';
import { prepareDemoInputs, type DemoInputs } from '../../src/demo/generate.js';
import { DEMO_REFERENCE, writeDemoReference } from '../../src/demo/reference.js';
import { IndexedFastaFile } from '../../src/io/fasta.js';
import { samtools } from '../cram/cram-fixtures.js';
import { requireTools } from '../helpers/requires.js';
import { CLI } from '../pipelines/demo-inputs.js';

/**
 * The demo writes the genome its BAMs were simulated from (input/reference/demo.fa.gz, .fai, .gzi):
 * the BAMs' @SQ contigs at full length, the reads' own bases where reads lie. A user turns a demo
 * BAM into a CRAM with it, and `count --reference` on the CRAM gives the BAM's table.
 */
const HAVE_SAMTOOLS = requireTools('samtools');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-demo-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const inputDir = join(dir, 'input');
let inputs: DemoInputs;
let bam: string;

beforeAll(async () => {
  inputs = await prepareDemoInputs(inputDir, 1, undefined, ['DEMO-01']);
  bam = join(inputDir, demoSamples().find((s) => s.patient === 'DEMO-01')!.bam);
}, 300_000);

interface BamRead {
  ref: number;
  pos0: number;
  cigar: [op: number, len: number][];
  seq: string;
}

/** The @SQ lines and reads of a BAM, decoded here from the bytes (BAM spec §4.2), not by the code under test. */
function readBam(path: string): { refs: { name: string; length: number }[]; reads: BamRead[] } {
  const b = gunzipSync(readFileSync(path));
  expect(b.toString('latin1', 0, 4)).toBe('BAM\x01');
  let at = 8 + b.readInt32LE(4);
  const refs: { name: string; length: number }[] = [];
  const nRef = b.readInt32LE(at);
  at += 4;
  for (let i = 0; i < nRef; i++) {
    const l = b.readInt32LE(at);
    refs.push({ name: b.toString('latin1', at + 4, at + 4 + l - 1), length: b.readInt32LE(at + 4 + l) });
    at += 8 + l;
  }
  const reads: BamRead[] = [];
  while (at < b.length) {
    const size = b.readInt32LE(at);
    const r = at + 4;
    const [ref, pos0, lName, nCigar, flag, lSeq] = [
      b.readInt32LE(r),
      b.readInt32LE(r + 4),
      b[r + 8],
      b.readUInt16LE(r + 12),
      b.readUInt16LE(r + 14),
      b.readInt32LE(r + 16),
    ];
    let p = r + 32 + lName;
    const cigar: [number, number][] = [];
    for (let k = 0; k < nCigar; k++, p += 4) cigar.push([b.readUInt32LE(p) & 15, b.readUInt32LE(p) >>> 4]);
    let seq = '';
    for (let k = 0; k < lSeq; k++) seq += '=ACMGRSVTWYHKDBN'[(b[p + (k >> 1)] >> (k & 1 ? 0 : 4)) & 15];
    if (!(flag & 4)) reads.push({ ref, pos0, cigar, seq });
    at += 4 + size;
  }
  return { refs, reads };
}

/**
 * Per reference position, the reads' aligned bases against `refBase`: where a read lies on an N or
 * past the FASTA, and the positions where most covering reads disagree (a wrong base would show as
 * one; sequencing errors at 0.1 % and the demo's ALT alleles at ≤ 20 % VAF never make a majority).
 */
function compareWithReads(
  reads: BamRead[],
  refBase: (ref: number, pos0: number) => string | undefined,
): { aligned: number; onN: number; mismatches: number; majorityWrong: string[] } {
  const tally = new Map<string, { n: number; bad: number }>();
  let aligned = 0;
  let onN = 0;
  let mismatches = 0;
  for (const r of reads) {
    let q = 0;
    let p = r.pos0;
    for (const [op, len] of r.cigar) {
      if (op === 0 || op === 7 || op === 8) {
        for (let k = 0; k < len; k++) {
          const want = refBase(r.ref, p + k);
          aligned++;
          if (want === undefined || want === 'N') {
            onN++;
            continue;
          }
          const bad = r.seq[q + k] !== want;
          if (bad) mismatches++;
          const key = `${r.ref}:${p + k}`;
          const t = tally.get(key) ?? { n: 0, bad: 0 };
          t.n++;
          if (bad) t.bad++;
          tally.set(key, t);
        }
      }
      if (op === 0 || op === 1 || op === 4 || op === 7 || op === 8) q += len;
      if (op === 0 || op === 2 || op === 3 || op === 7 || op === 8) p += len;
    }
  }
  const majorityWrong = [...tally].filter(([, t]) => t.n >= 20 && t.bad * 2 > t.n).map(([k]) => k);
  return { aligned, onN, mismatches, majorityWrong };
}

describe('oligotrack demo: the reference its BAMs were simulated against', () => {
  it('writes a bgzipped FASTA with .fai and .gzi whose contigs are the BAM @SQ lines', () => {
    expect(inputs.reference).toBe(join(inputDir, DEMO_REFERENCE));
    expect(readdirSync(join(inputDir, 'reference')).sort()).toEqual(['demo.fa.gz', 'demo.fa.gz.fai', 'demo.fa.gz.gzi']);
    const fai = readFileSync(`${inputs.reference}.fai`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    const { refs } = readBam(bam);
    expect(refs.length).toBe(25); // GRCh38 primary contigs: the header build detection reads
    expect(fai.map(([name, length]) => ({ name, length: Number(length) }))).toEqual(refs);
    // Full-length contigs stay small: N outside the simulated windows compresses to ~240 bytes per 64 KiB.
    expect(statSync(inputs.reference).size).toBeLessThan(16e6);
  });

  it('holds the bases the reads were drawn from: every aligned base on a FASTA base, each position agreeing with most reads', () => {
    const { refs, reads } = readBam(bam);
    const fasta = new IndexedFastaFile(inputs.reference);
    // One fetch per contig, from the first read to past the last (deletions lengthen a read's span).
    const range = new Map<number, [number, number]>();
    for (const r of reads) {
      const [lo, hi] = range.get(r.ref) ?? [r.pos0, 0];
      range.set(r.ref, [Math.min(lo, r.pos0), Math.max(hi, r.pos0 + r.seq.length + 100)]);
    }
    const spans = new Map([...range].map(([ref, [lo, hi]]) => [ref, { start0: lo, bases: fasta.fetch(refs[ref].name, lo, hi) }]));
    fasta.close();
    const at = (shift: number) => (ref: number, pos0: number) => {
      const s = spans.get(ref)!;
      return s.bases[pos0 + shift - s.start0];
    };
    const exact = compareWithReads(reads, at(0));
    expect(exact.aligned).toBeGreaterThan(1e6);
    expect(exact.onN).toBe(0);
    expect(exact.majorityWrong).toEqual([]);
    expect(exact.mismatches / exact.aligned).toBeLessThan(0.01);
    // The same check on the FASTA read one base off: it must see the difference.
    const shifted = compareWithReads(reads, at(1));
    expect(shifted.majorityWrong.length).toBeGreaterThan(1000);
  });

  it('is byte-identical when written again, and an unchanged file is left alone', () => {
    const sites = loadDemoSites();
    const truth = loadTruthVafs();
    const specs = demoSamples()
      .filter((s) => s.patient === 'DEMO-07')
      .map((s) => demoSpec(s.sample, sites, truth));
    const again = join(dir, 'again');
    const path = writeDemoReference(again, specs);
    for (const ext of ['', '.fai', '.gzi'])
      expect(readFileSync(`${path}${ext}`).equals(readFileSync(`${inputs.reference}${ext}`)), ext).toBe(true);
    const mtime = statSync(path).mtimeMs;
    writeDemoReference(again, specs);
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(readdirSync(join(again, 'reference')).sort()).toEqual(['demo.fa.gz', 'demo.fa.gz.fai', 'demo.fa.gz.gzi']);
  });

  it.skipIf(!HAVE_SAMTOOLS)('has the .fai and .gzi that samtools faidx writes for it', () => {
    const copy = join(dir, 'faidx', 'demo.fa.gz');
    rmSync(join(dir, 'faidx'), { recursive: true, force: true });
    spawnSync('mkdir', ['-p', join(dir, 'faidx')]);
    copyFileSync(inputs.reference, copy);
    samtools(['faidx', copy]);
    expect(readFileSync(`${copy}.fai`, 'utf8')).toBe(readFileSync(`${inputs.reference}.fai`, 'utf8'));
    expect(readFileSync(`${copy}.gzi`).equals(readFileSync(`${inputs.reference}.gzi`))).toBe(true);
    // samtools reads the same bases as --reference does, across a window's edges.
    const fasta = new IndexedFastaFile(inputs.reference);
    const site = loadDemoSites()[2]; // PIK3CA E545K: 16 kb from the next demo site, so N on both sides
    const region = `${site.chrom}:${site.pos1 - 800}-${site.pos1 + 800}`;
    const viaSamtools = samtools(['faidx', inputs.reference, region]).split('\n').slice(1).join('');
    expect(viaSamtools).toBe(fasta.fetch(site.chrom, site.pos1 - 801, site.pos1 + 800));
    expect(viaSamtools).toMatch(/^N+[ACGT]{1000,}N+$/);
    fasta.close();
  });

  it.skipIf(!HAVE_SAMTOOLS)(
    'turns a demo BAM into a CRAM that samtools and count --reference decode to the BAM',
    () => {
      const cram = join(dir, 'D1.cram');
      samtools(['view', '-C', '-T', inputs.reference, '-o', cram, bam]);
      samtools(['index', cram]);
      expect(samtools(['view', '-c', '-T', inputs.reference, cram])).toBe(samtools(['view', '-c', bam]));
      // Record by record: name, flag, position, MAPQ, CIGAR, mate, sequence and qualities (tags aside).
      const core = (text: string) =>
        text
          .trimEnd()
          .split('\n')
          .map((l) => l.split('\t').slice(0, 11).join('\t'));
      const fromBam = core(samtools(['view', bam]));
      const fromCram = core(samtools(['view', '-T', inputs.reference, cram]));
      expect(fromCram.length).toBe(fromBam.length);
      expect(fromCram).toEqual(fromBam);
      const count = (input: string, extra: string[]) => {
        const out = join(dir, `${input.endsWith('.cram') ? 'cram' : 'bam'}.tsv`);
        const r = spawnSync(process.execPath, [CLI, 'count', '--bam', input, '--sites', inputs.sites, '--out', out, ...extra], {
          encoding: 'utf8',
          env: { ...process.env, OLIGOTRACK_QUIET: '1' },
        });
        expect(r.status, r.stderr).toBe(0);
        return readFileSync(out, 'utf8');
      };
      const fromBamTsv = count(bam, []);
      expect(fromBamTsv.split('\n').length).toBeGreaterThan(6);
      expect(count(cram, ['--reference', inputs.reference])).toBe(fromBamTsv);
    },
    300_000,
  );
});
