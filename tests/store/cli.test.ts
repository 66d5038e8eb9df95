import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { assertBuilt, CLI, runCli, startCli } from './cli-helpers.js';
import { writeSample } from './fixtures.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'oligotrack-store-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Fixtures for `names` in a fresh directory under the test's temp dir. */
function sampleFiles(prefix: string, names: string[], nSites: number, seed: number): string[] {
  const d = mkdtempSync(join(dir, prefix));
  return names.map((n, i) => writeSample(d, { sample: n, nSites, seed: seed + i }));
}

describe('oligotrack store (CLI)', () => {
  it('two processes ingesting 100 samples each at once: every sample present exactly once', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `P${String(Math.floor(i / 3)).padStart(3, '0')}-T${i % 3}`);
    const files = sampleFiles('conc', names, 50, 1);
    const store = join(dir, 'concurrent.sqlite');
    // 0..99 and 50..149: 50 samples are ingested by both, so idempotency is raced as well.
    const [a, b] = await Promise.all([
      startCli(['store', 'ingest', '--store', store, ...files.slice(0, 100)]),
      startCli(['store', 'ingest', '--store', store, ...files.slice(50, 150)]),
    ]);
    expect(a.stderr).toBe('');
    expect(b.stderr).toBe('');
    expect([a.code, b.code]).toEqual([0, 0]);
    const outcomes = [...a.stdout.trim().split('\n').slice(1), ...b.stdout.trim().split('\n').slice(1)].map((l) => l.split('\t'));
    expect(outcomes).toHaveLength(200);
    // Of the 50 shared samples each was added by exactly one process and found unchanged by the other.
    expect(outcomes.filter((o) => o[2] === 'added')).toHaveLength(150);
    expect(outcomes.filter((o) => o[2] === 'unchanged')).toHaveLength(50);
    const db = new Database(store, { readonly: true });
    const perSample = db.prepare('SELECT sample, COUNT(*) AS n FROM count_version GROUP BY sample ORDER BY sample').all() as {
      sample: string;
      n: number;
    }[];
    expect(perSample.map((r) => r.sample)).toEqual([...names].sort());
    expect(perSample.every((r) => r.n === 1)).toBe(true);
    expect((db.prepare('SELECT COUNT(*) AS n FROM site_count').get() as { n: number }).n).toBe(150 * 50);
    db.close();
    const check = runCli(['store', 'check', '--store', store]);
    expect([check.status, check.stdout]).toEqual([0, 'ok\n']);
  }, 60_000);

  it('kill -9 at 20 random moments of an ingest: integrity ok and no sample half-written', async () => {
    const store = join(dir, 'killed.sqlite');
    runCli(['store', 'init', store]);
    const names = Array.from({ length: 20 }, (_, i) => `K${String(i).padStart(2, '0')}`);
    const reader = new Database(store, { readonly: true });
    const versionCount = () => (reader.prepare('SELECT COUNT(*) AS n FROM count_version').get() as { n: number }).n;
    // Seeded, reproducible kill moments tied to progress, not to wall time (which swings with the
    // machine's load): wait until `target` of this round's 20 draws are committed (1..19), then
    // kill after a further 0-24 ms, which lands inside or between the next transactions.
    let state = 12345;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const addedPerRound: number[] = [];
    for (let round = 1; round <= 20; round++) {
      const files = sampleFiles(`kill${round}-`, names, 600, round * 1000);
      const before = versionCount();
      const target = 1 + next(names.length - 1);
      const jitterMs = next(25);
      const child = spawn(process.execPath, [CLI, 'store', 'ingest', '--store', store, ...files], { stdio: 'ignore' });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      const poll = setInterval(() => {
        if (versionCount() - before >= target) {
          clearInterval(poll);
          setTimeout(() => child.kill('SIGKILL'), jitterMs);
        }
      }, 2);
      const run = await exited;
      clearInterval(poll);
      if (run.signal !== 'SIGKILL') expect(run.code, `round ${round} (not killed) failed`).toBe(0);
      const s = openStore(store, { readonly: true });
      expect(s.check(), `after the kill in round ${round} (target ${target}, +${jitterMs} ms)`).toEqual([]);
      s.close();
      expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
      addedPerRound.push(versionCount() - before);
    }
    reader.close();
    // The test only means something if kills hit mid-ingest (some draws committed, not all).
    const midway = addedPerRound.filter((n) => n > 0 && n < names.length).length;
    expect(midway, `versions committed per round: ${addedPerRound.join(',')}`).toBeGreaterThanOrEqual(10);
    // Whatever was killed, a re-run completes and the store stays writable and whole.
    const final = runCli(['store', 'ingest', '--store', store, ...sampleFiles('final-', names, 600, 99_000)]);
    expect(final.status, final.stderr).toBe(0);
    expect(runCli(['store', 'check', '--store', store]).stdout).toBe('ok\n');
  }, 120_000);

  it('a corrupt or foreign store, or a bad count file: one clear stderr line, exit 1, nothing written', () => {
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'PK\x03\x04 a zip file, not SQLite '.repeat(200));
    const foreign = join(dir, 'foreign.sqlite');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    for (const [file, why] of [
      [garbage, 'not an SQLite database'],
      [foreign, 'not an oligotrack cohort store'],
    ]) {
      const good = sampleFiles('corrupt-', ['G1'], 3, 1)[0];
      for (const sub of [['list'], ['ingest', good]]) {
        const r = runCli(['store', ...sub, '--store', file]);
        expect(r.status, `${sub[0]} on ${file}`).toBe(1);
        expect(r.stderr.trim().split('\n'), `${sub[0]} on ${file}`).toHaveLength(1);
        expect(r.stderr).toContain(`${file}: `);
        expect(r.stderr).toContain(why);
      }
    }
    // A bad document anywhere in the list: nothing is written, not even a new store.
    const fresh = join(dir, 'fresh.sqlite');
    const notCount = join(dir, 'not-a-count.json');
    writeFileSync(notCount, '{"schema":"something.else"}\n');
    const bad = runCli(['store', 'ingest', '--store', fresh, sampleFiles('mixed-', ['M1'], 3, 1)[0], notCount]);
    expect([bad.status, bad.stdout]).toEqual([1, '']);
    expect(bad.stderr.trim().split('\n')).toEqual([
      `oligotrack store ingest: error: ${notCount}: not an oligotrack.count v1 document: schema: Invalid input: expected "oligotrack.count"`,
    ]);
    expect(existsSync(fresh)).toBe(false);
    // The foreign database was left as it was.
    const db = new Database(foreign, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect((db.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type='table'").get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('export --format json gives the ingested documents back byte for byte; tsv is deterministic', () => {
    const store = join(dir, 'export.sqlite');
    const files = sampleFiles('exp', ['A', 'B'], 4, 7);
    const summary = join(dir, 'A.summary.json');
    writeFileSync(summary, '{"sample":"A","tumour_fraction":0.01}\n');
    const ing = runCli(['store', 'ingest', '--store', store, '--summary', summary, ...files]);
    expect(ing.status, ing.stderr).toBe(0);
    expect(ing.stdout).toBe('sample\tversion\tstatus\nA\t1\tadded\nB\t1\tadded\n');
    const out = join(dir, 'exported');
    const ex = runCli(['store', 'export', '--store', store, '--format', 'json', '--out-dir', out]);
    expect(ex.status, ex.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['A.count.json', 'A.summary.json', 'B.count.json']);
    expect(readFileSync(join(out, 'A.count.json'), 'utf8')).toBe(readFileSync(files[0], 'utf8'));
    expect(readFileSync(join(out, 'A.summary.json'), 'utf8')).toBe(readFileSync(summary, 'utf8'));
    const t1 = runCli(['store', 'export', '--store', store]);
    const t2 = runCli(['store', 'export', '--store', store, '--sample', 'B', 'A']);
    expect(t1.stdout).toBe(t2.stdout);
    expect(t1.stdout.trim().split('\n')).toHaveLength(1 + 8);
    const list = runCli(['store', 'list', '--store', store]);
    expect(list.stdout.split('\n')[1].split('\t').slice(0, 6)).toEqual(['A', '1', '1', 'GRCh38', '4', 'yes']);
    const unknown = runCli(['store', 'export', '--store', store, '--sample', 'Z']);
    expect([unknown.status, unknown.stderr.trim()]).toEqual([1, `oligotrack store export: error: ${store}: no sample "Z" in the store`]);
    const usage = runCli(['store', 'export', '--store', store, '--format', 'json']);
    expect(usage.status).toBe(2);
  });
});
