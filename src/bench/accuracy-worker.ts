/**
 * Worker thread of `npm run accuracy`: receives batches of task indices, runs them (accuracy-tasks.ts)
 * and posts the results back with their indices. Holds no state between batches except the parsed
 * PoN backgrounds, so which worker runs a task never changes its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type Arm, ponBackgrounds, runTask, type Task, type TaskResult } from './accuracy-tasks.js';

interface WorkerInput {
  runSeed: number;
  tasks: Task[];
  ponText: Partial<Record<Arm, string>>;
}

const input = workerData as WorkerInput;
const bgs = ponBackgrounds(input.ponText);

parentPort!.on('message', (batch: number[] | null) => {
  if (batch === null) {
    parentPort!.close();
    return;
  }
  const results: [number, TaskResult][] = batch.map((i) => [i, runTask(input.runSeed, input.tasks[i], bgs)]);
  parentPort!.postMessage(results);
});
