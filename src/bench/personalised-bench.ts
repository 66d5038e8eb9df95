import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENOME_BUILDS } from '../count/genome-build.js';
import { loadPanelSites } from '../reference/panel.js';
import { mulberry32 } from '../simulate/rng.js';
import { simulateToBam } from '../simulate/simulate.js';
import { DEFAULT_SIMULATION, type SimSite } from '../simulate/spec.js';

/**
 * `npm run bench:personalised`: personalised (tumour-informed) site lists at scale. Simulates
 * (once, cached in bench-data/personalised/) --patients patients (default 20) × --draws draws
 * (default 6), each patient with --sites private SNVs (default 100) in its own tumour-informed VCF,
 * --depth molecules per site (default 300), plus three normals at panel:breast for a panel of
 * normals; then times `oligotrack run` on the cohort without a PoN, and with the panel's PoN (which
 * needs the PoN's per-substitution-class fallback for the private sites it lacks). Prints a table.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const PATIENTS = opt('--patients', 20);
const DRAWS = opt('--draws', 6);
const SITES = opt('--sites', 100);
const DEPTH = opt('--depth', 300);
const i = args.indexOf('--data');
const dataDir = resolve(i >= 0 ? args[i + 1] : join(root, 'bench-data', 'personalised'), `p${PATIENTS}-d${DRAWS}-s${SITES}-x${DEPTH}`);

const refs = GENOME_BUILDS.GRCh38.contigs.filter((c) => c.name !== 'MT').map((c) => ({ name: `chr${c.name}`, length: c.length }));
/** Tumour-fraction course over the draws: response, nadir, then a rise (relative to baseline). */
const COURSE = [1, 0.4, 0.2, 0.15, 0.3, 0.8, 1.2, 1.5];

function privateSites(patient: number): SimSite[] {
  const r = mulberry32(9000 + patient);
  const sites: SimSite[] = [];
  const seen = new Set<string>();
  while (sites.length < SITES) {
    const c = refs[Math.floor(r() * 22)];
    const pos1 = 1_000_000 + Math.floor(r() * (c.length - 2_000_000));
    const key = `${c.name}:${Math.floor(pos1 / 2000)}`;
    if (seen.has(key)) continue; // keep sites ≥ 1 kb apart: one cluster each
    seen.add(key);
    const ref = 'ACGT'[Math.floor(r() * 4)];
    const alt = 'ACGT'.replace(ref, '')[Math.floor(r() * 3)];
    sites.push({ chrom: c.name, pos1, ref, alt, vaf: 0.004 + 0.03 * r() });
  }
  return sites.sort((a, b) => refs.findIndex((x) => x.name === a.chrom) - refs.findIndex((x) => x.name === b.chrom) || a.pos1 - b.pos1);
}

function vcfText(sites: SimSite[]): string {
  const contigs = refs.map((c) => `##contig=<ID=${c.name},length=${c.length}>`).join('\n');
  const rows = sites.map((s, k) => `${s.chrom}\t${s.pos1}\tp${k}\t${s.ref}\t${s.alt}\t.\tPASS\t.`).join('\n');
  return `##fileformat=VCFv4.3\n${contigs}\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n${rows}\n`;
}

function prepare(): { samplesheet: string; clinical: string; imaging: string; pon: string } {
  mkdirSync(join(dataDir, 'bams'), { recursive: true });
  const sheet = ['patient,sample,collection_date,bam,vcf,timepoint'];
  const clinical = ['patient,subtype,therapy,therapy_class,therapy_start'];
  const imaging = ['patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns'];
  let simulated = 0;
  for (let p = 0; p < PATIENTS; p++) {
    const patient = `PP${String(p + 1).padStart(2, '0')}`;
    const sites = privateSites(p);
    const vcf = join(dataDir, `${patient}.vcf`);
    writeFileSync(vcf, vcfText(sites));
    clinical.push(`${patient},HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-01-06`);
    imaging.push(`${patient},2025-0${Math.min(9, DRAWS + 1)}-20,2,1,bone,no,no`);
    for (let d = 0; d < DRAWS; d++) {
      const sample = `${patient}-D${d + 1}`;
      const bam = join(dataDir, 'bams', `${sample}.bam`);
      const f = COURSE[Math.min(d, COURSE.length - 1)];
      if (!existsSync(`${bam}.bai`)) {
        simulateToBam(
          {
            ...DEFAULT_SIMULATION,
            sample,
            seed: 31 * p + d,
            refs,
            sites: sites.map((s) => ({ ...s, vaf: Math.min(0.5, s.vaf * f) })),
            depth: DEPTH,
          },
          bam,
        );
        simulated++;
      }
      const month = String(1 + d).padStart(2, '0');
      sheet.push(`${patient},${sample},2025-${month}-10,bams/${sample}.bam,${patient}.vcf,D${d + 1}`);
    }
  }
  // Three normals at the bundled panel, for a PoN that knows the panel's sites but none of the private ones.
  const panel = loadPanelSites('GRCh38');
  const normals: string[] = [];
  for (let n = 0; n < 3; n++) {
    const bam = join(dataDir, 'bams', `NORMAL${n + 1}.bam`);
    if (!existsSync(`${bam}.bai`))
      simulateToBam(
        {
          ...DEFAULT_SIMULATION,
          sample: `NORMAL${n + 1}`,
          seed: 777 + n,
          refs,
          sites: panel.map((s) => ({ chrom: s.chrom, pos1: s.pos1, ref: s.ref, alt: s.alt, vaf: 0 })),
          depth: DEPTH,
        },
        bam,
      );
    normals.push(bam);
  }
  const pon = join(dataDir, 'pon.tsv');
  if (!existsSync(pon)) {
    const r = spawnSync(
      process.execPath,
      [join(root, 'dist/cli/main.js'), 'pon', '--bam', ...normals, '--sites', 'panel:breast', '--out', pon],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`pon failed: ${r.stderr.trim()}`);
  }
  process.stderr.write(`bench: ${simulated} BAM(s) simulated into ${dataDir}\n`);
  const write = (name: string, lines: string[]) => {
    const path = join(dataDir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  return {
    samplesheet: write('samplesheet.csv', sheet),
    clinical: write('clinical.csv', clinical),
    imaging: write('imaging.csv', imaging),
    pon,
  };
}

function timeRun(label: string, argv: string[]): { label: string; seconds: number; status: number | null; note: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const lastLine = r.stderr.trim().split('\n').pop() ?? '';
  return { label, seconds, status: r.status, note: r.status === 0 ? 'ok' : lastLine.slice(0, 240) };
}

function main(): void {
  const t0 = Date.now();
  const files = prepare();
  const prepSeconds = (Date.now() - t0) / 1000;
  const base = [
    'run',
    '--samplesheet',
    files.samplesheet,
    '--clinical',
    files.clinical,
    '--imaging',
    files.imaging,
    '--sites',
    'panel:breast',
  ];
  const out = (name: string) => join(dataDir, name);
  const rows = [
    timeRun('run, no PoN (counting all draws)', [...base, '--out-dir', out('run-nopon')]),
    timeRun('run, no PoN, again (counts reused from cache)', [...base, '--out-dir', out('run-nopon')]),
    timeRun('run --pon (panel PoN; private sites need the class fallback)', [...base, '--pon', files.pon, '--out-dir', out('run-pon')]),
  ];
  const lines = [
    `${PATIENTS} patients × ${DRAWS} draws × ${SITES} private sites (+ panel:breast), ${DEPTH} molecules per site; data prepared in ${prepSeconds.toFixed(0)} s; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
    '',
    '| what | seconds | exit | outcome |',
    '|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.label} | ${r.seconds.toFixed(1)} | ${r.status} | ${r.note.replace(/\|/g, '\\|')} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
