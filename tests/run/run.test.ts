import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoInputs, type DemoInputs } from '../../src/demo/generate.js';
import { DEMO_BETWEEN_DRAW_CV } from '../../src/cli/demo.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

/** Every file under `dir` (relative path → bytes), for byte-identity checks. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('oligotrack run', () => {
  let inputs: DemoInputs;
  const base = mkdtempSync(join(tmpdir(), 'ot-run-'));
  // Two demo patients (8 draws) keep this file well under a minute: DEMO-04 (ESR1 emerging) and DEMO-06 (indeterminate).
  beforeAll(async () => {
    inputs = await prepareDemoInputs(join(base, 'input'), 2, undefined, ['DEMO-04', 'DEMO-06']);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  /** The uninterrupted run every other test compares with (made once). */
  const reference = () => {
    const a = join(base, 'a');
    if (!existsSync(join(a, 'report', 'index.html'))) {
      const r = spawnSync(process.execPath, [CLI, ...runArgs(a)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`reference run failed: ${r.stderr}`);
    }
    return a;
  };
  // As `oligotrack demo` does: the demo's draws vary by sampling only, and say so (src/cli/demo.ts).
  const runArgs = (out: string) => [
    'run',
    '--samplesheet',
    inputs.samplesheet,
    '--clinical',
    inputs.clinical,
    '--imaging',
    inputs.imaging,
    '--sites',
    inputs.sites,
    '--out-dir',
    out,
    '--between-draw-prior',
    String(DEMO_BETWEEN_DRAW_CV),
  ];

  it('runs count → track → classify → report, and a second run gives byte-identical outputs', () => {
    const a = join(base, 'a');
    const b = join(base, 'b');
    const r1 = spawnSync(process.execPath, [CLI, ...runArgs(a)], { encoding: 'utf8' });
    expect(r1.stderr).toContain('counting 8/8');
    expect(r1.status).toBe(0);
    expect(existsSync(join(a, 'report', 'index.html'))).toBe(true);
    const classification = readFileSync(join(a, 'classification.tsv'), 'utf8');
    expect(classification).toMatch(/^DEMO-04\t2025-06-16\toligoprogression_targetable\t/m);
    expect(classification).toMatch(/^DEMO-06\t2025-08-04\tindeterminate\t/m);
    const r2 = spawnSync(process.execPath, [CLI, ...runArgs(b)], { encoding: 'utf8' });
    expect(r2.status).toBe(0);
    const ta = tree(a);
    const tb = tree(b);
    expect([...tb.keys()]).toEqual([...ta.keys()]);
    for (const [k, v] of ta) {
      // The count cache key hashes BAM mtimes, identical here (same input BAMs); everything else is data.
      expect(tb.get(k)!.equals(v), k).toBe(true);
    }
    // Rerun in place: every sample reused, outputs unchanged.
    const r3 = spawnSync(process.execPath, [CLI, ...runArgs(a)], { encoding: 'utf8' });
    expect(r3.status).toBe(0);
    expect(r3.stderr).toContain('reused 8');
    for (const [k, v] of tree(a)) expect(v.equals(ta.get(k)!), k).toBe(true);
    // No timestamps: no ISO date-time anywhere in the outputs. (A bare date can be data: the
    // reference tables' as_of dates are curated dates, not the run's.)
    for (const [k, v] of ta) expect(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v.toString('utf8')), k).toBe(false);
  });

  it('a killed run resumes: samples counted before the kill are reused and the result equals an uninterrupted run', async () => {
    const out = join(base, 'killed');
    const child = spawn(process.execPath, [CLI, ...runArgs(out)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (/counting 1\/8/.test(err) && child.exitCode === null) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode, `the run ended before it could be killed:\n${err}`).toBe('SIGKILL');
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(false);
    const r = spawnSync(process.execPath, [CLI, ...runArgs(out)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const reused = Number(/reused (\d+)/.exec(r.stderr)?.[1]);
    expect(reused).toBeGreaterThanOrEqual(1);
    expect(reused).toBeLessThan(8);
    const ref = tree(reference());
    const got = tree(out);
    expect([...got.keys()]).toEqual([...ref.keys()]);
    for (const [k, v] of ref) expect(got.get(k)?.equals(v), k).toBe(true);
  });

  it('bad input: a missing clinical file is one error line and exit 1', () => {
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'run',
        '--samplesheet',
        inputs.samplesheet,
        '--clinical',
        join(base, 'nope.csv'),
        '--imaging',
        inputs.imaging,
        '--sites',
        inputs.sites,
        '--out-dir',
        join(base, 'bad'),
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^oligotrack run: error: .*nope\.csv: --clinical file not found$/)]);
  });
});
