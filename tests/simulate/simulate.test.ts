import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SamRecord } from '../../src/io/sam-record.js';
import { benchmarkSpec } from '../../src/simulate/bench-panel.js';
import { Rng } from '../../src/simulate/rng.js';
import { simulateSample, simulateToBam, SimulationInputError } from '../../src/simulate/simulate.js';
import { DEFAULT_SIMULATION, type SimulationSpec } from '../../src/simulate/spec.js';
import { requireTools } from '../helpers/requires.js';
import { pileupAt } from './pileup-count.js';

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REFS = [
  { name: 'chr1', length: 2_000_000 },
  { name: 'chr2', length: 1_000_000 },
];

function spec(over: Partial<SimulationSpec>): SimulationSpec {
  return { ...DEFAULT_SIMULATION, sample: 'sim', seed: 42, refs: REFS, sites: [], ...over };
}

/** Binomial tolerance: 4 standard deviations plus a small constant for error-induced counts. */
function within(observed: number, n: number, p: number, extra = 0): boolean {
  return Math.abs(observed - n * p) <= 4 * Math.sqrt(n * p * (1 - p)) + extra;
}

/** Fragment length (|TLEN|) per template, from read 1 of each pair. */
function fragmentLengths(records: SamRecord[]): number[] {
  return records.filter((r) => r.flag & 0x40).map((r) => Math.abs(r.tlen));
}

/** Mode of a histogram smoothed over ±3 bp (fragment lengths are continuous, counts noisy). */
function smoothedMode(values: number[]): number {
  const h = new Map<number, number>();
  for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
  let best = 0;
  let bestScore = -1;
  for (let x = 50; x <= 700; x++) {
    let s = 0;
    for (let d = -3; d <= 3; d++) s += h.get(x + d) ?? 0;
    if (s > bestScore) {
      bestScore = s;
      best = x;
    }
  }
  return best;
}

describe('rng', () => {
  it('xoshiro128** is deterministic per seed and roughly uniform', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    const c = new Rng(2);
    const xs = Array.from({ length: 10 }, () => a.nextUint32());
    expect(Array.from({ length: 10 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.nextUint32())).not.toEqual(xs);
    const r = new Rng(9);
    const n = 100_000;
    let sum = 0;
    let poissonSum = 0;
    for (let i = 0; i < n; i++) {
      sum += r.float();
      poissonSum += r.poisson(2);
    }
    // Mean of U(0,1): sd of the mean is 0.289/sqrt(n) ≈ 0.0009; Poisson(2): sqrt(2/n) ≈ 0.0045.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(poissonSum / n - 2)).toBeLessThan(0.02);
  });
});

describe('simulateSample (in memory)', () => {
  it('fragment lengths: normal molecules peak at the fragment mode, ALT molecules at the tumour mode', () => {
    const { records } = simulateSample(
      spec({
        depth: 3000,
        sites: [
          { chrom: 'chr1', pos1: 100_000, ref: 'C', alt: 'T', vaf: 0 },
          { chrom: 'chr2', pos1: 100_000, ref: 'G', alt: 'A', vaf: 1 },
        ],
      }),
    );
    const normal = fragmentLengths(records.filter((r) => r.rname === 'chr1'));
    const tumour = fragmentLengths(records.filter((r) => r.rname === 'chr2'));
    expect(normal.length).toBe(3000);
    expect(Math.abs(smoothedMode(normal) - 167)).toBeLessThanOrEqual(4);
    expect(Math.abs(smoothedMode(tumour) - 145)).toBeLessThanOrEqual(4);
    // Most cfDNA fragments are shorter than two reads, so mates overlap.
    expect(normal.filter((l) => l < 300).length / normal.length).toBeGreaterThan(0.9);
  });

  it('UMI families: sizes 1 + Poisson(mean - 1), RX on both mates, duplex halves swapped between strands', () => {
    const { records } = simulateSample(
      spec({
        depth: 3000,
        seqError: 0,
        pcrError: 0,
        umi: { length: 8, duplex: true },
        familySizeMean: 3,
        sites: [{ chrom: 'chr1', pos1: 200_000, ref: 'A', alt: 'G', vaf: 0.1 }],
      }),
    );
    for (const r of records) expect(String(r.tags?.RX)).toMatch(/^[ACGT]{8}-[ACGT]{8}$/);
    // --umi-in both: the read name ends with ':' + the same UMI (the only ':' field).
    const named = simulateSample(
      spec({
        depth: 50,
        umi: { length: 8, duplex: false, where: 'both' },
        sites: [{ chrom: 'chr1', pos1: 200_000, ref: 'A', alt: 'G', vaf: 0.1 }],
      }),
    );
    for (const r of named.records) expect(r.qname.split(':')).toEqual([expect.any(String), r.tags!.RX]);
    // A molecule = the unordered UMI pair plus its outer coordinates; its family = all read pairs.
    const families = new Map<string, number>();
    const strands = new Map<string, Set<string>>();
    for (const r of records) {
      if (!(r.flag & 0x40)) continue;
      const [a, b] = String(r.tags!.RX).split('-');
      const left = Math.min(r.pos1, r.pnext1);
      const key = `${[a, b].sort().join('+')}:${left}:${Math.abs(r.tlen)}`;
      families.set(key, (families.get(key) ?? 0) + 1);
      if (!strands.has(key)) strands.set(key, new Set());
      strands.get(key)!.add(String(r.tags!.RX));
    }
    const sizes = [...families.values()];
    expect(sizes.length).toBeGreaterThan(2900); // ≤ a few UMI+position collisions among 3000
    const mean = sizes.reduce((s, x) => s + x, 0) / sizes.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.1); // sd of the mean ≈ sqrt(2/3000) = 0.026
    const singletons = sizes.filter((s) => s === 1).length / sizes.length;
    expect(Math.abs(singletons - Math.exp(-2))).toBeLessThan(0.03); // P(Poisson(2) = 0) = 0.135
    // Families with ≥ 2 pairs show both orientations 'A-B' and 'B-A' about half the time or more.
    const big = [...families.entries()].filter(([, n]) => n >= 3);
    const both = big.filter(([k]) => strands.get(k)!.size === 2).length;
    expect(both / big.length).toBeGreaterThan(0.6);
  });

  it('PCR errors are shared within a family; sequencing errors are not', () => {
    const base = {
      depth: 1500,
      umi: { length: 10, duplex: false },
      familySizeMean: 6,
      sites: [{ chrom: 'chr1', pos1: 300_000, ref: 'T', alt: 'C', vaf: 0 }],
    };
    // Count, per family of left reads (same start, length, UMI), columns where a minority base
    // appears in ≥ 2 reads: only errors made before the copies diverged (PCR) do that.
    const sharedMinorities = (records: SamRecord[]) => {
      const fam = new Map<string, string[]>();
      for (const r of records) {
        if (r.flag & 0x10) continue;
        const key = `${r.pos1}:${r.seq.length}:${r.tags!.RX}`;
        if (!fam.has(key)) fam.set(key, []);
        fam.get(key)!.push(r.seq);
      }
      let shared = 0;
      for (const seqs of fam.values()) {
        if (seqs.length < 3) continue;
        for (let i = 0; i < seqs[0].length; i++) {
          const counts = new Map<string, number>();
          for (const s of seqs) counts.set(s[i], (counts.get(s[i]) ?? 0) + 1);
          const sorted = [...counts.values()].sort((a, b) => b - a);
          if (sorted.length > 1 && sorted[1] >= 2) shared++;
        }
      }
      return shared;
    };
    const pcr = sharedMinorities(simulateSample(spec({ ...base, seqError: 0, pcrError: 0.01 })).records);
    // PCR errors at 0.01 per molecule reach a read with probability mean(2^-c) ≈ 0.1, so 0.002
    // per-base sequencing errors put at least as many mismatches into the reads.
    const seq = sharedMinorities(simulateSample(spec({ ...base, seqError: 0.002, pcrError: 0 })).records);
    expect(pcr).toBeGreaterThan(50);
    expect(seq).toBeLessThan(pcr / 5);
  });

  it('indel sites get the right CIGAR and sequence', () => {
    const { records } = simulateSample(
      spec({
        depth: 400,
        seqError: 0,
        pcrError: 0,
        sites: [
          { chrom: 'chr1', pos1: 500_000, ref: 'CAGT', alt: 'C', vaf: 0.5 },
          { chrom: 'chr2', pos1: 500_000, ref: 'G', alt: 'GTTAC', vaf: 0.5 },
          { chrom: 'chr2', pos1: 700_000, ref: 'AC', alt: 'TG', vaf: 0.5 },
        ],
      }),
    );
    const del = records.filter((r) => /\d+M3D\d+M/.test(r.cigar));
    const ins = records.filter((r) => /\d+M4I\d+M/.test(r.cigar));
    expect(del.length).toBeGreaterThan(200);
    expect(ins.length).toBeGreaterThan(200);
    for (const r of del) {
      const m = /^(\d+)M3D/.exec(r.cigar)!;
      expect(r.pos1 + Number(m[1]) - 1).toBe(500_000); // last M base is the padding base
      expect(r.seq[Number(m[1]) - 1]).toBe('C');
    }
    for (const r of ins) {
      const m = /^(\d+)M4I/.exec(r.cigar)!;
      expect(r.pos1 + Number(m[1]) - 1).toBe(500_000);
      expect(r.seq.slice(Number(m[1]) - 1, Number(m[1]) + 4)).toBe('GTTAC');
    }
    // MNV: covered reads show TG or AC at the two positions, nothing else (no errors simulated).
    for (const r of records.filter((x) => x.rname === 'chr2' && x.pos1 <= 700_000 && x.pos1 + 150 > 700_001 && x.cigar === '150M')) {
      const i = 700_000 - r.pos1;
      expect(['AC', 'TG']).toContain(r.seq.slice(i, i + 2));
    }
  });

  it('benchmark panel: 50 sites on 3 contigs with SNVs, insertions and deletions; duplicates flagged', () => {
    const b = benchmarkSpec({ depth: 20 });
    expect(b.sites).toHaveLength(50);
    expect(new Set(b.sites.map((x) => x.chrom))).toEqual(new Set(['chr3', 'chr6', 'chr17']));
    expect(b.sites.filter((x) => x.alt.length > x.ref.length)).toHaveLength(5);
    expect(b.sites.filter((x) => x.alt.length < x.ref.length)).toHaveLength(5);
    // VAF 0.5 instead of the panel's 1-5% so that 20 molecules surely show the indels.
    const { records, truth } = simulateSample({ ...b, sites: b.sites.map((x) => ({ ...x, vaf: 0.5 })) });
    expect(truth.every((t) => t.fragmentsTotal === 20)).toBe(true); // 3 kb apart: no shared fragments
    expect(records.some((r) => r.flag & 0x400)).toBe(true);
    expect(records.some((r) => /I/.test(r.cigar)) && records.some((r) => /D/.test(r.cigar))).toBe(true);
  });

  it('rejects impossible requests with SimulationInputError', () => {
    expect(() => simulateSample(spec({ sites: [{ chrom: 'chrZ', pos1: 5000, ref: 'A', alt: 'T', vaf: 0.1 }] }))).toThrow(
      SimulationInputError,
    );
    expect(() => simulateSample(spec({ sites: [{ chrom: 'chr1', pos1: 10, ref: 'A', alt: 'T', vaf: 0.1 }] }))).toThrow(
      /too close to the contig start/,
    );
    expect(() =>
      simulateSample(
        spec({
          sites: [
            { chrom: 'chr1', pos1: 5000, ref: 'A', alt: 'T', vaf: 0.1 },
            { chrom: 'chr1', pos1: 5000, ref: 'C', alt: 'T', vaf: 0.1 },
          ],
        }),
      ),
    ).toThrow(/conflicts/);
    expect(() => simulateSample(spec({ depth: 0, sites: [] }))).toThrow(/depth/);
  });
});

describe.skipIf(!requireTools('samtools'))('simulated BAMs vs samtools', () => {
  const sites = [
    { chrom: 'chr1', pos1: 400_000, ref: 'G', alt: 'T', vaf: 0.05 },
    { chrom: 'chr1', pos1: 400_040, ref: 'C', alt: 'A', vaf: 0.2 }, // shares fragments with the one above
    { chrom: 'chr1', pos1: 900_000, ref: 'ATG', alt: 'A', vaf: 0.1 },
    { chrom: 'chr2', pos1: 300_000, ref: 'T', alt: 'TGA', vaf: 0.1 },
    { chrom: 'chr2', pos1: 600_000, ref: 'A', alt: 'C', vaf: 0 },
  ];
  const depth = 2000;

  it('same seed → byte-identical BAM and index; another seed → different bytes', () => {
    const a = join(dir, 'a.bam');
    const b = join(dir, 'b.bam');
    const c = join(dir, 'c.bam');
    const s = spec({ depth: 500, sites, umi: { length: 8, duplex: false }, familySizeMean: 2 });
    simulateToBam(s, a);
    simulateToBam(s, b);
    simulateToBam({ ...s, seed: 43 }, c);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(`${a}.bai`).equals(readFileSync(`${b}.bai`))).toBe(true);
    expect(readFileSync(a).equals(readFileSync(c))).toBe(false);
    execFileSync('samtools', ['quickcheck', a]);
  });

  it('truth agrees with samtools mpileup counts within binomial tolerance; mates overlap at sites', () => {
    const path = join(dir, 'truth.bam');
    const { truth, records } = simulateToBam(spec({ depth, sites, seqError: 1e-3, pcrError: 0 }), path);
    execFileSync('samtools', ['quickcheck', path]);
    expect(Number(execFileSync('samtools', ['view', '-c', path], { encoding: 'utf8' }).trim())).toBe(records);
    for (const t of truth) {
      // The site's own molecules, plus its neighbour's (40 bp apart) for the first two sites.
      expect(t.fragmentsTotal).toBeGreaterThanOrEqual(depth);
      if (t.pos1 === 400_000 || t.pos1 === 400_040) expect(t.fragmentsTotal).toBeGreaterThan(1.5 * depth);
      expect(within(t.fragmentsAlt, depth, t.trueVaf)).toBe(true);
      const p = pileupAt(path, t.chrom, t.pos1, t.ref, t.alt);
      // Overlap removal keeps one base per fragment: depth = molecules covering the site.
      expect(p.depth, `${t.chrom}:${t.pos1}`).toBe(t.fragmentsTotal);
      // Sequencing errors (1e-3 per base, 1/3 to the ALT base) move at most a few counts.
      expect(Math.abs(p.alt - t.fragmentsAlt), `${t.chrom}:${t.pos1} alt`).toBeLessThanOrEqual(4 + Math.ceil(0.002 * t.fragmentsTotal));
      const raw = pileupAt(path, t.chrom, t.pos1, t.ref, t.alt, { overlapRemoval: false });
      expect(raw.depth / p.depth).toBeGreaterThan(1.3);
    }
  });

  it('strand artefact: G>T only on read 1 of forward pairs', () => {
    const path = join(dir, 'artefact.bam');
    simulateToBam(
      spec({
        depth: 3000,
        seqError: 0,
        pcrError: 0,
        strandArtefact: { from: 'G', to: 'T', rate: 0.05 },
        sites: [{ chrom: 'chr1', pos1: 1_500_000, ref: 'G', alt: 'T', vaf: 0 }],
      }),
      path,
    );
    const r1fwd = join(dir, 'r1f.bam');
    const r2fwd = join(dir, 'r2f.bam');
    execFileSync('samtools', ['view', '-b', '-f', '0x40', '-F', '0x10', '-o', r1fwd, path]);
    execFileSync('samtools', ['view', '-b', '-f', '0x80', '-F', '0x10', '-o', r2fwd, path]);
    execFileSync('samtools', ['index', r1fwd]);
    execFileSync('samtools', ['index', r2fwd]);
    const a = pileupAt(r1fwd, 'chr1', 1_500_000, 'G', 'T');
    const b = pileupAt(r2fwd, 'chr1', 1_500_000, 'G', 'T');
    expect(a.depth).toBeGreaterThan(500);
    expect(within(a.alt, a.depth, 0.05)).toBe(true);
    expect(b.alt).toBe(0);
  });

  it('duplicates, low MAPQ and soft clips appear as requested', () => {
    const path = join(dir, 'bench-like.bam');
    simulateToBam(
      spec({
        depth: 1000,
        familySizeMean: 2,
        markDuplicates: true,
        lowMapqFraction: 0.1,
        softClipFraction: 0.2,
        qualityModel: 'binned',
        sites,
      }),
      path,
    );
    const sam = execFileSync('samtools', ['view', path], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    const n = sam.length;
    const dups = sam.filter((f) => Number(f[1]) & 0x400).length;
    const lowMapq = sam.filter((f) => Number(f[4]) < 20).length;
    const clipped = sam.filter((f) => /S/.test(f[5])).length;
    // Family 1 + Poisson(1): half of all read pairs are extra copies.
    expect(within(dups, n, 0.5, 0.02 * n)).toBe(true);
    expect(within(lowMapq, n, 0.1, 0.02 * n)).toBe(true);
    expect(clipped / n).toBeGreaterThan(0.1);
    expect(clipped / n).toBeLessThan(0.25);
    expect(new Set(sam.flatMap((f) => [...f[10]])).size).toBe(4); // binned: Q2, Q12, Q23, Q37
  });
});

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');

describe.skipIf(!requireTools('samtools'))('oligotrack simulate (CLI)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'simulate', ...args], { cwd: dir, encoding: 'utf8' });
  const sitesTsv = join(dir, 'sites.tsv');
  writeFileSync(sitesTsv, 'chrom\tpos\tref\talt\tgene\nchr6\t152094402\tA\tG\tESR1\nchr3\t179234297\tA\tG\tPIK3CA\n');

  it('writes an indexed BAM with a GRCh38 header and the truth TSV', () => {
    expect(existsSync(CLI), 'run npm run build:ts first').toBe(true);
    const vafs = join(dir, 'vafs.tsv');
    writeFileSync(vafs, 'chrom\tpos\tref\talt\tvaf\n6\t152094402\tA\tG\t0.3\nchr3\t179234297\tA\tG\t0\n');
    const r = run('--sites', sitesTsv, '--out', 'cli/s1.bam', '--seed', '3', '--depth', '300', '--truth-vafs', vafs, '--umi');
    expect(r.stderr).toMatch(/wrote \d+ reads at 2 sites/);
    expect(r.status).toBe(0);
    const truth = readFileSync(join(dir, 'cli/s1.truth.tsv'), 'utf8').trimEnd().split('\n');
    expect(truth[0]).toBe('sample\tchrom\tpos\tref\talt\ttrue_vaf\tfragments_total\tfragments_alt');
    expect(truth[1]).toMatch(/^s1\tchr6\t152094402\tA\tG\t0.3\t300\t\d+$/);
    expect(truth[2]).toBe('s1\tchr3\t179234297\tA\tG\t0\t300\t0');
    const header = execFileSync('samtools', ['view', '-H', join(dir, 'cli/s1.bam')], { encoding: 'utf8' });
    expect(header).toContain('@SQ\tSN:chr1\tLN:248956422');
    expect(header).toContain('@RG\tID:s1\tSM:s1');
    expect(existsSync(join(dir, 'cli/s1.bam.bai'))).toBe(true);
  });

  it('bad input: one stderr line naming the file, exit 1 or 2, no output files', () => {
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'chrom\tpos\tref\talt\nchrUn_x\t5000\tA\tG\n');
    const r1 = run('--sites', bad, '--out', 'bad/x.bam', '--seed', '1');
    expect(r1.status).toBe(1);
    expect(r1.stderr.trim().split('\n')).toHaveLength(1);
    expect(r1.stderr).toMatch(/bad\.tsv: contig chrUn_x .*--contig-length/);
    expect(existsSync(join(dir, 'bad/x.bam'))).toBe(false);
    const r2 = run('--sites', sitesTsv, '--out', 'bad/y.bam', '--seed', '1', '--vaf', '1.5');
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--vaf: '1\.5' is out of range \(from 0 to 1\)/);
    const vafs = join(dir, 'badvafs.tsv');
    writeFileSync(vafs, 'chrom\tpos\tref\talt\tvaf\nchr6\t152094402\tA\tG\tlots\n');
    const r3 = run('--sites', sitesTsv, '--out', 'bad/z.bam', '--seed', '1', '--truth-vafs', vafs);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toMatch(/badvafs\.tsv:2:5: vaf must be a number/);
    expect(existsSync(join(dir, 'bad/z.bam')) || existsSync(join(dir, 'bad/z.truth.tsv'))).toBe(false);
  });

  it('a truth TSV that cannot be written removes the BAM and its index: no half of the pair is left', () => {
    // --truth below a regular file: ENOTDIR only after the BAM is written.
    const r = run('--sites', sitesTsv, '--out', 'bad/pair.bam', '--seed', '1', '--depth', '20', '--truth', 'sites.tsv/t.tsv');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // writeOutput names the path component that is not a directory (sites.tsv).
    expect(r.stderr).toMatch(/sites\.tsv\/t\.tsv: cannot write output \(.*sites\.tsv is not a directory\)/);
    expect(existsSync(join(dir, 'bad/pair.bam')) || existsSync(join(dir, 'bad/pair.bam.bai'))).toBe(false);
  });
});
