/**
 * `npm run accuracy`: sensitivity and specificity of the per-site calls on a dilution series, with
 * and without UMIs, beside the binomial optimum; the UMI background reduction; the per-sample test
 * at 0.05% VAF over 10 sites at 3,000×. Simulated at read level in memory (accuracy-sim.ts), through
 * the same UMI collapsing, PoN building and calling code as `oligotrack count`.
 *
 * Options: --replicates N (default 200), --sample-replicates N (default 200 positive, 2× as many
 * null), --seed S, --threads N (worker threads, default: available cores), --out FILE (Markdown
 * tables also written there); --section, --series N (longitudinal series per cell), --default-prior
 * CV,DF and --policy FILE (the longitudinal section under another policy, for sensitivity runs).
 *
 * Parallel and deterministic: every PoN normal, cell replicate and sample replicate is a task
 * seeded from (run seed, task id) (accuracy-tasks.ts), run by a pool of worker threads in batches
 * and merged by task index, so the tables are byte-identical for any --threads (the run time line
 * aside).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SiteCounts } from '../count/types.js';
import { binomLogUpperTail, criticalCount } from '../stats/binomial.js';
import { momDispersion } from '../stats/dispersion.js';
import { wilsonInterval } from '../stats/wilson.js';
import { observedAltRate } from '../stats/lod.js';
import { binomialOptimumPower } from '../stats/optimum.js';
import { buildPon, formatPon } from '../stats/pon.js';
import { callRow, predictiveDispersion } from '../stats/annotate.js';
import { DEFAULT_ERROR_MODEL } from './accuracy-sim.js';
import { identityAccuracySection } from './identity-accuracy.js';
import { loadPolicy } from '../classify/policy.js';
import { modelSettings, priorSettings } from '../classify/rule-molecular.js';
import { longitudinalSection } from './accuracy-longitudinal-report.js';
import { PON_PANELS, ponSectionLines } from './accuracy-pon.js';
import {
  type Arm,
  MIN_DEPTH,
  PON_MOLECULES,
  PON_NORMALS,
  ponBackgrounds,
  REDUCTION_RUNS,
  SAMPLE_ALPHA,
  SAMPLE_DEPTH,
  SAMPLE_SITES,
  SAMPLE_VAF,
  SITE,
  SITE_ALPHA,
  type Task,
  type TaskResult,
} from './accuracy-tasks.js';

const VAFS = [0, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02];
const DEPTHS = [1000, 3000, 10_000];
const NULL_SAMPLE_FACTOR = 2;
const ARMS: Arm[] = ['no_umi', 'umi'];
/** Tasks per message to a worker: small enough to balance 2 cores, large enough to amortise messaging. */
const BATCH = 8;

interface Args {
  replicates: number;
  sampleReplicates: number;
  seed: number;
  threads: number;
  out?: string;
  section: 'all' | 'sites' | 'longitudinal' | 'pon' | 'identity';
  series: number;
  /** Override of the policy's default (fallback) between-draw prior (CV, df), for sensitivity runs. */
  defaultPrior?: { cv: number; df: number };
  /** A policy file other than the default (sensitivity runs of the longitudinal section). */
  policy?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    replicates: 200,
    sampleReplicates: 200,
    seed: 20_261_127,
    threads: availableParallelism(),
    section: 'all',
    series: 5000,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (argv[i] === '--replicates') args.replicates = Number(v);
    else if (argv[i] === '--sample-replicates') args.sampleReplicates = Number(v);
    else if (argv[i] === '--seed') args.seed = Number(v);
    else if (argv[i] === '--threads') args.threads = Number(v);
    else if (argv[i] === '--out') args.out = v;
    else if (argv[i] === '--policy' && v) args.policy = v;
    else if (argv[i] === '--series') args.series = Number(v);
    else if (argv[i] === '--default-prior' && /^[\d.]+,[\d.]+$/.test(v ?? ''))
      args.defaultPrior = { cv: Number(v.split(',')[0]), df: Number(v.split(',')[1]) };
    else if (argv[i] === '--section' && (v === 'all' || v === 'sites' || v === 'longitudinal' || v === 'pon' || v === 'identity'))
      args.section = v;
    else {
      process.stderr.write(
        `accuracy: unknown option ${argv[i]} (--replicates N --sample-replicates N --series N --section all|sites|longitudinal|pon|identity --default-prior CV,DF --policy FILE --seed S --threads N --out FILE)\n`,
      );
      process.exit(2);
    }
  }
  for (const [name, value] of [
    ['--replicates', args.replicates],
    ['--sample-replicates', args.sampleReplicates],
    ['--threads', args.threads],
    ['--series', args.series],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      process.stderr.write(`accuracy: ${name} must be a positive integer, got ${value}\n`);
      process.exit(2);
    }
  }
  return args;
}

/** Runs tasks on `threads` workers; results in task order (independent of the thread count). */
async function runTasks(tasks: Task[], runSeed: number, ponText: Partial<Record<Arm, string>>, threads: number): Promise<TaskResult[]> {
  const results: TaskResult[] = new Array(tasks.length);
  let next = 0;
  const workerCount = Math.max(1, Math.min(threads, Math.ceil(tasks.length / BATCH)));
  await Promise.all(
    Array.from(
      { length: workerCount },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./accuracy-worker.js', import.meta.url), { workerData: { runSeed, tasks, ponText } });
          const feed = (): void => {
            if (next >= tasks.length) {
              worker.postMessage(null);
              return;
            }
            const batch: number[] = [];
            for (; batch.length < BATCH && next < tasks.length; next++) batch.push(next);
            worker.postMessage(batch);
          };
          worker.on('message', (done: [number, TaskResult][]) => {
            for (const [i, r] of done) results[i] = r;
            feed();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`accuracy worker exited with code ${code}`))));
          feed();
        }),
    ),
  );
  return results;
}

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;

interface Cell {
  arm: Arm;
  depth: number;
  vaf: number;
  detected: number;
  replicates: number;
  meanDepth: number;
  /** Alt and depth per replicate (VAF 0: for the over-dispersion check). */
  alts: number[];
  depths: number[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const lines: string[] = [];
  const say = (s = ''): void => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;

  if (args.section === 'all' || args.section === 'sites') await siteSection(args, say, elapsed);
  if (args.section === 'all' || args.section === 'pon') {
    ponSection(args.seed, say);
    process.stderr.write(`accuracy: panel-of-normals section done (${elapsed()})\n`);
  }
  if (args.section === 'all' || args.section === 'longitudinal') {
    const { policy } = loadPolicy(args.policy);
    const fromPolicy = priorSettings(policy);
    await longitudinalSection(
      {
        runSeed: args.seed,
        threads: args.threads,
        seriesPerCell: args.series,
        settings: modelSettings(policy),
        priorSettings: args.defaultPrior
          ? { ...fromPolicy, fallback: { ...args.defaultPrior, source: 'set by --default-prior' } }
          : fromPolicy,
      },
      say,
    );
    process.stderr.write(`accuracy: longitudinal section done (${elapsed()})\n`);
  }
  if (args.section === 'all' || args.section === 'identity') {
    say();
    for (const line of identityAccuracySection(args.seed)) say(line);
    process.stderr.write(`accuracy: identity section done (${elapsed()})\n`);
  }
  if (args.out) writeFileSync(args.out, `${lines.join('\n')}\n`);
  // Wall time on stdout only (not in --out), so the tables file is identical for any thread count.
  process.stdout.write(`Run time ${elapsed()} wall on ${args.threads} worker thread(s).\n`);
}

/** Per-site test size against nominal α with small panels of normals (accuracy-pon.ts). */
function ponSection(seed: number, say: (s?: string) => void): void {
  say();
  for (const line of ponSectionLines(seed, PON_PANELS)) say(line);
}

/** The per-site and per-sample tables (read-level simulation). */
async function siteSection(args: Args, say: (s?: string) => void, elapsed: () => string): Promise<void> {
  const model = DEFAULT_ERROR_MODEL;
  // Phase 1: PoN normals and the no-damage reduction runs (no PoN needed).
  const phase1: Task[] = [];
  for (const arm of ARMS) {
    for (let r = 0; r < PON_NORMALS; r++) phase1.push({ kind: 'pon', arm, depth: PON_MOLECULES, vaf: 0, rep: r });
    for (let r = 0; r < REDUCTION_RUNS; r++) phase1.push({ kind: 'reduction', arm, depth: PON_MOLECULES, vaf: 0, rep: r });
  }
  const res1 = await runTasks(phase1, args.seed, {}, args.threads);
  const truth: Record<Arm, { alt: number; depth: number }> = { no_umi: { alt: 0, depth: 0 }, umi: { alt: 0, depth: 0 } };
  const pcrSeq: Record<Arm, { alt: number; depth: number }> = { no_umi: { alt: 0, depth: 0 }, umi: { alt: 0, depth: 0 } };
  const ponText: Partial<Record<Arm, string>> = {};
  for (const arm of ARMS) {
    const normals: SiteCounts[][] = [];
    phase1.forEach((t, i) => {
      if (t.arm !== arm) return;
      const r = res1[i];
      const sink = t.kind === 'pon' ? truth[arm] : pcrSeq[arm];
      sink.alt += r.alt;
      sink.depth += r.depth;
      if (t.kind === 'pon') normals.push([r.row!]);
    });
    const pon = buildPon({
      sampleNames: normals.map((_, i) => `normal${i + 1}`),
      build: 'unknown',
      sites: [SITE],
      siteCounts: normals,
      settingsText: `simulated;${arm}`,
    });
    ponText[arm] = formatPon(pon);
  }
  const bgs = ponBackgrounds(ponText);
  process.stderr.write(`accuracy: PoNs built (${elapsed()}, ${args.threads} threads)\n`);

  // Phase 2: the dilution-series cells and the per-sample test.
  const phase2: Task[] = [];
  for (const arm of ARMS) {
    for (const depth of DEPTHS)
      for (const vaf of VAFS) for (let r = 0; r < args.replicates; r++) phase2.push({ kind: 'site', arm, depth, vaf, rep: r });
    for (let r = 0; r < args.sampleReplicates; r++) phase2.push({ kind: 'sample', arm, depth: SAMPLE_DEPTH, vaf: SAMPLE_VAF, rep: r });
    for (let r = 0; r < NULL_SAMPLE_FACTOR * args.sampleReplicates; r++)
      phase2.push({ kind: 'sample', arm, depth: SAMPLE_DEPTH, vaf: 0, rep: r });
  }
  const res2 = await runTasks(phase2, args.seed, ponText, args.threads);
  process.stderr.write(`accuracy: simulation done (${elapsed()})\n`);

  const cells: Cell[] = [];
  const cellOf = (arm: Arm, depth: number, vaf: number): Cell => {
    let c = cells.find((x) => x.arm === arm && x.depth === depth && x.vaf === vaf);
    if (!c) {
      c = { arm, depth, vaf, detected: 0, replicates: 0, meanDepth: 0, alts: [], depths: [] };
      cells.push(c);
    }
    return c;
  };
  phase2.forEach((t, i) => {
    if (t.kind !== 'site') return;
    const r = res2[i];
    const c = cellOf(t.arm, t.depth, t.vaf);
    if (r.detected) c.detected++;
    c.replicates++;
    c.alts.push(r.alt);
    c.depths.push(r.depth);
    if (t.vaf === 0) {
      truth[t.arm].alt += r.alt;
      truth[t.arm].depth += r.depth;
    }
  });
  for (const c of cells) c.meanDepth = c.depths.reduce((a, b) => a + b, 0) / c.replicates;

  const eTrue = (arm: Arm): number => truth[arm].alt / truth[arm].depth;
  const critical = (arm: Arm, n: number): number => {
    const bg = bgs[arm]!;
    return criticalCount(n, bg.rate, predictiveDispersion(bg), SITE_ALPHA);
  };
  say('### Per-site calls on the dilution series');
  say();
  say(`Per cell: sensitivity (or specificity at VAF 0) over ${args.replicates} replicates; in brackets the binomial optimum`);
  say("at the same specificity (our rule's exact false-positive rate at the true background) / at exactly 99% specificity.");
  say(
    `Site α = ${SITE_ALPHA}, background from a simulated PoN of ${PON_NORMALS} normals × ${PON_MOLECULES.toLocaleString('en-US')} molecules, with its estimation uncertainty (beta-binomial predictive; decision 0043).`,
  );
  let worstGap = -Infinity;
  let worstSpec = 1;
  for (const arm of ARMS) {
    const e = eTrue(arm);
    const bg = bgs[arm]!;
    say();
    say(
      `**${arm === 'umi' ? 'With UMIs (family consensus)' : 'Without UMIs (one read pair per molecule)'}** — true alt background ${e.toExponential(2)}, PoN estimate ${bg.rate.toExponential(2)} from ${Math.round(bg.priorDepth).toLocaleString('en-US')} observations (PoN dispersion ${bg.dispersion.toExponential(1)}, predictive ${predictiveDispersion(bg).toExponential(1)})`,
    );
    say();
    say(`| VAF | ${DEPTHS.map((d) => `${d.toLocaleString('en-US')} molecules`).join(' | ')} |`);
    say(`|---|${DEPTHS.map(() => '---').join('|')}|`);
    for (const vaf of VAFS) {
      const cols = DEPTHS.map((depth) => {
        const c = cellOf(arm, depth, vaf);
        const rate = c.detected / c.replicates;
        const n = Math.round(c.meanDepth);
        const crit = critical(arm, n);
        if (vaf === 0) {
          worstSpec = Math.min(worstSpec, 1 - rate);
          const expectedFp = Math.exp(binomLogUpperTail(crit, n, e));
          return `spec ${pct(1 - rate)} (expected ${pct(1 - expectedFp, 2)})`;
        }
        const g = observedAltRate(vaf, e);
        const sameSpec = Math.exp(binomLogUpperTail(crit, n, g));
        const at99 = binomialOptimumPower(n, e, g, 0.01);
        worstGap = Math.max(worstGap, sameSpec - rate);
        return `${pct(rate)} (${pct(sameSpec)} / ${pct(at99)})`;
      });
      say(`| ${vaf === 0 ? '0 (specificity)' : pct(vaf, 2)} | ${cols.join(' | ')} |`);
    }
    const lods = DEPTHS.map((d) => {
      const n = Math.round(cellOf(arm, d, 0).meanDepth);
      const probe = callRow({ ...res1[0].row!, depth: n, altCount: 0 }, bg, SITE_ALPHA, MIN_DEPTH);
      return `${pct(probe.lod, 3)} at ${n.toLocaleString('en-US')}×`;
    });
    say(`| LoD (95% power) | ${lods.join(' | ')} |`);
  }

  // Over-dispersion check on the null replicates: is the alt count binomial across replicates?
  say();
  say('### Over-dispersion of the null (VAF 0) replicates');
  say();
  say('| arm | molecules | mean alt | variance / mean | MoM ρ over replicates | false positives (expected at the true rate) |');
  say('|---|---|---|---|---|---|');
  for (const arm of ARMS) {
    for (const depth of DEPTHS) {
      const c = cellOf(arm, depth, 0);
      const mean = c.alts.reduce((a, b) => a + b, 0) / c.replicates;
      const variance = c.alts.reduce((a, b) => a + (b - mean) ** 2, 0) / (c.replicates - 1);
      const n = Math.round(c.meanDepth);
      const expectedFp = c.replicates * Math.exp(binomLogUpperTail(critical(arm, n), n, eTrue(arm)));
      say(
        `| ${arm === 'umi' ? 'with UMIs' : 'without UMIs'} | ${depth.toLocaleString('en-US')} | ${mean.toFixed(3)} | ${mean > 0 ? (variance / mean).toFixed(2) : 'NA'} | ${momDispersion(c.alts, c.depths).toExponential(1)} | ${c.detected} (${expectedFp.toFixed(2)}) |`,
      );
    }
  }

  const reduction = eTrue('no_umi') / eTrue('umi');
  const pcrSeqRate = (arm: Arm): number => pcrSeq[arm].alt / pcrSeq[arm].depth;
  const pcrSeqReduction = pcrSeqRate('no_umi') / pcrSeqRate('umi');
  say();
  say('### UMI background reduction');
  say();
  // 95% range of the reduction: the no-UMI rate divided by the Wilson interval of the UMI rate
  // (the UMI count, tens of families, carries almost all the uncertainty).
  const range = (t: { alt: number; depth: number }, noUmi: number): string => {
    const w = wilsonInterval(t.alt, t.depth);
    return `${(noUmi / w.high).toFixed(1)}–${(noUmi / w.low).toFixed(1)}×`;
  };
  say('| error processes | without UMIs | with UMIs (alt families / families) | reduction (95% range) |');
  say('|---|---|---|---|');
  say(
    `| PCR + sequencing (${REDUCTION_RUNS} × ${PON_MOLECULES.toLocaleString('en-US')} molecules) | ${pcrSeqRate('no_umi').toExponential(2)} | ${pcrSeqRate('umi').toExponential(2)} (${pcrSeq.umi.alt} / ${pcrSeq.umi.depth.toLocaleString('en-US')}) | ${pcrSeqReduction.toFixed(1)}× (${range(pcrSeq.umi, pcrSeqRate('no_umi'))}) |`,
  );
  say(
    `| PCR + sequencing + damage ${model.damage} (PoN and all VAF-0 data above) | ${eTrue('no_umi').toExponential(2)} | ${eTrue('umi').toExponential(2)} (${truth.umi.alt} / ${truth.umi.depth.toLocaleString('en-US')}) | ${reduction.toFixed(1)}× (${range(truth.umi, eTrue('no_umi'))}) |`,
  );

  say();
  say('### Per-sample integrated test');
  say();
  say(
    `${SAMPLE_SITES} tumour-informed sites × ${SAMPLE_DEPTH.toLocaleString('en-US')} molecules, sample α = ${SAMPLE_ALPHA}; ${args.sampleReplicates} samples at ${pct(SAMPLE_VAF, 2)} VAF, ${NULL_SAMPLE_FACTOR * args.sampleReplicates} null samples. All 10 sites share the one PoN estimate, so its error is fully correlated across them (the hard case).`,
  );
  say();
  say('| arm | detection at 0.05% | specificity (null samples) | median tumour fraction estimate | p-value method |');
  say('|---|---|---|---|---|');
  const sampleResults: Record<Arm, { detection: number; specificity: number; fp: number; nulls: number }> = {
    no_umi: { detection: 0, specificity: 0, fp: 0, nulls: 0 },
    umi: { detection: 0, specificity: 0, fp: 0, nulls: 0 },
  };
  for (const arm of ARMS) {
    let hits = 0;
    let positives = 0;
    let fp = 0;
    let nulls = 0;
    const estimates: number[] = [];
    const methods = new Set<string>();
    phase2.forEach((t, i) => {
      if (t.kind !== 'sample' || t.arm !== arm) return;
      const r = res2[i];
      methods.add(r.method);
      if (t.vaf > 0) {
        positives++;
        if (r.detected) hits++;
        estimates.push(r.estimate);
      } else {
        nulls++;
        if (r.detected) fp++;
      }
    });
    estimates.sort((a, b) => a - b);
    sampleResults[arm] = { detection: hits / positives, specificity: 1 - fp / nulls, fp, nulls };
    say(
      `| ${arm === 'umi' ? 'with UMIs' : 'without UMIs'} | ${pct(hits / positives)} | ${pct(1 - fp / nulls)} (${fp}/${nulls} false) | ${pct(estimates[estimates.length >> 1], 3)} | ${[...methods].sort().join(', ')} |`,
    );
  }

  say();
  say('### Targets');
  say();
  const specLow = wilsonInterval(Math.round(worstSpec * args.replicates), args.replicates);
  say(
    `- specificity ≥ 99% at VAF 0: worst cell ${pct(worstSpec)} (95% interval ${pct(specLow.low)}–${pct(specLow.high)} over ${args.replicates} replicates) — ${worstSpec >= 0.99 ? 'met' : 'NOT met'}`,
  );
  say(
    `- sensitivity within 10 points of the optimum at the same specificity: largest shortfall ${(100 * worstGap).toFixed(1)} points — ${worstGap <= 0.1 ? 'met' : 'NOT met'}`,
  );
  say(
    `- UMI background reduction ≥ 10× on PCR-plus-sequencing error: ${pcrSeqReduction.toFixed(1)}× — ${pcrSeqReduction >= 10 ? 'met' : 'NOT met'} (with damage: ${reduction.toFixed(1)}×)`,
  );
  const best = sampleResults.umi;
  const bestSpec = wilsonInterval(best.nulls - best.fp, best.nulls);
  say(
    `- per-sample test ≥ 90% detection at ≥ 99% specificity (with UMIs): ${pct(best.detection)} at ${pct(best.specificity)} (${best.fp}/${best.nulls} false; 95% interval ${pct(bestSpec.low)}–${pct(bestSpec.high)}) — ${best.detection >= 0.9 && best.specificity >= 0.99 ? 'met' : 'NOT met'}`,
  );
  say();
  say(
    `Error model: damage ${model.damage}, first-cycle PCR ${model.pcrFirstCycle}, late PCR ${model.pcrLate}, sequencing ${model.seq} per base (an error is the alt base 1 time in 3); family size 1 + Poisson(${model.familyMean}); UMI error ${model.umiError} per read; mates overlap the site with probability ${model.mateOverlap}. Seed ${args.seed}.`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`accuracy: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
