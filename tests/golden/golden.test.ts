import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Golden outputs: count, track and classify on the tiny committed BAMs of test-data/golden/ give
 * exactly the committed bytes. An intended change of an output is regenerated with
 * test-data/golden/make.mjs and reviewed as a diff (test-data/golden/README.md).
 */
const ROOT = process.cwd();
const GOLDEN = join(ROOT, 'test-data', 'golden');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'oligotrack-golden-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir` (relative path → bytes). */
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

const INPUTS = ['bams', 'sites.tsv', 'samplesheet.csv', 'clinical.csv', 'imaging.csv'];

describe('golden outputs (test-data/golden)', () => {
  it('the committed inputs are what make.mjs writes with the project BAM writer', () => {
    const made = join(work, 'made');
    execFileSync(process.execPath, [join(GOLDEN, 'make.mjs'), made], { stdio: ['ignore', 'ignore', 'pipe'] });
    const want = new Map([...tree(GOLDEN)].filter(([k]) => INPUTS.some((i) => k === i || k.startsWith(`${i}/`))));
    const got = tree(made);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) expect(got.get(k)!.equals(v), k).toBe(true);
  });

  it('count, track and classify on them give the committed outputs byte for byte', () => {
    const run = join(work, 'run');
    for (const input of INPUTS) cpSync(join(GOLDEN, input), join(run, input), { recursive: true });
    mkdirSync(join(run, 'expected'));
    const commands = JSON.parse(readFileSync(join(GOLDEN, 'commands.json'), 'utf8')) as { args: string[]; stdout?: string }[];
    for (const { args, stdout } of commands) {
      // The same relative paths as make.mjs used: outputs record paths as given.
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: run, encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      if (stdout) writeFileSync(join(run, stdout), r.stdout);
    }
    const want = tree(join(GOLDEN, 'expected'));
    const got = tree(join(run, 'expected'));
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) expect(got.get(k)!.toString('utf8'), k).toBe(v.toString('utf8'));
  });
});
