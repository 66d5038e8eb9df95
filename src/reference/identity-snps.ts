import { readFileSync } from 'node:fs';
import type { Site } from '../count/types.js';
import { fileError } from '../util/errors.js';
import { referencePath } from './paths.js';
import type { Build } from './panel-schema.js';
import { parseTsv } from './tsv.js';

/** reference/identity/identity-snps.tsv: the bundled sample-identity SNPs (sources in sources.md there). */
export const IDENTITY_SNP_FILE = 'identity/identity-snps.tsv';

const COLUMNS = ['rsid', 'gene', 'chrom', 'grch37_pos', 'grch38_pos', 'ref', 'alt', 'alleles_from', 'grch37_sources', 'grch38_sources', 'verified_twice', 'note'];

export interface IdentitySnp {
  rsid: string;
  gene: string;
  /** Without a chr prefix (1–22). */
  chrom: string;
  grch37Pos: number;
  grch38Pos: number;
  ref: string;
  alt: string;
  verifiedTwice: boolean;
}

export function loadIdentitySnps(file = referencePath(IDENTITY_SNP_FILE)): IdentitySnp[] {
  const records = parseTsv(readFileSync(file, 'utf8'), file, COLUMNS);
  return records.map((rec) => {
    const v = rec.values;
    const g37 = Number(v.grch37_pos);
    const g38 = Number(v.grch38_pos);
    if (!/^rs\d+$/.test(v.rsid)) throw fileError(file, `rsid ${JSON.stringify(v.rsid)} is not an rs number`, rec.line);
    if (!(Number.isInteger(g37) && g37 > 0 && Number.isInteger(g38) && g38 > 0)) throw fileError(file, 'positions must be positive integers', rec.line);
    if (!/^[ACGT]$/.test(v.ref) || !/^[ACGT]$/.test(v.alt) || v.ref === v.alt) throw fileError(file, 'ref and alt must be two different bases', rec.line);
    return { rsid: v.rsid, gene: v.gene, chrom: v.chrom, grch37Pos: g37, grch38Pos: g38, ref: v.ref, alt: v.alt, verifiedTwice: v.verified_twice === 'yes' };
  });
}

/** The identity SNPs as count sites of one build (`id` = rsID, protein empty, chr-prefixed contigs). */
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
