import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBam, writeBam } from '../../src/io/bam-writer.js';
import { corruptBgzfBlockCrc, truncateBgzfEof, truncateBgzfMidBlock } from '../helpers/bam-faults.js';
import { GENOME_BUILDS } from '../../src/count/genome-build.js';
import { requireTools } from '../helpers/requires.js';
import { expected, GRCH38_REFS, PLANNED, plannedRecords } from './fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-count-cli-'));
const p = (name: string) => join(dir, name);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function count(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, 'count', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, OLIGOTRACK_QUIET: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function tsvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.replace(/\n$/, '').split('\n');
  const names = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}
/** One stderr line naming `file`, exit 1, and no output file left behind. */
function expectOneLineFailure(r: Run, file: string, pattern: RegExp, outPath?: string): void {
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  if (outPath) {
    expect(existsSync(outPath)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }
}

/** `count --bam plasma.bam --sites sites.tsv`, run once and shared (each spawn costs ~0.5 s of CPU). */
let defaultRunCache: Run | undefined;
function defaultRun(): Run {
  defaultRunCache ??= count('--bam', 'plasma.bam', '--sites', 'sites.tsv');
  return defaultRunCache;
}

const SITES_TSV =
  [
    'chrom\tpos\tref\talt\tgene\tprotein',
    ...PLANNED.map((s) => `${s.chrom.replace('chr', '')}\t${s.pos1}\t${s.ref}\t${s.alt}\tG${s.pos1}\tp.X${s.pos1}Y`),
  ].join('\n') + '\n';
const VCF_HEAD = '##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the CLI tests`);
  writeBam(p('plasma.bam'), { refs: GRCH38_REFS, text: '@RG\tID:a\tSM:PT01_C1D1\n' }, plannedRecords());
  writeFileSync(p('sites.tsv'), SITES_TSV);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('oligotrack count: outputs', () => {
  it('writes one TSV row per site with the counts built into the BAM, sites named as in the sites file', () => {
    const r = defaultRun();
    expect(r.status, r.stderr).toBe(0);
    const rows = tsvRows(r.stdout);
    expect(rows.map((x) => `${x.chrom}:${x.pos}`)).toEqual(['6:152094405', '6:152098960', '17:7675088']);
    PLANNED.forEach((s, i) => {
      const e = expected(s);
      expect(rows[i]).toMatchObject({
        sample: 'PT01_C1D1',
        ref: s.ref,
        alt: s.alt,
        gene: `G${s.pos1}`,
        protein: `p.X${s.pos1}Y`,
        depth: String(e.depth),
        ref_count: String(e.ref),
        alt_count: String(e.alt),
        other_count: String(e.other),
        alt_fwd: String(s.altFwd + s.overlappingAltPairs),
        alt_rev: String(s.altRev),
        discordant_mates: '0',
      });
    });
    // ESR1-like site: 5 unpaired alt reads (50 bp aligned) and 2 pairs (TLEN 60): (5·50 + 2·60)/7.
    expect(rows[0].mean_frag_len_alt).toBe('52.9');
    expect(rows[0].vaf).toBe('0.145833'); // 7 alt of depth 48 (40 ref + 7 alt + 1 other)
    expect(rows[1].vaf).toBe('0');
    expect(rows[1].mean_frag_len_alt).toBe('NA');
  });

  it('counts every read with --mates reads and honours --min-mapq and --exclude-flags', () => {
    const reads = tsvRows(count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--mates', 'reads').stdout);
    expect(reads[0].alt_count).toBe(String(expected(PLANNED[0]).altReadsMode));
    const lowMapq = tsvRows(count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--min-mapq', '0').stdout);
    expect(lowMapq[0].alt_count).toBe(String(expected(PLANNED[0]).alt + PLANNED[0].lowMapqAlt));
    const withDups = tsvRows(
      count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--exclude-flags', 'UNMAP,SECONDARY,QCFAIL,SUPPLEMENTARY').stdout,
    );
    expect(withDups[0].alt_count).toBe(String(expected(PLANNED[0]).alt + PLANNED[0].dupAlt));
  });

  it('gives byte-identical TSV, VCF and JSON across runs and for --threads 1 and 2', () => {
    // The only difference allowed between thread counts is the recorded command line itself.
    const withoutCommand = (text: string) => text.replace(/^##oligotrackCommand=.*\n/m, '').replace(/^ {2}"command": .*\n/m, '');
    for (const format of ['tsv', 'vcf', 'json']) {
      // Two runs with the same arguments for one format; threads 1 vs 2 for all three.
      const threads = format === 'vcf' ? ['1', '2', '2'] : ['1', '2'];
      const outs = threads.map((t) => count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--format', format, '--threads', t));
      for (const o of outs) expect(o.status, o.stderr).toBe(0);
      if (outs[2]) expect(outs[2].stdout).toBe(outs[1].stdout);
      expect(withoutCommand(outs[1].stdout)).toBe(withoutCommand(outs[0].stdout));
      if (format !== 'tsv') expect(withoutCommand(outs[0].stdout)).not.toBe(outs[0].stdout);
    }
  });

  it.skipIf(!requireTools('bcftools'))('writes a VCF that bcftools reads, with AD/DP/AF as in the TSV', () => {
    const r = count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--out', 'counts.vcf');
    expect(r.status, r.stderr).toBe(0);
    const view = spawnSync('bcftools', ['view', p('counts.vcf')], { encoding: 'utf8' });
    expect(view.status).toBe(0);
    expect(view.stderr).toBe('');
    expect(view.stdout).toContain('##FORMAT=<ID=AF,Number=A,Type=Float');
    expect(view.stdout).toMatch(/##oligotrackCommand=oligotrack count --bam plasma\.bam --sites sites\.tsv --out counts\.vcf\n/);
    const q = execFileSync('bcftools', ['query', '-f', '%CHROM:%POS [%AD] [%DP] [%AF]\\n', p('counts.vcf')], { encoding: 'utf8' });
    const tsv = tsvRows(defaultRun().stdout);
    expect(q).toBe(tsv.map((x) => `${x.chrom}:${x.pos} ${x.ref_count},${x.alt_count} ${x.depth} ${x.vaf}\n`).join(''));
  });

  it('writes a versioned JSON document with the same rows', () => {
    const r = count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--out', 'counts.json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(p('counts.json'), 'utf8'));
    expect(doc).toMatchObject({ schema: 'oligotrack.count', schema_version: 1, sample: 'PT01_C1D1', build: 'GRCh38', bam: 'plasma.bam' });
    expect(doc.settings).toMatchObject({ min_mapq: 20, min_baseq: 20, mates: 'fragment', exclude_flags: '0xF04' });
    expect(doc.rows.map((x: { alt_count: number }) => x.alt_count)).toEqual(PLANNED.map((s) => expected(s).alt));
  });

  it('reads the BAM from stdin in one pass and says so', () => {
    const bam = readFileSync(p('plasma.bam'));
    const r = spawnSync(process.execPath, [CLI, 'count', '--bam', '-', '--sites', 'sites.tsv', '--sample', 'S'], {
      cwd: dir,
      input: bam,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/standard input/);
    expect(tsvRows(r.stdout).map((x) => x.alt_count)).toEqual(PLANNED.map((s) => String(expected(s).alt)));
  });
});

describe('oligotrack count: sites inputs', () => {
  it('merges a tumour VCF and a panel without double counting, keeping the VCF spelling and filling the gene', () => {
    writeFileSync(p('tumour.vcf'), `${VCF_HEAD}chr6\t152094405\tT1\tA\tG,C\t.\tPASS\t.\nchr1\t1000\t.\tG\tT\t.\t.\t.\n`);
    const r = count('--bam', 'plasma.bam', '--sites', 'tumour.vcf', '--sites', 'sites.tsv');
    expect(r.status, r.stderr).toBe(0);
    const rows = tsvRows(r.stdout);
    expect(rows.map((x) => `${x.chrom}:${x.pos}:${x.alt}:${x.gene}:${x.id}`)).toEqual([
      'chr1:1000:T::',
      'chr6:152094405:C::T1',
      'chr6:152094405:G:G152094405:T1',
      'chr6:152098960:C:G152098960:',
      '17:7675088:T:G7675088:', // only sites.tsv names this contig, as 17
    ]);
  });

  it('restricts to --region (htslib syntax, either contig spelling)', () => {
    const rows = tsvRows(count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--region', '6:152,094,000-152,095,000').stdout);
    expect(rows.map((x) => x.pos)).toEqual(['152094405']);
  });

  it('takes the sample from --sample, else @RG SM, else the file name', () => {
    writeBam(p('no-rg.bam'), { refs: GRCH38_REFS }, plannedRecords());
    // (--sample itself is exercised by the stdin test; the precedence rules by options.test.ts.)
    expect(tsvRows(count('--bam', 'no-rg.bam', '--sites', 'sites.tsv').stdout)[0].sample).toBe('no-rg');
  });

  it('counts the bundled panel with the build read from the BAM header', () => {
    // A whole-genome header (all GRCh38 primary contigs, UCSC names), as aligners write it.
    const refs = GENOME_BUILDS.GRCh38.contigs.map((c) => ({ name: `chr${c.name === 'MT' ? 'M' : c.name}`, length: c.length }));
    writeBam(p('wgs-header.bam'), { refs }, plannedRecords());
    const r = count('--bam', 'wgs-header.bam', '--sites', 'panel:breast', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.rows.length).toBeGreaterThan(20);
    const esr1 = doc.rows.filter((x: { gene: string }) => x.gene === 'ESR1');
    expect(esr1.length).toBeGreaterThan(5);
    // Every ESR1 LBD hotspot lies on chr6 between 152.0 and 152.1 Mb in GRCh38.
    for (const x of esr1) expect(x.chrom === 'chr6' && x.pos > 152_000_000 && x.pos < 152_100_000, JSON.stringify(x)).toBe(true);
  });

  it('warns and writes depth-0 rows for a BAM without reads', () => {
    writeBam(p('empty.bam'), { refs: GRCH38_REFS }, []);
    const r = count('--bam', 'empty.bam', '--sites', 'sites.tsv');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*empty\.bam.*depth 0/);
    expect(tsvRows(r.stdout).map((x) => [x.depth, x.vaf])).toEqual(PLANNED.map(() => ['0', 'NA']));
  });
});

describe('oligotrack count: calls (statistics from src/stats)', () => {
  it('adds the call columns and writes the per-sample summary', () => {
    const r = count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--alpha', '0.01', '--min-depth', '10', '--summary', 'summary.json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/default background rate/);
    const rows = tsvRows(r.stdout);
    expect(Object.keys(rows[0]).slice(-6)).toEqual(['background_rate', 'p_value', 'vaf_low', 'vaf_high', 'lod', 'call']);
    // 7/48 and 13/45 alt fragments against a 1e-4 background are far beyond α; 0/25 is not.
    expect(rows.map((x) => x.call)).toEqual(['detected', 'not_detected', 'detected']);
    expect(Number(rows[0].vaf_low)).toBeLessThan(7 / 48);
    expect(Number(rows[0].vaf_high)).toBeGreaterThan(7 / 48);
    const summary = JSON.parse(readFileSync(p('summary.json'), 'utf8'));
    expect(summary).toMatchObject({ sample: 'PT01_C1D1', detected: true, sites_detected: 2 });
  });
  it('estimates the background in-sample from --targets positions', () => {
    // Reads cover 20 bases before each site; 10 of those positions at the ESR1-like site.
    writeFileSync(p('targets.bed'), 'chr6\t152094389\t152094399\n');
    const r = count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--targets', 'targets.bed', '--min-depth', '10', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/in-sample background from \d+ non-variant target positions of targets\.bed/);
    const doc = JSON.parse(r.stdout);
    expect(doc.calls).toMatchObject({ background: 'in_sample', min_depth: 10 });
    expect(doc.rows).toHaveLength(3); // probe sites are counted, never printed
    for (const row of doc.rows) expect(row.background_rate).toBeGreaterThan(0);
  });
  it('refuses --umi on a BAM without UMIs, leaving no output files', () => {
    const r = count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--umi', '--out', 'umi.tsv', '--summary', 'umi-summary.json');
    expectOneLineFailure(r, 'plasma.bam', /UMI/, p('umi.tsv'));
    expect(existsSync(p('umi-summary.json'))).toBe(false);
  });
  it('names the file of a PoN that is not one', () => {
    writeFileSync(p('bad-pon.tsv'), 'this is not a panel of normals\n');
    expectOneLineFailure(
      count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--pon', 'bad-pon.tsv', '--out', 'pon-out.tsv'),
      'bad-pon.tsv',
      /./,
      p('pon-out.tsv'),
    );
  });
});

describe('oligotrack count: bad input (one stderr line naming the file, exit 1, no output file)', () => {
  const out = () => p('never.tsv');
  const bad = (name: string, bytes: Buffer, withIndex = true) => {
    writeFileSync(p(name), bytes);
    if (withIndex) copyFileSync(p('plasma.bam.bai'), p(`${name}.bai`));
  };

  it('truncated BAM: no EOF block', () => {
    bad('noeof.bam', truncateBgzfEof(readFileSync(p('plasma.bam'))));
    expectOneLineFailure(count('--bam', 'noeof.bam', '--sites', 'sites.tsv', '--out', out()), 'noeof.bam', /EOF|truncated/i, out());
  });
  it('truncated BAM: cut mid-block', () => {
    bad('cut.bam', truncateBgzfMidBlock(readFileSync(p('plasma.bam'))));
    expectOneLineFailure(count('--bam', 'cut.bam', '--sites', 'sites.tsv', '--out', out()), 'cut.bam', /truncat|EOF/i, out());
  });
  it('a block whose CRC32 does not match', () => {
    bad('crc.bam', corruptBgzfBlockCrc(readFileSync(p('plasma.bam')), 0));
    expectOneLineFailure(count('--bam', 'crc.bam', '--sites', 'sites.tsv', '--out', out()), 'crc.bam', /CRC/, out());
  });
  it('an index that belongs to another BAM', () => {
    writeBam(p('other.bam'), { refs: GRCH38_REFS }, plannedRecords().slice(0, 40));
    copyFileSync(p('plasma.bam'), p('wrongidx.bam'));
    copyFileSync(p('other.bam.bai'), p('wrongidx.bam.bai'));
    expectOneLineFailure(count('--bam', 'wrongidx.bam', '--sites', 'sites.tsv', '--out', out()), 'wrongidx.bam', /index/i, out());
  });
  it('an unsorted BAM', () => {
    const records = plannedRecords().reverse();
    writeFileSync(p('unsorted.bam'), encodeBam({ refs: GRCH38_REFS }, records, { sort: false }));
    expectOneLineFailure(count('--bam', 'unsorted.bam', '--sites', 'sites.tsv', '--out', out()), 'unsorted.bam', /not sorted/, out());
  });
  it('a site on a contig the BAM lacks', () => {
    writeFileSync(p('chr9.tsv'), 'chrom\tpos\tref\talt\n6\t152094405\tA\tG\nchr9\t5\tA\tG\n');
    const r = count('--bam', 'plasma.bam', '--sites', 'chr9.tsv', '--out', out());
    expectOneLineFailure(r, 'chr9.tsv:3', /chr9:5 A>G: contig chr9 is not in the header of plasma\.bam/, out());
  });
  it('a site beyond the end of its contig', () => {
    writeFileSync(p('far.tsv'), 'chrom\tpos\tref\talt\nchr17\t83257442\tA\tG\n');
    expectOneLineFailure(
      count('--bam', 'plasma.bam', '--sites', 'far.tsv', '--out', out()),
      'far.tsv:2',
      /beyond the end of chr17 \(length 83257441\)/,
      out(),
    );
  });
  it('a malformed VCF line, with its line number', () => {
    writeFileSync(p('bad.vcf'), `${VCF_HEAD}chr6\t152094405\t.\tA\tG\t.\t.\t.\nchr6\t15209x\t.\tA\tG\t.\t.\t.\n`);
    expectOneLineFailure(count('--bam', 'plasma.bam', '--sites', 'bad.vcf', '--out', out()), 'bad.vcf:4', /POS "15209x"/, out());
  });
  it('an unreadable path (sites paths: tests/sites)', () => {
    expectOneLineFailure(
      count('--bam', 'missing.bam', '--sites', 'sites.tsv', '--out', out()),
      'missing.bam',
      /ENOENT|cannot|no such/i,
      out(),
    );
  });
  it('GRCh37 sites against a GRCh38 BAM (the reverse: tests/sites)', () => {
    writeFileSync(
      p('b37.vcf'),
      `##fileformat=VCFv4.2\n##reference=file:///ref/human_g1k_v37.fasta\n${VCF_HEAD.split('\n')[1]}\n6\t152415540\t.\tA\tG\t.\t.\t.\n`,
    );
    expectOneLineFailure(
      count('--bam', 'plasma.bam', '--sites', 'b37.vcf', '--out', out()),
      'b37.vcf',
      /sites are GRCh37 .* but the BAM plasma\.bam is GRCh38/,
      out(),
    );
  });
});

describe('oligotrack count: usage errors exit 2', () => {
  // One spawn per kind of check: yargs' own (required option, choices, unknown option) and the
  // command's (integer ranges, region syntax, output name). Other values of the same validators
  // are unit-tested in options.test.ts.
  it.each([
    [['--sites', 'sites.tsv']],
    [['--bam', 'plasma.bam', '--sites', 'sites.tsv', '--format', 'xml']],
    [['--bam', 'plasma.bam', '--sites', 'sites.tsv', '--no-such-option']],
    [['--bam', 'plasma.bam', '--sites', 'sites.tsv', '--min-mapq', 'abc']],
    [['--bam', 'plasma.bam', '--sites', 'sites.tsv', '--threads', '0']],
    [['--bam', 'plasma.bam', '--sites', 'sites.tsv', '--region', 'chr6:10-5']],
    [['--bam', 'plasma.bam', '--sites', 'sites.tsv', '--out', 'x.vcf.gz']],
  ])('%j', (args) => {
    const r = count(...args);
    expect(r.status, r.stderr).toBe(2);
    expect(
      r.stderr
        .trimEnd()
        .split('\n')
        .filter((l) => /error/i.test(l)),
    ).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
