import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_COUNT_SETTINGS, type CountSettings } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { simulateToBam } from '../../src/simulate/simulate.js';
import { DEFAULT_SIMULATION } from '../../src/simulate/spec.js';
import { SyntheticReference } from '../../src/simulate/reference.js';
import { HTSLIB_TEST_DIR, requireHtslibTest, requireTools } from '../helpers/requires.js';
import { randomCase } from '../count/random-bam.js';
import { cramOf, expectSameCounts, firstDifference, htslibTwin, samtools, sitesFromPileup, writeFasta } from './cram-fixtures.js';

/**
 * CRAM records decoded by io/cram and scanned by the BAM kernel count exactly what the same reads
 * count as BAM: every row field, the reads seen/passing and the per-read observation table (UMIs,
 * fragment lengths, name hashes), in both mate modes.
 */

const hasSamtools = requireTools('samtools');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-cram-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FRAGMENT: CountSettings = { ...DEFAULT_COUNT_SETTINGS };
const READS: CountSettings = { ...DEFAULT_COUNT_SETTINGS, mates: 'reads' };
/** Everything counts (MAPQ 0, any flag, any quality) so that the odd records are compared too. */
const ALL: CountSettings = { ...DEFAULT_COUNT_SETTINGS, minMapq: 0, minBaseq: 0, excludeFlags: 0 };

async function expectTwins(
  bam: string,
  cram: string,
  ref: string | undefined,
  sites: Parameters<typeof expectSameCounts>[3],
  tag: string,
): Promise<void> {
  for (const settings of [FRAGMENT, READS, ALL]) {
    const r = await expectSameCounts(bam, cram, ref, sites, settings);
    expect(firstDifference(r.bamText, r.cramText), `${tag} (${settings.mates}, mapq ${settings.minMapq})`).toBe('');
  }
}

/** htslib's reference for a test file: the part of its name before '#'. */
function htslibFasta(file: string): string {
  const stem = basename(file)
    .split('#')[0]
    .replace(/\.(sam|cram)$/, '');
  return join(HTSLIB_TEST_DIR, `${stem === 'range' ? 'ce' : stem}.fa`); // range.cram's @SQ M5s are ce.fa's
}

describe.skipIf(!hasSamtools || !requireHtslibTest())('CRAMs of htslib-test', () => {
  it('the CRAM files shipped with htslib-test count as samtools decodes them', async () => {
    const crams = readdirSync(HTSLIB_TEST_DIR)
      .filter((f) => f.endsWith('.cram'))
      .sort();
    expect(crams.length).toBeGreaterThanOrEqual(4);
    let compared = 0;
    for (const f of crams) {
      const src = join(HTSLIB_TEST_DIR, f);
      const fa = htslibFasta(f);
      const stem = join(dir, basename(f, '.cram'));
      // A copy, so that the .crai made here sits beside it (range.cram has its own).
      const cram = `${stem}.cram`;
      copyFileSync(src, cram);
      const bam = `${stem}.bam`;
      samtools(['sort', '-o', bam, '--reference', fa, cram]);
      samtools(['index', bam]);
      try {
        samtools(['index', cram]);
      } catch {
        // Java-written CRAMs marked unsorted: read without an index in one pass.
      }
      const sites = sitesFromPileup(bam, compared + 1, 25);
      await expectTwins(bam, cram, fa, sites, f);
      compared++;
    }
    expect(compared).toBe(crams.length);
  });

  it('every htslib-test SAM as CRAM 3.0, and in turn as 2.1, 3.1, embedded reference, no reference, small multi-reference slices', async () => {
    const sams = readdirSync(HTSLIB_TEST_DIR)
      .filter((f) => f.endsWith('.sam'))
      .sort();
    const variants: { name: string; options: string[]; withRef: boolean }[] = [
      { name: '3.0', options: [], withRef: true },
      { name: '2.1', options: ['version=2.1'], withRef: true },
      { name: '3.1', options: ['version=3.1'], withRef: true },
      { name: 'embed_ref', options: ['embed_ref=1'], withRef: false },
      { name: 'no_ref', options: ['no_ref=1'], withRef: false },
      { name: 'small-slices', options: ['seqs_per_slice=7', 'multi_seq_per_slice=1'], withRef: true },
    ];
    const used: string[] = [];
    const skipped: string[] = [];
    const undecodable: string[] = [];
    for (const f of sams) {
      const src = join(HTSLIB_TEST_DIR, f);
      const stem = join(dir, `sam-${basename(f, '.sam')}`);
      const bam = `${stem}.bam`;
      const fa = htslibFasta(f);
      try {
        samtools(['sort', '-o', bam, src]);
        samtools(['index', bam]);
      } catch {
        skipped.push(f);
        continue;
      }
      let sites;
      try {
        sites = sitesFromPileup(bam, used.length + 1, 12);
      } catch {
        skipped.push(`${f} (no pileup)`);
        continue;
      }
      if (sites.length === 0) {
        skipped.push(`${f} (no mapped reads)`);
        continue;
      }
      let made = 0;
      // CRAM 3.0 for every file (no_ref when htslib-test has no FASTA for it); one other form per
      // file, in turn (each form meets ~9 files).
      const hasFasta = existsSync(fa);
      const first = hasFasta ? variants[0] : variants.find((v) => v.name === 'no_ref')!;
      const other = variants.filter((v) => v !== first && (hasFasta || !v.withRef));
      const forms = [first, other[used.length % other.length]];
      for (const v of forms) {
        const cram = `${stem}.${v.name}.cram`;
        try {
          cramOf(bam, v.withRef || v.name === 'embed_ref' ? fa : null, cram, v.options);
        } catch {
          continue; // samtools cannot write this file in this form (e.g. no reference for it)
        }
        // CRAM 2.1 cannot store a mapped read without SEQ, so the twin is what htslib decodes.
        let twin: string;
        try {
          twin = htslibTwin(cram, v.withRef ? fa : null, `${stem}.${v.name}.twin.bam`);
        } catch {
          undecodable.push(`${f} ${v.name}`); // samtools cannot read back what it wrote
          continue;
        }
        await expectTwins(twin, cram, v.withRef ? fa : undefined, sites, `${f} ${v.name}`);
        if (v.name === '3.0' || v.name === 'no_ref')
          await expectTwins(bam, cram, v.withRef ? fa : undefined, sites, `${f} ${v.name} against the original BAM`);
        made++;
      }
      if (made > 0) used.push(f);
      else skipped.push(`${f} (no CRAM written)`);
    }
    console.log(
      `htslib-test SAM→CRAM: compared ${used.length} files; skipped ${skipped.length}: ${skipped.join(', ')}; samtools cannot decode its own ${undecodable.join(', ')}`,
    );
    expect(used.length).toBeGreaterThan(30);
  });
});

describe.skipIf(!hasSamtools)('CRAMs of simulated BAMs', () => {
  it('random alignments of every shape (clips, indels, skips, odd flags, * qualities)', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const c = randomCase(5000 + seed, { reads: 1500, refLength: 400 });
      const bam = join(dir, `rand${seed}.bam`);
      const fa = join(dir, `rand${seed}.fa`);
      const { bam: bytes, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
      writeFileSync(bam, bytes);
      writeFileSync(`${bam}.bai`, index);
      writeFasta(fa, c.refSeq);
      const cram = cramOf(bam, fa, join(dir, `rand${seed}.cram`), seed % 2 ? [] : ['seqs_per_slice=100']);
      const sites = [...c.sites, ...sitesFromPileup(bam, seed, 20)];
      await expectTwins(bam, cram, fa, sites, `random seed ${seed}`);
      if (seed === 1) {
        const oracle = await expectSameCounts(bam, cram, fa, sites, FRAGMENT, 'oracle');
        expect(firstDifference(oracle.bamText, oracle.cramText)).toBe('');
      }
    }
  });

  it('cfDNA simulation with UMIs, duplicates, soft clips and low-MAPQ reads (UMI table included)', async () => {
    const refs = [
      { name: 'sim1', length: 12000 },
      { name: 'sim2', length: 9000 },
    ];
    const sites = [
      { chrom: 'sim1', pos1: 3001, ref: 'C', alt: 'T', vaf: 0.05 },
      { chrom: 'sim1', pos1: 3200, ref: 'G', alt: 'A', vaf: 0.2 },
      { chrom: 'sim1', pos1: 7001, ref: 'AT', alt: 'A', vaf: 0.1 },
      { chrom: 'sim2', pos1: 4001, ref: 'T', alt: 'TGA', vaf: 0.3 },
    ];
    const bam = join(dir, 'sim.bam');
    simulateToBam(
      {
        ...DEFAULT_SIMULATION,
        sample: 'simcram',
        seed: 17,
        refs,
        sites,
        depth: 400,
        umi: { length: 8, duplex: false },
        familySizeMean: 2.5,
        markDuplicates: true,
        lowMapqFraction: 0.05,
        softClipFraction: 0.1,
        qualityModel: 'binned',
      },
      bam,
    );
    const reference = new SyntheticReference();
    for (const s of sites) reference.placeAllele(s.chrom, s.pos1, s.ref, 'site');
    const fa = join(dir, 'sim.fa');
    writeFasta(fa, Object.fromEntries(refs.map((r) => [r.name, reference.segment(r.name, 0, r.length)])));
    const cram = cramOf(bam, fa, join(dir, 'sim.cram'));
    const countSites = sites.map((s) => ({ chrom: s.chrom, pos1: s.pos1, ref: s.ref, alt: s.alt, gene: '', protein: '', id: '' }));
    await expectTwins(bam, cram, fa, countSites, 'simulated cfDNA');
    const umi = await expectSameCounts(bam, cram, fa, countSites, { ...FRAGMENT, umi: true });
    expect(firstDifference(umi.bamText, umi.cramText)).toBe('');
    expect(umi.bamText).toMatch(/^obs .* [ACGT]{8}$/m);
  });
});
