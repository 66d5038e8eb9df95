import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IndexedFasta } from '@gmod/indexedfasta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSiteSpec } from '../../src/app/sites.js';
import { EXPORT_TSV_COLUMNS, panelToBed, panelToTsv, panelToVcf } from '../../src/reference/export.js';
import { checkRefAlleles } from '../../src/reference/fasta-check.js';
import { loadPanel, loadPanelSites, parsePanel } from '../../src/reference/panel.js';
import { UserError } from '../../src/util/errors.js';
import { requireTools } from '../helpers/requires.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } });

const grch38 = loadPanel({ build: 'GRCh38' });

describe('export formats', () => {
  it('TSV has the documented header and round-trips through the panel parser', () => {
    const tsv = panelToTsv(grch38);
    expect(tsv.split('\n')[0]).toBe('gene\tprotein\tcdna\tchrom\tpos\tref\talt\tbuild\trole\tverification');
    expect(EXPORT_TSV_COLUMNS.length).toBe(10);
    const back = parsePanel(tsv, 'export.tsv', 'user');
    expect(back.map((r) => [r.gene, r.protein, r.cdna, r.chrom, r.pos, r.ref, r.alt, r.build, r.role])).toEqual(
      grch38.map((r) => [r.gene, r.protein, r.cdna, r.chrom, r.pos, r.ref, r.alt, r.build, r.role]),
    );
  });

  it('BED is 0-based half-open and an MNV spans all its bases', () => {
    const rows = loadPanel({ build: 'GRCh37', includeUnverified: true, genes: ['ESR1'] });
    const bed = panelToBed(rows)
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const d538g = bed.find((f) => f[3].startsWith('ESR1_D538G'))!;
    expect(d538g.slice(0, 3)).toEqual(['chr6', '152419925', '152419926']);
    const l536q = bed.find((f) => f[3].startsWith('ESR1_L536Q'))!;
    expect(l536q.slice(0, 3)).toEqual(['chr6', '152419919', '152419921']);
  });

  it('is byte-identical across runs', () => {
    expect(panelToVcf(grch38, 'GRCh38', 'x')).toBe(panelToVcf(loadPanel({ build: 'GRCh38' }), 'GRCh38', 'x'));
  });

  it("VCF and TSV are accepted by count's site loader and give the panel's sites", async () => {
    const vcf = join(dir, 'panel38.vcf');
    const tsv = join(dir, 'panel38.tsv');
    writeFileSync(vcf, panelToVcf(grch38, 'GRCh38', 'test'));
    writeFileSync(tsv, panelToTsv(grch38));
    const want = loadPanelSites('GRCh38')
      .map((s) => `${s.chrom}:${s.pos1}:${s.ref}:${s.alt}`)
      .sort();
    for (const file of [vcf, tsv]) {
      const loaded = await loadSiteSpec(file, { bamBuild: 'GRCh38' } as Parameters<typeof loadSiteSpec>[1]);
      expect(loaded.sites.map(({ site: s }) => `${s.chrom}:${s.pos1}:${s.ref}:${s.alt}`).sort(), file).toEqual(want);
      expect(loaded.declaredBuild, file).toBe('GRCh38');
    }
  });
});

describe.skipIf(!requireTools('bcftools', 'bgzip', 'tabix'))('bcftools accepts the exports', () => {
  it('bcftools view reads every record of both builds, and the BED selects exactly them', () => {
    for (const build of ['GRCh38', 'GRCh37'] as const) {
      const rows = loadPanel({ build });
      const vcf = join(dir, `p-${build}.vcf`);
      writeFileSync(vcf, panelToVcf(rows, build, 'test'));
      const body = execFileSync('bcftools', ['view', '-H', vcf], { encoding: 'utf8' }).trim().split('\n');
      expect(body.length).toBe(rows.length);
      execFileSync('bgzip', ['-f', vcf]);
      execFileSync('tabix', ['-p', 'vcf', `${vcf}.gz`]);
      const bed = join(dir, `p-${build}.bed`);
      writeFileSync(bed, panelToBed(rows));
      const viaBed = execFileSync('bcftools', ['view', '-H', '-R', bed, `${vcf}.gz`], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(viaBed.length).toBe(rows.length);
      // A BED shifted by one base would miss SNVs: check a known position explicitly.
      const one = join(dir, 'one.bed');
      const d538g = rows.find((r) => r.protein === 'p.D538G')!;
      writeFileSync(one, `chr6\t${d538g.pos - 1}\t${d538g.pos}\n`);
      const hit = execFileSync('bcftools', ['view', '-H', '-R', one, `${vcf}.gz`], { encoding: 'utf8' }).trim();
      expect(hit.split('\t').slice(0, 5)).toEqual(['chr6', String(d538g.pos), 'ESR1_D538G', 'A', 'G']);
    }
  });
});

/** A tiny indexed FASTA: contig chr6 of 300 pseudo-random bases in 60-base lines, .fai written by hand. */
function tinyFasta(): { path: string; seq: string } {
  let x = 12345;
  let seq = '';
  for (let i = 0; i < 300; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    seq += 'ACGT'[(x >> 16) & 3];
  }
  const lines = seq.match(/.{1,60}/g)!.join('\n');
  const path = join(dir, 'tiny.fa');
  writeFileSync(path, `>chr6\n${lines}\n`);
  writeFileSync(`${path}.fai`, `chr6\t300\t6\t60\t61\n`);
  return { path, seq };
}

describe('reference FASTA check', () => {
  const { path, seq } = tinyFasta();
  const other = (b: string) => (b === 'A' ? 'C' : 'A');
  const row = (pos: number, ref: string) => `ESR1\tp.D538G\tchr6\t${pos}\t${ref}\t${[...ref].map(other).join('')}\tGRCh38\n`;
  const header = 'gene\tprotein\tchrom\tpos\tref\talt\tbuild\n';
  const good = `${header}${row(10, seq[9])}${row(61, seq.slice(60, 62))}${row(300, seq[299])}`;
  const bad = `${header}${row(10, seq[9])}${row(125, other(seq[124]))}`;
  const fetchRef = async (chrom: string, s: number, e: number) => {
    const fa = new IndexedFasta({ path, faiPath: `${path}.fai` });
    return (await fa.getSequenceSize(chrom)) === undefined ? undefined : await fa.getSequence(chrom, s, e);
  };

  it('accepts rows whose REF matches the genome, across a line break and at the last base', async () => {
    if (requireTools('samtools')) {
      // Our hand-written .fai must match what samtools writes.
      const copy = join(dir, 'copy.fa');
      writeFileSync(copy, readFileSync(path));
      execFileSync('samtools', ['faidx', copy]);
      expect(readFileSync(`${copy}.fai`, 'utf8')).toBe(readFileSync(`${path}.fai`, 'utf8'));
    }
    await expect(checkRefAlleles(parsePanel(good, 'good.tsv', 'user'), fetchRef, 'tiny.fa')).resolves.toBeUndefined();
  });

  it('names the row whose REF contradicts the genome', async () => {
    const err = await checkRefAlleles(parsePanel(bad, 'bad.tsv', 'user'), fetchRef, 'tiny.fa').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `tiny.fa: reference has ${seq[124]} at chr6:125 but the panel row ESR1 p.D538G chr6:125 (GRCh38) says REF=${other(seq[124])}`,
    );
  });

  it('accepts the other contig spelling (panel chr6, FASTA 6)', async () => {
    const plain = join(dir, 'plain6.fa');
    writeFileSync(plain, readFileSync(path, 'utf8').replace('>chr6', '>6'));
    writeFileSync(`${plain}.fai`, '6\t300\t3\t60\t61\n');
    const fa = new IndexedFasta({ path: plain, faiPath: `${plain}.fai` });
    const fetchPlain = async (chrom: string, s: number, e: number) =>
      (await fa.getSequenceSize(chrom)) === undefined ? undefined : await fa.getSequence(chrom, s, e);
    await expect(checkRefAlleles(parsePanel(good, 'good.tsv', 'user'), fetchPlain, 'plain6.fa')).resolves.toBeUndefined();
    const err = await checkRefAlleles(parsePanel(bad, 'bad.tsv', 'user'), fetchPlain, 'plain6.fa').catch((e) => e);
    expect(err.message).toMatch(/^plain6\.fa: reference has . at chr6:125 /);
  });

  it('reports a contig missing from the FASTA and a position past its end', async () => {
    const noContig = parsePanel(`${header}ESR1\tp.X\tchr3\t5\tA\tC\tGRCh38\n`, 'x.tsv', 'user');
    expect((await checkRefAlleles(noContig, fetchRef, 'tiny.fa').catch((e) => e)).message).toMatch(/contig chr3 not found/);
    const past = parsePanel(`${header}ESR1\tp.X\tchr6\t301\tA\tC\tGRCh38\n`, 'x.tsv', 'user');
    expect((await checkRefAlleles(past, fetchRef, 'tiny.fa').catch((e) => e)).message).toMatch(/beyond the end/);
  });

  describe('through the CLI', () => {
    beforeAll(() => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:ts before the reference CLI tests`);
    });
    it('exports a checked user panel; a mismatch exits 1 with one line and writes no file', () => {
      writeFileSync(join(dir, 'good.tsv'), good);
      writeFileSync(join(dir, 'bad.tsv'), bad);
      const out = join(dir, 'good.vcf');
      const ok = cli(['panel', 'export', '--panel', join(dir, 'good.tsv'), '--reference', path, '--format', 'vcf', '--out', out]);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(/^chr6\t61\tESR1_D538G\t/m);
      const badOut = join(dir, 'bad.vcf');
      const res = cli(['panel', 'export', '--panel', join(dir, 'bad.tsv'), '--reference', path, '--format', 'vcf', '--out', badOut]);
      expect(res.status).toBe(1);
      expect(res.stderr.trim().split('\n').length).toBe(1);
      expect(res.stderr).toMatch(
        /^oligotrack panel export: error: .*tiny\.fa: reference has . at chr6:125 but the panel row ESR1 p\.D538G/,
      );
      expect(existsSync(badOut)).toBe(false);
    });
  });
});

describe('panel CLI', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:ts before the reference CLI tests`);
  });
  it('list and show', () => {
    const list = cli(['panel', 'list']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')[0]).toBe('gene\tsites_grch38\tsites_grch37\troles');
    expect(list.stdout).toMatch(/^ESR1\t\d+\t\d+\tresistance$/m);
    const show = cli(['panel', 'show', 'AKT1']);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/AKT1_E17K\tp\.E17K\tNM_001382430\.1:c\.49G>A\tGRCh38\tchr14\t104780214\tC\tT\t/);
    expect(show.stdout).toMatch(/capivasertib/);
    const builds = cli(['panel', 'show', 'ESR1'])
      .stdout.trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t')[3]);
    expect(builds.indexOf('GRCh37')).toBe(builds.lastIndexOf('GRCh38') + 1);
  });
  it('export to stdout is deterministic; to a file it is the same bytes', () => {
    const a = cli(['panel', 'export', '--build', 'GRCh38', '--format', 'vcf']);
    const b = cli(['panel', 'export', '--build', 'GRCh38', '--format', 'vcf']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const out = join(dir, 'cli.vcf');
    expect(cli(['panel', 'export', '--build', 'GRCh38', '--format', 'vcf', '--out', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(a.stdout);
  });
  it('usage errors exit 2 with one line', () => {
    const gene = cli(['panel', 'export', '--build', 'GRCh38', '--genes', 'ESRl']);
    expect(gene.status).toBe(2);
    expect(gene.stderr).toBe('oligotrack panel export: usage error: unknown gene ESRl; did you mean ESR1?\n');
    expect(gene.stdout).toBe('');
    const build = cli(['panel', 'export', '--build', 'hg19']);
    expect(build.status).toBe(2);
    expect(build.stderr).toBe("oligotrack panel export: usage error: --build: 'hg19' is not one of GRCh38, GRCh37\n");
    const fmt = cli(['panel', 'export', '--build', 'GRCh37', '--format', 'maf']);
    expect(fmt.status).toBe(2);
    expect(cli(['panel']).status).toBe(2);
    const noFai = join(dir, 'nofai.fa');
    writeFileSync(noFai, '>chr6\nACGT\n');
    const fai = cli(['panel', 'export', '--build', 'GRCh38', '--reference', noFai]);
    expect(fai.status).toBe(1);
    expect(fai.stderr).toBe(`oligotrack panel export: error: ${noFai}: no index ${noFai}.fai (run samtools faidx ${noFai})\n`);
    expect(cli(['panel', 'show', 'TP35']).stderr).toBe('oligotrack panel show: usage error: unknown gene TP35; did you mean TP53?\n');
  });
});
