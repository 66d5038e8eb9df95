import { parentPort } from 'node:worker_threads';
import { simulateDemoBam, type DemoBamJob } from './simulate-one.js';

// One demo BAM per message; the parent hands out jobs so both cores simulate (≈2× on 2 cores).
parentPort!.on('message', (job: DemoBamJob | null) => {
  if (job === null) {
    parentPort!.close();
    return;
  }
  try {
    simulateDemoBam(job);
    parentPort!.postMessage({ ok: true, sample: job.spec.sample });
  } catch (e) {
    parentPort!.postMessage({ ok: false, sample: job.spec.sample, message: (e as Error).message });
  }
});
