import { readFileSync } from 'node:fs';
import type { Site } from '../count/types.js';
import { fileError } from '../util/errors.js';
import { referencePath } from './paths.js';
import type { Build } from './panel-schema.js';
import { parseTsv } from './tsv.js';

/** reference/identity/identity-snps.tsv: the bundled sample-identity SNPs (sources in sources.md there). */
export const IDENTITY_SNP_FILE = 'identity/identity-snps.tsv';

const COLUMNS = [
  'rsid',
  'gene',
  'chrom',
  'grch37_pos',
  'grch38_pos',
  'ref',
  'alt',
  'alt_af_1kg',
  'gnomad_global_maf_min',
  'gnomad_population_maf_min',
  'origin',
  'grch37_sources',
  'grch38_sources',
  'ref_sources',
  'status',
  'note',
];

export interface IdentitySnp {
  rsid: string;
  /** Gene the SNP lies in (label only, not verified), '' when intergenic. */
  gene: string;
  /** Without a chr prefix (1–22: identity SNPs are autosomal, so a man's X reads as homozygous). */
  chrom: string;
  grch37Pos: number;
  grch38Pos: number;
  ref: string;
  alt: string;
  /**
   * Population ALT-allele frequency when two sources support it (the 1000 Genomes figure, with a
   * gnomAD frequency class that agrees); null when only one or none does.
   */
  altFrequency: number | null;
  /** Minimum minor-allele frequency in every gnomAD population, when known (null: not known). */
  populationMafMin: number | null;
  grch37Sources: string[];
  grch38Sources: string[];
  refSources: string[];
  /** Position in both builds and the reference base confirmed by two independent sources (decision 0240). */
  verified: boolean;
}

export interface IdentitySnpOptions {
  /** Also return rows whose coordinates or reference base rest on one source (default: verified only). */
  includeUnverified?: boolean;
}

const AUTOSOME = /^([1-9]|1\d|2[0-2])$/;

function optionalFraction(file: string, line: number, column: string, text: string): number | null {
  if (text === '') return null;
  const x = Number(text);
  if (!(Number.isFinite(x) && x > 0 && x < 1))
    throw fileError(file, `${column} ${JSON.stringify(text)} is not a frequency between 0 and 1`, line);
  return x;
}

const sourceList = (text: string): string[] =>
  text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function loadIdentitySnps(file = referencePath(IDENTITY_SNP_FILE), options: IdentitySnpOptions = {}): IdentitySnp[] {
  const records = parseTsv(readFileSync(file, 'utf8'), file, COLUMNS);
  const all = records.map((rec): IdentitySnp => {
    const v = rec.values;
    const g37 = Number(v.grch37_pos);
    const g38 = Number(v.grch38_pos);
    if (!/^rs\d+$/.test(v.rsid)) throw fileError(file, `rsid ${JSON.stringify(v.rsid)} is not an rs number`, rec.line);
    if (!AUTOSOME.test(v.chrom))
      throw fileError(file, `chrom ${JSON.stringify(v.chrom)} is not an autosome (1–22, no chr prefix)`, rec.line);
    if (!(Number.isInteger(g37) && g37 > 0 && Number.isInteger(g38) && g38 > 0))
      throw fileError(file, 'positions must be positive integers', rec.line);
    if (!/^[ACGT]$/.test(v.ref) || !/^[ACGT]$/.test(v.alt) || v.ref === v.alt)
      throw fileError(file, 'ref and alt must be two different bases', rec.line);
    if (v.status !== 'verified' && v.status !== 'unverified')
      throw fileError(file, `status ${JSON.stringify(v.status)} is neither verified nor unverified`, rec.line);
    const af1kg = optionalFraction(file, rec.line, 'alt_af_1kg', v.alt_af_1kg);
    const gnomadGlobal = optionalFraction(file, rec.line, 'gnomad_global_maf_min', v.gnomad_global_maf_min);
    const gnomadPopulations = optionalFraction(file, rec.line, 'gnomad_population_maf_min', v.gnomad_population_maf_min);
    return {
      rsid: v.rsid,
      gene: v.gene,
      chrom: v.chrom,
      grch37Pos: g37,
      grch38Pos: g38,
      ref: v.ref,
      alt: v.alt,
      // Two sources: the 1000 Genomes number and a gnomAD class for the same SNP.
      altFrequency: af1kg !== null && gnomadGlobal !== null ? af1kg : null,
      populationMafMin: gnomadPopulations,
      grch37Sources: sourceList(v.grch37_sources),
      grch38Sources: sourceList(v.grch38_sources),
      refSources: sourceList(v.ref_sources),
      verified: v.status === 'verified',
    };
  });
  return options.includeUnverified ? all : all.filter((s) => s.verified);
}

/**
 * The identity SNPs as count sites of one build (`id` = rsID, protein empty, chr-prefixed contigs):
 * verified rows only unless the caller passes its own list.
 */
export function identitySites(build: Build, snps: readonly IdentitySnp[] = loadIdentitySnps()): Site[] {
  return snps.map((s) => ({
    chrom: `chr${s.chrom}`,
    pos1: build === 'GRCh38' ? s.grch38Pos : s.grch37Pos,
    ref: s.ref,
    alt: s.alt,
    gene: s.gene,
    protein: '',
    id: s.rsid,
  }));
}

/**
 * Per-SNP ALT frequency for the concordance model (identity/concordance.ts `altFrequency`), keyed
 * by rsID: the verified population frequency, else `fallback` (the model's policy default).
 */
export function identityAltFrequency(fallback: number, snps: readonly IdentitySnp[] = loadIdentitySnps()): (key: string) => number {
  const byRsid = new Map(snps.map((s) => [s.rsid, s.altFrequency ?? fallback]));
  return (key) => byRsid.get(key) ?? fallback;
}
