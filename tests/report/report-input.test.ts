import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrackDir } from '../../src/bench/report-bench.js';
import { buildReport } from '../../src/report/build-report.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function trackDir(n = 2): string {
  const dir = mkdtempSync(join(tmpdir(), 'ot-track-'));
  made.push(dir);
  writeSyntheticTrackDir(dir, n, 4, 3);
  return dir;
}

describe('buildReport input checks', () => {
  it('builds a report from a track directory with classification.json', async () => {
    const dir = trackDir();
    const out = join(dir, 'report');
    const { patients } = await buildReport({ inDir: dir, outDir: out });
    expect(patients.map((p) => p.patient)).toEqual(['BENCH-000', 'BENCH-001']);
    expect(readdirSync(out).sort()).toEqual([
      'BENCH-000.html',
      'BENCH-000.json',
      'BENCH-001.html',
      'BENCH-001.json',
      'index.html',
      'index.json',
    ]);
    // The page is rebuilt from its JSON alone.
    const json = JSON.parse(readFileSync(join(out, 'BENCH-000.json'), 'utf8'));
    expect(json.schema).toBe('oligotrack.report');
    expect(json.draws).toHaveLength(4);
  });

  it('rejects a missing directory, an empty directory, a timeline without classification, an unknown patient', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ot-bad-'));
    made.push(base);
    await expect(buildReport({ inDir: join(base, 'nope'), outDir: join(base, 'r') })).rejects.toThrow(/nope: no such directory/);
    mkdirSync(join(base, 'empty'));
    await expect(buildReport({ inDir: join(base, 'empty'), outDir: join(base, 'r') })).rejects.toThrow(/no timeline found/);
    const dir = trackDir();
    rmSync(join(dir, 'classification.json'));
    await expect(buildReport({ inDir: dir, outDir: join(dir, 'r') })).rejects.toThrow(/timeline without classification/);
    const dir2 = trackDir();
    await expect(buildReport({ inDir: dir2, outDir: join(dir2, 'r'), patients: ['NOBODY'] })).rejects.toThrow(/unknown patient 'NOBODY'/);
    const dir3 = trackDir();
    writeFileSync(join(dir3, 'patients', 'BENCH-000.json'), '{"schema":');
    await expect(buildReport({ inDir: dir3, outDir: join(dir3, 'r') })).rejects.toThrow(/BENCH-000.json: not valid JSON/);
    for (const d of [join(base, 'r'), join(dir, 'r'), join(dir2, 'r'), join(dir3, 'r')]) expect(existsSync(d)).toBe(false);
  });

  it('a classification naming a patient without timeline is an error naming the file', async () => {
    const dir = trackDir();
    const c = JSON.parse(readFileSync(join(dir, 'classification.json'), 'utf8'));
    c.assessments[0].patient = 'GHOST';
    writeFileSync(join(dir, 'classification.json'), JSON.stringify(c));
    await expect(buildReport({ inDir: dir, outDir: join(dir, 'r') })).rejects.toThrow(/classification.json: unknown patient 'GHOST'/);
  });
});

describe('oligotrack report (CLI)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'report', ...args], { encoding: 'utf8' });

  it('exit 0 and a complete report; byte-identical on a second run', () => {
    const dir = trackDir(3);
    const r1 = run('--in', dir, '--out-dir', join(dir, 'r1'));
    expect(r1.stderr).toMatch(/3 patient page\(s\)/);
    expect(r1.status).toBe(0);
    run('--in', dir, '--out-dir', join(dir, 'r2'));
    for (const f of readdirSync(join(dir, 'r1'))) {
      expect(readFileSync(join(dir, 'r2', f), 'utf8')).toBe(readFileSync(join(dir, 'r1', f), 'utf8'));
    }
  });

  it.each([
    ['missing directory', (d: string) => [join(d, 'missing')], /missing: no such directory/],
    [
      'empty directory',
      (d: string) => {
        mkdirSync(join(d, 'empty'));
        return [join(d, 'empty')];
      },
      /no timeline found/,
    ],
    [
      'no classification',
      (d: string) => {
        rmSync(join(d, 'classification.json'));
        return [d];
      },
      /timeline without classification/,
    ],
  ])('%s → one error line, exit 1, no report', (_name, setup, message) => {
    const dir = trackDir();
    const inDir = setup(dir);
    const r = run('--in', inDir[0], '--out-dir', join(dir, 'rep'));
    expect(r.status).toBe(1);
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/oligotrack report: error: /);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'rep'))).toBe(false);
  });

  it('unknown patient → exit 1', () => {
    const dir = trackDir();
    const r = run('--in', dir, '--out-dir', join(dir, 'rep'), '--patient', 'NOBODY');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown patient 'NOBODY'/);
  });

  it('unwritable output location (a path under a regular file) → exit 1, nothing written', () => {
    const dir = trackDir();
    writeFileSync(join(dir, 'afile'), 'x');
    const r = run('--in', dir, '--out-dir', join(dir, 'afile', 'rep'));
    expect(r.status).toBe(1);
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write the report/);
  });

  it('missing --in is a usage error (exit 2)', () => {
    const r = run('--out-dir', 'x');
    expect(r.status).toBe(2);
  });

  it('dates the report by its data cut-off (never the clock), or by --report-date', () => {
    const dir = trackDir();
    // The synthetic cohort's latest draw or assessment, computed here from the timelines and classification.
    const dates = readdirSync(join(dir, 'patients')).flatMap((f) =>
      (JSON.parse(readFileSync(join(dir, 'patients', f), 'utf8')) as { draws: { collection_date: string }[] }).draws.map(
        (d) => d.collection_date,
      ),
    );
    const cutoff = dates.sort().at(-1)!;
    expect(run('--in', dir, '--out-dir', join(dir, 'a')).status).toBe(0);
    expect(readFileSync(join(dir, 'a', 'index.html'), 'utf8')).toContain(`<dd data-meta="report-date">${cutoff}</dd>`);
    expect(run('--in', dir, '--out-dir', join(dir, 'b'), '--report-date', '2030-01-31').status).toBe(0);
    const page = readFileSync(join(dir, 'b', 'BENCH-000.html'), 'utf8');
    expect(page).toContain('<dd data-meta="report-date">2030-01-31</dd>');
    expect(page).toContain('Report date 2030-01-31');
  });

  it.each([
    ['2025-13-01', /--report-date: '2025-13-01' is not a date \(expected YYYY-MM-DD/],
    ['yesterday', /--report-date: 'yesterday' is not a date/],
    ['2024-01-01', /--report-date 2024-01-01 is before the data cut-off 20\d\d-\d\d-\d\d/],
  ])('--report-date %s → usage error naming the value, exit 2, no report', (value, message) => {
    const dir = trackDir();
    const r = run('--in', dir, '--out-dir', join(dir, 'rep'), '--report-date', value);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'rep'))).toBe(false);
  });

  it('--pdf without Chromium → one line saying how to install it, exit 1, no report', () => {
    const dir = trackDir();
    const r = spawnSync(process.execPath, [CLI, 'report', '--in', dir, '--out-dir', join(dir, 'rep'), '--pdf'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: join(dir, 'no-such-bin'), OLIGOTRACK_CHROMIUM: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      "oligotrack report: error: --pdf needs Chromium, which was not found on PATH: install it (Debian/Ubuntu: 'apt-get install chromium') or set OLIGOTRACK_CHROMIUM to its path",
    ]);
    expect(existsSync(join(dir, 'rep'))).toBe(false);
  });
});
