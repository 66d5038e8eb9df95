import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { readBamHeader } from '../../src/io/bam-header.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { HTSLIB_TEST_DIR, requireHtslibTest, requireTools } from '../helpers/requires.js';
import { expectedFromSamtools } from './pileup.js';
import { randomCase, rng } from './random-bam.js';

/**
 * `--mates reads` counts equal what samtools 1.16 mpileup shows with the same filters
 * (-B -x -A -d 0 -q 20 --ff UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY), read token by token with
 * the documented indel/MNV rules applied (tests/count/pileup.ts). Qualities are taken from the
 * pileup at -Q 0 and filtered at 20 here, so the deletion quality rule (the base after the
 * deletion, as htslib) is samtools' own.
 */

const hasSamtools = requireTools('samtools');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings = { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' as const };

async function compareWithSamtools(bam: string, sites: Site[], tag: string): Promise<number> {
  const header = await readBamHeader(bam);
  const refIds = new Map(header.refs.map((r, i) => [r.name, i]));
  const expected = expectedFromSamtools(bam, sites, refIds, settings.minBaseq, join(dir, `${tag}.pos`));
  const result = await countBam(bam, sites, settings);
  let covered = 0;
  expected.forEach((e, i) => {
    const r = result.rows[i];
    const got = {
      depth: r.depth,
      ref: r.refCount,
      alt: r.altCount,
      other: r.otherCount,
      deletions: r.deletions,
      insertions: r.insertions,
      altFwd: r.altFwd,
      altRev: r.altRev,
    };
    expect(got, `${tag} site ${sites[i].chrom}:${sites[i].pos1} ${sites[i].ref}>${sites[i].alt}`).toEqual(e);
    if (e.depth > 0) covered++;
  });
  return covered;
}

describe.skipIf(!hasSamtools)('agreement with samtools mpileup (--mates reads)', () => {
  it('simulated deep BAMs with clips, indels, skips, odd flags and * qualities', async () => {
    let covered = 0;
    let altSites = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const c = randomCase(1000 + seed, { reads: 2500, refLength: 300 });
      // Extra sites: every 7th position of c1 as an SNV, so most sites have hundreds of reads.
      const r = rng(seed);
      for (let p = 3; p < 290; p += 7) {
        const refBase = c.refSeq.c1[p];
        const alt = 'ACGT'.replace(refBase, '')[Math.floor(r() * 3)];
        c.sites.push({ chrom: 'c1', pos1: p + 1, ref: refBase, alt, gene: '', protein: '', id: `x${p}` });
      }
      const bam = join(dir, `sim${seed}.bam`);
      const { bam: bytes, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
      writeFileSync(bam, bytes);
      writeFileSync(`${bam}.bai`, index);
      covered += await compareWithSamtools(bam, c.sites, `sim${seed}`);
      const res = await countBam(bam, c.sites, settings);
      altSites += res.rows.filter((x) => x.altCount > 0).length;
    }
    expect(covered).toBeGreaterThan(200);
    expect(altSites).toBeGreaterThan(30);
  });
});

describe.skipIf(!hasSamtools || !requireHtslibTest())('agreement with samtools on htslib-test SAM files', () => {
  it('every coordinate-sortable SAM with mapped reads', async () => {
    const sams = readdirSync(HTSLIB_TEST_DIR)
      .filter((f) => f.endsWith('.sam'))
      .sort();
    const used: string[] = [];
    const skipped: string[] = [];
    for (const f of sams) {
      const src = join(HTSLIB_TEST_DIR, f);
      const bam = join(dir, `${basename(f, '.sam')}.bam`);
      try {
        // Files samtools itself rejects (deliberately malformed fixtures) are skipped: see the
        // list printed below.
        execFileSync('samtools', ['sort', '-o', bam, src], { stdio: 'ignore' });
        // Every other file gets a CSI index (samtools index -c), read by our own CSI parser.
        execFileSync('samtools', ['index', ...(sams.indexOf(f) % 2 ? ['-c'] : []), bam], { stdio: 'ignore' });
      } catch {
        skipped.push(f);
        continue;
      }
      // Candidate sites from the data itself: positions with reads.
      const text = execFileSync('samtools', ['mpileup', '-B', '-x', '-A', '-d', '0', '-Q', '0', '-q', '0', '--ff', '0', bam], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const lines = text.split('\n').filter((l) => l && l.split('\t')[3] !== '0');
      if (lines.length === 0) {
        skipped.push(`${f} (no mapped reads)`);
        continue;
      }
      const r = rng(sams.indexOf(f) + 1);
      const sites: Site[] = [];
      const want = Math.min(12, lines.length);
      for (let k = 0; k < want; k++) {
        const f2 = lines[Math.floor(r() * lines.length)].split('\t');
        const chrom = f2[0];
        const pos1 = Number(f2[1]);
        const tokens = (f2[4].match(/[ACGTNacgtn]/g) ?? ['A']).map((b) => b.toUpperCase());
        const refBase = tokens[0] === 'N' ? 'A' : tokens[0];
        const alt = tokens.find((b) => b !== refBase && b !== 'N') ?? 'ACGT'.replace(refBase, '')[0];
        sites.push({ chrom, pos1, ref: refBase, alt, gene: '', protein: '', id: '' });
        const ins = /\+(\d+)([ACGTNacgtn]+)/.exec(f2[4]);
        if (ins)
          sites.push({
            chrom,
            pos1,
            ref: refBase,
            alt: refBase + ins[2].slice(0, Number(ins[1])).toUpperCase(),
            gene: '',
            protein: '',
            id: '',
          });
        const del = /-(\d+)/.exec(f2[4]);
        if (del) sites.push({ chrom, pos1, ref: refBase + 'N'.repeat(Number(del[1])), alt: refBase, gene: '', protein: '', id: '' });
        if (k % 3 === 0) sites.push({ chrom, pos1, ref: refBase + 'C', alt: alt + 'G', gene: '', protein: '', id: '' });
      }
      await compareWithSamtools(bam, sites, basename(f, '.sam'));
      used.push(f);
    }
    console.log(`htslib-test: compared ${used.length} files; skipped ${skipped.length}: ${skipped.join(', ')}`);
    expect(used.length).toBeGreaterThan(10);
  });
});
