import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the CLI fuzz cases share: running the real `oligotrack` process, classifying what it did
 * (exit code, stderr shape, output files), and samtools as the arbiter of counts.
 */

export type CliOutcome =
  'success' | 'clean' | 'stack' | 'crash' | 'hang' | 'partial' | 'wrong' | 'internal' | 'messy' | 'security' | 'as-samtools';
export const CLI_FAILURES: readonly CliOutcome[] = ['stack', 'crash', 'hang', 'partial', 'wrong', 'internal', 'messy', 'security'];

function cliPath(): string {
  const here = new URL('../cli/main.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function run(args: string[], cwd: string, timeoutMs: number): Run {
  const r = spawnSync(process.execPath, [cliPath(), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 26,
    env: { ...process.env, OLIGOTRACK_QUIET: '1' },
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  // The process never started (E2BIG, ENOMEM): a fault of this harness, not of oligotrack.
  if (r.error && !timedOut) throw new Error(`cannot start the CLI: ${r.error.message}`);
  return {
    status: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut,
  };
}

export function hasSamtools(): boolean {
  return spawnSync('samtools', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** samtools' count of reads overlapping each site that pass the count's default filters (or null when samtools fails). */
export function samtoolsCounts(bam: string, index: string | null, sites: { chrom: string; pos1: number }[]): number[] | null {
  const out: number[] = [];
  if (index) {
    for (const s of sites) {
      const r = spawnSync(
        'samtools',
        ['view', '--no-PG', '-c', '-q', '20', '-F', '0xF04', '-X', bam, index, `${s.chrom}:${s.pos1}-${s.pos1}`],
        { encoding: 'utf8', timeout: 60_000 },
      );
      if (r.status !== 0) return null;
      out.push(Number(r.stdout.trim()));
    }
    return out;
  }
  const r = spawnSync('samtools', ['view', '--no-PG', '-q', '20', '-F', '0xF04', bam], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) return null;
  const counts = sites.map(() => 0);
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    const pos = Number(f[3]);
    // The fuzz BAM's reads are all 60M: they cover [pos, pos + 59].
    sites.forEach((s, i) => {
      if (f[2] === s.chrom && s.pos1 >= pos && s.pos1 <= pos + 59) counts[i]++;
    });
  }
  return counts;
}

export function depthsOf(json: string): Map<string, number> | null {
  try {
    const doc = JSON.parse(json) as {
      rows: { chrom: string; pos: number; depth: number }[];
    };
    return new Map(doc.rows.map((r) => [`${r.chrom}:${r.pos}`, r.depth]));
  } catch {
    return null;
  }
}

/** Files under `dir` (relative paths), symlinks listed as files. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p));
  }
  return out;
}

/** Exit code, stderr shape and output file of a failed or successful run, before any oracle. */
export function classifyProcess(r: Run, outFile: string | null): { outcome: CliOutcome; detail: string } | null {
  const firstLine = r.stderr.split('\n').find((l) => /error/.test(l)) ?? r.stderr.split('\n')[0] ?? '';
  if (r.timedOut) return { outcome: 'hang', detail: 'timed out' };
  if (r.signal || (r.status !== 0 && r.status !== 1 && r.status !== 2))
    return {
      outcome: 'crash',
      detail: `signal ${r.signal} status ${r.status}: ${r.stderr.slice(0, 300)}`,
    };
  if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) return { outcome: 'stack', detail: r.stderr.slice(0, 300) };
  if (/internal error/.test(r.stderr)) return { outcome: 'internal', detail: firstLine };
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (lines.some((l) => !l.startsWith('oligotrack'))) return { outcome: 'messy', detail: r.stderr.slice(0, 300) };
  if (r.status !== 0) {
    if (lines.filter((l) => / error: /.test(l)).length !== 1) return { outcome: 'messy', detail: r.stderr.slice(0, 300) };
    if (outFile && existsSync(outFile))
      return {
        outcome: 'partial',
        detail: `${outFile} exists after exit ${r.status}`,
      };
    return { outcome: 'clean', detail: firstLine };
  }
  return null;
}

export function leftovers(dir: string): string[] {
  return existsSync(dir) ? listFiles(dir).filter((f) => f.includes('.tmp-')) : [];
}
