import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAlleles, mergeSiteFiles, rejectDuplicates, trimAlleles, type LoadedSite, type SiteFile } from '../../src/count/sites.js';
import { loadSiteSpec } from '../../src/app/sites.js';
import { checkBuilds, resolveSites } from '../../src/count/sites-resolve.js';
import { UserError } from '../../src/util/errors.js';
import { requireTools } from '../helpers/requires.js';

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-sites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const VCF_HEAD = '##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n';
const ctx = { bamBuild: 'unknown' as const };

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('alleles', () => {
  it('rejects what cannot be counted, naming the allele', () => {
    expect(() => checkAlleles('A', '<DEL>')).toThrow(/symbolic ALT <DEL>/);
    expect(() => checkAlleles('A', '*')).toThrow(/"\*"/);
    expect(() => checkAlleles('A', 'A[chr2:321682[')).toThrow(/breakend/);
    expect(() => checkAlleles('A', '.')).toThrow(/missing/);
    expect(() => checkAlleles('A', 'a')).toThrow(/equals REF/);
    expect(() => checkAlleles('R', 'A')).toThrow(/REF "R"/);
    expect(checkAlleles('acg', 'atg')).toEqual({ ref: 'ACG', alt: 'ATG' });
  });
  it('trims shared bases, keeping the indel padding base', () => {
    expect(trimAlleles(100, 'ACG', 'ATG')).toEqual({ pos1: 101, ref: 'C', alt: 'T' });
    expect(trimAlleles(100, 'ATT', 'ATTT')).toEqual({ pos1: 100, ref: 'A', alt: 'AT' });
    expect(trimAlleles(100, 'CAT', 'CT')).toEqual({ pos1: 100, ref: 'CA', alt: 'C' });
    expect(trimAlleles(100, 'TCT', 'TAG')).toEqual({ pos1: 101, ref: 'CT', alt: 'AG' });
  });
});

describe('VCF sites', () => {
  it('splits multi-allelic records, trims, keeps IDs and INFO GENE/PROTEIN', async () => {
    const path = file(
      'multi.vcf',
      `${VCF_HEAD}chr6\t152094402\trs1;COSV2\tACG\tATG,A\t.\tPASS\tGENE=ESR1;PROTEIN=p.Y537S\n6\t10\t.\tC\tCAA\t.\t.\t.\n`,
    );
    const f = await loadSiteSpec(path, ctx);
    expect(f.kind).toBe('vcf');
    expect(
      f.sites.map((s) => [s.site.chrom, s.site.pos1, s.site.ref, s.site.alt, s.site.id, s.site.gene, s.site.protein, s.origin.line]),
    ).toEqual([
      ['chr6', 152094403, 'C', 'T', 'rs1;COSV2', 'ESR1', 'p.Y537S', 3],
      ['chr6', 152094402, 'ACG', 'A', 'rs1;COSV2', 'ESR1', 'p.Y537S', 3],
      ['6', 10, 'C', 'CAA', '', '', '', 4],
    ]);
  });
  it('reads gzip and BGZF-style multi-member files alike', async () => {
    const text = `${VCF_HEAD}1\t5\t.\tA\tG\t.\t.\t.\n`;
    const half = text.length >> 1;
    const path = file('multi-member.vcf.gz', Buffer.concat([gzipSync(text.slice(0, half)), gzipSync(text.slice(half))]));
    expect((await loadSiteSpec(path, ctx)).sites.map((s) => s.site.pos1)).toEqual([5]);
  });
  it('names the file and line of malformed records', async () => {
    expect(await errorOf(loadSiteSpec(file('pos.vcf', `${VCF_HEAD}1\t5\t.\tA\tG\n1\tx\t.\tA\tG\n`), ctx))).toMatch(
      /pos\.vcf:4: POS "x" is not a positive integer/,
    );
    expect(await errorOf(loadSiteSpec(file('sym.vcf', `${VCF_HEAD}1\t5\t.\tA\t<DEL>\t.\t.\t.\n`), ctx))).toMatch(
      /sym\.vcf:3: symbolic ALT <DEL>/,
    );
    expect(await errorOf(loadSiteSpec(file('short.vcf', `${VCF_HEAD}1\t5\t.\tA\n`), ctx))).toMatch(/short\.vcf:3: expected at least 5/);
    expect(await errorOf(loadSiteSpec(file('nohead.vcf', `##fileformat=VCFv4.3\n1\t5\t.\tA\tG\n`), ctx))).toMatch(
      /nohead\.vcf:2: expected a ## meta line/,
    );
    expect(await errorOf(loadSiteSpec(file('dup.vcf', `${VCF_HEAD}chr1\t5\t.\tA\tG\n1\t5\t.\tA\tG,T\n`), ctx))).toMatch(
      /dup\.vcf:4: duplicate site 1:5 A>G \(already at line 3\)/,
    );
  });
  it('reports a truncated compressed VCF and an unreadable path as file errors', async () => {
    const gz = gzipSync(`${VCF_HEAD}${'1\t5\t.\tA\tG\t.\t.\t.\n'.repeat(2000)}`);
    expect(await errorOf(loadSiteSpec(file('cut.vcf.gz', gz.subarray(0, gz.length - 40)), ctx))).toMatch(
      /cut\.vcf\.gz: corrupt or truncated compressed data/,
    );
    expect(await errorOf(loadSiteSpec(join(dir, 'absent.vcf'), ctx))).toMatch(/absent\.vcf: cannot read \(ENOENT\)/);
    expect(await errorOf(loadSiteSpec(dir, ctx))).toMatch(/cannot read \(EISDIR\)/);
  });
  it('takes the declared build from ##contig lengths, then ##reference', async () => {
    const b37 = await loadSiteSpec(
      file('b37.vcf', `##fileformat=VCFv4.2\n##contig=<ID=1,length=249250621>\n${VCF_HEAD.split('\n')[1]}\n`),
      ctx,
    );
    expect(b37.declaredBuild).toBe('GRCh37');
    const ref = await loadSiteSpec(
      file('ref.vcf', `##fileformat=VCFv4.2\n##reference=file:///refs/GRCh38.fa\n${VCF_HEAD.split('\n')[1]}\n`),
      ctx,
    );
    expect(ref.declaredBuild).toBe('GRCh38');
    expect(ref.buildEvidence).toBe('##reference=file:///refs/GRCh38.fa');
  });
});

describe('panel TSV sites', () => {
  it('reads columns by name in any order and ignores extra ones', async () => {
    const path = file(
      'panel.tsv',
      'gene\tprotein\tcdna\tchrom\tpos\tref\talt\tbuild\trole\nESR1\tp.D538G\tc.1613A>G\tchr6\t152094405\tA\tG\tGRCh38\tresistance\n\n# comment\n',
    );
    const f = await loadSiteSpec(path, ctx);
    expect(f.kind).toBe('panel-tsv');
    expect(f.declaredBuild).toBe('GRCh38');
    expect(f.sites).toEqual([
      {
        site: { chrom: 'chr6', pos1: 152094405, ref: 'A', alt: 'G', gene: 'ESR1', protein: 'p.D538G', id: '' },
        origin: { file: path, line: 2 },
      },
    ]);
  });
  it('names the line of malformed rows, duplicate rows and unknown builds', async () => {
    expect(await errorOf(loadSiteSpec(file('nocol.tsv', 'chrom\tpos\tref\n1\t5\tA\n'), ctx))).toMatch(/nocol\.tsv:1: .*missing alt/);
    expect(await errorOf(loadSiteSpec(file('width.tsv', 'chrom\tpos\tref\talt\n1\t5\tA\n'), ctx))).toMatch(
      /width\.tsv:2: expected 4 tab-separated columns/,
    );
    expect(await errorOf(loadSiteSpec(file('zero.tsv', 'chrom\tpos\tref\talt\n1\t0\tA\tG\n'), ctx))).toMatch(
      /zero\.tsv:2: pos "0" is not a 1-based position/,
    );
    expect(await errorOf(loadSiteSpec(file('dup.tsv', 'chrom\tpos\tref\talt\n1\t5\tA\tG\n1\t6\tA\tG\nchr1\t5\tA\tG\n'), ctx))).toMatch(
      /dup\.tsv:4: duplicate site chr1:5 A>G \(already at line 2\)/,
    );
    expect(await errorOf(loadSiteSpec(file('build.tsv', 'chrom\tpos\tref\talt\tbuild\n1\t5\tA\tG\thg18\n'), ctx))).toMatch(
      /build\.tsv:2: unknown build "hg18"/,
    );
  });
});

describe('merging and resolving', () => {
  const site = (chrom: string, pos1: number, gene = '', id = ''): LoadedSite => ({
    site: { chrom, pos1, ref: 'A', alt: 'G', gene, protein: gene ? `p.${pos1}` : '', id },
    origin: { file: 'f', line: pos1 },
  });
  const sf = (sites: LoadedSite[]): SiteFile => ({ source: 'f', kind: 'vcf', sites, contigLengths: new Map() });

  it('keeps a site shared by two inputs once, with the first spelling and blanks filled', () => {
    const merged = mergeSiteFiles([
      sf([site('6', 10, '', 'rs1'), site('6', 20)]),
      sf([site('chr6', 10, 'ESR1'), site('chr6', 30, 'ESR1')]),
    ]);
    expect(merged.map((m) => [m.site.chrom, m.site.pos1, m.site.gene, m.site.protein, m.site.id])).toEqual([
      ['6', 10, 'ESR1', 'p.10', 'rs1'],
      ['6', 20, '', '', ''],
      ['chr6', 30, 'ESR1', 'p.30', ''],
    ]);
  });
  it('rejects a duplicate within one input', () => {
    expect(() => rejectDuplicates([site('6', 10), site('chr6', 10)])).toThrow(/f:10: duplicate site chr6:10 A>G \(already at line 10\)/);
  });
  it('maps sites onto BAM names, sorts by header order, filters by region', () => {
    const refs = [
      { name: 'chr2', length: 1000 },
      { name: 'chr1', length: 1000 },
    ];
    const resolved = resolveSites([site('1', 50), site('2', 900), site('1', 5)], 'x.bam', refs);
    expect(resolved.map((r) => [r.site.chrom, r.bamSite.chrom, r.site.pos1])).toEqual([
      ['2', 'chr2', 900],
      ['1', 'chr1', 5],
      ['1', 'chr1', 50],
    ]);
    const inRegion = resolveSites([site('1', 50), site('2', 900), site('1', 5)], 'x.bam', refs, { chrom: '1', start0: 10, end0: 50 });
    expect(inRegion.map((r) => r.site.pos1)).toEqual([50]);
  });
  it('spells a contig one way in the output when inputs spell it two ways', () => {
    const refs = [{ name: 'chr6', length: 1000 }];
    const resolved = resolveSites([site('6', 50), site('chr6', 20)], 'x.bam', refs);
    expect(resolved.map((r) => [r.site.chrom, r.site.pos1, r.outputChrom])).toEqual([
      ['6', 20, '6'],
      ['6', 50, '6'],
    ]);
  });
  it('rejects a site on a contig the BAM lacks or past a contig end', () => {
    const refs = [{ name: 'chr1', length: 1000 }];
    expect(() => resolveSites([site('chr9', 5)], 'x.bam', refs)).toThrow(
      /^f:5: site chr9:5 A>G: contig chr9 is not in the header of x\.bam \(it has chr1\)$/,
    );
    expect(() => resolveSites([site('1', 1001)], 'x.bam', refs)).toThrow(
      /f:1001: site 1:1001 A>G ends at 1001, beyond the end of chr1 \(length 1000\)/,
    );
  });
  it('says exactly that GRCh37 sites do not fit a GRCh38 BAM', () => {
    const f: SiteFile = { ...sf([]), source: 'tumour.vcf', declaredBuild: 'GRCh37', buildEvidence: '##reference=hs37d5' };
    expect(() => checkBuilds('p.bam', 'GRCh38', [], [f])).toThrow(
      "tumour.vcf: sites are GRCh37 (from ##reference=hs37d5) but the BAM p.bam is GRCh38 (from its header's contig lengths); use sites of the BAM's build",
    );
    const b38: SiteFile = { ...sf([]), source: 'panel.tsv', declaredBuild: 'GRCh38', buildEvidence: 'its build column (line 2)' };
    expect(() => checkBuilds('old.bam', 'GRCh37', [], [b38])).toThrow(
      /panel\.tsv: sites are GRCh38 \(from its build column \(line 2\)\) but the BAM old\.bam is GRCh37/,
    );
    expect(() => checkBuilds('x.bam', 'unknown', [], [b38])).not.toThrow(); // an unknown build cannot be checked
    const lengths: SiteFile = { ...sf([]), source: 's.vcf', contigLengths: new Map([['1', 500]]) };
    expect(() => checkBuilds('p.bam', 'unknown', [{ name: 'chr1', length: 1000 }], [lengths])).toThrow(
      /s\.vcf: ##contig 1 has length 500 but the BAM p\.bam has chr1 of length 1000/,
    );
  });
});

describe.skipIf(!requireTools('bgzip', 'tabix'))('indexed VCF with --region', () => {
  it('reads only the records of the region through the tabix index', async () => {
    const lines = [1, 2, 3].flatMap((c) => [100, 5000, 90000].map((p) => `chr${c}\t${p}\t.\tA\tG\t.\t.\t.`));
    const path = file(
      'indexed.vcf',
      `##fileformat=VCFv4.3\n##contig=<ID=chr1>\n##contig=<ID=chr2>\n##contig=<ID=chr3>\n${VCF_HEAD.split('\n')[1]}\n${lines.join('\n')}\n`,
    );
    execFileSync('bgzip', ['-f', path]);
    execFileSync('tabix', ['-p', 'vcf', `${path}.gz`]);
    // The region names the contig the BAM way ('2'); the index says 'chr2'.
    const f = await loadSiteSpec(`${path}.gz`, { bamBuild: 'unknown', region: { chrom: '2', start0: 4000, end0: 100000 } });
    expect(f.sites.map((s) => `${s.site.chrom}:${s.site.pos1}`)).toEqual(['chr2:5000', 'chr2:90000']);
    expect(f.sites[0].origin.line).toBeUndefined();
    const all = await loadSiteSpec(`${path}.gz`, ctx);
    expect(all.sites).toHaveLength(9);
  });
});
