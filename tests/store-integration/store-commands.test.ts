import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoInputs, type DemoInputs } from '../../src/demo/generate.js';
import { openStore } from '../../src/store/index.js';
import { IN_CI } from '../helpers/requires.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
if (!existsSync(CLI) && IN_CI) throw new Error(`CI requires the built CLI at ${CLI} (npm run build)`);

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

/** Every file under `dir` except the count cache (relative path → bytes). */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) {
        if (relative(dir, p) !== 'counts') walk(p);
      } else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function expectSameTree(a: string, b: string): void {
  const ta = tree(a);
  const tb = tree(b);
  expect([...tb.keys()]).toEqual([...ta.keys()]);
  for (const [k, v] of ta) expect(tb.get(k)?.equals(v), k).toBe(true);
}

/** The samplesheet's draws (the demo CSV has no quoted fields): sample → BAM path (absolute). */
function drawsOf(samplesheet: string): { sample: string; bam: string }[] {
  const [header, ...lines] = readFileSync(samplesheet, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return { sample: cells[cols.indexOf('sample')], bam: resolve(dirname(samplesheet), cells[cols.indexOf('bam')]) };
  });
}

describe.skipIf(!existsSync(CLI))('track/run with --store and --counts-dir', () => {
  let inputs: DemoInputs;
  const base = mkdtempSync(join(tmpdir(), 'ot-store-cmd-'));
  const store = join(base, 'cohort.sqlite');
  // One demo patient with 5 draws (DEMO-04, ESR1 emerging) keeps the file to a few seconds.
  beforeAll(async () => {
    inputs = await prepareDemoInputs(join(base, 'input'), 2, undefined, ['DEMO-04']);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const n = () => drawsOf(inputs.samplesheet).length;
  const runArgs = (out: string) => ['run', '--samplesheet', inputs.samplesheet, '--clinical', inputs.clinical, '--imaging', inputs.imaging, '--sites', inputs.sites, '--out', out, '--store', store];
  const trackArgs = (out: string) => ['track', '--samplesheet', inputs.samplesheet, '--sites', inputs.sites, '--out-dir', out];

  it('run --store twice: the second run counts nothing and its outputs are byte-identical; the store is intact', () => {
    const r1 = cli(runArgs(join(base, 'a')));
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stderr).toContain(`counted ${n()} sample(s), reused 0 from ${join(base, 'a', 'counts')}, 0 from ${store}`);
    const r2 = cli(runArgs(join(base, 'b')));
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toContain(`counted 0 sample(s), reused 0 from ${join(base, 'b', 'counts')}, ${n()} from ${store}`);
    // Nothing was counted in b, so not even its count cache was written.
    expect(existsSync(join(base, 'b', 'counts'))).toBe(false);
    expectSameTree(join(base, 'a'), join(base, 'b'));
    const s = openStore(store, { readonly: true });
    try {
      expect(s.check()).toEqual([]);
      const listed = s.listSamples();
      expect(listed.map((x) => x.sample)).toEqual(drawsOf(inputs.samplesheet).map((d) => d.sample).sort());
      // One version each: the second run found the counts, it did not re-ingest them.
      expect(listed.every((x) => x.versions === 1)).toBe(true);
    } finally {
      s.close();
    }
  });

  it('track --store reads every draw from the store and matches a track that counts', () => {
    const counted = join(base, 'track-counted');
    const r1 = cli([...trackArgs(counted), '--no-cache']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stderr).toContain(`(${n()} counted, 0 from cache, 0 from store, 0 from counts dir)`);
    const fromStore = join(base, 'track-store');
    const r2 = cli([...trackArgs(fromStore), '--store', store]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toContain(`(0 counted, 0 from cache, ${n()} from store, 0 from counts dir)`);
    expectSameTree(counted, fromStore);
    // Other settings are another count: counted (not taken from the store) and kept as a new version.
    const r3 = cli([...trackArgs(join(base, 'track-mapq')), '--store', store, '--min-mapq', '30']);
    expect(r3.status, r3.stderr).toBe(0);
    expect(r3.stderr).toContain(`(${n()} counted, 0 from cache, 0 from store, 0 from counts dir)`);
    const s = openStore(store, { readonly: true });
    try {
      expect(s.check()).toEqual([]);
      expect(s.listSamples().every((x) => x.versions === 2)).toBe(true);
    } finally {
      s.close();
    }
  });

  it('track --counts-dir reads count JSONs instead of counting, byte-identical to counting', () => {
    const dir = join(base, 'counts-json');
    mkdirSync(dir);
    for (const d of drawsOf(inputs.samplesheet)) {
      const r = cli(['count', '--bam', d.bam, '--sites', inputs.sites, '--sample', d.sample, '--format', 'json', '--out', join(dir, `${d.sample}.count.json`)]);
      expect(r.status, r.stderr).toBe(0);
    }
    const out = join(base, 'track-counts-dir');
    const r = cli([...trackArgs(out), '--counts-dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`(0 counted, 0 from cache, 0 from store, ${n()} from counts dir)`);
    expect(existsSync(join(out, 'counts'))).toBe(false);
    expectSameTree(join(base, 'track-counted'), out);
  });

  it('track --counts-dir refuses counts made with other settings, other sites, another sample or none', () => {
    const [first] = drawsOf(inputs.samplesheet);
    const bad = (name: string, args: string[], edit?: (doc: Record<string, unknown>) => void) => {
      const dir = join(base, `bad-${name}`);
      mkdirSync(dir);
      const file = join(dir, `${first.sample}.count.json`);
      if (args.length) {
        const c = cli(['count', '--bam', first.bam, '--sample', first.sample, '--format', 'json', '--out', file, ...args]);
        expect(c.status, c.stderr).toBe(0);
      }
      if (edit) {
        const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        edit(doc);
        writeFileSync(file, JSON.stringify(doc));
      }
      const out = join(base, `bad-out-${name}`);
      const r = cli([...trackArgs(out), '--counts-dir', dir]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(out, 'timeline.tsv'))).toBe(false);
      return r.stderr;
    };
    expect(bad('mapq', ['--sites', inputs.sites, '--min-mapq', '30'])).toMatch(/bad-mapq\/.*\.count\.json.*counted with other settings/);
    expect(bad('sites', ['--sites', 'panel:breast'])).toMatch(/bad-sites\/.*\.count\.json.*(was not counted|is not among the sites)/);
    expect(bad('sample', ['--sites', inputs.sites], (d) => {
      d.sample = 'OTHER';
      for (const row of d.rows as Record<string, unknown>[]) row.sample = 'OTHER';
    })).toMatch(/counts are for sample "OTHER"/);
    expect(bad('sha', ['--sites', inputs.sites], (d) => {
      d.bam_sha256 = '0'.repeat(64);
    })).toMatch(/other BAM content/);
    expect(bad('missing', [])).toMatch(/precomputed counts not found/);
  });
});
