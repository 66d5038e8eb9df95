import { join } from 'node:path';
import { runPipeline, type RunResult } from '../app/run.js';
import type { SampleCounts } from '../app/count-sample.js';
import { info } from '../util/log.js';
import { defineCommand } from './command.js';
import { countSettingsFrom } from './options.js';
import { Progress } from './progress.js';
import { CLINICAL_OPTIONS, COUNTING_OPTIONS, SAMPLESHEET_OPTION, SITES_OPTION, STORE_OPTION, outDirOption } from './spec.js';

/** Progress of the counting (one step per draw) as a run's callback. */
export function drawProgress(): { onDraw: (done: number, total: number, sample: string, counts: SampleCounts) => void; bar: Progress } {
  const bar = new Progress('counting', 0);
  return {
    bar,
    onDraw: (done, total, sample, counts) => {
      bar.total = total;
      bar.step(done, `${sample}${counts.source === 'counted' ? '' : ` (${counts.source})`}`);
      if (done === total) bar.done();
    },
  };
}

/** The line that says how many draws were counted and how many reused. */
export function countsLine(r: RunResult, outDir: string, storePath: string | undefined): string {
  const n = r.bySource;
  return `counted ${n.counted} sample(s), reused ${n.cache} from ${join(outDir, 'counts')}${storePath !== undefined ? `, ${n.store} from ${storePath}` : ''}`;
}

export const runCommand = defineCommand(
  {
    name: 'run',
    command: 'run',
    describe: 'The whole path count → track → classify → report over a samplesheet; ends with OUT-DIR/report/index.html',
    options: [
      SAMPLESHEET_OPTION,
      ...CLINICAL_OPTIONS,
      outDirOption('Output directory (counts/, timeline.tsv, patients/, classification.*, report/, multiqc/)'),
      { ...SITES_OPTION, defaultText: 'panel:breast' },
      { name: 'pon', kind: 'path', describe: 'Panel of normals (oligotrack pon)' },
      ...COUNTING_OPTIONS,
      STORE_OPTION,
      {
        name: 'pdf',
        kind: 'boolean',
        default: false,
        describe: 'Also write the report pages as PDFs (needs Chromium: Debian package chromium)',
      },
    ],
    examples: [['$0 run --samplesheet s.csv --clinical c.csv --imaging i.csv --out-dir results', 'results/report/index.html']],
  },
  async ({ values: o }) => {
    const progress = drawProgress();
    const result = await runPipeline({
      samplesheet: o.samplesheet,
      clinical: o.clinical,
      imaging: o.imaging,
      outDir: o['out-dir'],
      sites: o.sites.length ? o.sites : ['panel:breast'],
      settings: countSettingsFrom(o),
      threads: o.threads,
      referencePath: o.reference,
      ponPath: o.pon,
      policyPath: o.policy,
      storePath: o.store,
      pdf: o.pdf,
      betweenDrawPrior: o['between-draw-prior'],
      onDraw: progress.onDraw,
    });
    info(countsLine(result, o['out-dir'], o.store));
    info(`report: ${result.indexHtml}`);
  },
);
