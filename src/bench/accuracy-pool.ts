/**
 * A small deterministic worker pool for `npm run accuracy`: tasks go out in batches to `threads`
 * worker threads running `workerFile`; results come back with their task index and are merged in
 * task order, so the output does not depend on the thread count or on scheduling.
 */
import { Worker } from 'node:worker_threads';

export async function runPool<T, R>(workerFile: URL, tasks: T[], workerData: object, threads: number, batch = 4): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  let next = 0;
  const workerCount = Math.max(1, Math.min(threads, Math.ceil(tasks.length / batch)));
  await Promise.all(
    Array.from(
      { length: workerCount },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerFile, { workerData: { ...workerData, tasks } });
          const feed = (): void => {
            if (next >= tasks.length) {
              worker.postMessage(null);
              return;
            }
            const ids: number[] = [];
            for (; ids.length < batch && next < tasks.length; next++) ids.push(next);
            worker.postMessage(ids);
          };
          worker.on('message', (done: [number, R][]) => {
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
