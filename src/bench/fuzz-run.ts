import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { mutate, Rng } from './fuzz-mutate.js';
import { fuzzBam, fuzzTargets, type FuzzTarget, type TargetName } from './fuzz-targets.js';
import type { CaseRequest, CaseResult } from './fuzz-worker.js';

/**
 * The in-process fuzz run: seeded mutants of every target, each read by its reader in a worker
 * thread with a deadline. Outcomes: success, clean (one-line UserError naming the file) — and the
 * failures: messy, internal, wrong, hang (no answer before the deadline; the worker is terminated
 * and replaced), crash (the worker died: heap limit, abort).
 */

export type Outcome = CaseResult['outcome'] | 'hang' | 'crash';
export const FAILURES: readonly Outcome[] = ['messy', 'internal', 'wrong', 'hang', 'crash'];

export interface FuzzCase {
  target: TargetName;
  layer: string;
  seedIndex: number;
  /** Seed of this case's mutations: (run seed, case number) → the same mutant every time. */
  caseSeed: number;
  steps: string[];
  bytes: Uint8Array;
}

export interface CaseRecord {
  fuzzCase: FuzzCase;
  outcome: Outcome;
  message?: string;
  ms: number;
}

function workerScript(): string {
  const here = new URL('./fuzz-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  // Running from TypeScript sources (tests): the compiled worker.
  return fileURLToPath(new URL('../../dist/bench/fuzz-worker.js', import.meta.url));
}

/** One worker at a time; replaced after a hang or a crash. */
export class CaseRunner {
  private worker: Worker | null = null;
  private nextId = 1;

  constructor(private readonly timeoutMs: number) {}

  private start(): Worker {
    // 512 MB of heap: the bounded readers need a few MB; a runaway allocation dies here, not in the runner.
    this.worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64 } });
    this.worker.unref();
    return this.worker;
  }

  run(target: TargetName, path: string, bamPath: string): Promise<{ outcome: Outcome; message?: string }> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolvePromise) => {
      let settled = false;
      const finish = (result: { outcome: Outcome; message?: string }, replace: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (replace) {
          void worker.terminate();
          this.worker = null;
        }
        resolvePromise(result);
      };
      const onMessage = (m: CaseResult): void => {
        if (m.id === id) finish({ outcome: m.outcome, message: m.message }, false);
      };
      const onError = (e: Error): void => finish({ outcome: 'crash', message: `${e.name}: ${e.message}` }, true);
      const onExit = (code: number): void => finish({ outcome: 'crash', message: `worker exited with code ${code}` }, true);
      const timer = setTimeout(() => finish({ outcome: 'hang', message: `no answer within ${this.timeoutMs} ms` }, true), this.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req: CaseRequest = { id, target, path, bamPath };
      worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    if (this.worker) await this.worker.terminate();
    this.worker = null;
  }
}

/** The cases of a run: round-robin over targets, their layers and seeds; `count` in all. */
export function* fuzzCases(seed: number, count: number, only?: readonly TargetName[]): Generator<FuzzCase> {
  const targets = fuzzTargets().filter((t) => !only || only.includes(t.name));
  const slots: { target: FuzzTarget; layer: number; seedIndex: number }[] = [];
  for (const target of targets) {
    for (let layer = 0; layer < target.layers.length; layer++) {
      for (let s = 0; s < target.seeds.length; s++) slots.push({ target, layer, seedIndex: s });
    }
  }
  for (let i = 0; i < count; i++) {
    const slot = slots[i % slots.length];
    const { target } = slot;
    const layer = target.layers[slot.layer];
    const caseSeed = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
    const rng = new Rng(caseSeed);
    const inner = layer.unwrap(target.seeds[slot.seedIndex]);
    const kind = layer.name === 'compressed' ? 'binary' : target.kind;
    const others = target.seeds.map((s) => layer.unwrap(s));
    const { bytes, steps } = mutate(inner, rng, kind, others);
    yield { target: target.name, layer: layer.name, seedIndex: slot.seedIndex, caseSeed, steps, bytes: layer.wrap(bytes) };
  }
}

export function fileNameOf(target: TargetName): string {
  return fuzzTargets().find((t) => t.name === target)!.fileName;
}

/** Writes the intact BAM the index targets are checked against; returns its path. */
export function writeFuzzBam(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const bamPath = join(dir, 'fuzz.bam');
  writeFileSync(bamPath, fuzzBam().bam);
  return bamPath;
}

export interface RunOptions {
  seed: number;
  cases: number;
  dir: string;
  timeoutMs?: number;
  only?: readonly TargetName[];
  onCase?: (record: CaseRecord) => void;
}

/** Runs the cases; returns every case's outcome (bytes kept only for failures). */
export async function runFuzz(opts: RunOptions): Promise<CaseRecord[]> {
  const bamPath = writeFuzzBam(join(opts.dir, 'bam'));
  const runner = new CaseRunner(opts.timeoutMs ?? 10_000);
  const records: CaseRecord[] = [];
  const names = new Map<TargetName, string>();
  try {
    for (const fuzzCase of fuzzCases(opts.seed, opts.cases, opts.only)) {
      const caseDir = join(opts.dir, fuzzCase.target);
      mkdirSync(caseDir, { recursive: true });
      const fileName = names.get(fuzzCase.target) ?? fileNameOf(fuzzCase.target);
      names.set(fuzzCase.target, fileName);
      const path = join(caseDir, fileName);
      writeFileSync(path, fuzzCase.bytes);
      const t0 = performance.now();
      const result = await runner.run(fuzzCase.target, path, bamPath);
      const record: CaseRecord = {
        fuzzCase: FAILURES.includes(result.outcome) ? fuzzCase : { ...fuzzCase, bytes: new Uint8Array(0) },
        outcome: result.outcome,
        message: result.message,
        ms: performance.now() - t0,
      };
      records.push(record);
      opts.onCase?.(record);
    }
  } finally {
    await runner.close();
  }
  return records;
}

/** Counts per outcome. */
export function tally(records: readonly CaseRecord[]): Record<Outcome, number> {
  const out: Record<Outcome, number> = { success: 0, clean: 0, messy: 0, internal: 0, wrong: 0, hang: 0, crash: 0 };
  for (const r of records) out[r.outcome]++;
  return out;
}

/** Corpus file name of a failing input: target/<sha256 prefix>.<ext of the target's file>. */
export function corpusName(target: TargetName, bytes: Uint8Array): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const file = fileNameOf(target);
  const ext = file.slice(file.indexOf('.'));
  return `${target}/${hash}${ext}`;
}
