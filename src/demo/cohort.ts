import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENOME_BUILDS } from '../count/genome-build.js';
import type { Site } from '../count/types.js';
import { loadPanelSites } from '../reference/panel.js';
import { DEFAULT_SIMULATION, type SimulationSpec } from '../simulate/spec.js';
import { hashString32, mix32 } from '../simulate/rng.js';
import { UserError, fileError } from '../util/errors.js';

/**
 * The bundled demo cohort (test-data/demo/): 7 patients, 25 draws, one per group of the review
 * and both routes to widespread progression. The CSVs are committed; the BAMs are simulated on
 * first use from truth-vafs.tsv with a fixed seed per sample, so every machine gets the same bytes.
 */

/** Molecules per site: 2,500 resolves 0.3 % VAF (≈7.5 alt molecules) and keeps the demo under a minute. */
export const DEMO_DEPTH = 2500;
/** Fixed base seed (the date the demo was designed); per-sample seeds mix in the sample ID. */
export const DEMO_SEED = 20261127;

export function demoDataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '..', '..', 'test-data', 'demo');
  if (!existsSync(dir)) throw new UserError(`demo data not found at ${dir} (is the package installed completely?)`);
  return dir;
}

/** Demo sites: the (gene, protein) rows of sites.txt, with coordinates from the bundled GRCh38 panel. */
export function loadDemoSites(dir = demoDataDir()): Site[] {
  const file = join(dir, 'sites.txt');
  const wanted = readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => ({ line: i + 1, text: l.trim() }))
    .filter((l) => l.text && !l.text.startsWith('#'));
  const panel = loadPanelSites('GRCh38');
  return wanted.map(({ line, text }) => {
    const [gene, protein] = text.split(/\s+/);
    const site = panel.find((s) => s.gene === gene && s.protein === protein);
    if (!site) throw fileError(file, `${gene} ${protein} is not a verified GRCh38 row of the bundled panel`, line);
    return site;
  });
}

/** truth-vafs.tsv → sample → "GENE p.X" → VAF (absent = 0). */
export function loadTruthVafs(dir = demoDataDir()): Map<string, Map<string, number>> {
  const file = join(dir, 'truth-vafs.tsv');
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const out = new Map<string, Map<string, number>>();
  lines.slice(1).forEach((l, i) => {
    const [sample, gene, protein, vaf] = l.split('\t');
    const v = Number(vaf);
    if (!(v >= 0 && v <= 1)) throw fileError(file, `true_vaf must be a fraction in [0, 1], got '${vaf}'`, i + 2);
    if (!out.has(sample)) out.set(sample, new Map());
    out.get(sample)!.set(`${gene} ${protein}`, v);
  });
  return out;
}

/**
 * The tissue variants of each demo patient (tissue.tsv: the truncal mutations a biopsy at diagnosis
 * sequenced against the patient's blood found), as sites of the demo panel: patient → sites.
 */
export function loadDemoTissue(sites: Site[], dir = demoDataDir()): Map<string, Site[]> {
  const file = join(dir, 'tissue.tsv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = new Map<string, Site[]>();
  lines.forEach((l, i) => {
    if (i === 0 || l.trim() === '') return;
    const [patient, gene, protein] = l.split('\t');
    const site = sites.find((s) => s.gene === gene && s.protein === protein);
    if (!site) throw fileError(file, `${gene} ${protein} is not a demo site (sites.txt)`, i + 1);
    out.set(patient, [...(out.get(patient) ?? []), site]);
  });
  return out;
}

/**
 * A tumour–normal VCF of the tissue variants (`##normal_sample=`, INFO/SOMATIC), in GRCh38
 * karyotype order, with the contigs the variants lie on.
 */
export function tissueVcf(patient: string, sites: readonly Site[]): string {
  const order = (chrom: string) => GENOME_BUILDS.GRCh38.contigs.findIndex((c) => c.name === chrom.replace(/^chr/, '').replace(/^M$/, 'MT'));
  const sorted = [...sites].sort((a, b) => order(a.chrom) - order(b.chrom) || a.pos1 - b.pos1);
  const contigs = [...new Set(sorted.map((s) => s.chrom))].map(
    (c) => `##contig=<ID=${c},length=${GENOME_BUILDS.GRCh38.contigs[order(c)].length},assembly=GRCh38>`,
  );
  return [
    '##fileformat=VCFv4.2',
    '##reference=GRCh38',
    ...contigs,
    '##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description="Somatic in the tissue against the matched normal">',
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene symbol">',
    '##INFO=<ID=PROTEIN,Number=1,Type=String,Description="Protein change">',
    `##tumor_sample=${patient}-T`,
    `##normal_sample=${patient}-N`,
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
    ...sorted.map((s) =>
      [s.chrom, s.pos1, s.id || '.', s.ref, s.alt, '.', 'PASS', `SOMATIC;GENE=${s.gene};PROTEIN=${s.protein}`].join('\t'),
    ),
    '',
  ].join('\n');
}

/** Samples of the demo samplesheet, in file order (sample ID and BAM path relative to the sheet). */
export function demoSamples(dir = demoDataDir()): { patient: string; sample: string; bam: string }[] {
  const lines = readFileSync(join(dir, 'samplesheet.csv'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const pi = header.indexOf('patient');
  const si = header.indexOf('sample');
  const bi = header.indexOf('bam');
  return lines.slice(1).map((l) => {
    const f = l.split(',');
    return { patient: f[pi], sample: f[si], bam: f[bi] };
  });
}

/** The simulation spec of one demo sample (pure). */
export function demoSpec(sample: string, sites: Site[], truth: Map<string, Map<string, number>>): SimulationSpec {
  const vafs = truth.get(sample) ?? new Map<string, number>();
  const chr = sites.some((s) => s.chrom.startsWith('chr')) ? 'chr' : '';
  const refs = GENOME_BUILDS.GRCh38.contigs.map((c) => ({ name: `${chr}${c.name === 'MT' && chr ? 'M' : c.name}`, length: c.length }));
  return {
    ...DEFAULT_SIMULATION,
    depth: DEMO_DEPTH,
    sample,
    seed: mix32(DEMO_SEED, hashString32(sample)),
    refs,
    sites: sites.map((s) => ({ chrom: s.chrom, pos1: s.pos1, ref: s.ref, alt: s.alt, vaf: vafs.get(`${s.gene} ${s.protein}`) ?? 0 })),
  };
}
