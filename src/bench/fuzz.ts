import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CLI_FAILURES, runCliFuzz, type CliOutcome, type CliRecord } from './fuzz-cli.js';
import { corpusName, FAILURES, runFuzz, tally, type CaseRecord } from './fuzz-run.js';
import type { TargetName } from './fuzz-targets.js';

/**
 * `npm run fuzz`: the long robustness run. In-process, thousands of seeded mutants of the index,
 * header and text readers (fuzz-run.ts); then the CLI on a sample (fuzz-cli.ts). Prints the
 * figure table (docs/methods/robustness.md holds a run's figures) and exits 1 on any failure.
 *
 *   node dist/bench/fuzz.js [--seed 1] [--cases 3000] [--cli-cases 200] [--only bai,csi] [--save-corpus] [--keep DIR]
 */

interface Args {
  seed: number;
  cases: number;
  cliCases: number;
  only?: TargetName[];
  saveCorpus: boolean;
  keep?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seed: 1, cases: 3000, cliCases: 200, saveCorpus: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--seed') args.seed = Number(value());
    else if (a === '--cases') args.cases = Number(value());
    else if (a === '--cli-cases') args.cliCases = Number(value());
    else if (a === '--only') args.only = value().split(',') as TargetName[];
    else if (a === '--save-corpus') args.saveCorpus = true;
    else if (a === '--keep') args.keep = value();
    else throw new Error(`unknown option ${a} (--seed N --cases N --cli-cases N --only t1,t2 --save-corpus --keep DIR)`);
  }
  for (const [k, v] of Object.entries({ seed: args.seed, cases: args.cases, 'cli-cases': args.cliCases })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${k} must be a non-negative integer`);
  }
  return args;
}

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');

function saveCorpus(target: string, bytes: Uint8Array, name: string): string {
  const path = join(ROOT, 'test-data/fuzz-corpus', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.keep ?? mkdtempSync(join(tmpdir(), 'oligotrack-fuzz-'));
  const load0 = loadavg()[0];
  const t0 = performance.now();
  let done = 0;
  const inProcess: CaseRecord[] = await runFuzz({
    seed: args.seed,
    cases: args.cases,
    dir: join(dir, 'in-process'),
    only: args.only,
    onCase: () => {
      if (++done % 500 === 0) process.stderr.write(`fuzz: ${done}/${args.cases} in-process cases\n`);
    },
  });
  const tIn = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let cliDone = 0;
  const cli: CliRecord[] =
    args.cliCases > 0
      ? runCliFuzz({
          seed: args.seed,
          cases: args.cliCases,
          dir: join(dir, 'cli'),
          onCase: () => {
            if (++cliDone % 50 === 0) process.stderr.write(`fuzz: ${cliDone}/${args.cliCases} CLI cases\n`);
          },
        })
      : [];
  const tCli = (performance.now() - t1) / 1000;
  const t = tally(inProcess);
  const c: Record<CliOutcome, number> = {
    success: 0,
    clean: 0,
    stack: 0,
    crash: 0,
    hang: 0,
    partial: 0,
    wrong: 0,
    internal: 0,
    messy: 0,
    security: 0,
    'as-samtools': 0,
  };
  for (const r of cli) c[r.outcome]++;

  const out: string[] = [];
  out.push(
    `oligotrack fuzz: seed ${args.seed}; ${inProcess.length} in-process cases (${tIn.toFixed(0)} s), ${cli.length} CLI cases (${tCli.toFixed(0)} s);`,
  );
  out.push(`machine: ${cpus().length} cores, load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`);
  out.push('');
  out.push('| outcome | in-process | CLI |');
  out.push('|---|---:|---:|');
  const row = (name: string, a: number | string, b: number | string) => out.push(`| ${name} | ${pad(a, 5)} | ${pad(b, 5)} |`);
  row('success', t.success, c.success);
  row('clean errors', t.clean, c.clean);
  row('stack traces', 'n/a', c.stack);
  row('crashes', t.crash, c.crash);
  row('hangs', t.hang, c.hang);
  row('partial outputs', 'n/a', c.partial);
  row('wrong-success', t.wrong, c.wrong);
  row('internal errors', t.internal, c.internal);
  row('messy errors', t.messy, c.messy);
  row('security', 'n/a', c.security);
  row('differ as samtools does', 'n/a', c['as-samtools']);
  out.push('');
  const byTarget = new Map<string, Record<string, number>>();
  for (const r of inProcess) {
    const k = `${r.fuzzCase.target} (${r.fuzzCase.layer})`;
    const m = byTarget.get(k) ?? {};
    m[r.outcome] = (m[r.outcome] ?? 0) + 1;
    byTarget.set(k, m);
  }
  for (const r of cli) {
    const k = `cli ${r.kind}`;
    const m = byTarget.get(k) ?? {};
    m[r.outcome] = (m[r.outcome] ?? 0) + 1;
    byTarget.set(k, m);
  }
  for (const [k, m] of byTarget)
    out.push(
      `  ${k}: ${Object.entries(m)
        .map(([o, n]) => `${o} ${n}`)
        .join(', ')}`,
    );
  const failed = inProcess.filter((r) => FAILURES.includes(r.outcome));
  const cliFailed = cli.filter((r) => CLI_FAILURES.includes(r.outcome));
  for (const r of failed.slice(0, 30)) {
    const saved = args.saveCorpus
      ? ` -> ${saveCorpus(r.fuzzCase.target, r.fuzzCase.bytes, corpusName(r.fuzzCase.target, r.fuzzCase.bytes))}`
      : '';
    out.push(
      `FAIL ${r.outcome} ${r.fuzzCase.target}/${r.fuzzCase.layer} seed ${r.fuzzCase.caseSeed} [${r.fuzzCase.steps.join('+')}]: ${r.message ?? ''}${saved}`,
    );
  }
  for (const r of cliFailed.slice(0, 30))
    out.push(`FAIL ${r.outcome} cli ${r.kind} seed ${r.caseSeed} [${r.steps.join('+')}]: ${r.detail.replace(/\n/g, '\\n')}`);
  const slowest = [...inProcess].sort((a, b) => b.ms - a.ms)[0];
  if (slowest) out.push(`slowest in-process case: ${slowest.ms.toFixed(0)} ms (${slowest.fuzzCase.target}, ${slowest.outcome})`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (!args.keep) rmSync(dir, { recursive: true, force: true });
  return failed.length + cliFailed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
