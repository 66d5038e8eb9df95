import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { runPipeline } from '../app/run.js';
import { DEFAULT_COUNT_SETTINGS } from '../count/types.js';
import { prepareDemoInputs } from '../demo/generate.js';
import { writeStdout } from '../io/output.js';
import { info } from '../util/log.js';
import { defineCommand } from './command.js';
import { Progress } from './progress.js';
import { countsLine, drawProgress } from './run.js';
import { THREADS_OPTION, outDirOption } from './spec.js';

/** Between-draw CV the demo tells classify (its simulated draws vary by sampling only). */
export const DEMO_BETWEEN_DRAW_CV = 0.1;

export const demoCommand = defineCommand(
  {
    name: 'demo',
    command: 'demo',
    describe: 'Simulate the bundled 7-patient demo cohort (first run only) and run the whole pipeline on it; prints the report path',
    options: [
      {
        ...outDirOption('Output directory (input/ holds the CSVs, simulated BAMs and their reference FASTA; report/ the HTML)'),
        required: false,
        default: 'oligotrack-demo',
      },
      { ...THREADS_OPTION, default: Math.min(2, availableParallelism()), describe: 'Threads for simulating the BAMs' },
    ],
  },
  async ({ values: o }) => {
    const out = resolve(o['out-dir']);
    const t0 = Date.now();
    const bar = new Progress('simulating', 0);
    const inputs = await prepareDemoInputs(resolve(out, 'input'), o.threads, (done, n, sample) => {
      bar.total = n;
      bar.step(done, sample);
    });
    bar.done();
    info(
      inputs.simulated.length
        ? `simulated ${inputs.simulated.length} BAM(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`
        : 'demo BAMs reused from an earlier run',
    );
    const progress = drawProgress();
    const r = await runPipeline({
      samplesheet: inputs.samplesheet,
      clinical: inputs.clinical,
      imaging: inputs.imaging,
      sites: [inputs.sites],
      outDir: out,
      settings: DEFAULT_COUNT_SETTINGS,
      threads: 1,
      // The demo's draws are simulated with sampling noise only, no between-draw variation: say so,
      // as a lab would with its own measured CV (test-data/demo/README.md).
      betweenDrawPrior: DEMO_BETWEEN_DRAW_CV,
      onDraw: progress.onDraw,
    });
    info(countsLine(r, out, undefined));
    // The BAMs' own genome, so a user can try the CRAM path on them (docs/commands/demo.md).
    info(`reference the BAMs were simulated against (for samtools view -C -T and --reference): ${inputs.reference}`);
    info(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s; open the report in a browser:`);
    writeStdout(`${resolve(r.indexHtml)}\n`);
  },
);
