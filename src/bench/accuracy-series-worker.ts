/**
 * Worker thread of the longitudinal section of `npm run accuracy`: runs batches of series tasks
 * (accuracy-longitudinal-tasks.ts) and posts the counts back with their indices. Stateless.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runSeriesTask, type SeriesTask } from './accuracy-longitudinal-tasks.js';

const input = workerData as { runSeed: number; tasks: SeriesTask[] };

parentPort!.on('message', (ids: number[] | null) => {
  if (ids === null) {
    parentPort!.close();
    return;
  }
  parentPort!.postMessage(ids.map((i) => [i, runSeriesTask(input.runSeed, input.tasks[i])]));
});
