import { parentPort } from 'node:worker_threads';
import { UserError } from '../util/errors.js';
import { WasmKernel } from './kernel.js';
import { runRange, type RangeJob } from './piece-runner.js';

/**
 * Worker-thread entry: started early (while the main thread reads the header and index), it
 * waits for one range job (null: nothing to do), runs it on its own kernel and file descriptor,
 * and posts the result back. A UserError travels as a message so the main thread can rethrow it.
 */
parentPort!.once('message', (job: RangeJob | null) => {
  if (job === null) {
    parentPort!.close();
    return;
  }
  try {
    // Progress to the main thread every ~4 MB read.
    let pending = 0;
    const result = runRange(job, new WasmKernel(), false, (n) => {
      pending += n;
      if (pending >= 4 << 20) {
        parentPort!.postMessage({ progress: pending });
        pending = 0;
      }
    });
    parentPort!.postMessage({ ok: true, result }, [result.counts.buffer as ArrayBuffer, result.boundary.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({
      ok: false,
      user: e instanceof UserError,
      exitCode: e instanceof UserError ? e.exitCode : 1,
      message: err?.message ?? String(e),
    });
  }
});
