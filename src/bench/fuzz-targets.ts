import { gunzipSync, gzipSync } from 'node:zlib';
import { bgzfCompress } from '../io/bgzf-writer.js';
import { encodeBam, encodeBamWithIndex } from '../io/bam-writer.js';
import type { SamRecord } from '../io/sam-record.js';
import { Rng } from '../simulate/rng.js';

/**
 * The inputs the robustness fuzzer mutates, built here from code (deterministic, nothing
 * committed): small BAI and CSI indexes with the BAM they index, BAM headers, VCFs (plain and
 * bgzipped), panel TSVs, samplesheet, clinical and imaging CSVs. Each target names the reader the
 * worker calls (fuzz-worker.ts) and the layers a mutation may hit: a compressed file is mutated
 * both in its inflated stream (then compressed again, so the damage reaches the parser) and in
 * its compressed bytes.
 */

export type TargetName = 'bai' | 'csi' | 'bam-header' | 'vcf' | 'vcf-gz' | 'panel-tsv' | 'samplesheet' | 'clinical' | 'imaging';

export interface Layer {
  name: string;
  unwrap(bytes: Uint8Array): Uint8Array;
  wrap(bytes: Uint8Array): Uint8Array;
}

export interface FuzzTarget {
  name: TargetName;
  kind: 'binary' | 'text';
  /** File name the mutant is written under (extension as users name such files). */
  fileName: string;
  seeds: Uint8Array[];
  layers: Layer[];
}

const AS_IS: Layer = { name: 'as-is', unwrap: (b) => b, wrap: (b) => b };
const BGZF_INNER: Layer = { name: 'inflated', unwrap: (b) => gunzipSync(b), wrap: (b) => bgzfCompress(b, 1) };
const GZIP_INNER: Layer = { name: 'inflated', unwrap: (b) => gunzipSync(b), wrap: (b) => gzipSync(b, { level: 1 }) };
const COMPRESSED: Layer = { name: 'compressed', unwrap: (b) => b, wrap: (b) => b };

/** The references of the fuzzed BAM: two short contigs (and, for one header seed, many). */
export const FUZZ_REFS = [
  { name: 'chr1', length: 200_000 },
  { name: 'chr2', length: 150_000 },
];

/** Reads spread over both contigs, several BGZF blocks' worth, so the index has real bins and chunks. */
export function fuzzReads(n: number, seed = 7): SamRecord[] {
  const rng = new Rng(seed);
  const out: SamRecord[] = [];
  for (let i = 0; i < n; i++) {
    const ref = FUZZ_REFS[i % 2];
    let seq = '';
    for (let j = 0; j < 60; j++) seq += 'ACGT'[rng.int(4)];
    out.push({
      qname: `r${i}`,
      flag: i % 3 === 0 ? 16 : 0,
      rname: ref.name,
      pos1: 1 + rng.int(ref.length - 200),
      mapq: 60,
      cigar: '60M',
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq,
      qual: 'I'.repeat(60),
    });
  }
  return out;
}

/** The BAM the fuzzed indexes belong to (written beside them by the runner). */
export function fuzzBam(): { bam: Buffer; bai: Buffer; csi: Buffer } {
  const reads = fuzzReads(3000);
  const header = { refs: FUZZ_REFS, text: '@RG\tID:a\tSM:FUZZ1' };
  const bai = encodeBamWithIndex(header, reads, { index: 'bai', level: 1 });
  const csi = encodeBamWithIndex(header, reads, { index: 'csi', level: 1 });
  return { bam: bai.bam, bai: bai.index, csi: csi.index };
}

function headerSeeds(): Uint8Array[] {
  const few = fuzzReads(3);
  const many = Array.from({ length: 300 }, (_, i) => ({ name: i === 0 ? 'chr1' : `contig_${i}`, length: 1000 + i }));
  return [
    encodeBam({ refs: FUZZ_REFS, text: '@RG\tID:a\tSM:FUZZ1\n@PG\tID:oligotrack\tPN:fuzz' }, few, { level: 1 }),
    encodeBam(
      { refs: many, text: '' },
      few.filter((r) => r.rname === 'chr1'),
      { level: 1 },
    ),
    encodeBam({ refs: [{ name: '1', length: 248_956_422 }], text: '@CO\tno reads' }, [], { level: 1 }),
  ];
}

const VCF = [
  '##fileformat=VCFv4.2',
  '##reference=GRCh38',
  '##contig=<ID=chr1,length=248956422>',
  '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene">',
  '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
  'chr1\t1000\trs1\tA\tC\t.\tPASS\tGENE=ESR1',
  'chr1\t2000\t.\tACG\tATG\t.\tPASS\t.',
  'chr1\t3000\t.\tC\tCT,G\t.\t.\t.',
  'chr1\t4000\t.\tGTT\tG\t.\t.\tGENE=PIK3CA',
  '',
].join('\n');

const VCF_MINIMAL = ['##fileformat=VCFv4.3', '#CHROM\tPOS\tID\tREF\tALT', 'chr6\t152061190\t.\tA\tG', ''].join('\n');

const PANEL_TSV = [
  '#chrom\tpos\tref\talt\tgene\tprotein\tid\tbuild',
  'chr1\t1000\tA\tC\tESR1\tp.D538G\tx1\tGRCh38',
  'chr1\t2000\tG\tGA\tPIK3CA\tp.H1047R\tx2\tGRCh38',
  '# a comment',
  'chr1\t3000\tTC\tT\tAKT1\tp.E17K\tx3\tGRCh38',
  '',
].join('\n');

const SAMPLESHEET = [
  'patient,sample,collection_date,bam,timepoint,therapy',
  'PT01,PT01-D1,2025-01-10,bams/PT01-D1.bam,baseline,letrozole',
  'PT01,PT01-D2,2025-03-10,bams/PT01-D2.bam,"M2, on therapy",letrozole',
  'PT02,PT02-D1,2025-02-01,/data/PT02-D1.bam,baseline,',
  '',
].join('\n');

const CLINICAL = [
  'patient,subtype,therapy,therapy_class,therapy_start',
  'PT01,HR+/HER2-,letrozole+palbociclib,endocrine+CDK4/6i,2025-01-06',
  'PT02,TNBC,capecitabine,chemotherapy,2025-02-03',
  '',
].join('\n');

const IMAGING = [
  'patient,assessment_date,progressing_lesions,new_lesions,sites,visceral,cns',
  'PT01,2025-04-01,0,0,,no,no',
  'PT01,2025-07-21,2,1,"bone;liver",yes,no',
  'PT02,2025-05-01,7,3,lung,yes,yes',
  '',
].join('\n');

/** Patients the clinical and imaging readers are told exist. */
export const FUZZ_PATIENTS = ['PT01', 'PT02'];

/** "Today" for the date checks (a fixed day, so results do not depend on when the fuzzer runs): 2025-12-31. */
export const FUZZ_TODAY = Date.UTC(2025, 11, 31) / 86_400_000;

const text = (s: string) => Buffer.from(s, 'utf8');

export function fuzzTargets(): FuzzTarget[] {
  const { bai, csi } = fuzzBam();
  return [
    { name: 'bai', kind: 'binary', fileName: 'fuzz.bam.bai', seeds: [bai], layers: [AS_IS] },
    { name: 'csi', kind: 'binary', fileName: 'fuzz.bam.csi', seeds: [csi], layers: [GZIP_INNER, COMPRESSED] },
    { name: 'bam-header', kind: 'binary', fileName: 'fuzz.bam', seeds: headerSeeds(), layers: [BGZF_INNER, COMPRESSED] },
    { name: 'vcf', kind: 'text', fileName: 'sites.vcf', seeds: [text(VCF), text(VCF_MINIMAL)], layers: [AS_IS] },
    { name: 'vcf-gz', kind: 'text', fileName: 'sites.vcf.gz', seeds: [bgzfCompress(text(VCF), 1)], layers: [BGZF_INNER, COMPRESSED] },
    { name: 'panel-tsv', kind: 'text', fileName: 'panel.tsv', seeds: [text(PANEL_TSV)], layers: [AS_IS] },
    { name: 'samplesheet', kind: 'text', fileName: 'samples.csv', seeds: [text(SAMPLESHEET)], layers: [AS_IS] },
    { name: 'clinical', kind: 'text', fileName: 'clinical.csv', seeds: [text(CLINICAL)], layers: [AS_IS] },
    { name: 'imaging', kind: 'text', fileName: 'imaging.csv', seeds: [text(IMAGING)], layers: [AS_IS] },
  ];
}
