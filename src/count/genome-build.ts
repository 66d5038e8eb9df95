import { canonicalContig } from './contigs.js';

export type GenomeBuildName = 'GRCh38' | 'GRCh37';
export type DetectedBuild = GenomeBuildName | 'unknown';

export interface GenomeBuild {
  name: GenomeBuildName;
  /** The NCBI RefSeq assembly the lengths come from. */
  accession: string;
  /** Common aliases that appear in VCF `##reference=` lines and `##contig` `assembly=` keys. */
  aliases: readonly string[];
  /** Primary contigs (1–22, X, Y, MT) in karyotype order, unprefixed names, lengths in bases. */
  contigs: readonly { name: string; length: number }[];
}

/*
 * Primary-assembly contig lengths. Source: NCBI assembly reports for GRCh38.p14
 * (GCF_000001405.40) and GRCh37.p13 (GCF_000001405.25), the same values UCSC hg38/hg19 and the
 * Broad b37 / GATK bundle dictionaries carry (cross-checked against published `##contig` headers
 * of Mutect2 b37 and bcftools hg38 VCFs). Patch releases never change these lengths. The
 * mitochondrion is the rCRS (NC_012920.1, 16569 bp) in both builds; UCSC hg19's chrM is the older
 * Yoruba sequence (16571 bp), so chrM alone never decides the build.
 */
const GRCH38_LENGTHS: readonly [string, number][] = [
  ['1', 248956422],
  ['2', 242193529],
  ['3', 198295559],
  ['4', 190214555],
  ['5', 181538259],
  ['6', 170805979],
  ['7', 159345973],
  ['8', 145138636],
  ['9', 138394717],
  ['10', 133797422],
  ['11', 135086622],
  ['12', 133275309],
  ['13', 114364328],
  ['14', 107043718],
  ['15', 101991189],
  ['16', 90338345],
  ['17', 83257441],
  ['18', 80373285],
  ['19', 58617616],
  ['20', 64444167],
  ['21', 46709983],
  ['22', 50818468],
  ['X', 156040895],
  ['Y', 57227415],
  ['MT', 16569],
];

const GRCH37_LENGTHS: readonly [string, number][] = [
  ['1', 249250621],
  ['2', 243199373],
  ['3', 198022430],
  ['4', 191154276],
  ['5', 180915260],
  ['6', 171115067],
  ['7', 159138663],
  ['8', 146364022],
  ['9', 141213431],
  ['10', 135534747],
  ['11', 135006516],
  ['12', 133851895],
  ['13', 115169878],
  ['14', 107349540],
  ['15', 102531392],
  ['16', 90354753],
  ['17', 81195210],
  ['18', 78077248],
  ['19', 59128983],
  ['20', 63025520],
  ['21', 48129895],
  ['22', 51304566],
  ['X', 155270560],
  ['Y', 59373566],
  ['MT', 16569],
];

export const GENOME_BUILDS: Readonly<Record<GenomeBuildName, GenomeBuild>> = {
  GRCh38: {
    name: 'GRCh38',
    accession: 'GCF_000001405.40',
    aliases: ['grch38', 'hg38', 'b38', 'hs38', 'hs38dh', 'grch38.p14', 'ncbi38', 'homo_sapiens_assembly38'],
    contigs: GRCH38_LENGTHS.map(([name, length]) => ({ name, length })),
  },
  GRCh37: {
    name: 'GRCh37',
    accession: 'GCF_000001405.25',
    aliases: ['grch37', 'hg19', 'b37', 'hs37d5', 'hs37', 'ncbi37', 'grch37.p13', 'human_g1k_v37', 'homo_sapiens_assembly19'],
    contigs: GRCH37_LENGTHS.map(([name, length]) => ({ name, length })),
  },
};

const BUILD_NAMES: readonly GenomeBuildName[] = ['GRCh38', 'GRCh37'];

/**
 * The build whose primary-contig lengths the given contigs match. Contigs are compared by their
 * canonical name (`chr6` = `6`, `chrM` = `MT`); the mitochondrion is ignored (same length in both).
 * Returns 'unknown' when no primary contig matches either build, or when they disagree (a mixed
 * or custom reference: the caller then cannot check builds and says so).
 */
export function detectBuild(contigs: readonly { name: string; length: number }[]): DetectedBuild {
  const votes: Record<GenomeBuildName, number> = { GRCh38: 0, GRCh37: 0 };
  for (const contig of contigs) {
    const canonical = canonicalContig(contig.name);
    if (canonical === 'MT') continue;
    for (const build of BUILD_NAMES) {
      const known = GENOME_BUILDS[build].contigs.find((c) => c.name === canonical);
      if (known && known.length === contig.length) votes[build]++;
    }
  }
  if (votes.GRCh38 > 0 && votes.GRCh37 === 0) return 'GRCh38';
  if (votes.GRCh37 > 0 && votes.GRCh38 === 0) return 'GRCh37';
  return 'unknown';
}

/**
 * The build a free-text name designates (`GRCh37`, `hg19`, `b37`, a FASTA path such as
 * `file:///ref/hs37d5.fa` or `human_g1k_v37.fasta`), or undefined when it names none. Tokens are
 * matched whole, so `GRCh38` inside a path is found but `138` in a length is not.
 */
export function buildFromName(text: string): GenomeBuildName | undefined {
  const tokens = text
    .toLowerCase()
    .split(/[^a-z0-9_.]+/)
    .flatMap((t) => [t, ...t.split('.')]);
  const found = new Set<GenomeBuildName>();
  for (const build of BUILD_NAMES) {
    for (const alias of GENOME_BUILDS[build].aliases) {
      if (tokens.includes(alias) || tokens.some((t) => t.startsWith(`${alias}_`) || t.endsWith(`_${alias}`))) {
        found.add(build);
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Normalise a user-written build (`grch38`, `hg19` ...) to its name, or undefined. */
export function parseBuildName(text: string): GenomeBuildName | undefined {
  const lower = text.trim().toLowerCase();
  for (const build of BUILD_NAMES) {
    if (lower === build.toLowerCase() || GENOME_BUILDS[build].aliases.includes(lower)) return build;
  }
  return undefined;
}
