import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Site } from '../count/types.js';
import { deepPanelSites, writeDeepBam } from './deep-bam.js';

/**
 * `npm run bench`: the counting benchmark. Generates (once, cached in bench-data/) a deep
 * synthetic panel BAM and the same panel at twice the depth, then runs every command once per
 * round, interleaved (so that load from other processes falls on all of them alike), for `--runs`
 * rounds (default 5). Each command's figure is the median of its per-round ratios to the inflate
 * floor (`bgzip -dc` in the same round); seconds are medians; peak RSS (GNU time) the maximum.
 * Also: inflate speed alone for node's zlib and the WASM decoder (GB/s of inflated bytes).
 * Options: --runs N, --data DIR, --no-double (skip the 2x BAM), --gmod (add the @gmod/bam
 * per-site baseline, ~12 s a run).
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
const doGmod = args.includes('--gmod');

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

function writeSiteFiles(prefix: string, sites: Site[]): { tsv: string; json: string; pos: string } {
  const tsv = `${prefix}.tsv`;
  const json = `${prefix}.json`;
  const pos = `${prefix}.pos`;
  writeFileSync(
    tsv,
    `chrom\tpos\tref\talt\tgene\tprotein\tid\n${sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}\t${s.gene}\t${s.protein}\t${s.id}`).join('\n')}\n`,
  );
  writeFileSync(json, JSON.stringify(sites));
  writeFileSync(pos, sites.map((s) => `${s.chrom}\t${s.pos1}\n`).join(''));
  return { tsv, json, pos };
}

const SAMTOOLS_FILTERS = ['-B', '-x', '-A', '-d', '0', '-Q', '20', '-q', '20', '--ff', 'UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY'];

function cliArgv(bam: string, sites: string, threads: number): string[] {
  return [
    process.execPath,
    join(root, 'dist/cli/main.js'),
    'count',
    '--bam',
    bam,
    '--sites',
    sites,
    '--threads',
    String(threads),
    '--out',
    '-',
  ];
}

function engineArgv(bam: string, sitesJson: string, threads: number): string[] {
  return [process.execPath, join(root, 'dist/bench/count-child.js'), bam, sitesJson, String(threads)];
}

interface Row {
  what: string;
  argv: string[];
  runs: Measure[];
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
  const regionLoop = sparseSites
    .map((s) => `samtools mpileup ${SAMTOOLS_FILTERS.join(' ')} -r ${s.chrom}:${s.pos1}-${s.pos1} ${deep}`)
    .join(' && ');

  const rows: Row[] = [];
  const add = (what: string, argv: string[]): void => {
    rows.push({ what, argv, runs: [] });
  };
  add('bgzip -dc (inflate floor)', ['bgzip', '-dc', deep]);
  add('samtools view -c', ['samtools', 'view', '-c', deep]);
  add('samtools mpileup -l 50 sites (filters as oligotrack, -x)', ['samtools', 'mpileup', ...SAMTOOLS_FILTERS, '-l', all.pos, deep]);
  add('oligotrack count, 1 thread', cliArgv(deep, all.tsv, 1));
  add('oligotrack count, 2 threads', cliArgv(deep, all.tsv, 2));
  add('engine only (node + countBam, no CLI), 1 thread', engineArgv(deep, all.json, 1));
  add('engine only (node + countBam, no CLI), 2 threads', engineArgv(deep, all.json, 2));
  add('sparse 10 sites: samtools mpileup -r, one per site', ['sh', '-c', `(${regionLoop}) > /dev/null`]);
  add('sparse 10 sites: oligotrack count, 1 thread', cliArgv(deep, sparse.tsv, 1));
  add('sparse 10 sites: engine only (node + countBam, no CLI), 1 thread', engineArgv(deep, sparse.json, 1));
  if (doDouble) {
    add('2x depth BAM: oligotrack count, 1 thread', cliArgv(deep2, all.tsv, 1));
    add('2x depth BAM: oligotrack count, 2 threads', cliArgv(deep2, all.tsv, 2));
  }
  if (doGmod) add('@gmod/bam getRecordsForRange + JS loop', [process.execPath, join(root, 'dist/bench/gmod-baseline.js'), deep, all.json]);

  // Warm the page cache and the commands once, then interleaved rounds.
  for (const r of rows) runOnce(r.argv);
  const loads: number[] = [loadavg()[0]];
  for (let round = 0; round < RUNS; round++) {
    process.stderr.write(`bench: round ${round + 1}/${RUNS} (load ${loadavg()[0].toFixed(2)})\n`);
    for (const r of rows) r.runs.push(runOnce(r.argv));
    loads.push(loadavg()[0]);
  }
  process.stderr.write('bench: inflate speed\n');
  const inflate = JSON.parse(
    spawnSync(process.execPath, [join(root, 'dist/bench/inflate-speed.js'), deep, String(Math.max(3, RUNS))], { encoding: 'utf8' }).stdout,
  ) as { zlibGBps: number; wasmGBps: number };

  const floor = rows[0];
  const ratio = (r: Row): number => median(r.runs.map((m, i) => m.seconds / floor.runs[i].seconds));
  const sec = (r: Row): number => median(r.runs.map((m) => m.seconds));
  const rss = (r: Row): number => Math.max(...r.runs.map((m) => m.rssMb));
  const find = (what: string): Row => rows.find((r) => r.what.startsWith(what))!;
  const size = (p: string): string => `${(statSync(p).size / 2 ** 20).toFixed(0)} MiB`;
  const one = find('oligotrack count, 1');
  const two = find('oligotrack count, 2');
  const sparseR = find('sparse 10 sites: samtools');
  const sparseOne = find('sparse 10 sites: oligotrack');
  const sparseEngine = find('sparse 10 sites: engine');
  const lines = [
    `Deep panel BAM ${size(deep)} (50 sites, 3 contigs, ~27,000 reads / ~18,000 fragments per site, 2x150 pairs); ${RUNS} interleaved rounds; load average (1 min) ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)} during the run`,
    '',
    '| what | seconds (median) | ratio to floor (median of rounds) | peak RSS (MB) |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.what} | ${sec(r).toFixed(2)} | ${ratio(r).toFixed(2)} | ${rss(r).toFixed(0)} |`),
    '',
    `inflate alone (every block, CRC32 included, GB/s of inflated bytes): node zlib ${inflate.zlibGBps.toFixed(2)}, WASM decoder ${inflate.wasmGBps.toFixed(2)}`,
    `sparse 10 sites: oligotrack ${(sec(sparseR) / sec(sparseOne)).toFixed(2)}x faster than one samtools mpileup -r per site (engine only: ${(sec(sparseR) / sec(sparseEngine)).toFixed(2)}x)`,
    doDouble && existsSync(deep2)
      ? `peak RSS, 1x BAM -> 2x BAM (${size(deep2)}): 1 thread ${rss(one).toFixed(0)} -> ${rss(find('2x depth BAM: oligotrack count, 1')).toFixed(0)} MB, 2 threads ${rss(two).toFixed(0)} -> ${rss(find('2x depth BAM: oligotrack count, 2')).toFixed(0)} MB`
      : '',
    '',
    'Goals: 1 thread <= 1.6x the floor (aim 1.3x), 2 threads <= 0.9x (aim 0.8x), sparse >= 2x faster than mpileup -r per site, peak RSS <= 200 MB per thread and flat when the BAM doubles.',
    `Measured: 1 thread ${ratio(one).toFixed(2)}x, 2 threads ${ratio(two).toFixed(2)}x, sparse ${(sec(sparseR) / sec(sparseOne)).toFixed(2)}x, RSS ${rss(one).toFixed(0)} MB (1 thread) / ${rss(two).toFixed(0)} MB (2 threads).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
