import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../helpers/requires.js';
import { CLI, PIPELINE_COLUMNS, PIPELINE_PATIENTS, prepareDemo, REPO, type PreparedDemo } from './demo-inputs.js';

/**
 * The Snakemake workflow and the CWL workflow, run for real on three demo patients (10 BAMs, each
 * patient's tissue VCF in the table), must give the same classification and the same HTML report
 * as the direct `oligotrack run`, and collect track's MultiQC files (MultiQC renders them).
 */
const HAVE_SNAKEMAKE = requireTools('snakemake');
const HAVE_CWLTOOL = requireTools('cwltool');
const HAVE_MULTIQC = requireTools('multiqc');
/** MultiQC (click) refuses to start under an ASCII locale. */
const UTF8 = { LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
const SNAKEFILE = join(REPO, 'pipelines/snakemake/workflow/Snakefile');
const CWL_DIR = join(REPO, 'pipelines/cwl');

let dir: string;
let demo: PreparedDemo;

function runAsync(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oligotrack-pipelines-'));
  if (HAVE_SNAKEMAKE || HAVE_CWLTOOL) demo = await prepareDemo(dir);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (path: string) => readFileSync(path, 'utf8');
const mqcFiles = (d: string) =>
  readdirSync(d)
    .filter((f) => !f.startsWith('.'))
    .sort();

/** Every non-empty job log under `dir`, for the failure message (a job's error is in its log). */
function jobLogs(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (readFileSync(p, 'utf8').trim()) out.push(`--- ${p}\n${readFileSync(p, 'utf8').slice(-1500)}`);
    }
  };
  try {
    walk(dir);
  } catch {
    return '(no logs)';
  }
  return out.join('\n');
}
const htmlFiles = (d: string) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.html'))
    .sort();
/** cwltool stages each BAM under a temporary directory; the report prints the path it was given. */
const bamPathsAsBasenames = (html: string) => html.replace(/<code>[^<]*\/([^/<]+\.bam)<\/code>/g, '<code>$1</code>');
const EXPECTED_PAGES = [...PIPELINE_PATIENTS.map((p) => `${p}.html`), 'index.html'].sort();

describe.skipIf(!HAVE_SNAKEMAKE)('Snakemake workflow', () => {
  let work: string;
  let store: string;

  beforeAll(() => {
    work = join(dir, 'snakemake');
    mkdirSync(join(work, 'config'), { recursive: true });
    store = join(work, 'cohort.sqlite');
    const cols = PIPELINE_COLUMNS;
    writeFileSync(
      join(work, 'config/samples.tsv'),
      [cols.join('\t'), ...demo.draws.map((d) => cols.map((c) => d[c]).join('\t'))].join('\n') + '\n',
    );
    writeFileSync(
      join(work, 'config/config.yaml'),
      [
        `oligotrack: "${process.execPath} ${CLI}"`,
        'samples: config/samples.tsv',
        `sites: ["${demo.sites}"]`,
        `clinical: "${demo.clinical}"`,
        `imaging: "${demo.imaging}"`,
        `store: "${store}"`,
        'threads: {count: 1, track: 2}',
        `multiqc: ${HAVE_MULTIQC ? 'true' : 'false'}`,
        '',
      ].join('\n'),
    );
  });

  it('passes snakemake --lint with the shipped config (the demo cohort) and with the test config', () => {
    const shipped = join(dir, 'shipped');
    cpSync(join(REPO, 'pipelines/snakemake/config'), join(shipped, 'config'), { recursive: true });
    for (const cwd of [shipped, work]) {
      const lint = spawnSync('snakemake', ['--snakefile', SNAKEFILE, '--lint'], { cwd, encoding: 'utf8' });
      expect(lint.stdout + lint.stderr, cwd).toContain('Congratulations, your workflow is in a good condition!');
      expect(lint.status).toBe(0);
    }
  });

  it('rejects a samples.tsv that breaks its schema, naming the row', () => {
    const bad = join(work, 'bad.tsv');
    writeFileSync(bad, 'patient\tsample\tcollection_date\tbam\nP1\tS1\t10/01/2025\tx.bam\n');
    const r = spawnSync('snakemake', ['--snakefile', SNAKEFILE, '-n', '--cores', '1', '--config', `samples=${bad}`], {
      cwd: work,
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/bad\.tsv: row 2:[\s\S]*'10\/01\/2025' does not match/);
  });

  it('runs with --cores 2 and matches the direct `oligotrack run` output', () => {
    const r = spawnSync('snakemake', ['--snakefile', SNAKEFILE, '--cores', '2'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, ...UTF8 },
    });
    expect(r.status, `${r.stderr.slice(-2000)}\n${jobLogs(join(work, 'logs'))}`).toBe(0);
    const results = join(work, 'results');
    // The tissue VCFs were read: with them no plasma variant reads as "possible clonal
    // haematopoiesis"; the same run without the vcf column reads TP53 so; the timeline marks the
    // tissue sites.
    const directJson = read(join(demo.direct, 'classification.json'));
    expect(directJson).not.toMatch(/possible clonal haematopoiesis/);
    const noTissue = join(dir, 'samplesheet-no-vcf.csv');
    const cols = PIPELINE_COLUMNS.filter((c) => c !== 'vcf');
    writeFileSync(noTissue, [cols.join(','), ...demo.draws.map((d) => cols.map((c) => d[c]).join(','))].join('\n') + '\n');
    const withoutVcf = spawnSync(
      process.execPath,
      [CLI, 'run', '--samplesheet', noTissue, '--clinical', demo.clinical, '--imaging', demo.imaging, '--sites', demo.sites].concat([
        '--out-dir',
        join(dir, 'direct-no-vcf'),
      ]),
      { encoding: 'utf8', env: { ...process.env, OLIGOTRACK_QUIET: '1' } },
    );
    expect(withoutVcf.status, withoutVcf.stderr).toBe(0);
    expect(read(join(dir, 'direct-no-vcf/classification.json'))).toMatch(/TP53[^"]*possible clonal haematopoiesis/);
    expect(read(join(results, 'track/patients/DEMO-01.json'))).toMatch(/"tumour_informed": ?true/);
    expect(read(join(results, 'classification/classification.tsv'))).toBe(read(join(demo.direct, 'classification.tsv')));
    expect(read(join(results, 'classification/classification.json'))).toBe(read(join(demo.direct, 'classification.json')));
    expect(read(join(results, 'track/timeline.tsv'))).toBe(read(join(demo.direct, 'timeline.tsv')));
    const pages = htmlFiles(join(results, 'report'));
    expect(pages).toEqual(EXPECTED_PAGES);
    for (const page of pages) expect(read(join(results, 'report', page)), page).toBe(read(join(demo.direct, 'report', page)));
    // track's MultiQC custom content, a declared output, as `run` writes it; MultiQC renders it.
    const mqc = join(results, 'track/multiqc');
    // (Snakemake marks a directory output with a hidden .snakemake_timestamp; MultiQC ignores it.)
    expect(mqcFiles(mqc)).toEqual(mqcFiles(join(demo.direct, 'multiqc')));
    for (const f of mqcFiles(mqc)) expect(read(join(mqc, f)), f).toBe(read(join(demo.direct, 'multiqc', f)));
    if (HAVE_MULTIQC) {
      const html = read(join(results, 'multiqc/multiqc_report.html'));
      expect(html).toContain('oligotrack: plasma draws');
      expect(html).toContain('oligotrack: tumour fraction');
      for (const d of demo.draws) expect(html).toContain(d.sample);
    }
    // log: and benchmark: per rule and per sample.
    expect(readdirSync(join(work, 'logs/count')).sort()).toEqual(demo.draws.map((d) => `${d.sample}.log`).sort());
    expect(readdirSync(join(work, 'benchmarks/count'))).toHaveLength(demo.draws.length);
    for (const f of ['track.tsv', 'classify.tsv', 'report.tsv']) expect(read(join(work, 'benchmarks', f))).toMatch(/^s\th:m:s/);
    // track read the count jobs' JSONs: no BAM was counted twice.
    expect(read(join(work, 'logs/track.log'))).toContain(
      `counts: 0 counted, 0 from cache, 0 from store, ${demo.draws.length} from counts dir`,
    );
  });

  it('put every draw into the cohort store once; a second run adds nothing', () => {
    const list = spawnSync(process.execPath, [CLI, 'store', 'list', '--store', store], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    const rows = list.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    expect(rows.map((r) => r[0])).toEqual(demo.draws.map((d) => d.sample).sort());
    expect(rows.every((r) => r[1] === '1' && r[2] === '1')).toBe(true);
    // The stored documents are the count jobs' outputs, byte for byte.
    const exported = join(dir, 'exported');
    expect(spawnSync(process.execPath, [CLI, 'store', 'export', '--store', store, '--format', 'json', '--out-dir', exported]).status).toBe(
      0,
    );
    for (const d of demo.draws) {
      expect(read(join(exported, `${d.sample}.count.json`))).toBe(read(join(work, 'results/counts', `${d.sample}.count.json`)));
    }
    expect(read(join(work, 'results/store/ingested.tsv'))).toBe(
      ['sample\tversion\tstatus', ...demo.draws.map((d) => `${d.sample}\t1\tadded`).sort()].join('\n') + '\n',
    );
    // The store's TSV export of a real draw is what `count --format tsv` writes for that BAM.
    const d0 = demo.draws[0];
    const tsv = spawnSync(
      process.execPath,
      [CLI, 'count', '--bam', d0.bam, '--sites', demo.sites, '--sample', d0.sample, '--format', 'tsv'],
      { encoding: 'utf8' },
    );
    expect(tsv.status, tsv.stderr).toBe(0);
    const fromStore = spawnSync(process.execPath, [CLI, 'store', 'export', '--store', store, '--sample', d0.sample], { encoding: 'utf8' });
    expect(fromStore.stdout).toBe(tsv.stdout);
    // Ingesting the same count JSONs again (a re-run of the pipeline) adds nothing.
    const files = demo.draws.map((d) => join(work, 'results/counts', `${d.sample}.count.json`));
    const again = spawnSync(process.execPath, [CLI, 'store', 'ingest', '--store', store, ...files], { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(
      again.stdout
        .trim()
        .split('\n')
        .slice(1)
        .every((l) => l.endsWith('\t1\tunchanged')),
    ).toBe(true);
  });

  it("passes between_draw_prior to classify (a lab's measured CV), as `oligotrack classify --between-draw-prior` reads it", () => {
    // Runs last: it rewrites results/classification with the demo's CV (the shipped config's 0.1).
    const auto = read(join(work, 'results/classification/classification.tsv'));
    const r = spawnSync(
      'snakemake',
      [
        '--snakefile',
        SNAKEFILE,
        '--cores',
        '1',
        '--config',
        'between_draw_prior=0.1',
        '-R',
        'classify',
        '--',
        'results/classification/classification.tsv',
      ],
      { cwd: work, encoding: 'utf8', env: { ...process.env, ...UTF8 } },
    );
    expect(r.status, `${r.stderr.slice(-2000)}\n${jobLogs(join(work, 'logs'))}`).toBe(0);
    const out = join(dir, 'classify-cv');
    const direct = spawnSync(
      process.execPath,
      [
        CLI,
        'classify',
        '--timeline',
        demo.direct,
        '--clinical',
        demo.clinical,
        '--imaging',
        demo.imaging,
        '--between-draw-prior',
        '0.1',
      ].concat(['--out', out + '.tsv']),
      { encoding: 'utf8' },
    );
    expect(direct.status, direct.stderr).toBe(0);
    const withCv = read(join(work, 'results/classification/classification.tsv'));
    expect(withCv).toBe(read(out + '.tsv'));
    // The CV changes the demo's reading (DEMO-01's second assessment), so the option did arrive.
    expect(withCv).not.toBe(auto);
  });
});

describe.skipIf(!HAVE_CWLTOOL)('CWL workflow', () => {
  let shim: string;

  beforeAll(() => {
    // The tools call `oligotrack` on PATH: a shim runs the built checkout.
    shim = join(dir, 'shim');
    mkdirSync(shim);
    writeFileSync(join(shim, 'oligotrack'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(shim, 'oligotrack'), 0o755);
  });

  it('cwltool --validate passes on every tool and the workflow', async () => {
    // Six cwltool processes at once: each spends seconds starting Python, not validating.
    const files = ['count.cwl', 'track.cwl', 'classify.cwl', 'report.cwl', 'multiqc.cwl', 'workflow.cwl'];
    const results = await Promise.all(files.map((f) => runAsync('cwltool', ['--validate', join(CWL_DIR, f)])));
    results.forEach((r, i) => {
      expect(r.output, files[i]).toContain(`${files[i]} is valid CWL`);
      expect(r.output, files[i]).not.toMatch(/previously defined|WARNING/);
      expect(r.code, files[i]).toBe(0);
    });
  });

  it('runs the workflow with --no-container and matches the direct `oligotrack run` output', () => {
    const job = {
      $namespaces: { edam: 'http://edamontology.org/' },
      draws: demo.draws.map((d) => ({
        patient: d.patient,
        sample: d.sample,
        collection_date: d.collection_date,
        timepoint: d.timepoint || null,
        bam: { class: 'File', path: d.bam, format: 'edam:format_2572' },
        vcf: d.vcf ? { class: 'File', path: d.vcf } : null,
      })),
      run_multiqc: HAVE_MULTIQC,
      site_files: [{ class: 'File', path: demo.sites }],
      clinical: { class: 'File', path: demo.clinical, format: 'edam:format_3752' },
      imaging: { class: 'File', path: demo.imaging, format: 'edam:format_3752' },
    };
    const jobFile = join(dir, 'job.json');
    writeFileSync(jobFile, JSON.stringify(job, null, 2));
    const out = join(dir, 'cwl-out');
    const r = spawnSync(
      'cwltool',
      ['--no-container', '--parallel', '--outdir', out, '--tmpdir-prefix', join(dir, 'cwltmp/'), join(CWL_DIR, 'workflow.cwl'), jobFile],
      { encoding: 'utf8', env: { ...process.env, ...UTF8, PATH: `${shim}:${process.env.PATH}` } },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    // track read the count step's JSONs: no BAM was counted twice.
    expect(r.stderr).toContain(`counts: 0 counted, 0 from cache, 0 from store, ${demo.draws.length} from counts dir`);
    const outputs = JSON.parse(r.stdout) as Record<string, { path: string; format?: string } | { path: string }[]>;
    const cls = outputs.classification as { path: string; format: string };
    expect(cls.format).toBe('http://edamontology.org/format_3475');
    expect(read(cls.path)).toBe(read(join(demo.direct, 'classification.tsv')));
    expect(read((outputs.timeline as { path: string }).path)).toBe(read(join(demo.direct, 'timeline.tsv')));
    const mqc = (outputs.multiqc as { path: string }).path;
    expect(mqcFiles(mqc)).toEqual(mqcFiles(join(demo.direct, 'multiqc')));
    for (const f of mqcFiles(mqc)) expect(read(join(mqc, f)), f).toBe(read(join(demo.direct, 'multiqc', f)));
    if (HAVE_MULTIQC) expect(read((outputs.multiqc_report as { path: string }).path)).toContain('oligotrack: plasma draws');
    else expect(outputs.multiqc_report).toBeNull();
    const counts = outputs.counts as { path: string }[];
    expect(counts.map((c) => JSON.parse(read(c.path)).sample)).toEqual(demo.draws.map((d) => d.sample));
    const report = (outputs.report_dir as { path: string }).path;
    const pages = htmlFiles(report);
    expect(pages).toEqual(EXPECTED_PAGES);
    for (const page of pages) {
      const cwlPage = bamPathsAsBasenames(read(join(report, page)));
      const directPage = bamPathsAsBasenames(read(join(demo.direct, 'report', page)));
      // The normalisation has something to do: patient pages print the draws' BAM paths.
      const draw = demo.draws.find((d) => page === `${d.patient}.html`);
      if (draw) expect(read(join(demo.direct, 'report', page))).toContain(`<code>${draw.bam}</code>`);
      expect(cwlPage, page).toBe(directPage);
    }
  });
});
