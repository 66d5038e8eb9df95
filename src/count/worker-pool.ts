import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Count worker threads, started when countBam begins or earlier (prestartCountWorkers): a worker
 * takes ~65 ms to come online and ~85 ms until its imports are loaded (Node 20, measured in
 * docs/methods/benchmarks.md), time the CLI spends loading its own modules if the worker is
 * started first. This module imports nothing of the project, so starting workers costs the caller
 * no module loading.
 */

/** Started ahead, unreferenced until countBam takes them (a failed command line exits at once). */
const waiting: Worker[] = [];

export function countWorkerScript(): string | null {
  const here = new URL('./count-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  // Running from TypeScript sources (tests): use the compiled worker when it has been built.
  const built = new URL('../../dist/count/count-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? fileURLToPath(built) : null;
}

/** Starts `n` workers for the next countBam (the CLI's count, as soon as it knows --threads). */
export function prestartCountWorkers(n: number): void {
  const script = countWorkerScript();
  if (!script) return;
  for (let i = 0; i < n; i++) {
    const w = new Worker(script);
    w.unref();
    // One that fails before it is taken is dropped; countBam then starts a new one and sees its error.
    const drop = (): void => {
      const at = waiting.indexOf(w);
      if (at >= 0) waiting.splice(at, 1);
    };
    w.once('error', drop);
    w.once('exit', drop);
    waiting.push(w);
  }
}

/** `n` workers: those started ahead first, then new ones. */
export function takeCountWorkers(n: number): Worker[] {
  const taken = waiting.splice(0, n);
  for (const w of taken) w.ref();
  const script = taken.length < n ? countWorkerScript() : null;
  while (script && taken.length < n) taken.push(new Worker(script));
  return taken;
}
