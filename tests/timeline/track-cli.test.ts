import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMELINE_COLUMNS } from '../../src/timeline/tsv.js';
import { writeDrawBam, writeSitesTsv } from './e2e-fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-track-'));
const p = (name: string) => join(dir, name);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function tsvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n');
  const names = header.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}
/** Exit 1, one stderr line naming the file and matching the rule, no stack trace. */
function expectFailure(r: Run, file: string, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => !/: (counted|counts reused)/.test(l));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const SHEET_HEADER = 'patient,sample,collection_date,bam,timepoint';
// Rows deliberately out of date order (and patients interleaved): track sorts them.
const SHEET = [
  SHEET_HEADER,
  'P2,P2_d1,2026-05-01,bams/P2_d1.bam,C3',
  'P1,P1_d0,2026-01-05,bams/P1_d0.bam,baseline',
  'P1,P1_d2,2026-05-04,bams/P1_d2.bam,C5',
  'P1,P1_d1,2026-03-05,bams/P1_d1.bam,C3',
  'P2,P2_d0,2026-01-10,bams/P2_d0.bam,baseline',
].join('\n');

beforeAll(() => {
  writeSitesTsv(p('sites.tsv'));
  // P1: stable TP53 pair at ~5%, ESR1 0 → 0 → 30/500 (emerges). P2: TP53 pair 1.9% → 9.5% (diffuse rise).
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
  writeDrawBam(p('bams/P1_d2.bam'), 'P1_d2', [
    [24, 500],
    [27, 500],
    [30, 500],
  ]);
  writeDrawBam(p('bams/P2_d0.bam'), 'P2_d0', [
    [10, 500],
    [9, 500],
    [0, 500],
  ]);
  writeDrawBam(p('bams/P2_d1.bam'), 'P2_d1', [
    [50, 500],
    [45, 500],
    [0, 500],
  ]);
  writeFileSync(p('samples.csv'), `${SHEET}\n`);
  writeFileSync(
    p('clinical.csv'),
    'patient,subtype,therapy,therapy_class,therapy_start\nP1,HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-06-01\nP2,TNBC,"paclitaxel, weekly",chemotherapy,2026-01-01\n',
  );
  writeFileSync(
    p('imaging.csv'),
    'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns\nP1,2026-05-20,2,1,bone;liver,yes,no\nP2,2026-05-15,1,0,bone,no,no\nP1,2026-02-01,0,0,,no,no\nP1,2026-05-03,2,0,bone,no,no\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('oligotrack track on real BAMs', () => {
  let first: { tsv: string; p1: string; p2: string };
  it('counts every draw and writes timeline.tsv and patients/*.json', () => {
    const r = cli('track', '--samplesheet', 'samples.csv', '--sites', 'sites.tsv', '--out-dir', 'out');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const tsv = readFileSync(p('out/timeline.tsv'), 'utf8');
    expect(tsv.split('\n')[0]).toBe(TIMELINE_COLUMNS.map((c) => c.name).join('\t'));
    const rows = tsvRows(tsv);
    expect(rows).toHaveLength(5 * 3);
    // Sorted by patient, then date, whatever the samplesheet order.
    expect([...new Set(rows.map((x) => x.sample))]).toEqual(['P1_d0', 'P1_d1', 'P1_d2', 'P2_d0', 'P2_d1']);
    const esr1 = rows.filter((x) => x.patient === 'P1' && x.gene === 'ESR1');
    expect(esr1.map((x) => [x.alt_count, x.depth, x.call, x.event])).toEqual([
      ['0', '500', 'not_detected', 'baseline'],
      ['0', '500', 'not_detected', 'stable'],
      ['30', '500', 'detected', 'emerged'],
    ]);
    expect(esr1[2].vaf).toBe('0.06');
    const p2tp53 = rows.filter((x) => x.patient === 'P2' && x.gene === 'TP53' && x.sample === 'P2_d1');
    expect(p2tp53.map((x) => x.event)).toEqual(['rising', 'rising']);
    expect(readdirSync(p('out/patients')).sort()).toEqual(['P1.json', 'P2.json']);
    // No temporary directories left beside the outputs.
    expect(readdirSync(p('out')).sort()).toEqual(['counts', 'multiqc', 'patients', 'timeline.tsv']);
    const p1 = JSON.parse(readFileSync(p('out/patients/P1.json'), 'utf8'));
    expect(p1.schema).toBe('oligotrack.timeline');
    expect(p1.draws.map((d: { bam: string }) => d.bam)).toEqual(['bams/P1_d0.bam', 'bams/P1_d1.bam', 'bams/P1_d2.bam']);
    expect(p1.tumour_fraction.clonal_sites).toEqual(['chrT:1000:C>T', 'chrT:3000:C>T']);
    expect(p1.tumour_fraction.points.map((x: { alt_count: number }) => x.alt_count)).toEqual([49, 48, 51]);
    first = { tsv, p1: readFileSync(p('out/patients/P1.json'), 'utf8'), p2: readFileSync(p('out/patients/P2.json'), 'utf8') };
  });

  it('a second run reuses the cached counts and writes byte-identical outputs', () => {
    const r = cli('track', '--samplesheet', 'samples.csv', '--sites', 'sites.tsv', '--out-dir', 'out');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(5 from cache\)/);
    expect(readFileSync(p('out/timeline.tsv'), 'utf8')).toBe(first.tsv);
    expect(readFileSync(p('out/patients/P1.json'), 'utf8')).toBe(first.p1);
    expect(readFileSync(p('out/patients/P2.json'), 'utf8')).toBe(first.p2);
    const fresh = cli('track', '--samplesheet', 'samples.csv', '--sites', 'sites.tsv', '--out-dir', 'out2', '--no-cache');
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(readFileSync(p('out2/timeline.tsv'), 'utf8')).toBe(first.tsv);
    expect(existsSync(p('out2/counts'))).toBe(false);
  });

  it('classify reads the timeline and writes the TSV and the JSON with every rule', () => {
    // Three draws per patient: the lab's measured between-draw CV (15%) lets them establish a stable
    // or a rising level; the policy's conservative default would leave these indeterminate
    // (tests/classify/scenarios.test.ts).
    const r = cli(
      'classify',
      '--timeline',
      'out',
      '--clinical',
      'clinical.csv',
      '--imaging',
      'imaging.csv',
      '--json',
      'class.json',
      '--between-draw-prior',
      '0.15',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/between-draw prior: measured CV 0\.15 with 20 df/);
    const rows = tsvRows(r.stdout);
    expect(rows.map((x) => [x.patient, x.assessment_date, x.group, x.molecular_progression, x.targetable_mutations])).toEqual([
      ['P1', '2026-02-01', 'no_progression', 'NA', '.'],
      // The ESR1 draw is the work-up draw one day after this scan (inside the 28 days after it).
      ['P1', '2026-05-03', 'oligoprogression_targetable', 'NA', 'ESR1 p.D538G'],
      ['P1', '2026-05-20', 'oligoprogression_targetable', 'NA', 'ESR1 p.D538G'],
      // P2's only markers are two TP53 variants seen in plasma alone (no tissue VCF, no white
      // cells): possibly clonal haematopoiesis, so their 5-fold rise is no evidence of diffuse
      // progression and nothing else can rule it in or out.
      ['P2', '2026-05-15', 'indeterminate', 'NA', '.'],
    ]);
    expect(rows[3].rationale).toContain(
      'TP53 p.R175H, TP53 p.R273H (plasma only, CH-prone genes, not in the tissue): possible clonal haematopoiesis: white-cell sequencing recommended',
    );
    expect(rows[3].modifiers).toBe(
      'short_response(4.4mo);triple_negative;bone_only;toxicity_note(chemotherapy);time_to_next_therapy(13.4mo)',
    );
    const doc = JSON.parse(readFileSync(p('class.json'), 'utf8'));
    expect(doc.schema).toBe('oligotrack.classification');
    expect(doc.assessments[3].site_origins.map((o: { origin: string }) => o.origin)).toEqual(['possible_ch', 'possible_ch', 'tumour']);
    for (const a of doc.assessments) {
      expect(a.rules.map((x: { id: string }) => x.id)).toEqual([
        'rule1_no_progression',
        'rule2_radiological_oligoprogression',
        'assessment_window',
        'sample_identity',
        'site_origin',
        'clonal_set',
        'rule3_molecular_progression',
        'ctdna_return',
        'rule4_targetable',
        'rule5_group',
        'rule6_indeterminate',
      ]);
      for (const rule of a.rules) expect(rule.source.length).toBeGreaterThan(20);
    }
    expect(doc.assessments[1].draws_used).toEqual(['P1_d0', 'P1_d1', 'P1_d2']);
    expect(doc.assessments[1].draws_in_window).toEqual(['P1_d1', 'P1_d2']);
    const again = cli(
      'classify',
      '--timeline',
      'out',
      '--clinical',
      'clinical.csv',
      '--imaging',
      'imaging.csv',
      '--json',
      'class2.json',
      '--between-draw-prior',
      '0.15',
    );
    expect(again.stdout).toBe(r.stdout);
    expect(readFileSync(p('class2.json'), 'utf8')).toBe(readFileSync(p('class.json'), 'utf8'));
  });

  it('a stricter policy file changes the group (max_oligo_lesions 1)', () => {
    const policy = readFileSync(join(ROOT, 'reference/policy/default.yaml'), 'utf8').replace(
      'max_oligo_lesions: 5',
      'max_oligo_lesions: 1',
    );
    writeFileSync(p('strict.yaml'), policy);
    const r = cli('classify', '--timeline', 'out', '--clinical', 'clinical.csv', '--imaging', 'imaging.csv', '--policy', 'strict.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(tsvRows(r.stdout)[2].group).toBe('widespread_progression');
  });
});

describe("matched white cells: a variant there is the patient's own, never tumour", () => {
  it('an ESR1 variant also in the white cells never makes the group targetable', () => {
    // The normal carries ESR1 at 6% (CH-like); the plasma draws are P1's.
    writeDrawBam(p('bams/P1_normal.bam'), 'P1_normal', [
      [0, 500],
      [0, 500],
      [30, 500],
    ]);
    const sheet = SHEET.split('\n')
      .filter((l) => l.startsWith('P1') || l === SHEET_HEADER)
      .map((l) => (l === SHEET_HEADER ? `${l},normal` : `${l},bams/P1_normal.bam`))
      .join('\n');
    writeFileSync(p('normal.csv'), `${sheet}\n`);
    const r = cli('track', '--samplesheet', 'normal.csv', '--sites', 'sites.tsv', '--out-dir', 'out_normal');
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(p('out_normal/counts')).sort()).toEqual(['P1_d0.json', 'P1_d0.normal.json', 'P1_d1.json', 'P1_d2.json']);
    const t = JSON.parse(readFileSync(p('out_normal/patients/P1.json'), 'utf8'));
    const esr1 = t.sites.find((x: { gene: string }) => x.gene === 'ESR1');
    // The timeline keeps the white-cell counts; classify tests them against the background.
    expect([esr1.white_cells.alt_count, esr1.white_cells.depth]).toEqual([30, 500]);
    expect(t.sites.find((x: { gene: string }) => x.gene === 'TP53').white_cells.alt_count).toBe(0);
    writeFileSync(
      p('im_p1.csv'),
      'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns\nP1,2026-05-20,2,1,bone;liver,yes,no\n',
    );
    writeFileSync(p('cl_p1.csv'), 'patient,subtype,therapy,therapy_class,therapy_start\nP1,HR+/HER2-,letrozole,endocrine,2025-06-01\n');
    const c = cli(
      'classify',
      '--timeline',
      'out_normal',
      '--clinical',
      'cl_p1.csv',
      '--imaging',
      'im_p1.csv',
      '--between-draw-prior',
      '0.15',
    );
    expect(c.status, c.stderr).toBe(0);
    // TP53 is absent from the white cells, so it is tumour DNA and stands for the tumour (stable):
    // true oligoprogression; ESR1 is the patient's own white cells' (clonal haematopoiesis).
    const row = tsvRows(c.stdout);
    expect(row.map((x) => [x.group, x.targetable_mutations])).toEqual([['true_oligoprogression', '.']]);
    expect(row[0].rationale).toMatch(/ESR1 p\.D538G[^.]*white cells/);
  });
});

describe('bad input: one line naming file:line:column, exit 1, no partial output', () => {
  const track = (sheet: string, out: string) => {
    writeFileSync(p(`${out}.csv`), sheet);
    return cli('track', '--samplesheet', `${out}.csv`, '--sites', 'sites.tsv', '--out-dir', out);
  };
  it('missing BAM', () => {
    const r = track(`${SHEET_HEADER}\nP1,P1_d0,2026-01-05,bams/nope.bam,baseline\n`, 'bad_missing');
    expectFailure(r, 'bad_missing.csv:2:21', /column 'bam': file not found: .*nope\.bam/);
    expect(existsSync(p('bad_missing'))).toBe(false);
  });
  it('duplicate sample IDs', () => {
    const r = track(`${SHEET_HEADER}\nP1,S1,2026-01-05,bams/P1_d0.bam,\nP1,S1,2026-02-05,bams/P1_d1.bam,\n`, 'bad_dup');
    expectFailure(r, 'bad_dup.csv:3:4', /duplicate sample ID 'S1' \(first on line 2\)/);
  });
  it('a failed run leaves the previous complete output untouched', () => {
    const before = readFileSync(p('out/timeline.tsv'), 'utf8');
    writeFileSync(p('bad_keep.csv'), `${SHEET_HEADER}\nP1,S1,2026-01-05,bams/nope.bam,\n`);
    const r = cli('track', '--samplesheet', 'bad_keep.csv', '--sites', 'sites.tsv', '--out-dir', 'out');
    expect(r.status).toBe(1);
    expect(readFileSync(p('out/timeline.tsv'), 'utf8')).toBe(before);
  });
  const classify = (imaging: string, clinical = 'clinical.csv', extra: string[] = []) => {
    writeFileSync(p('im.csv'), imaging);
    return cli('classify', '--timeline', 'out', '--clinical', clinical, '--imaging', 'im.csv', '--out', 'cls.tsv', ...extra);
  };
  const IM = 'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns';
  it('unknown patient in imaging; negative lesion count', () => {
    expectFailure(classify(`${IM}\nP9,2026-05-20,2,0,bone,no,no\n`), 'im.csv:2:1', /unknown patient 'P9'/);
    expectFailure(
      classify(`${IM}\nP1,2026-05-20,-1,0,bone,no,no\n`),
      'im.csv:2:15',
      /progressing_lesions' must be a whole number ≥ 0 \(got '-1'\)/,
    );
    expect(existsSync(p('cls.tsv'))).toBe(false);
  });
  it('a policy key with a typo names the key, the file and the nearest valid key', () => {
    const policy = readFileSync(join(ROOT, 'reference/policy/default.yaml'), 'utf8').replace('max_oligo_lesions: 5', 'max_oligo_lesion: 5');
    writeFileSync(p('typo.yaml'), policy);
    const r = classify(`${IM}\nP1,2026-05-20,2,0,bone,no,no\n`, 'clinical.csv', ['--policy', 'typo.yaml']);
    expectFailure(r, 'typo.yaml', /unknown policy key 'rules\.oligoprogression\.max_oligo_lesion'; did you mean 'max_oligo_lesions'\?/);
  });
  it('a TSV that cannot be written removes the JSON written before it (no half result)', () => {
    // --out below a regular file fails only after --json was written: the JSON must be removed again.
    writeFileSync(p('im.csv'), `${IM}\nP1,2026-05-20,2,0,bone,no,no\nP2,2026-05-15,1,0,bone,no,no\n`);
    const r = cli(
      'classify',
      '--timeline',
      'out',
      '--clinical',
      'clinical.csv',
      '--imaging',
      'im.csv',
      '--json',
      'half.json',
      '--out',
      'clinical.csv/cls.tsv',
    );
    expectFailure(r, 'clinical.csv/cls.tsv', /cannot write output \(.*clinical\.csv is not a directory\)/);
    expect(existsSync(p('half.json'))).toBe(false);
  });
  it('an output directory below a regular file fails before any counting', () => {
    const r = cli('track', '--samplesheet', 'samples.csv', '--sites', 'sites.tsv', '--out-dir', 'sites.tsv/out');
    expectFailure(r, 'sites.tsv/out', /cannot be the output directory: it is below .*sites\.tsv, which is not a directory/);
    expect(r.stderr).not.toMatch(/counted/);
  });
  it('a directory that is not a track output', () => {
    const r = cli('classify', '--timeline', 'bams', '--clinical', 'clinical.csv', '--imaging', 'imaging.csv');
    expectFailure(r, 'bams', /not a complete 'oligotrack track' output directory/);
  });
});
