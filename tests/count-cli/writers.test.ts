import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toOutputRow, type CountOutputRow, type CountRunInfo } from '../../src/count/output/row.js';
import { DEFAULT_COUNT_SETTINGS, type SiteCounts } from '../../src/count/types.js';
import { formatCountJson } from '../../src/count/output/json.js';
import { formatCountTsv } from '../../src/count/output/tsv.js';
import { formatFraction, formatMeanLength, formatPValue } from '../../src/io/number-format.js';
import { encodeInfoValue, formatCountVcf } from '../../src/count/output/vcf.js';
import { requireTools } from '../helpers/requires.js';

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function counts(
  chrom: string,
  pos1: number,
  ref: string,
  alt: string,
  refCount: number,
  altCount: number,
  extra: Partial<SiteCounts> = {},
): SiteCounts {
  return {
    site: { chrom, pos1, ref, alt, gene: 'ESR1', protein: 'p.D538G', id: 'ESR1_D538G' },
    depth: refCount + altCount + (extra.otherCount ?? 0),
    refCount,
    altCount,
    otherCount: 0,
    deletions: 0,
    insertions: 0,
    altFwd: altCount,
    altRev: 0,
    discordantMates: 1,
    meanFragLenRef: refCount ? 166.66666 : NaN,
    meanFragLenAlt: altCount ? 143.25 : NaN,
    rawRefCount: refCount + 2,
    rawAltCount: altCount,
    families: 0,
    ...extra,
  };
}

const rows: CountOutputRow[] = [
  toOutputRow('P1-T0', counts('6', 152094405, 'A', 'G', 2, 1), '6'),
  toOutputRow('P1-T0', counts('6', 152094405, 'A', 'T', 0, 0), '6'),
  toOutputRow(
    'P1-T0',
    counts('6', 152094410, 'AC', 'A', 17999, 1, {
      site: { chrom: '6', pos1: 152094410, ref: 'AC', alt: 'A', gene: '', protein: '', id: '' },
    }),
    '6',
  ),
];
const info: CountRunInfo = {
  toolVersion: '9.9.9',
  command: "oligotrack count --bam p.bam --sites 'my sites.vcf'",
  sample: 'P1-T0',
  bamPath: 'p.bam',
  build: 'GRCh38',
  settings: DEFAULT_COUNT_SETTINGS,
  contigs: [
    { name: '6', length: 170805979 },
    { name: 'chr7', length: 159345973 },
  ],
  region: '',
  siteSources: ['my sites.vcf'],
  readsSeen: 10,
  readsPassing: 8,
};

describe('number formats', () => {
  it('prints fractions with 6 significant digits and no exponent', () => {
    expect(formatFraction(1 / 3)).toBe('0.333333');
    expect(formatFraction(1 / 18000)).toBe('0.0000555556');
    expect(formatFraction(0.5)).toBe('0.5');
    expect(formatFraction(1)).toBe('1');
    expect(formatFraction(0)).toBe('0');
    expect(formatFraction(null)).toBe('NA');
    expect(formatFraction(2e-9)).toBe('0.000000002');
  });
  it('prints p-values with 4 significant digits and means with one decimal', () => {
    expect(formatPValue(0.012345)).toBe('0.01235');
    expect(formatPValue(1.5e-30)).toBe('1.5e-30');
    expect(formatPValue(1)).toBe('1');
    expect(formatMeanLength(166.66666)).toBe('166.7');
    expect(formatMeanLength(null)).toBe('NA');
  });
});

describe('TSV', () => {
  it('has one header line with the columns the issue names, in order', () => {
    const lines = formatCountTsv(rows).split('\n');
    expect(lines[0].split('\t').slice(0, 17)).toEqual(
      'sample chrom pos ref alt gene protein depth ref_count alt_count other_count vaf alt_fwd alt_rev discordant_mates mean_frag_len_ref mean_frag_len_alt'.split(
        ' ',
      ),
    );
    expect(lines[0].split('\t').slice(17)).toEqual(['deletions', 'insertions', 'raw_ref_count', 'raw_alt_count', 'families', 'id']);
    expect(lines[1]).toBe(
      'P1-T0\t6\t152094405\tA\tG\tESR1\tp.D538G\t3\t2\t1\t0\t0.333333\t1\t0\t1\t166.7\t143.3\t0\t0\t4\t1\t0\tESR1_D538G',
    );
    expect(lines[2]).toContain('\t0\t0\t0\t0\tNA\t');
    expect(lines[3].split('\t')[11]).toBe('0.0000555556');
    expect(lines).toHaveLength(5); // 1 header + 3 rows + final newline
  });
  it('adds the call columns only when rows carry calls', () => {
    const called = rows.map((r, i) => ({
      ...r,
      call: {
        background_rate: 1e-4,
        p_value: 1e-12,
        vaf_low: 0.06,
        vaf_high: 0.79,
        lod: 0.002,
        call: i ? ('not_detected' as const) : ('detected' as const),
      },
    }));
    const [header, first] = formatCountTsv(called).split('\n');
    expect(header.split('\t').slice(-6)).toEqual(['background_rate', 'p_value', 'vaf_low', 'vaf_high', 'lod', 'call']);
    expect(first.split('\t').slice(-6)).toEqual(['0.0001', '1e-12', '0.06', '0.79', '0.002', 'detected']);
  });
});

describe('JSON', () => {
  it('carries the schema, settings and rows with TSV keys and null for undefined numbers', () => {
    const doc = JSON.parse(formatCountJson(info, rows));
    expect(doc.schema).toBe('oligotrack.count');
    expect(doc.schema_version).toBe(1);
    expect(doc.settings).toMatchObject({ min_mapq: 20, min_baseq: 20, mates: 'fragment', exclude_flags: '0xF04' });
    expect(doc.rows[1]).toMatchObject({ pos: 152094405, alt: 'T', depth: 0, vaf: null, mean_frag_len_alt: null });
    expect(doc.rows[0].vaf).toBeCloseTo(1 / 3, 12);
    expect(typeof doc.counting_semantics).toBe('string');
  });
});

describe('VCF', () => {
  const vcf = formatCountVcf(info, rows);
  it('declares AF as a FORMAT field and writes GT:AD:DP:AF first', () => {
    expect(vcf).toContain('##FORMAT=<ID=AF,Number=A,Type=Float,');
    expect(vcf).toContain('##source=oligotrack 9.9.9\n');
    expect(vcf).toContain("##oligotrackCommand=oligotrack count --bam p.bam --sites 'my sites.vcf'\n");
    const record = vcf.trimEnd().split('\n').at(-3)!.split('\t');
    expect(record.slice(0, 8)).toEqual(['6', '152094405', 'ESR1_D538G', 'A', 'G', '.', '.', 'GENE=ESR1;PROTEIN=p.D538G']);
    expect(record[8].startsWith('GT:AD:DP:AF:')).toBe(true);
    expect(record[9].split(':').slice(0, 4)).toEqual(['.', '2,1', '3', '0.333333']);
  });
  it('percent-encodes INFO separators', () => {
    expect(encodeInfoValue('p.(E380Q;S463P)')).toBe('p.(E380Q%3BS463P)');
  });
  it.skipIf(!requireTools('bcftools'))('is read by bcftools view and query', () => {
    const path = join(dir, 'counts.vcf');
    writeFileSync(path, vcf);
    const viewed = spawnSync('bcftools', ['view', '-H', path], { encoding: 'utf8' });
    expect(viewed.stderr).toBe(''); // no "contig not defined" or "FORMAT not defined" warnings
    expect(viewed.stdout.trim().split('\n')).toHaveLength(3);
    const ad = execFileSync('bcftools', ['query', '-f', '%CHROM %POS %REF %ALT [%AD] [%AF] [%RAD] %INFO/GENE\\n', path], {
      encoding: 'utf8',
    });
    expect(ad).toBe(
      '6 152094405 A G 2,1 0.333333 4,1 ESR1\n6 152094405 A T 0,0 . 2,0 ESR1\n6 152094410 AC A 17999,1 5.55556e-05 18001,1 .\n',
    );
  });
});
