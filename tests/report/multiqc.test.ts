import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPatientIdentity } from '../../src/identity/concordance.js';
import { multiqcFiles } from '../../src/report/multiqc.js';
import type { PatientTimeline } from '../../src/timeline/types.js';
import { writeSyntheticTrackDir } from '../../src/bench/report-bench.js';
import { randomPerson, rngFor, simulateSample, snpFrequencies } from '../../src/bench/identity-sim.js';
import { requireTools } from '../helpers/requires.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-multiqc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readTimelines(trackDir: string): PatientTimeline[] {
  const p = join(trackDir, 'patients');
  return readdirSync(p)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(p, f), 'utf8')) as PatientTimeline);
}

describe('MultiQC custom content', () => {
  it('one row per draw with depth, families, sites below LoD, tumour fraction and identity; byte-identical on a second call', () => {
    const track = join(dir, 'synthetic');
    writeSyntheticTrackDir(track, 2, 4, 5);
    const timelines = readTimelines(track);
    const t = timelines[0];
    const r = rngFor(5);
    const freqs = snpFrequencies(24, r);
    const me = randomPerson(freqs, r);
    const other = randomPerson(freqs, r);
    const set = { snps: 24, depth: 200, tumourFraction: 0.2, contamination: 0 };
    const identity = checkPatientIdentity(
      t.patient,
      t.draws.map((d, i) => simulateSample(d.sample, 'draw', i === 1 ? other : me, me, set, r)),
    );
    const files = multiqcFiles(timelines, [identity]);
    expect(multiqcFiles(timelines, [identity])).toEqual(files);
    const table = JSON.parse(files[0].text);
    expect(files[0].name).toBe('oligotrack_draws_mqc.json');
    expect(table.plot_type).toBe('table');
    expect(Object.keys(table.data)).toHaveLength(timelines.reduce((n, x) => n + x.draws.length, 0));
    const d = t.draws[0];
    const points = t.sites.filter((s) => !s.germline_or_ch).map((s) => s.points[0]);
    const depths = points.map((p) => p.depth).sort((a, b) => a - b);
    const row = table.data[d.sample];
    expect(row.median_depth).toBe(
      depths.length % 2 ? depths[(depths.length - 1) / 2] : (depths[depths.length / 2 - 1] + depths[depths.length / 2]) / 2,
    );
    expect(row.sites_below_lod).toBe(points.filter((p) => p.call !== 'detected').length);
    expect(table.data[t.draws[1].sample].identity).toBe('discordant');
    expect(row.identity).toBe('concordant');
    expect(table.data[timelines[1].draws[0].sample].identity).toBe('not checked');
    // The swapped tube's row keeps its tumour fraction; the patient's line leaves it out.
    expect(table.data[t.draws[1].sample].tumour_fraction).toBeGreaterThan(0);
    const line = JSON.parse(files[1].text);
    expect(files[1].name).toBe('oligotrack_tumour_fraction_mqc.json');
    expect(Object.keys(line.data[t.patient])).toEqual(['1', '3', '4']);
    expect(Object.keys(line.data[timelines[1].patient])).toEqual(['1', '2', '3', '4']);
  });
});

describe.skipIf(!requireTools('multiqc'))('MultiQC renders the oligotrack section for the demo', () => {
  it("multiqc on the demo's files shows the table and the tumour-fraction plot", () => {
    const demo = join(dir, 'demo');
    const run = spawnSync(process.execPath, [CLI, 'demo', '--out-dir', demo], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const timelines = readTimelines(demo);
    expect(timelines.length).toBe(7);
    // The demo panel carries no identity SNPs: every patient is "not checked", never a pass.
    const identity = timelines.map((t) =>
      checkPatientIdentity(
        t.patient,
        t.draws.map((d) => ({ sample: d.sample, kind: 'draw' as const, snps: [] })),
      ),
    );
    // The files the demo's run wrote into its out dir are the ones built from its timelines.
    const mqcDir = join(demo, 'multiqc');
    const expected = multiqcFiles(timelines, identity);
    expect(readdirSync(mqcDir).sort()).toEqual(expected.map((f) => f.name).sort());
    for (const f of expected) expect(readFileSync(join(mqcDir, f.name), 'utf8')).toBe(f.text);
    const out = join(dir, 'mqc-out');
    const mq = spawnSync('multiqc', ['--force', '--outdir', out, mqcDir], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    });
    expect(mq.status, mq.stderr).toBe(0);
    const html = readFileSync(join(out, 'multiqc_report.html'), 'utf8');
    expect(html).toContain('oligotrack: plasma draws');
    expect(html).toContain('oligotrack: tumour fraction');
    expect(html).toContain(timelines[0].draws[0].sample);
    const data = join(out, 'multiqc_data', 'multiqc_oligotrack_draws_table.txt');
    expect(existsSync(data)).toBe(true);
    const rows = readFileSync(data, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(1 + timelines.reduce((n, t) => n + t.draws.length, 0));
    expect(rows.slice(1).every((l) => l.includes('not checked'))).toBe(true);
  });
});
