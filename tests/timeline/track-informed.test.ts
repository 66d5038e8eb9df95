/**
 * `track` with the samplesheet's `vcf` column (tumour-informed sites from the tissue biopsy) and the
 * content-keyed count cache, end to end on BAMs written by the project's BAM writer.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTIG, E2E_REFERENCE, writeDrawBam, writeSitesTsv } from './e2e-fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-informed-'));
const p = (name: string) => join(dir, name);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function tsvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n');
  const names = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}

// A site the panel lacks, inside the reads around chrT:1000 (reads start at 911..990, 100 bp long),
// with the contig's real base as REF: tissue-only, so only the VCF brings it in.
const EXTRA_POS = 1020;
const EXTRA_REF = E2E_REFERENCE[EXTRA_POS - 1];
const EXTRA_ALT = EXTRA_REF === 'A' ? 'C' : 'A';

beforeAll(() => {
  writeSitesTsv(p('sites.tsv'));
  writeDrawBam(p('bams/P1_d0.bam'), 'P1_d0', [
    [25, 500],
    [24, 500],
    [0, 500],
  ]);
  writeDrawBam(p('bams/P1_d1.bam'), 'P1_d1', [
    [26, 500],
    [22, 500],
    [0, 500],
  ]);
  writeDrawBam(p('bams/P2_d0.bam'), 'P2_d0', [
    [10, 500],
    [9, 500],
    [0, 500],
  ]);
  // The tissue VCF repeats the panel's chrT:1000 C>T (must be counted once) and adds EXTRA.
  writeFileSync(
    p('P1.tissue.vcf'),
    [
      '##fileformat=VCFv4.3',
      `##contig=<ID=${CONTIG.name},length=${CONTIG.length}>`,
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
      `${CONTIG.name}\t1000\ttissue1\tC\tT\t.\tPASS\t.`,
      `${CONTIG.name}\t${EXTRA_POS}\ttissue2\t${EXTRA_REF}\t${EXTRA_ALT}\t.\tPASS\t.`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    p('sheet.csv'),
    'patient,sample,collection_date,bam,vcf\nP1,P1_d0,2026-01-05,bams/P1_d0.bam,P1.tissue.vcf\nP1,P1_d1,2026-03-05,bams/P1_d1.bam,\nP2,P2_d0,2026-01-10,bams/P2_d0.bam,\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tumour-informed VCF from the samplesheet', () => {
  it('counts the VCF sites for that patient only, shared sites once, and marks them', () => {
    const r = cli('track', '--samplesheet', 'sheet.csv', '--sites', 'sites.tsv', '--out-dir', 'out');
    expect(r.status, r.stderr).toBe(0);
    const rows = tsvRows(readFileSync(p('out/timeline.tsv'), 'utf8'));
    const p1d0 = rows.filter((x) => x.sample === 'P1_d0');
    // Panel 3 sites + 1 tissue-only site; chrT:1000 appears once, not twice.
    expect(p1d0.map((x) => [x.pos, x.tumour_informed])).toEqual([
      ['1000', 'yes'],
      [String(EXTRA_POS), 'yes'],
      ['3000', 'no'],
      ['5000', 'no'],
    ]);
    // The shared site's counts are the BAM's (25 of 500), not doubled by the merge.
    expect([p1d0[0].alt_count, p1d0[0].depth]).toEqual(['25', '500']);
    // Both draws of P1 carry the tissue site (the VCF is on P1's first row only).
    expect(rows.filter((x) => x.sample === 'P1_d1').map((x) => x.pos)).toContain(String(EXTRA_POS));
    // Reads at chrT:1020 carry only the reference base: depth > 0, no alt.
    const extra = p1d0[1];
    expect(Number(extra.depth)).toBeGreaterThan(0);
    expect(extra.alt_count).toBe('0');
    // P2 has no VCF: the panel only, nothing tumour-informed.
    expect(rows.filter((x) => x.sample === 'P2_d0').map((x) => [x.pos, x.tumour_informed])).toEqual([
      ['1000', 'no'],
      ['3000', 'no'],
      ['5000', 'no'],
    ]);
    const t = JSON.parse(readFileSync(p('out/patients/P1.json'), 'utf8'));
    const site1000 = t.sites.find((x: { pos: number }) => x.pos === 1000);
    expect(site1000.id).toBe('tissue1'); // the VCF's ID kept, the panel's gene filled in
    expect(site1000.gene).toBe('TP53');
    // Clonal pooling prefers tissue-confirmed sites: TP53 chrT:3000 (panel only, 4.8%) is left out,
    // although without the VCF both TP53 sites are clonal (see track-cli.test.ts).
    expect(t.tumour_fraction.clonal_sites).toEqual(['chrT:1000:C>T']);
    const p2 = JSON.parse(readFileSync(p('out/patients/P2.json'), 'utf8'));
    expect(p2.tumour_fraction.clonal_sites).toEqual(['chrT:1000:C>T', 'chrT:3000:C>T']);
  });

  it('without --sites, a patient with no vcf is an error naming the samplesheet line', () => {
    const r = cli('track', '--samplesheet', 'sheet.csv', '--out-dir', 'out_nosites');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/sheet\.csv:4: patient P2 has no 'vcf'.*no --sites/);
  });

  it('without --sites, the VCF alone is enough for a patient that has one', () => {
    writeFileSync(p('only_p1.csv'), 'patient,sample,collection_date,bam,vcf\nP1,P1_d0,2026-01-05,bams/P1_d0.bam,P1.tissue.vcf\n');
    const r = cli('track', '--samplesheet', 'only_p1.csv', '--out-dir', 'out_vcf_only');
    expect(r.status, r.stderr).toBe(0);
    const rows = tsvRows(readFileSync(p('out_vcf_only/timeline.tsv'), 'utf8'));
    expect(rows.map((x) => [x.pos, x.tumour_informed])).toEqual([
      ['1000', 'yes'],
      [String(EXTRA_POS), 'yes'],
    ]);
  });
});

describe('the count cache is keyed on the BAM content', () => {
  const sheet = 'patient,sample,collection_date,bam\nP3,P3_d0,2026-01-05,c/P3_d0.bam\n';
  it('a touched BAM is reused; new content with the old mtime is recounted', () => {
    writeDrawBam(p('c/P3_d0.bam'), 'P3_d0', [
      [25, 500],
      [24, 500],
      [0, 500],
    ]);
    writeFileSync(p('cache.csv'), sheet);
    const first = cli('track', '--samplesheet', 'cache.csv', '--sites', 'sites.tsv', '--out-dir', 'out_cache');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/\(0 from cache\)/);
    // New mtime, same bytes: reused (a size + mtime key would recount).
    utimesSync(p('c/P3_d0.bam'), new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const touched = cli('track', '--samplesheet', 'cache.csv', '--sites', 'sites.tsv', '--out-dir', 'out_cache');
    expect(touched.stderr).toMatch(/\(1 from cache\)/);
    // Other bytes with the old mtime put back (an mtime key would reuse the stale counts): recounted.
    const st = statSync(p('c/P3_d0.bam'));
    writeDrawBam(p('c/other.bam'), 'P3_d0', [
      [24, 500],
      [25, 500],
      [0, 500],
    ]); // same depths, alt moved
    const other = readFileSync(p('c/other.bam'));
    const original = readFileSync(p('c/P3_d0.bam'));
    expect(other.equals(original)).toBe(false);
    copyFileSync(p('c/other.bam'), p('c/P3_d0.bam'));
    utimesSync(p('c/P3_d0.bam'), st.atime, st.mtime);
    const changed = cli('track', '--samplesheet', 'cache.csv', '--sites', 'sites.tsv', '--out-dir', 'out_cache');
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.stderr).toMatch(/\(0 from cache\)/);
    const rows = tsvRows(readFileSync(p('out_cache/timeline.tsv'), 'utf8'));
    expect(rows.map((x) => x.alt_count)).toEqual(['24', '25', '0']);
  });

  it('a tumour VCF site on a contig the BAM lacks is one clear error naming the VCF and the contig, with no output', () => {
    writeFileSync(
      p('P1.bad.vcf'),
      [
        '##fileformat=VCFv4.3',
        '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
        `${CONTIG.name}\t1000\tok\tC\tT\t.\tPASS\t.`,
        'chrZ\t500\tlost\tA\tG\t.\tPASS\t.',
        '',
      ].join('\n'),
    );
    writeFileSync(
      p('bad-sheet.csv'),
      'patient,sample,collection_date,bam,vcf\nP1,P1_d0,2026-01-05,bams/P1_d0.bam,P1.bad.vcf\nP1,P1_d1,2026-03-05,bams/P1_d1.bam,\n',
    );
    const r = cli('track', '--samplesheet', 'bad-sheet.csv', '--sites', 'sites.tsv', '--out-dir', 'out_badvcf');
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(/P1\.bad\.vcf.*contig chrZ is not in the header of .*P1_d0\.bam/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("a panel of normals without the patient's tissue-only site: the site takes its class rate, with a warning", () => {
    const pon = cli('pon', '--bam', 'bams/P2_d0.bam', '--sites', 'sites.tsv', '--out', 'pon.tsv');
    expect(pon.status, pon.stderr).toBe(0);
    const r = cli('track', '--samplesheet', 'sheet.csv', '--sites', 'sites.tsv', '--pon', 'pon.tsv', '--out-dir', 'out_pon');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/pon\.tsv: 1 of 4 sites are not in the PoN \(first .*:1020:.*\): they use their substitution class's rate/);
    const t = JSON.parse(readFileSync(p('out_pon/patients/P1.json'), 'utf8'));
    expect(t.sites.some((x: { pos: number }) => x.pos === EXTRA_POS)).toBe(true);
  });
});
