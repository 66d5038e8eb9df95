import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrackDir } from '../../src/bench/report-bench.js';
import { buildReport } from '../../src/report/build-report.js';
import { IN_CI } from '../helpers/requires.js';

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
  it('builds a report from a track directory with classification.json', () => {
    const dir = trackDir();
    const out = join(dir, 'report');
    const { patients } = buildReport({ inDir: dir, outDir: out });
    expect(patients.map((p) => p.patient)).toEqual(['BENCH-000', 'BENCH-001']);
    expect(readdirSync(out).sort()).toEqual(['BENCH-000.html', 'BENCH-000.json', 'BENCH-001.html', 'BENCH-001.json', 'index.html', 'index.json']);
    // The page is rebuilt from its JSON alone.
    const json = JSON.parse(readFileSync(join(out, 'BENCH-000.json'), 'utf8'));
    expect(json.schema).toBe('oligotrack.report');
    expect(json.draws).toHaveLength(4);
  });

  it('rejects a missing directory, an empty directory, a timeline without classification, an unknown patient', () => {
    const base = mkdtempSync(join(tmpdir(), 'ot-bad-'));
    made.push(base);
    expect(() => buildReport({ inDir: join(base, 'nope'), outDir: join(base, 'r') })).toThrow(/nope: no such directory/);
    mkdirSync(join(base, 'empty'));
    expect(() => buildReport({ inDir: join(base, 'empty'), outDir: join(base, 'r') })).toThrow(/no timeline found/);
    const dir = trackDir();
    rmSync(join(dir, 'classification.json'));
    expect(() => buildReport({ inDir: dir, outDir: join(dir, 'r') })).toThrow(/timeline without classification/);
    const dir2 = trackDir();
    expect(() => buildReport({ inDir: dir2, outDir: join(dir2, 'r'), patients: ['NOBODY'] })).toThrow(/unknown patient 'NOBODY'/);
    const dir3 = trackDir();
    writeFileSync(join(dir3, 'patients', 'BENCH-000.json'), '{"schema":');
    expect(() => buildReport({ inDir: dir3, outDir: join(dir3, 'r') })).toThrow(/BENCH-000.json: not valid JSON/);
    for (const d of [join(base, 'r'), join(dir, 'r'), join(dir2, 'r'), join(dir3, 'r')]) expect(existsSync(d)).toBe(false);
  });

  it('a classification naming a patient without timeline is an error naming the file', () => {
    const dir = trackDir();
    const c = JSON.parse(readFileSync(join(dir, 'classification.json'), 'utf8'));
    c.assessments[0].patient = 'GHOST';
    writeFileSync(join(dir, 'classification.json'), JSON.stringify(c));
    expect(() => buildReport({ inDir: dir, outDir: join(dir, 'r') })).toThrow(/classification.json: unknown patient 'GHOST'/);
  });
});

describe('oligotrack report (CLI)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'report', ...args], { encoding: 'utf8' });

  it('exit 0 and a complete report; byte-identical on a second run', () => {
    const dir = trackDir(3);
    const r1 = run('--in', dir, '--out', join(dir, 'r1'));
    expect(r1.stderr).toMatch(/3 patient page\(s\)/);
    expect(r1.status).toBe(0);
    run('--in', dir, '--out', join(dir, 'r2'));
    for (const f of readdirSync(join(dir, 'r1'))) {
      expect(readFileSync(join(dir, 'r2', f), 'utf8')).toBe(readFileSync(join(dir, 'r1', f), 'utf8'));
    }
  });

  it.each([
    ['missing directory', (d: string) => [join(d, 'missing')], /missing: no such directory/],
    ['empty directory', (d: string) => { mkdirSync(join(d, 'empty')); return [join(d, 'empty')]; }, /no timeline found/],
    ['no classification', (d: string) => { rmSync(join(d, 'classification.json')); return [d]; }, /timeline without classification/],
  ])('%s → one error line, exit 1, no report', (_name, setup, message) => {
    const dir = trackDir();
    const inDir = setup(dir);
    const r = run('--in', inDir[0], '--out', join(dir, 'rep'));
    expect(r.status).toBe(1);
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/oligotrack report: error: /);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'rep'))).toBe(false);
  });

  it('unknown patient → exit 1', () => {
    const dir = trackDir();
    const r = run('--in', dir, '--out', join(dir, 'rep'), '--patient', 'NOBODY');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown patient 'NOBODY'/);
  });

  it('unwritable output location (a path under a regular file) → exit 1, nothing written', () => {
    const dir = trackDir();
    writeFileSync(join(dir, 'afile'), 'x');
    const r = run('--in', dir, '--out', join(dir, 'afile', 'rep'));
    expect(r.status).toBe(1);
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write the report/);
  });

  it('missing --in is a usage error (exit 2)', () => {
    const r = run('--out', 'x');
    expect(r.status).toBe(2);
  });
});
