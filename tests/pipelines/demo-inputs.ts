import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDemoInputs, type DemoInputs } from '../../src/demo/generate.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(REPO, 'dist/cli/main.js');
/** Three demo patients, one per route: true oligoprogression, widespread, targetable (10 draws). */
export const PIPELINE_PATIENTS = ['DEMO-01', 'DEMO-02', 'DEMO-05'];

/** The samplesheet columns the pipelines' tables carry, in this order. */
export const PIPELINE_COLUMNS = ['patient', 'sample', 'collection_date', 'bam', 'vcf', 'timepoint'] as const;

export interface DemoDraw {
  patient: string;
  sample: string;
  collection_date: string;
  bam: string;
  /** The patient's tissue VCF (the demo gives one per patient, on every row). */
  vcf: string;
  timepoint: string;
}

export interface PreparedDemo extends DemoInputs {
  draws: DemoDraw[];
  /** Output directory of the direct `oligotrack run` on the same inputs: the reference. */
  direct: string;
}

/** The draws of a demo samplesheet, BAM paths made absolute (the demo CSV has no quoted fields). */
export function readDraws(samplesheet: string, inputDir: string): DemoDraw[] {
  const [header, ...lines] = readFileSync(samplesheet, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row = Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? ''])) as unknown as DemoDraw;
    return { ...row, bam: join(inputDir, row.bam), vcf: row.vcf ? join(inputDir, row.vcf) : '', timepoint: row.timepoint ?? '' };
  });
}

/** Simulate the demo subset's BAMs (reused when current) and run `oligotrack run` on them. */
export async function prepareDemo(dir: string): Promise<PreparedDemo> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const inputDir = join(dir, 'input');
  mkdirSync(inputDir, { recursive: true });
  const inputs = await prepareDemoInputs(inputDir, 2, undefined, PIPELINE_PATIENTS);
  const draws = readDraws(inputs.samplesheet, inputDir);
  // Reports print each BAM path as the samplesheet wrote it; the pipelines get absolute paths, so
  // the reference run does too (same draws, same strings). The tissue VCFs are read as `run` reads
  // them: without them the plasma-only TP53 of DEMO-01 reads as possible clonal haematopoiesis.
  const cols = PIPELINE_COLUMNS;
  const samplesheet = join(dir, 'samplesheet-absolute.csv');
  writeFileSync(samplesheet, [cols.join(','), ...draws.map((d) => cols.map((c) => d[c]).join(','))].join('\n') + '\n');
  const direct = join(dir, 'direct');
  const run = spawnSync(
    process.execPath,
    [
      CLI,
      'run',
      '--samplesheet',
      samplesheet,
      '--clinical',
      inputs.clinical,
      '--imaging',
      inputs.imaging,
      '--sites',
      inputs.sites,
      '--out-dir',
      direct,
    ],
    { encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } },
  );
  if (run.status !== 0) throw new Error(`oligotrack run failed: ${run.stderr}`);
  return { ...inputs, samplesheet, draws, direct };
}
