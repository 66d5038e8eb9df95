import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { prepareDemoInputs } from '../demo/generate.js';
import { writeStdout } from '../io/output.js';
import { Progress } from '../report/progress.js';
import { UsageError } from '../util/errors.js';
import { info } from '../util/log.js';
import { handler } from './command.js';
import { runPipeline } from './run.js';

/** Between-draw CV the demo tells classify (its simulated draws vary by sampling only). */
export const DEMO_BETWEEN_DRAW_CV = '0.1';

interface DemoArgs {
  out: string;
  threads: number;
}

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Simulate the bundled 7-patient demo cohort (first run only) and run the whole pipeline on it; prints the report path',
  builder: (y) =>
    y
      .option('out', { type: 'string', default: 'oligotrack-demo', describe: 'output directory (input/ holds the CSVs and simulated BAMs; report/ the HTML)' })
      .option('threads', { type: 'number', default: Math.min(2, availableParallelism()), describe: 'threads for simulating the BAMs' }),
  handler: handler('demo', async (a: DemoArgs) => {
    if (!Number.isInteger(a.threads) || a.threads < 1 || a.threads > 256) throw new UsageError(`--threads must be an integer from 1 to 256, got ${a.threads}`);
    const out = resolve(a.out);
    const t0 = Date.now();
    const bar = new Progress('simulating', 0);
    const inputs = await prepareDemoInputs(resolve(out, 'input'), a.threads, (done, n, sample) => {
      bar.total = n;
      bar.step(done, sample);
    });
    bar.done();
    info(inputs.simulated.length ? `simulated ${inputs.simulated.length} BAM(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s` : 'demo BAMs reused from an earlier run');
    const r = await runPipeline({
      samplesheet: inputs.samplesheet,
      clinical: inputs.clinical,
      imaging: inputs.imaging,
      sites: [inputs.sites],
      outDir: out,
      threads: 1,
      umi: false,
      command: 'demo',
      // The demo's draws are simulated with sampling noise only, no between-draw variation: say so,
      // as a lab would with its own measured CV (test-data/demo/README.md).
      betweenDrawPrior: DEMO_BETWEEN_DRAW_CV,
    });
    if (r.exitCode) {
      process.exitCode = r.exitCode;
      return;
    }
    info(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s; open the report in a browser:`);
    writeStdout(`${resolve(r.indexHtml)}\n`);
  }),
};
