import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { uptime as osUptime, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Site } from '../count/types.js';
import { deepPanelSites, writeDeepBam } from './deep-bam.js';

/**
 * `npm run bench`: the counting benchmark of issue 2. Generates (once, cached in bench-data/) a
 * deep synthetic panel BAM and the same panel at twice the depth, then times, medians of RUNS:
 * the inflate floor (bgzip -dc), samtools view -c, samtools mpileup with oligotrack's filters,
 * @gmod/bam per-site queries with a JS counting loop, and oligotrack count on 1 and 2 threads —
 * each as a ratio to the floor, with peak RSS (GNU time). Also the sparse 10-site case.
 * Options: --runs N (default 5), --no-double (skip the 2× BAM), --data DIR.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '5'));
const dataDir = resolve(opt('--data', join(root, 'bench-data')));
const doDouble = !args.includes('--no-double');

interface Measure {
  seconds: number;
  rssMb: number;
}

/** Runs argv once; wall time by hrtime, peak RSS from GNU time's %M (kB). stdout → /dev/null. */
function runOnce(argv: string[]): Measure {
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { stdio: ['ignore', devnull, 'pipe'], maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const err = r.stderr.toString().trim().split('\n');
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${err.slice(-3).join(' | ')}`);
    return { seconds, rssMb: Number(err[err.length - 1]) / 1024 };
  } finally {
    closeSync(devnull);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measure(argv: string[], runs = RUNS, warm = false): Measure {
  if (warm) runOnce(argv); // warm the page cache (the BAM is then cached for every later command)
  const ms = Array.from({ length: runs }, () => runOnce(argv));
  return { seconds: median(ms.map((m) => m.seconds)), rssMb: Math.max(...ms.map((m) => m.rssMb)) };
}

function writeSiteFiles(prefix: string, sites: Site[]): { tsv: string; json: string; pos: string } {
  const tsv = `${prefix}.tsv`;
  const json = `${prefix}.json`;
  const pos = `${prefix}.pos`;
  writeFileSync(tsv, `chrom\tpos\tref\talt\tgene\tprotein\tid\n${sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}\t${s.gene}\t${s.protein}\t${s.id}`).join('\n')}\n`);
  writeFileSync(json, JSON.stringify(sites));
  writeFileSync(pos, sites.map((s) => `${s.chrom}\t${s.pos1}\n`).join(''));
  return { tsv, json, pos };
}

const SAMTOOLS_FILTERS = ['-B', '-x', '-A', '-d', '0', '-Q', '20', '-q', '20', '--ff', 'UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY'];

/** oligotrack count through the CLI when it runs, else countBam in a child process. */
function countArgv(bam: string, files: { tsv: string; json: string }, threads: number): string[] {
  const cli = [process.execPath, join(root, 'dist/cli/main.js'), 'count', '--bam', bam, '--sites', files.tsv, '--threads', String(threads), '--out', '-'];
  const probe = spawnSync(cli[0], cli.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  if (probe.status === 0) return cli;
  process.stderr.write(`bench: CLI count failed (${probe.stderr.toString().trim().split('\n')[0]}); timing countBam in a child process\n`);
  return [process.execPath, join(root, 'dist/bench/count-child.js'), bam, files.json, String(threads)];
}

function main(): void {
  mkdirSync(dataDir, { recursive: true });
  const deep = join(dataDir, 'deep.bam');
  const deep2 = join(dataDir, 'deep-2x.bam');
  process.stderr.write(`bench: generating ${deep} (cached)\n`);
  writeDeepBam(deep, 1);
  if (doDouble) {
    process.stderr.write(`bench: generating ${deep2} (cached)\n`);
    writeDeepBam(deep2, 2);
  }
  const { sites } = deepPanelSites();
  const all = writeSiteFiles(join(dataDir, 'sites50'), sites);
  const sparseSites = sites.filter((_, i) => i % 5 === 0);
  const sparse = writeSiteFiles(join(dataDir, 'sites10'), sparseSites);

  const rows: { what: string; m: Measure }[] = [];
  const add = (what: string, argv: string[], warm = false): Measure => {
    process.stderr.write(`bench: ${what}\n`);
    const m = measure(argv, RUNS, warm);
    rows.push({ what, m });
    return m;
  };
  const floor = add('bgzip -dc (inflate floor)', ['bgzip', '-dc', deep], true);
  add('samtools view -c', ['samtools', 'view', '-c', deep]);
  const mpileup = add('samtools mpileup -l 50 sites (filters as oligotrack, -x)', ['samtools', 'mpileup', ...SAMTOOLS_FILTERS, '-l', all.pos, deep]);
  add('@gmod/bam getRecordsForRange + JS loop', [process.execPath, join(root, 'dist/bench/gmod-baseline.js'), deep, all.json]);
  const one = add('oligotrack count, 1 thread', countArgv(deep, all, 1));
  const two = add('oligotrack count, 2 threads', countArgv(deep, all, 2));
  const sparseMp = add('sparse 10 sites: samtools mpileup -l', ['samtools', 'mpileup', ...SAMTOOLS_FILTERS, '-l', sparse.pos, deep]);
  const regionLoop = sparseSites.map((s) => `samtools mpileup ${SAMTOOLS_FILTERS.join(' ')} -r ${s.chrom}:${s.pos1}-${s.pos1} ${deep}`).join(' && ');
  const sparseR = add('sparse 10 sites: samtools mpileup -r, one per site', ['sh', '-c', `(${regionLoop}) > /dev/null`]);
  const sparseOne = add('sparse 10 sites: oligotrack count, 1 thread', countArgv(deep, sparse, 1));
  let doubled: Measure | null = null;
  if (doDouble) doubled = add('2× depth BAM: oligotrack count, 1 thread', countArgv(deep2, all, 1), true);

  const size = (p: string): string => `${(statSync(p).size / 2 ** 20).toFixed(0)} MiB`;
  const lines = [
    `Deep panel BAM ${size(deep)} (50 sites, 3 contigs, ~27,000 reads / ~18,000 fragments per site, 2x150 pairs); medians of ${RUNS}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; uptime ${(osUptime() / 3600).toFixed(1)} h`,
    '',
    '| what | seconds | ratio to floor | peak RSS (MB) |',
    '|---|---:|---:|---:|',
    ...rows.map(({ what, m }) => `| ${what} | ${m.seconds.toFixed(2)} | ${(m.seconds / floor.seconds).toFixed(2)} | ${m.rssMb.toFixed(0)} |`),
    '',
    `oligotrack vs samtools mpileup (50 sites): ${(mpileup.seconds / one.seconds).toFixed(1)}x faster on 1 thread, ${(mpileup.seconds / two.seconds).toFixed(1)}x on 2`,
    `sparse 10 sites: ${(sparseMp.seconds / sparseOne.seconds).toFixed(1)}x faster than mpileup -l, ${(sparseR.seconds / sparseOne.seconds).toFixed(1)}x than mpileup -r per site`,
    doubled && existsSync(deep2) ? `2x BAM (${size(deep2)}): ${doubled.seconds.toFixed(2)} s, peak RSS ${doubled.rssMb.toFixed(0)} MB (1x: ${one.rssMb.toFixed(0)} MB)` : '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
