import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { randomCase } from '../count/random-bam.js';
import { requireTools } from '../helpers/requires.js';
import { cramOf, samtools, writeFasta } from './cram-fixtures.js';

/**
 * track, run and pon on CRAMs made by `samtools view -C` from BAMs give what the BAM twins give:
 * the same timelines, PoN, classification, MultiQC files and report HTML; without --reference, one
 * line naming it.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const hasSamtools = requireTools('samtools');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-cram-track-'));
const p = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } });
const DRAWS = [
  ['PT1-D1', '2025-01-10'],
  ['PT1-D2', '2025-03-10'],
  ['PT1-D3', '2025-05-10'],
] as const;

beforeAll(() => {
  if (!hasSamtools) return;
  const c = randomCase(1717, { reads: 3000, refLength: 600 });
  const { bam, index } = encodeBamWithIndex({ refs: c.refs, text: '@RG\tID:a\tSM:PT1\n' }, c.records, { level: 1 });
  writeFileSync(p('full.bam'), bam);
  writeFileSync(p('full.bam.bai'), index);
  writeFasta(p('ref.fa'), c.refSeq);
  // Three draws of one person with different depths: subsets of the reads (samtools -s keeps pairs together).
  DRAWS.forEach(([sample], i) => {
    samtools(['view', '-b', '-s', `${7 + i}.${[9, 6, 4][i]}`, '-o', p(`${sample}.bam`), p('full.bam')]);
    samtools(['index', p(`${sample}.bam`)]);
    cramOf(p(`${sample}.bam`), p('ref.fa'), p(`${sample}.cram`));
  });
  const rows = c.sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}\tG${s.pos1}\tp.X${s.pos1}`);
  writeFileSync(p('sites.tsv'), ['chrom\tpos\tref\talt\tgene\tprotein', ...rows].join('\n') + '\n');
  for (const ext of ['bam', 'cram']) {
    writeFileSync(
      p(`samples-${ext}.csv`),
      ['patient,sample,collection_date,bam', ...DRAWS.map(([s, d]) => `PT1,${s},${d},${s}.${ext}`)].join('\n') + '\n',
    );
  }
  writeFileSync(
    p('clinical.csv'),
    'patient,subtype,therapy,therapy_class,therapy_start\nPT1,HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-01-06\n',
  );
  writeFileSync(
    p('imaging.csv'),
    'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns\nPT1,2025-03-20,0,0,,no,no\nPT1,2025-05-20,2,0,bone,no,no\n',
  );
});

/** Every file under `root` (relative path → text), with the input file names made alike. */
function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), join(rel, e.name));
      else if (!rel.startsWith('counts')) out.set(join(rel, e.name), readFileSync(join(d, e.name), 'utf8').replaceAll('.cram', '.bam'));
    }
  };
  walk(root, '');
  return out;
}

describe.skipIf(!hasSamtools)('track, run and pon on CRAM twins of BAMs', () => {
  it('track --reference: the same timelines and MultiQC files as from the BAMs', () => {
    const a = cli('track', '--samplesheet', 'samples-bam.csv', '--sites', 'sites.tsv', '--out-dir', 'track-bam');
    const b = cli('track', '--samplesheet', 'samples-cram.csv', '--sites', 'sites.tsv', '--out-dir', 'track-cram', '--reference', 'ref.fa');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const bamTree = tree(p('track-bam'));
    expect([...bamTree.keys()].sort()).toEqual([
      'multiqc/oligotrack_draws_mqc.json',
      'multiqc/oligotrack_tumour_fraction_mqc.json',
      'patients/PT1.json',
      'timeline.tsv',
    ]);
    expect(tree(p('track-cram'))).toEqual(bamTree);
    // The draws table: one row per draw, with the median depth of that draw's sites.
    const table = JSON.parse(bamTree.get('multiqc/oligotrack_draws_mqc.json')!) as {
      data: Record<string, { median_depth: number; identity: string }>;
    };
    expect(Object.keys(table.data).sort()).toEqual(DRAWS.map(([s]) => s));
    const depths = DRAWS.map(([s]) => table.data[s].median_depth);
    expect(depths[0]).toBeGreaterThan(depths[2]); // 90% of the reads against 40%
    expect(Object.values(table.data).every((r) => r.identity === 'not checked')).toBe(true);
  });

  it('track without --reference on CRAMs: exit 1, one line naming --reference, no timeline', () => {
    const r = cli('track', '--samplesheet', 'samples-cram.csv', '--sites', 'sites.tsv', '--out-dir', 'track-noref');
    expect(r.status).toBe(1);
    const lines = r.stderr
      .trimEnd()
      .split('\n')
      .filter((l) => /error/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PT1-D1\.cram: this CRAM stores reads as differences from a reference genome: give --reference genome\.fa/);
    expect(existsSync(p('track-noref/timeline.tsv'))).toBe(false);
  });

  it('pon --reference: the same PoN from CRAMs as from the BAMs', () => {
    const bams = DRAWS.map(([s]) => `${s}.bam`);
    const a = cli('pon', '--bam', ...bams, '--sites', 'sites.tsv', '--out', 'pon-bam.tsv');
    const b = cli(
      'pon',
      '--bam',
      ...bams.map((x) => x.replace('.bam', '.cram')),
      '--sites',
      'sites.tsv',
      '--out',
      'pon-cram.tsv',
      '--reference',
      'ref.fa',
    );
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(readFileSync(p('pon-cram.tsv'), 'utf8')).toBe(readFileSync(p('pon-bam.tsv'), 'utf8'));
  });

  it('run --reference: the same classification, timelines, MultiQC files and report HTML as from the BAMs', () => {
    const common = ['--clinical', 'clinical.csv', '--imaging', 'imaging.csv', '--sites', 'sites.tsv', '--between-draw-prior', '0.1'];
    const a = cli('run', '--samplesheet', 'samples-bam.csv', ...common, '--out-dir', 'run-bam');
    const b = cli('run', '--samplesheet', 'samples-cram.csv', ...common, '--out-dir', 'run-cram', '--reference', 'ref.fa');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const bamTree = tree(p('run-bam'));
    for (const f of ['classification.json', 'classification.tsv', 'timeline.tsv', 'multiqc/oligotrack_draws_mqc.json'])
      expect(bamTree.has(f), f).toBe(true);
    expect(tree(p('run-cram'))).toEqual(bamTree);
    // The report pages, byte for byte once the input file names are read alike: the names are the
    // only difference (the patient page lists each draw's file), nothing says how a draw was stored.
    const pages = ['report/index.html', 'report/PT1.html'];
    for (const page of pages) {
      const bamPage = readFileSync(p(join('run-bam', page)), 'utf8');
      const cramPage = readFileSync(p(join('run-cram', page)), 'utf8');
      expect(cramPage.replaceAll('.cram', '.bam'), page).toBe(bamPage);
      expect(bamPage, page).not.toContain('.cram');
      expect(cramPage.split('.cram').length, page).toBe(bamPage.split('.bam').length);
    }
    const patientPage = readFileSync(p('run-cram/report/PT1.html'), 'utf8');
    for (const [sample] of DRAWS) expect(patientPage).toContain(`${sample}.cram`);
    expect(patientPage).not.toMatch(/CRAM|ref\.fa/);
  });
});
