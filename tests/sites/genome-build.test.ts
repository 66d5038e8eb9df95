import { describe, expect, it } from 'vitest';
import { ContigResolver, canonicalContig } from '../../src/count/contigs.js';
import { GENOME_BUILDS, buildFromName, detectBuild, parseBuildName } from '../../src/count/genome-build.js';

describe('GENOME_BUILDS', () => {
  it('holds 25 primary contigs per build with the published chr1/chrX/chrM lengths', () => {
    // Literal values from the NCBI assembly reports (GCF_000001405.40 and .25), not from the table.
    for (const build of ['GRCh38', 'GRCh37'] as const) expect(GENOME_BUILDS[build].contigs).toHaveLength(25);
    const len = (b: 'GRCh38' | 'GRCh37', n: string) => GENOME_BUILDS[b].contigs.find((c) => c.name === n)?.length;
    expect(len('GRCh38', '1')).toBe(248956422);
    expect(len('GRCh37', '1')).toBe(249250621);
    expect(len('GRCh38', 'X')).toBe(156040895);
    expect(len('GRCh37', '17')).toBe(81195210);
    expect(len('GRCh38', 'MT')).toBe(16569);
  });
});

describe('detectBuild', () => {
  it('recognises UCSC-named GRCh38 and Ensembl-named GRCh37 headers', () => {
    expect(
      detectBuild([
        { name: 'chr1', length: 248956422 },
        { name: 'chr6', length: 170805979 },
      ]),
    ).toBe('GRCh38');
    expect(
      detectBuild([
        { name: '1', length: 249250621 },
        { name: 'MT', length: 16569 },
      ]),
    ).toBe('GRCh37');
  });
  it('says unknown for toy contigs, chrM alone, or contradicting contigs', () => {
    expect(detectBuild([{ name: 'chr1', length: 5000 }])).toBe('unknown');
    expect(detectBuild([{ name: 'chrM', length: 16569 }])).toBe('unknown');
    expect(
      detectBuild([
        { name: 'chr1', length: 248956422 },
        { name: 'chr2', length: 243199373 },
      ]),
    ).toBe('unknown');
  });
});

describe('build names', () => {
  it('reads ##reference values and FASTA paths', () => {
    expect(buildFromName('GRCh37')).toBe('GRCh37');
    expect(buildFromName('file:///ref/hs37d5.fa')).toBe('GRCh37');
    expect(buildFromName('/data/human_g1k_v37.fasta')).toBe('GRCh37');
    expect(buildFromName('ucsc.hg19.fasta')).toBe('GRCh37');
    expect(buildFromName('GRCh38_full_analysis_set_plus_decoy_hla.fa')).toBe('GRCh38');
    expect(buildFromName('Homo_sapiens_assembly38.fasta')).toBe('GRCh38');
    expect(buildFromName('mm10.fa')).toBeUndefined();
    expect(buildFromName('length138')).toBeUndefined();
  });
  it('parses a panel build column', () => {
    expect(parseBuildName('grch38')).toBe('GRCh38');
    expect(parseBuildName('hg19')).toBe('GRCh37');
    expect(parseBuildName('GRCh36')).toBeUndefined();
  });
});

describe('contig reconciliation', () => {
  it('maps chr6 ↔ 6 and chrM ↔ MT, exact names first', () => {
    expect(canonicalContig('chr6')).toBe('6');
    expect(canonicalContig('chrM')).toBe('MT');
    expect(canonicalContig('M')).toBe('MT');
    expect(canonicalContig('chrX')).toBe('X');
    const r = new ContigResolver([
      { name: '6', length: 100 },
      { name: 'MT', length: 16569 },
      { name: 'chr7', length: 50 },
    ]);
    expect(r.resolve('chr6')).toEqual({ name: '6', length: 100, index: 0 });
    expect(r.resolve('chrM')?.name).toBe('MT');
    expect(r.resolve('7')?.name).toBe('chr7');
    expect(r.resolve('chr8')).toBeUndefined();
  });
  it('refuses an alias that two header contigs share', () => {
    const r = new ContigResolver([
      { name: '6', length: 100 },
      { name: 'chr6', length: 200 },
    ]);
    expect(r.resolve('6')?.length).toBe(100);
    expect(r.resolve('chr6')?.length).toBe(200);
    expect(r.resolve('CHR6')).toBeUndefined();
  });
});
