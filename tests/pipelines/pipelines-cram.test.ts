import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { cramOf, samtools, writeFasta } from '../cram/cram-fixtures.js';
import { randomCase } from '../count/random-bam.js';
import { requireTools } from '../helpers/requires.js';
import { CLI, REPO } from './demo-inputs.js';

/**
 * A mixed cohort through both workflows: some draws BAM, some CRAM (written by `samtools view -C`
 * from those BAMs, decoded with the workflow's `reference`). Classification, timeline and MultiQC
 * files must equal those of `oligotrack run` on the all-BAM cohort.
 */
const HAVE_SAMTOOLS = requireTools('samtools');
const HAVE_SNAKEMAKE = requireTools('snakemake');
const HAVE_CWLTOOL = requireTools('cwltool');
const SNAKEFILE = join(REPO, 'pipelines/snakemake/workflow/Snakefile');
const CWL_DIR = join(REPO, 'pipelines/cwl');

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-pipelines-cram-'));
const p = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two patients from one simulated person's reads (samtools -s keeps pairs); `cram` marks the CRAM draws. */
const DRAWS = [
  { patient: 'PT1', sample: 'PT1-D1', date: '2025-01-10', subsample: '7.9', cram: false },
  { patient: 'PT1', sample: 'PT1-D2', date: '2025-03-10', subsample: '8.6', cram: true },
  { patient: 'PT1', sample: 'PT1-D3', date: '2025-05-10', subsample: '9.4', cram: true },
  { patient: 'PT2', sample: 'PT2-D1', date: '2025-02-01', subsample: '10.8', cram: true },
  { patient: 'PT2', sample: 'PT2-D2', date: '2025-04-01', subsample: '11.5', cram: false },
] as const;
const pathOf = (d: (typeof DRAWS)[number], cram: boolean) => p(`${d.sample}.${cram ? 'cram' : 'bam'}`);
/** The CRAM draws' names as their BAM twins' (the only way the inputs differ). */
const asBam = (text: string) => text.replaceAll('.cram', '.bam');
const read = (path: string) => readFileSync(path, 'utf8');
const mqcFiles = (d: string) =>
  readdirSync(d)
    .filter((f) => !f.startsWith('.'))
    .sort();

beforeAll(() => {
  if (!HAVE_SAMTOOLS || !(HAVE_SNAKEMAKE || HAVE_CWLTOOL)) return;
  const c = randomCase(1717, { reads: 3000, refLength: 600 });
  const { bam, index } = encodeBamWithIndex({ refs: c.refs, text: '@RG\tID:a\tSM:P\n' }, c.records, { level: 1 });
  writeFileSync(p('full.bam'), bam);
  writeFileSync(p('full.bam.bai'), index);
  writeFasta(p('ref.fa'), c.refSeq);
  for (const d of DRAWS) {
    samtools(['view', '-b', '-s', d.subsample, '-o', pathOf(d, false), p('full.bam')]);
    samtools(['index', pathOf(d, false)]);
    if (d.cram) cramOf(pathOf(d, false), p('ref.fa'), pathOf(d, true));
  }
  const rows = c.sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}\tG${s.pos1}\tp.X${s.pos1}`);
  writeFileSync(p('sites.tsv'), ['chrom\tpos\tref\talt\tgene\tprotein', ...rows].join('\n') + '\n');
  writeFileSync(
    p('clinical.csv'),
    [
      'patient,subtype,therapy,therapy_class,therapy_start',
      'PT1,HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-01-06',
      'PT2,HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-01-20',
    ].join('\n') + '\n',
  );
  writeFileSync(
    p('imaging.csv'),
    [
      'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns',
      'PT1,2025-03-20,0,0,,no,no',
      'PT1,2025-05-20,2,0,bone,no,no',
      'PT2,2025-04-05,1,0,liver,yes,no',
    ].join('\n') + '\n',
  );
  // The reference: `oligotrack run` on the all-BAM cohort (absolute paths, as the workflows give).
  writeFileSync(
    p('samples-bam.csv'),
    ['patient,sample,collection_date,bam', ...DRAWS.map((d) => `${d.patient},${d.sample},${d.date},${pathOf(d, false)}`)].join('\n') + '\n',
  );
  const run = spawnSync(
    process.execPath,
    [CLI, 'run', '--samplesheet', p('samples-bam.csv'), '--clinical', p('clinical.csv'), '--imaging', p('imaging.csv')].concat([
      '--sites',
      p('sites.tsv'),
      '--out-dir',
      p('direct'),
    ]),
    { encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } },
  );
  if (run.status !== 0) throw new Error(`oligotrack run failed: ${run.stderr}`);
}, 120_000);

/** The direct run's MultiQC files, compared with a workflow's (CRAM names read as BAM). */
function expectSameMultiqc(mqcDir: string): void {
  const want = readdirSync(p('direct/multiqc')).sort();
  // Snakemake marks a directory output with a hidden .snakemake_timestamp; MultiQC ignores it.
  expect(mqcFiles(mqcDir)).toEqual(want);
  for (const f of want) expect(asBam(read(join(mqcDir, f))), f).toBe(read(p(`direct/multiqc/${f}`)));
}

/** A Snakemake working directory: config/samples.tsv with the given draws, and config/config.yaml (plus `extra` lines). */
function snakemakeWorkdir(name: string, draws: { patient: string; sample: string; date: string; path: string }[], extra: string[]): string {
  const work = p(name);
  mkdirSync(join(work, 'config'), { recursive: true });
  writeFileSync(
    join(work, 'config/samples.tsv'),
    ['patient\tsample\tcollection_date\tbam', ...draws.map((d) => `${d.patient}\t${d.sample}\t${d.date}\t${d.path}`)].join('\n') + '\n',
  );
  writeFileSync(
    join(work, 'config/config.yaml'),
    [
      `oligotrack: "${process.execPath} ${CLI}"`,
      'samples: config/samples.tsv',
      `sites: ["${p('sites.tsv')}"]`,
      `clinical: "${p('clinical.csv')}"`,
      `imaging: "${p('imaging.csv')}"`,
      ...extra,
      '',
    ].join('\n'),
  );
  return work;
}

describe.skipIf(!HAVE_SAMTOOLS || !HAVE_SNAKEMAKE)('Snakemake workflow on a mixed BAM/CRAM cohort', () => {
  it('counts the CRAM draws with config reference and gives the all-BAM run results', () => {
    const work = snakemakeWorkdir(
      'snakemake',
      DRAWS.map((d) => ({ ...d, path: pathOf(d, d.cram) })),
      [`reference: "${p('ref.fa')}"`, 'store: ""'],
    );
    const r = spawnSync('snakemake', ['--snakefile', SNAKEFILE, '--cores', '2'], { cwd: work, encoding: 'utf8' });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    // The CRAM jobs were given the reference; the BAM jobs were not.
    const cramDraw = DRAWS.find((d) => d.cram)!;
    const bamDraw = DRAWS.find((d) => !d.cram)!;
    const dry = spawnSync('snakemake', ['--snakefile', SNAKEFILE, '-n', '-p', '--forceall', '--cores', '1'], {
      cwd: work,
      encoding: 'utf8',
    });
    const commands = dry.stdout.split('\n').filter((l) => l.includes(' count --bam '));
    expect(commands.find((l) => l.includes(cramDraw.sample))).toContain(`--reference '${p('ref.fa')}'`);
    expect(commands.find((l) => l.includes(bamDraw.sample))).not.toContain('--reference');
    const results = join(work, 'results');
    expect(read(join(results, 'classification/classification.tsv'))).toBe(read(p('direct/classification.tsv')));
    expect(asBam(read(join(results, 'classification/classification.json')))).toBe(read(p('direct/classification.json')));
    expect(asBam(read(join(results, 'track/timeline.tsv')))).toBe(read(p('direct/timeline.tsv')));
    expectSameMultiqc(join(results, 'track/multiqc'));
    expect(read(join(work, 'logs/track.log'))).toContain(`counts: 0 counted, 0 from cache, 0 from store, ${DRAWS.length} from counts dir`);
  });

  it('a CRAM draw without config reference stops with the count job naming --reference', () => {
    const d = DRAWS.find((x) => x.cram)!;
    const work = snakemakeWorkdir('snakemake-noref', [{ ...d, path: pathOf(d, true) }], []);
    const r = spawnSync('snakemake', ['--snakefile', SNAKEFILE, '--cores', '1', `results/counts/${d.sample}.count.json`], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(read(join(work, `logs/count/${d.sample}.log`))).toMatch(
      /\.cram: this CRAM stores reads as differences from a reference genome: give --reference/,
    );
  });
});

describe.skipIf(!HAVE_SAMTOOLS || !HAVE_CWLTOOL)('CWL workflow on a mixed BAM/CRAM cohort', () => {
  it('stages each draw with its .bai or .crai, decodes the CRAMs with `reference`, gives the all-BAM run results', () => {
    const shim = p('shim');
    mkdirSync(shim);
    writeFileSync(join(shim, 'oligotrack'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(shim, 'oligotrack'), 0o755);
    const job = {
      $namespaces: { edam: 'http://edamontology.org/' },
      draws: DRAWS.map((d) => ({
        patient: d.patient,
        sample: d.sample,
        collection_date: d.date,
        bam: { class: 'File', path: pathOf(d, d.cram), format: d.cram ? 'edam:format_3462' : 'edam:format_2572' },
      })),
      site_files: [{ class: 'File', path: p('sites.tsv') }],
      clinical: { class: 'File', path: p('clinical.csv'), format: 'edam:format_3752' },
      imaging: { class: 'File', path: p('imaging.csv'), format: 'edam:format_3752' },
      reference: { class: 'File', path: p('ref.fa') },
    };
    writeFileSync(p('job.json'), JSON.stringify(job, null, 2));
    const r = spawnSync(
      'cwltool',
      ['--no-container', '--outdir', p('cwl-out'), '--tmpdir-prefix', p('cwltmp/'), join(CWL_DIR, 'workflow.cwl'), p('job.json')],
      { encoding: 'utf8', env: { ...process.env, PATH: `${shim}:${process.env.PATH}` } },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stderr).toContain(`counts: 0 counted, 0 from cache, 0 from store, ${DRAWS.length} from counts dir`);
    const outputs = JSON.parse(r.stdout) as Record<string, { path: string } | { path: string }[] | null>;
    expect(read((outputs.classification as { path: string }).path)).toBe(read(p('direct/classification.tsv')));
    // cwltool stages each input under a temporary directory: compare the timeline's paths by file name.
    const byName = (text: string) => asBam(text).replace(/\/[^\t\n]*\/([^/\t\n]+\.bam)/g, '$1');
    expect(byName(read((outputs.timeline as { path: string }).path))).toBe(byName(read(p('direct/timeline.tsv'))));
    expectSameMultiqc((outputs.multiqc as { path: string }).path);
    expect(outputs.multiqc_report).toBeNull();
  });
});
