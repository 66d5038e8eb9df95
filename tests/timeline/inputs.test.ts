import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentLine, parseClinical, parseClinicalLines } from '../../src/io/clinical.js';
import { parseCsv } from '../../src/io/csv.js';
import { isoDateToDay, todayDay } from '../../src/io/csv-schema.js';
import { parseImaging } from '../../src/io/imaging.js';
import { parseSamplesheet } from '../../src/io/samplesheet.js';
import { THERAPY_CLASSES as REFERENCE_CLASSES } from '../../src/reference/evidence.js';
import { THERAPY_CLASSES } from '../../src/io/clinical.js';

const TODAY = isoDateToDay('2026-11-27');

describe('today, for the future-date check', () => {
  afterEach(() => vi.useRealTimers());
  it('is the latest calendar date on Earth (UTC+14), so a clinic east of UTC can enter its own today', () => {
    vi.useFakeTimers();
    // 12:00 UTC on the 27th is 02:00 on the 28th at UTC+14 (and 22:00 on the 27th in Sydney).
    vi.setSystemTime(new Date('2026-11-27T12:00:00Z'));
    expect(todayDay()).toBe(isoDateToDay('2026-11-28'));
    // 09:00 UTC is 23:00 on the 27th at UTC+14: nowhere is it the 28th yet.
    vi.setSystemTime(new Date('2026-11-27T09:00:00Z'));
    expect(todayDay()).toBe(isoDateToDay('2026-11-27'));
  });
});

describe('RFC 4180 CSV reader', () => {
  it('quoted fields with commas, doubled quotes, line breaks, CRLF and a BOM', () => {
    const t = parseCsv('\ufeffa,b,c\r\n1,"x, y","he said ""hi"""\r\n2,"two\nlines",z\r\n\r\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.records.map((r) => r.fields)).toEqual([
      ['1', 'x, y', 'he said "hi"'],
      ['2', 'two\nlines', 'z'],
    ]);
    expect(t.records.map((r) => r.line)).toEqual([2, 3]);
    expect(t.records[0].columns).toEqual([1, 3, 10]);
  });
  it('errors name file:line:column', () => {
    expect(() => parseCsv('a,b\n1,"open\n', 'f.csv')).toThrow(/^f\.csv:2:3: unterminated quoted field/);
    expect(() => parseCsv('a,b\n1,"x"y\n', 'f.csv')).toThrow(/^f\.csv:2:6: unexpected text after a closing quote/);
    expect(() => parseCsv('a,b\n1,2,3\n', 'f.csv')).toThrow(/^f\.csv:2:1: expected 2 fields/);
    expect(() => parseCsv('a,a\n', 'f.csv')).toThrow(/duplicate column 'a'/);
    expect(() => parseCsv('', 'f.csv')).toThrow(/empty file/);
  });
});

describe('samplesheet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oligotrack-sheet-'));
  for (const f of ['a.bam', 'b.bam', 'c.bam', 'n.bam']) writeFileSync(join(dir, f), '');
  const sheet = join(dir, 'samples.csv');
  it('sorts draws by patient then date, resolves paths against the samplesheet', () => {
    const rows = parseSamplesheet(
      'patient,sample,collection_date,bam,normal\nP2,s3,2026-03-01,c.bam,\nP1,s2,2026-02-01,b.bam,n.bam\nP1,s1,2026-01-01,a.bam,n.bam\n',
      sheet,
      { today: TODAY },
    );
    expect(rows.map((r) => [r.patient, r.sample, r.collectionDate])).toEqual([
      ['P1', 's1', '2026-01-01'],
      ['P1', 's2', '2026-02-01'],
      ['P2', 's3', '2026-03-01'],
    ]);
    expect(rows[0].bam).toBe(join(dir, 'a.bam'));
    expect(rows[0].bamAsGiven).toBe('a.bam');
    expect(rows[0].normal).toBe(join(dir, 'n.bam'));
    expect(rows[2].normal).toBeUndefined();
  });
  it('rejects missing columns, unknown columns, bad IDs and dates', () => {
    const parse = (t: string) => () => parseSamplesheet(t, sheet, { today: TODAY });
    expect(parse('patient,sample,bam\nP1,s1,a.bam\n')).toThrow(/missing required column 'collection_date'/);
    expect(parse('patient,sample,collection_date,bam,colour\nP1,s1,2026-01-01,a.bam,red\n')).toThrow(/unknown column 'colour'/);
    expect(parse('patient,sample,collection_date,bam\nP1,s/1,2026-01-01,a.bam\n')).toThrow(
      /samples\.csv:2:4: column 'sample' must be letters, digits/,
    );
    expect(parse('patient,sample,collection_date,bam\nP1,s1,01/02/2026,a.bam\n')).toThrow(
      /2:7: column 'collection_date' must be an ISO date/,
    );
    expect(parse('patient,sample,collection_date,bam\nP1,s1,2026-11-28,a.bam\n')).toThrow(/2:7: column 'collection_date' is in the future/);
    expect(parse('patient,sample,collection_date,bam\nP1,s1,2026-02-30,a.bam\n')).toThrow(
      /2:7: column 'collection_date' must be an ISO date .*\(got '2026-02-30'\)/,
    );
    expect(parse('patient,sample,collection_date,bam\nP 1,s1,2026-01-01,a.bam\n')).toThrow(/2:1: column 'patient' must not contain spaces/);
    expect(parse('patient,sample,collection_date,bam\nP1,s1,2026-01-01,b.bam\nP1,s1,2026-01-02,a.bam\n')).toThrow(
      /samples\.csv:3:4: duplicate sample ID 's1' \(first on line 2\)/,
    );
    expect(parse('patient,sample,collection_date,bam\nP1,s1,2026-01-01,missing.bam\n')).toThrow(
      /samples\.csv:2:18: column 'bam': file not found/,
    );
    expect(parse('patient,sample,collection_date,bam\n')).toThrow(/no samples/);
  });
});

describe('clinical and imaging', () => {
  const known = new Set(['P1', 'P2']);
  it('clinical enums match the reference tables and parse', () => {
    expect([...THERAPY_CLASSES]).toEqual([...REFERENCE_CLASSES]);
    const c = parseClinical(
      'patient,subtype,therapy,therapy_class,therapy_start\nP1,HR+/HER2-,"letrozole, palbociclib",endocrine+CDK4/6i,2025-06-01\n',
      'c.csv',
      known,
      TODAY,
    );
    expect(c.get('P1')).toMatchObject({ therapy: 'letrozole, palbociclib', therapyClass: 'endocrine+CDK4/6i', therapyStart: '2025-06-01' });
    expect(() =>
      parseClinical('patient,subtype,therapy,therapy_class,therapy_start\nP1,TNBC,x,radiotherapy,2025-06-01\n', 'c.csv', known, TODAY),
    ).toThrow(/c\.csv:2:11: column 'therapy_class' must be one of/);
    expect(() =>
      parseClinical('patient,subtype,therapy,therapy_class,therapy_start\nP1,luminal,x,ADC,2025-06-01\n', 'c.csv', known, TODAY),
    ).toThrow(/^c\.csv:2:4: column 'subtype' must be one of HR\+\/HER2-/);
    expect(() =>
      parseClinical('patient,subtype,therapy,therapy_class,therapy_start\nPX,TNBC,x,ADC,2025-06-01\n', 'c.csv', known, TODAY),
    ).toThrow(/^c\.csv:2:1: unknown patient 'PX'/);
  });
  it('clinical: one row per line of therapy; the line current at a date is the latest start on or before it', () => {
    const head = 'patient,subtype,therapy,therapy_class,therapy_start\n';
    const lines = parseClinicalLines(
      `${head}P1,TNBC,y,chemotherapy,2025-07-01\nP1,TNBC,x,ADC,2025-01-10\nP2,TNBC,z,ADC,2025-03-01\n`,
      'c.csv',
      known,
      TODAY,
    );
    expect(lines.get('P1')!.map((l) => l.therapy)).toEqual(['x', 'y']);
    expect(currentLine(lines.get('P1'), isoDateToDay('2025-06-30'))?.therapy).toBe('x');
    expect(currentLine(lines.get('P1'), isoDateToDay('2025-07-01'))?.therapy).toBe('y');
    expect(currentLine(lines.get('P1'), isoDateToDay('2025-01-09'))).toBeNull();
    // The one-row-per-patient file is the one-line case; parseClinical keeps the latest line.
    expect(
      parseClinical(`${head}P1,TNBC,y,chemotherapy,2025-07-01\nP1,TNBC,x,ADC,2025-01-10\n`, 'c.csv', known, TODAY).get('P1')?.therapy,
    ).toBe('y');
    expect(() => parseClinicalLines(`${head}P1,TNBC,x,ADC,2025-06-01\nP1,TNBC,y,ADC,2025-06-01\n`, 'c.csv', known, TODAY)).toThrow(
      /^c\.csv:3:\d+: patient 'P1' has two therapy lines starting 2025-06-01 \(first on line 2\)/,
    );
    expect(() => parseClinicalLines(`${head}P1,TNBC,x,ADC,2025-01-01\nP1,HR+/HER2-,y,ADC,2025-06-01\n`, 'c.csv', known, TODAY)).toThrow(
      /^c\.csv:3:\d+: patient 'P1' has subtype HR\+\/HER2- here but TNBC on line 2/,
    );
  });
  it('imaging: sites sorted and unique, booleans, sorted by date; contradictions rejected', () => {
    const rows = parseImaging(
      'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns\nP1,2026-05-01,2,1,liver;bone;bone,yes,no\nP1,2026-02-01,0,0,,no,no\n',
      'i.csv',
      known,
      TODAY,
    );
    expect(rows.map((r) => [r.assessmentDate, r.progressingLesions, r.sites, r.visceral])).toEqual([
      ['2026-02-01', 0, [], false],
      ['2026-05-01', 2, ['bone', 'liver'], true],
    ]);
    const H = 'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns\n';
    expect(() => parseImaging(`${H}P1,2026-05-01,0,0,bone,no,no\n`, 'i.csv', known, TODAY)).toThrow(
      /i\.csv:2:19: column 'sites' lists progression sites but progressing_lesions is 0/,
    );
    expect(() => parseImaging(`${H}P1,2026-05-01,2,0,bone,no,no\nP1,2026-05-01,3,0,bone,no,no\n`, 'i.csv', known, TODAY)).toThrow(
      /i\.csv:3:4: duplicate assessment/,
    );
    expect(() => parseImaging(`${H}P1,2026-05-01,1.5,0,bone,no,no\n`, 'i.csv', known, TODAY)).toThrow(
      /progressing_lesions' must be a whole number/,
    );
    expect(() => parseImaging(`${H}P1,2026-05-01,-1,0,bone,no,no\n`, 'i.csv', known, TODAY)).toThrow(
      /^i\.csv:2:15: column 'progressing_lesions' must be a whole number ≥ 0 \(got '-1'\)/,
    );
    expect(() => parseImaging(`${H}P1,2026-05-01,1,0,bone,maybe,no\n`, 'i.csv', known, TODAY)).toThrow(
      /^i\.csv:2:24: column 'visceral' must be 'yes' or 'no'/,
    );
    expect(() => parseImaging(`${H}P1,2026-05-01,1,0,bone;spleen,no,no\n`, 'i.csv', known, TODAY)).toThrow(
      /^i\.csv:2:19: column 'sites' must be ';'-separated values/,
    );
    expect(() => parseImaging(`${H}P9,2026-05-01,1,0,bone,no,no\n`, 'i.csv', known, TODAY)).toThrow(/^i\.csv:2:1: unknown patient 'P9'/);
    expect(() => parseImaging(`${H}P1,2026-12-01,1,0,bone,no,no\n`, 'i.csv', known, TODAY)).toThrow(
      /^i\.csv:2:4: column 'assessment_date' is in the future/,
    );
  });
});
