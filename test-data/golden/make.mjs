#!/usr/bin/env node
// Writes the golden inputs (tiny BAMs with their .csi, sites, samplesheet, clinical and imaging
// CSVs) into a directory, with the project's own BAM writer from dist/. With --expected it then
// runs the CLI on them and writes the expected outputs to DIR/expected/. See README.md here.
//
//   npm run build && node test-data/golden/make.mjs test-data/golden --expected
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { writeBam } = await import(join(ROOT, 'dist/io/bam-writer.js'));
const { GENOME_BUILDS } = await import(join(ROOT, 'dist/count/genome-build.js'));
const { loadPanelSites } = await import(join(ROOT, 'dist/reference/panel.js'));

const [outArg, ...flags] = process.argv.slice(2);
if (!outArg) {
  process.stderr.write('usage: node test-data/golden/make.mjs DIR [--expected]\n');
  process.exit(2);
}
const out = resolve(outArg);

// Three sites of the bundled panel (GRCh38): a clonal TP53 hotspot, a PIK3CA hotspot and the ESR1
// resistance mutation that emerges in patient G1. Coordinates come from the panel, not from here.
const WANTED = [['TP53', 'p.R175H'], ['PIK3CA', 'p.H1047R'], ['ESR1', 'p.D538G']];
const panel = loadPanelSites('GRCh38');
const SITES = WANTED.map(([gene, protein]) => {
  const site = panel.find((s) => s.gene === gene && s.protein === protein);
  if (!site) throw new Error(`the bundled panel has no ${gene} ${protein}`);
  return site;
});
const CONTIGS = [...new Set(SITES.map((s) => s.chrom))];
const lengths = new Map(GENOME_BUILDS.GRCh38.contigs.map((c) => [`chr${c.name}`, c.length]));
const REFS = CONTIGS.map((name) => ({ name, length: lengths.get(name) }));

/**
 * Fragments per draw and site: [ref fragments, alt fragments, alt fragments whose mates overlap
 * across the site]. Chosen so that the three patients land in three groups and the outputs show
 * every kind of row: G1 keeps two clonal sites at a steady level while ESR1 D538G emerges under an
 * aromatase inhibitor (oligoprogression_targetable); G2's PIK3CA falls and imaging is stable
 * (no_progression), with ESR1 below the minimum depth (low_depth); G3's TP53 and PIK3CA rise
 * four-fold with seven progressing lesions (widespread_progression).
 */
const DRAWS = [
  { patient: 'G1', sample: 'G1-D1', date: '2025-01-10', timepoint: 'baseline', counts: { TP53: [380, 20, 0], PIK3CA: [384, 16, 0], ESR1: [400, 0, 0] } },
  { patient: 'G1', sample: 'G1-D2', date: '2025-03-10', timepoint: 'M2', counts: { TP53: [392, 6, 2], PIK3CA: [393, 7, 0], ESR1: [399, 1, 0] } },
  { patient: 'G1', sample: 'G1-D3', date: '2025-05-12', timepoint: 'M4', counts: { TP53: [390, 8, 2], PIK3CA: [391, 9, 0], ESR1: [384, 12, 4] } },
  { patient: 'G2', sample: 'G2-D1', date: '2025-02-03', timepoint: 'baseline', counts: { TP53: [300, 0, 0], PIK3CA: [380, 18, 2], ESR1: [60, 0, 0] } },
  { patient: 'G2', sample: 'G2-D2', date: '2025-04-07', timepoint: 'M2', counts: { TP53: [300, 0, 0], PIK3CA: [396, 4, 0], ESR1: [60, 0, 0] } },
  { patient: 'G3', sample: 'G3-D1', date: '2025-01-20', timepoint: 'baseline', counts: { TP53: [388, 12, 0], PIK3CA: [390, 10, 0], ESR1: [400, 0, 0] } },
  { patient: 'G3', sample: 'G3-D2', date: '2025-04-22', timepoint: 'M3', counts: { TP53: [352, 40, 8], PIK3CA: [360, 36, 4], ESR1: [400, 0, 0] } },
];

const READ_LEN = 50;
const OFFSET = 20; // the site is base 21 of read 1
const FLANK = 'ACGTTGCAAC'.repeat(6);
const OTHER = { A: 'C', C: 'G', G: 'T', T: 'A' };

function readSeq(base, at) {
  return FLANK.slice(0, at) + base + FLANK.slice(0, READ_LEN - at - 1);
}

/** A read pair: read 1 forward over the site; read 2 reverse, over the site too when the fragment is short. */
function pair(qname, site, base, fragLen) {
  const start1 = site.pos1 - OFFSET;
  const mate1 = start1 + fragLen - READ_LEN;
  const at2 = site.pos1 - mate1; // the site's index in read 2 (outside it for long fragments)
  const seq2 = at2 >= 0 && at2 < READ_LEN ? readSeq(base, at2) : FLANK.slice(0, READ_LEN);
  const common = { rname: site.chrom, mapq: 60, cigar: `${READ_LEN}M`, rnext: '=', qual: 'I'.repeat(READ_LEN) };
  return [
    { ...common, qname, flag: 0x1 | 0x2 | 0x20 | 0x40, pos1: start1, pnext1: mate1, tlen: fragLen, seq: readSeq(base, OFFSET) },
    { ...common, qname, flag: 0x1 | 0x2 | 0x10 | 0x80, pos1: mate1, pnext1: start1, tlen: -fragLen, seq: seq2 },
  ];
}

function drawRecords(draw) {
  const records = [];
  for (const site of SITES) {
    const [ref, alt, overlapping] = draw.counts[site.gene];
    let n = 0;
    const name = () => `${draw.sample}:${site.gene}:${n++}`;
    // Ref fragments at 166 bp (mono-nucleosomal), alt at 140 bp (shorter tumour fragments), and
    // overlapping alt pairs at 60 bp; one base in 50 of the ref reads is neither ref nor alt.
    for (let i = 0; i < ref; i++) records.push(...pair(name(), site, i % 50 === 49 ? OTHER[site.ref] : site.ref, 166));
    for (let i = 0; i < alt; i++) records.push(...pair(name(), site, site.alt, 140));
    for (let i = 0; i < overlapping; i++) records.push(...pair(name(), site, site.alt, 60));
  }
  return records;
}

mkdirSync(join(out, 'bams'), { recursive: true });
for (const draw of DRAWS) {
  // CSI, not BAI: a BAI's linear index over chromosome-length contigs is ~55 KB per contig.
  const header = { refs: REFS, text: `@HD\tVN:1.6\tSO:coordinate\n@RG\tID:${draw.sample}\tSM:${draw.sample}\n` };
  writeBam(join(out, 'bams', `${draw.sample}.bam`), header, drawRecords(draw), { index: 'csi' });
}
const lines = (rows) => `${rows.map((r) => r.join('\t')).join('\n')}\n`;
writeFileSync(join(out, 'sites.tsv'), lines([['chrom', 'pos', 'ref', 'alt', 'gene', 'protein', 'id'], ...SITES.map((s) => [s.chrom, s.pos1, s.ref, s.alt, s.gene, s.protein, s.id])]));
const csv = (rows) => `${rows.map((r) => r.join(',')).join('\n')}\n`;
writeFileSync(
  join(out, 'samplesheet.csv'),
  csv([['patient', 'sample', 'collection_date', 'bam', 'timepoint'], ...DRAWS.map((d) => [d.patient, d.sample, d.date, `bams/${d.sample}.bam`, d.timepoint])]),
);
writeFileSync(
  join(out, 'clinical.csv'),
  csv([
    ['patient', 'subtype', 'therapy', 'therapy_class', 'therapy_start'],
    ['G1', 'HR+/HER2-', 'letrozole+palbociclib', 'endocrine+CDK4/6i', '2024-12-02'],
    ['G2', 'HR+/HER2-', 'anastrozole+ribociclib', 'endocrine+CDK4/6i', '2025-01-13'],
    ['G3', 'HR+/HER2-', 'letrozole+abemaciclib', 'endocrine+CDK4/6i', '2024-09-02'],
  ]),
);
writeFileSync(
  join(out, 'imaging.csv'),
  csv([
    ['patient', 'assessment_date', 'progressing_lesions', 'new_lesions', 'sites', 'visceral', 'cns'],
    ['G1', '2025-05-20', '2', '1', 'bone', 'no', 'no'],
    ['G2', '2025-04-14', '0', '0', '', 'no', 'no'],
    ['G3', '2025-04-28', '7', '4', 'bone;liver;lung', 'yes', 'no'],
  ]),
);

if (flags.includes('--expected')) {
  // The commands of commands.json (the golden test runs the same list), from DIR with relative
  // paths: the outputs record paths as given, so they do not depend on where DIR is.
  const commands = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'commands.json'), 'utf8'));
  const expected = join(out, 'expected');
  rmSync(expected, { recursive: true, force: true });
  mkdirSync(expected);
  for (const { args, stdout } of commands) {
    const text = execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { cwd: out, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OLIGOTRACK_QUIET: '1' } });
    if (stdout) writeFileSync(join(out, stdout), text);
  }
  process.stderr.write(`expected outputs: ${readdirSync(expected).join(', ')}\n`);
}
