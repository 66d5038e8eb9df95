import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDemoInputs, type DemoInputs } from '../../src/demo/generate.js';
import { openStore } from '../../src/store/index.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');

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

describe('track/run with --store and --counts-dir', () => {
  let inputs: DemoInputs;
  const base = mkdtempSync(join(tmpdir(), 'ot-store-cmd-'));
  const store = join(base, 'cohort.sqlite');
  // One demo patient with 5 draws (DEMO-04, ESR1 emerging) keeps the file to a few seconds.
  beforeAll(async () => {
    inputs = await prepareDemoInputs(join(base, 'input'), 2, undefined, ['DEMO-04']);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const n = () => drawsOf(inputs.samplesheet).length;
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
    '--store',
    store,
  ];
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
    // classify (run's stage) recorded the same assessments as classification.json, once.
    expect(r2.stderr).not.toContain('error');
    const s = openStore(store, { readonly: true });
    try {
      const doc = JSON.parse(readFileSync(join(base, 'a', 'classification.json'), 'utf8')) as {
        policy_name: string;
        assessments: { patient: string; assessment_date: string }[];
      };
      const recorded = s.listClassifications();
      expect(recorded.map((c) => c.assessment)).toEqual(doc.assessments);
      expect(recorded.every((c) => c.version === 1 && c.policyName === doc.policy_name)).toBe(true);
      expect(s.check()).toEqual([]);
      // `store list --classifications` prints the same groups as classification.json.
      const classes = cli(['store', 'list', '--store', store, '--classifications']);
      expect(classes.status, classes.stderr).toBe(0);
      const [head, ...lines] = classes.stdout.trim().split('\n');
      expect(head).toBe('patient\tassessment_date\tgroup\tversion\tpolicy\ttool_version');
      const groups = (doc.assessments as unknown as { patient: string; assessment_date: string; group: string }[]).map(
        (a) => `${a.patient}\t${a.assessment_date}\t${a.group}`,
      );
      expect(lines.map((l) => l.split('\t').slice(0, 3).join('\t'))).toEqual(groups);
      const listed = s.listSamples();
      expect(listed.map((x) => x.sample)).toEqual(
        drawsOf(inputs.samplesheet)
          .map((d) => d.sample)
          .sort(),
      );
      // One version each: the second run found the counts, it did not re-ingest them.
      expect(listed.every((x) => x.versions === 1)).toBe(true);
    } finally {
      s.close();
    }
  });

  it('report --store rebuilds the report from the recorded classifications, byte-identical; mixed policies are refused', () => {
    const out = join(base, 'report-from-store');
    const r = cli([
      'report',
      '--in',
      join(base, 'a'),
      '--store',
      store,
      '--out-dir',
      out,
      '--clinical',
      inputs.clinical,
      '--imaging',
      inputs.imaging,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expectSameTree(join(base, 'a', 'report'), out);
    // A classify with another policy name becomes version 2 of that assessment; one document
    // cannot carry two policies, so the report refuses to mix them.
    const mixed = join(base, 'mixed.sqlite');
    const copy = openStore(mixed, { create: true });
    const s = openStore(store, { readonly: true });
    try {
      const recorded = s.listClassifications();
      const run = (name: string, rows: typeof recorded) =>
        copy.recordClassifications({
          toolVersion: rows[0].toolVersion,
          policyFile: rows[0].policyFile,
          policyName: name,
          assessments: rows.map((c) => c.assessment as never),
        });
      expect(run(recorded[0].policyName, recorded).every((o) => o.status === 'added')).toBe(true);
      expect(run(recorded[0].policyName, recorded).every((o) => o.status === 'unchanged')).toBe(true);
      expect(run('other-policy', recorded.slice(0, 1))[0]).toMatchObject({ version: 2, status: 'new-version' });
    } finally {
      s.close();
      copy.close();
    }
    const bad = cli(['report', '--in', join(base, 'a'), '--store', mixed, '--out-dir', join(base, 'report-mixed')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/mixed\.sqlite: patient .* was classified with policy .*other-policy.*re-run classify --store/);
    expect(existsSync(join(base, 'report-mixed'))).toBe(false);
  });

  it('track --store reads every draw from the store and matches a track that counts', () => {
    const counted = join(base, 'track-counted');
    const r1 = cli([...trackArgs(counted), '--no-cache']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stderr).toContain(`counts: ${n()} counted, 0 from cache, 0 from store, 0 from counts dir`);
    const fromStore = join(base, 'track-store');
    const r2 = cli([...trackArgs(fromStore), '--store', store]);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toContain(`counts: 0 counted, 0 from cache, ${n()} from store, 0 from counts dir`);
    expectSameTree(counted, fromStore);
    // Other settings are another count: counted (not taken from the store) and kept as a new version.
    const r3 = cli([...trackArgs(join(base, 'track-mapq')), '--store', store, '--min-mapq', '30']);
    expect(r3.status, r3.stderr).toBe(0);
    expect(r3.stderr).toContain(`counts: ${n()} counted, 0 from cache, 0 from store, 0 from counts dir`);
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
      const r = cli([
        'count',
        '--bam',
        d.bam,
        '--sites',
        inputs.sites,
        '--sample',
        d.sample,
        '--format',
        'json',
        '--out',
        join(dir, `${d.sample}.count.json`),
      ]);
      expect(r.status, r.stderr).toBe(0);
    }
    const out = join(base, 'track-counts-dir');
    const r = cli([...trackArgs(out), '--counts-dir', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`counts: 0 counted, 0 from cache, 0 from store, ${n()} from counts dir`);
    expect(existsSync(join(out, 'counts'))).toBe(false);
    expectSameTree(join(base, 'track-counted'), out);
  });

  it('track --counts-dir reads a matched normal from <sample>.normal.count.json', () => {
    const draws = drawsOf(inputs.samplesheet);
    // The last draw's BAM (ESR1 emerged) stands in for the white-cell normal of every draw, so some
    // sites are flagged; the patient's normal is counted once, named after its first draw.
    const normalBam = draws[draws.length - 1].bam;
    const lines = readFileSync(inputs.samplesheet, 'utf8').trim().split('\n');
    const sheet = join(dirname(inputs.samplesheet), 'with-normal.csv'); // its BAM paths are relative to it
    writeFileSync(sheet, [`${lines[0]},normal`, ...lines.slice(1).map((l) => `${l},${normalBam}`)].join('\n') + '\n');
    const dir = join(base, 'counts-json');
    const normalJson = join(dir, `${draws[0].sample}.normal.count.json`);
    const c = cli([
      'count',
      '--bam',
      normalBam,
      '--sites',
      inputs.sites,
      '--sample',
      `${draws[0].sample}.normal`,
      '--format',
      'json',
      '--out',
      normalJson,
    ]);
    expect(c.status, c.stderr).toBe(0);
    const args = (out: string) => ['track', '--samplesheet', sheet, '--sites', inputs.sites, '--out-dir', out, '--no-cache'];
    const counted = cli(args(join(base, 'normal-counted')));
    expect(counted.status, counted.stderr).toBe(0);
    const read = cli([...args(join(base, 'normal-read')), '--counts-dir', dir]);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stderr).toContain(`counts: 0 counted, 0 from cache, 0 from store, ${draws.length} from counts dir`);
    expectSameTree(join(base, 'normal-counted'), join(base, 'normal-read'));
    // The normal made a difference (its germline flags), so the test compares something.
    const patient = readdirSync(join(base, 'normal-read', 'patients'))[0];
    expect(readFileSync(join(base, 'normal-read', 'patients', patient))).not.toEqual(
      readFileSync(join(base, 'track-counted', 'patients', patient)),
    );
  });

  it('track --counts-dir refuses counts made with other settings, other sites, another sample or none', () => {
    const [first] = drawsOf(inputs.samplesheet);
    const good = join(base, 'refuse-good.count.json');
    const c = cli(['count', '--bam', first.bam, '--sites', inputs.sites, '--sample', first.sample, '--format', 'json', '--out', good]);
    expect(c.status, c.stderr).toBe(0);
    /** A counts dir holding the first draw's JSON after `edit` (none when edit is null); track's stderr. */
    const bad = (name: string, edit: ((doc: Record<string, unknown>) => void) | null) => {
      const dir = join(base, `bad-${name}`);
      mkdirSync(dir);
      if (edit) {
        const doc = JSON.parse(readFileSync(good, 'utf8')) as Record<string, unknown>;
        edit(doc);
        writeFileSync(join(dir, `${first.sample}.count.json`), JSON.stringify(doc));
      }
      const out = join(base, `bad-out-${name}`);
      const r = cli([...trackArgs(out), '--counts-dir', dir]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(out, 'timeline.tsv'))).toBe(false);
      return r.stderr;
    };
    const rows = (d: Record<string, unknown>) => d.rows as Record<string, unknown>[];
    expect(bad('mapq', (d) => ((d.settings as Record<string, unknown>).min_mapq = 30))).toMatch(
      /bad-mapq\/.*\.count\.json: counted with other settings/,
    );
    expect(bad('fewer', (d) => rows(d).pop())).toMatch(/bad-fewer\/.*\.count\.json: site .* was not counted \(\d+ sites in the file/);
    expect(bad('other', (d) => (rows(d)[0].pos = 12345))).toMatch(/bad-other\/.*\.count\.json: site .* was not counted/);
    expect(bad('extra', (d) => rows(d).push({ ...rows(d)[0], pos: 12345 }))).toMatch(
      /site \S+:12345:\S+ is not among the sites this command counts/,
    );
    expect(
      bad('sample', (d) => {
        d.sample = 'OTHER';
        for (const row of rows(d)) row.sample = 'OTHER';
      }),
    ).toMatch(/counts are for sample "OTHER"/);
    expect(bad('sha', (d) => (d.bam_sha256 = '0'.repeat(64)))).toMatch(/other BAM content/);
    expect(bad('missing', null)).toMatch(/bad-missing\/.*\.count\.json: precomputed counts not found/);
    // Two sources of counts at once is a usage error (exit 2), as is a report with two classification sources.
    const both = cli([...trackArgs(join(base, 'both')), '--counts-dir', join(base, 'bad-mapq'), '--store', store]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--counts-dir and --store are exclusive/);
    const rep = cli([
      'report',
      '--in',
      join(base, 'a'),
      '--store',
      store,
      '--classification',
      join(base, 'a', 'classification.json'),
      '--out-dir',
      join(base, 'rep-both'),
    ]);
    expect(rep.status).toBe(2);
    expect(rep.stderr).toMatch(/--store and --classification are exclusive/);
  });
});
