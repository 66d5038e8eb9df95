import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Site } from '../count/types.js';
import { deepPanelSites, referenceSequences, writeDeepBam } from './deep-bam.js';

/**
 * `npm run bench:cram`: what reading CRAM costs against BAM for the same reads. Generates (once,
 * in bench-data/cram/) the synthetic deep panel of `npm run bench` at `--scale` of its depth
 * (default 0.25: ~8,500 pairs per site), its reference FASTA, and a CRAM 3.0 of it written by
 * samtools; then times, medians of --runs (default 3): oligotrack count on the BAM and on the CRAM
 * (50 sites, and the sparse 10), and samtools view -c on both (htslib's decoding, for scale).
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', '3'));
const SCALE = Number(opt('--scale', '0.25'));
const dataDir = resolve(opt('--data', join(root, 'bench-data', 'cram')));

interface Measure {
  seconds: number;
  /** User + system CPU seconds: on a shared machine far steadier than wall time. */
  cpuSeconds: number;
  rssMb: number;
}

function runOnce(argv: string[]): Measure {
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', ...argv], { stdio: ['ignore', devnull, 'pipe'], maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const err = r.stderr.toString().trim().split('\n');
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${err.slice(-3).join(' | ')}`);
    const [rssKb, user, sys] = err[err.length - 1].split(' ').map(Number);
    return { seconds, cpuSeconds: user + sys, rssMb: rssKb / 1024 };
  } finally {
    closeSync(devnull);
  }
}

function measure(argv: string[]): Measure {
  runOnce(argv); // warm the page cache
  const ms = Array.from({ length: RUNS }, () => runOnce(argv));
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    seconds: median(ms.map((m) => m.seconds)),
    cpuSeconds: median(ms.map((m) => m.cpuSeconds)),
    rssMb: Math.max(...ms.map((m) => m.rssMb)),
  };
}

function run(cmd: string, argv: string[]): void {
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, REF_PATH: ':' } });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${r.stderr.toString().trim()}`);
}

function sitesTsv(path: string, sites: Site[]): string {
  writeFileSync(
    path,
    `chrom\tpos\tref\talt\tgene\tprotein\tid\n${sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}\t${s.gene}\t${s.protein}\t${s.id}`).join('\n')}\n`,
  );
  return path;
}

function main(): void {
  mkdirSync(dataDir, { recursive: true });
  const bam = join(dataDir, `deep-${SCALE}.bam`);
  const fa = join(dataDir, 'deep.fa');
  const cram = join(dataDir, `deep-${SCALE}.cram`);
  process.stderr.write(`bench: generating ${bam}, ${fa}, ${cram} (cached)\n`);
  writeDeepBam(bam, SCALE);
  if (!existsSync(`${fa}.fai`)) {
    const ref = referenceSequences();
    writeFileSync(
      fa,
      Object.entries(ref)
        .map(([name, seq]) => `>${name}\n${seq.replace(/(.{60})/g, '$1\n')}\n`)
        .join(''),
    );
    run('samtools', ['faidx', fa]);
  }
  if (!existsSync(`${cram}.crai`)) {
    run('samtools', ['view', '-C', '-T', fa, '-o', cram, bam]);
    run('samtools', ['index', cram]);
  }
  const { sites } = deepPanelSites();
  const all = sitesTsv(join(dataDir, 'sites50.tsv'), sites);
  const sparse = sitesTsv(
    join(dataDir, 'sites10.tsv'),
    sites.filter((_, i) => i % 5 === 0),
  );
  const count = (file: string, sitesFile: string): string[] => {
    const argv = [process.execPath, join(root, 'dist/cli/main.js'), 'count', '--bam', file, '--sites', sitesFile, '--out', '-'];
    return file.endsWith('.cram') ? [...argv, '--reference', fa] : argv;
  };
  const rows: { what: string; m: Measure }[] = [];
  const add = (what: string, argv: string[]): Measure => {
    process.stderr.write(`bench: ${what}\n`);
    const m = measure(argv);
    rows.push({ what, m });
    return m;
  };
  const viewBam = add('samtools view -c, BAM', ['samtools', 'view', '-c', bam]);
  const viewCram = add('samtools view -c, CRAM', ['samtools', 'view', '-c', '-T', fa, cram]);
  const bam50 = add('oligotrack count, BAM, 50 sites', count(bam, all));
  const cram50 = add('oligotrack count, CRAM, 50 sites', count(cram, all));
  const bam10 = add('oligotrack count, BAM, 10 sites', count(bam, sparse));
  const cram10 = add('oligotrack count, CRAM, 10 sites', count(cram, sparse));
  const mib = (p: string): string => (statSync(p).size / 2 ** 20).toFixed(1);
  const lines = [
    `BAM ${mib(bam)} MiB, CRAM 3.0 ${mib(cram)} MiB (deep panel at scale ${SCALE}); medians of ${RUNS} after one warm-up; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
    '',
    '| what | wall seconds | CPU seconds | peak RSS (MB) |',
    '|---|---:|---:|---:|',
    ...rows.map(({ what, m }) => `| ${what} | ${m.seconds.toFixed(2)} | ${m.cpuSeconds.toFixed(2)} | ${m.rssMb.toFixed(0)} |`),
    '',
    `CRAM / BAM, wall: oligotrack ${(cram50.seconds / bam50.seconds).toFixed(1)}x (50 sites), ${(cram10.seconds / bam10.seconds).toFixed(1)}x (10 sites); samtools view -c ${(viewCram.seconds / viewBam.seconds).toFixed(1)}x`,
    `CRAM / BAM, CPU: oligotrack ${(cram50.cpuSeconds / bam50.cpuSeconds).toFixed(1)}x (50 sites), ${(cram10.cpuSeconds / bam10.cpuSeconds).toFixed(1)}x (10 sites); samtools view -c ${(viewCram.cpuSeconds / viewBam.cpuSeconds).toFixed(1)}x`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
