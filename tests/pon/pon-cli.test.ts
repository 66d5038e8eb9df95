import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePon } from '../../src/stats/pon.js';
import { otherBase, refAt, writeNormal, writeSites } from './fixtures.js';

const CLI = join(process.cwd(), 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-pon-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Site A at 1030 (alt = next base), site B at 1040 (seen at 5% in N2 → germline_or_chip).
const A = 1030;
const B = 1040;
const altA = otherBase(refAt(A));
const altB = otherBase(refAt(B), 2);
const ERR = 1010; // a target position carrying sequencing errors
const errBase = otherBase(refAt(ERR), 3);
let bams: string[] = [];
let sites = '';

beforeAll(() => {
  expect(existsSync(CLI), 'run npm run build:ts first').toBe(true);
  bams = [
    writeNormal(dir, {
      name: 'N1',
      depth: 400,
      start1: 1001,
      changes: new Map([
        [A, [altA]],
        [ERR, [errBase, errBase]],
      ]),
    }),
    writeNormal(dir, {
      name: 'N2',
      depth: 400,
      start1: 1001,
      changes: new Map([
        [A, []],
        [B, Array(20).fill(altB)],
      ]),
    }),
    writeNormal(dir, { name: 'N3', depth: 400, start1: 1001, changes: new Map([[A, [altA, altA, altA]]]) }),
  ];
  sites = writeSites(dir, [
    { pos1: A, alt: altA },
    { pos1: B, alt: altB },
  ]);
});

describe('oligotrack pon', () => {
  it('writes per-site rates, per-sample rates and flags germline/CHIP sites', () => {
    const out = join(dir, 'pon.tsv');
    const r = run(['pon', '--bam', ...bams, '--sites', sites, '--out', out]);
    // Three normals: a warning that the panel is small, and one naming the carrier of site B.
    expect(r.stderr).toMatch(/^oligotrack pon: warning: panel of 3 normal\(s\), fewer than 10/);
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^##oligotrack_pon=3\n##build=unknown\n##site_set_hash=sha256:[0-9a-f]{32}\n##samples=N1,N2,N3\n/);
    const pon = parsePon(text, out);
    const a = pon.perSite.get(`1:${A}:${refAt(A)}>${altA}`)!;
    expect(a.altReads).toBe(4);
    expect(a.depth).toBe(1200);
    expect(a.sampleRates).toEqual([1 / 400, 0, 3 / 400]);
    expect(a.germlineOrChip).toBe(false);
    expect(a.rate).toBeCloseTo((4 + a.pseudoAlt) / (1200 + a.pseudoDepth), 15);
    // B is at 5% in N2 only: N2 carries it (germline or CH of that donor), so N2 is left out of
    // B's rates and B is not flagged for every patient (fewer than half the normals carry it).
    const b = pon.perSite.get(`1:${B}:${refAt(B)}>${altB}`)!;
    expect(b.germlineOrChip).toBe(false);
    expect(b.carriers).toBe(1);
    expect(b.altReads).toBe(0);
    expect(b.depth).toBe(800);
    expect(b.sampleRates).toEqual([0, 20 / 400, 0]);
    // Deterministic: a second run gives the same bytes.
    const out2 = join(dir, 'pon2.tsv');
    run(['pon', '--bam', ...bams, '--sites', sites, '--out', out2]);
    expect(readFileSync(out2, 'utf8')).toBe(text);
  });

  it('estimates class rates over --targets positions', () => {
    const bed = join(dir, 'targets.bed');
    // Positions 1001..1060 (the reads' span): 1-based 1001 is 0-based 1000.
    writeFileSync(bed, 'chr1\t1000\t1060\n');
    const out = join(dir, 'pon-targets.tsv');
    const r = run(['pon', '--bam', ...bams, '--sites', sites, '--targets', bed, '--out', out]);
    expect(r.stderr).toMatch(/^oligotrack pon: warning: panel of 3 normal\(s\), fewer than 10/);
    expect(r.status).toBe(0);
    const pon = parsePon(readFileSync(out, 'utf8'), out);
    const cls = pon.perClass.get(`${refAt(ERR)}>${errBase}`)!;
    // The only errors of this class: 2 reads in N1 at ERR. Depth: every non-variant position of
    // that reference base (B is a variant in N2 and so excluded there) × 400 reads × 3 normals.
    expect(cls.altReads).toBe(2);
    let positions = 0;
    for (let p = 1001; p <= 1060; p++) if (p !== A && p !== B && refAt(p) === refAt(ERR)) positions++;
    const bPositionsOfBase = refAt(B) === refAt(ERR) ? 2 : 0; // B's position counts in N1 and N3 only
    expect(cls.depth).toBe((positions * 3 + bPositionsOfBase) * 400);
  });

  it('rejects overlapping or unsorted targets with the file and line', () => {
    const bed = join(dir, 'bad.bed');
    writeFileSync(bed, 'chr1\t1000\t1030\nchr1\t1020\t1060\n');
    const r = run(['pon', '--bam', ...bams, '--sites', sites, '--targets', bed, '--out', join(dir, 'x.tsv')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^oligotrack pon: error: ${bed}:2: overlapping interval`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    writeFileSync(bed, 'chr1\t1030\t1060\nchr1\t1000\t1010\n');
    const r2 = run(['pon', '--bam', ...bams, '--sites', sites, '--targets', bed, '--out', join(dir, 'x.tsv')]);
    expect(r2.stderr).toMatch(/bad\.bed:2: unsorted interval/);
    expect(existsSync(join(dir, 'x.tsv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('refuses --umi on BAMs without UMIs, naming the BAM', () => {
    const r = run(['pon', '--bam', bams[0], '--sites', sites, '--umi', '--out', join(dir, 'u.tsv')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bams[0]}: UMI collapsing is on but none of the`);
    expect(existsSync(join(dir, 'u.tsv'))).toBe(false);
  });

  it('exits 2 on a usage error', () => {
    const r = run(['pon', '--bam', bams[0], '--sites', sites]);
    expect(r.status).toBe(2);
  });
});
