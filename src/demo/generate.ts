import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Site } from '../count/types.js';
import { BUNDLED_PANEL_FILE } from '../reference/panel.js';
import { referencePath } from '../reference/paths.js';
import { UserError } from '../util/errors.js';
import { demoDataDir, demoSamples, demoSpec, loadDemoSites, loadDemoTissue, loadTruthVafs, tissueVcf } from './cohort.js';
import { writeDemoReference } from './reference.js';
import { demoBamIsCurrent, simulateDemoBam, type DemoBamJob } from './simulate-one.js';

export interface DemoInputs {
  samplesheet: string;
  clinical: string;
  imaging: string;
  sites: string;
  /** The reads' reference genome (bgzipped FASTA, .fai, .gzi): for making CRAMs of the BAMs. */
  reference: string;
  /** Samples simulated now (the others were reused from an earlier demo run). */
  simulated: string[];
}

/** Panel TSV of the demo sites (columns the `--sites` reader accepts: chrom pos ref alt gene protein id). */
export function sitesTsv(sites: Site[]): string {
  return `chrom\tpos\tref\talt\tgene\tprotein\tid\n${sites.map((s) => [s.chrom, s.pos1, s.ref, s.alt, s.gene, s.protein, s.id].join('\t')).join('\n')}\n`;
}

/**
 * A fingerprint of the code that writes the demo BAMs (the simulator and the BAM/BGZF/index
 * writers, as loaded: .js from dist, .ts from sources) and of the bundled panel, whose REF alleles
 * the simulator places on its genome. Part of each BAM's stamp, so a changed simulator or panel
 * never leaves stale BAMs behind that merely have a matching spec.
 */
export function simulatorFingerprint(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  const root = dirname(dirname(here));
  const files = [
    ...readdirSync(join(root, 'simulate'))
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => join(root, 'simulate', f)),
    ...['bam-writer', 'bgzf-writer', 'bam-index-writer', 'sam-record'].map((f) => join(root, 'io', `${f}${ext}`)),
  ];
  const h = createHash('sha256');
  for (const f of files) if (existsSync(f)) h.update(f.slice(root.length)).update(readFileSync(f));
  h.update(BUNDLED_PANEL_FILE).update(readFileSync(referencePath(BUNDLED_PANEL_FILE)));
  return h.digest('hex');
}

/** The compiled worker (dist/), or null when running from sources without a build: then serial. */
function workerScript(): URL | null {
  const here = new URL('./simulate-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/demo/simulate-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : null;
}

async function runJobs(jobs: DemoBamJob[], threads: number, onDone: (sample: string) => void): Promise<void> {
  const script = threads > 1 && jobs.length > 1 ? workerScript() : null;
  if (!script) {
    for (const j of jobs) {
      simulateDemoBam(j);
      onDone(j.spec.sample);
    }
    return;
  }
  const queue = [...jobs];
  const n = Math.min(threads, jobs.length);
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(script);
          const next = () => {
            const job = queue.shift();
            w.postMessage(job ?? null);
            if (!job) resolve();
          };
          w.on('message', (m: { ok: boolean; sample: string; message?: string }) => {
            if (!m.ok) {
              void w.terminate();
              reject(new UserError(`demo: simulating ${m.sample} failed: ${m.message}`));
              return;
            }
            onDone(m.sample);
            next();
          });
          w.once('error', reject);
          next();
        }),
    ),
  );
}

/**
 * Copies the demo CSVs to INPUT_DIR and simulates each BAM that is missing or was made from a
 * different spec (a stamp file holds the spec's hash), on up to `threads` worker threads; then
 * writes the reference the BAMs were simulated against (reference/demo.fa.gz).
 */
export async function prepareDemoInputs(
  inputDir: string,
  threads = availableParallelism(),
  onProgress?: (done: number, total: number, sample: string) => void,
  /** Only these demo patients (tests use a subset to stay fast); default all. */
  patients?: string[],
): Promise<DemoInputs> {
  const src = demoDataDir();
  mkdirSync(join(inputDir, 'bams'), { recursive: true });
  for (const f of ['samplesheet.csv', 'clinical.csv', 'imaging.csv']) {
    writeIfChanged(join(inputDir, f), onlyPatients(readFileSync(join(src, f), 'utf8'), patients));
  }
  const sites = loadDemoSites(src);
  writeIfChanged(join(inputDir, 'sites.tsv'), sitesTsv(sites));
  // The samplesheet's `vcf` column names each patient's tissue VCF (tissue/<patient>.vcf).
  mkdirSync(join(inputDir, 'tissue'), { recursive: true });
  for (const [patient, tissue] of loadDemoTissue(sites, src)) {
    if (!patients || patients.includes(patient)) writeIfChanged(join(inputDir, 'tissue', `${patient}.vcf`), tissueVcf(patient, tissue));
  }
  const truth = loadTruthVafs(src);
  const keep = patients ? new Set(patients) : null;
  const samples = demoSamples(src).filter((s) => !keep || keep.has(s.patient));
  if (samples.length === 0) throw new UserError(`demo: no sample for patients ${patients?.join(', ')}`);
  const code = simulatorFingerprint();
  const jobs: DemoBamJob[] = samples.map(({ sample, bam }) => {
    const spec = demoSpec(sample, sites, truth);
    const bamPath = join(inputDir, bam);
    mkdirSync(dirname(bamPath), { recursive: true });
    return { spec, bamPath, hash: createHash('sha256').update(code).update(JSON.stringify(spec)).digest('hex') };
  });
  const todo = jobs.filter((j) => !demoBamIsCurrent(j));
  let done = samples.length - todo.length;
  const simulated: string[] = [];
  await runJobs(todo, threads, (sample) => {
    simulated.push(sample);
    onProgress?.(++done, samples.length, sample);
  });
  simulated.sort();
  const reference = writeDemoReference(
    inputDir,
    jobs.map((j) => j.spec),
  );
  return {
    samplesheet: join(inputDir, 'samplesheet.csv'),
    clinical: join(inputDir, 'clinical.csv'),
    imaging: join(inputDir, 'imaging.csv'),
    sites: join(inputDir, 'sites.tsv'),
    reference,
    simulated,
  };
}

/** Keeps the header and the rows whose first column (patient) is in `patients` (all when undefined). */
function onlyPatients(csv: string, patients?: string[]): string {
  if (!patients) return csv;
  const keep = new Set(patients);
  const lines = csv.split('\n').filter((l) => l.length > 0);
  return `${[lines[0], ...lines.slice(1).filter((l) => keep.has(l.split(',')[0]))].join('\n')}\n`;
}

/** Rewrites a file only when its content changes, so its mtime stays put between demo runs. */
function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  writeFileSync(path, content);
}
