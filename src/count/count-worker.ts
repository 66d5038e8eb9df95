import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../util/errors.js';
import { runGroup, type GroupJob } from './scan-group.js';

/**
 * Worker-thread entry: runs one group (its own WASM instance and file descriptor) and posts the
 * result back. A UserError travels as a message so the main thread can rethrow it as one.
 */
try {
    // Progress to the main thread every ~4 MB read.
  let pending = 0;
  const result = await runGroup(workerData as GroupJob, (n) => {
    pending += n;
    if (pending >= 4 << 20) {
      parentPort!.postMessage({ progress: pending });
      pending = 0;
    }
  });
  parentPort!.postMessage({ ok: true, result }, [result.counts.buffer as ArrayBuffer]);
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({ ok: false, user: e instanceof UserError, exitCode: e instanceof UserError ? e.exitCode : 1, message: err?.message ?? String(e) });
}
