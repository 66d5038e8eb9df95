/** What to simulate: sites with their true VAFs, the library and sequencing model, the genome. */

export interface SimSite {
  chrom: string;
  /** 1-based position of the first REF base (VCF POS). */
  pos1: number;
  ref: string;
  alt: string;
  /** Fraction of the site's molecules that carry ALT (0..1). */
  vaf: number;
}

export interface UmiModel {
  /** Bases per UMI (per half for duplex UMIs). */
  length: number;
  /** Duplex-style 'AAAA-CCCC' UMIs: the two strands of one molecule carry the halves swapped. */
  duplex: boolean;
  /**
   * Where reads carry the UMI: the RX:Z tag, the read name's last ':'-separated field
   * (bcl2fastq/Illumina style, `NAME:UMI`), or both. Default 'tag'.
   */
  where?: 'tag' | 'name' | 'both';
}

export interface StrandArtefact {
  /** Reference base turned into `to` (in read-1 orientation), e.g. G>T as oxidative damage (8-oxoG). */
  from: string;
  to: string;
  /** Per-base probability on read 1 of forward-strand pairs only. */
  rate: number;
}

export interface SimulationSpec {
  sample: string;
  seed: number;
  sites: SimSite[];
  /** BAM header references (every site's contig must be among them). */
  refs: { name: string; length: number }[];
  /** Distinct molecules (fragments) generated per site. */
  depth: number;
  readLength: number;
  /** Mode of the length of normal cfDNA fragments (mono-nucleosome, ~167 bp). */
  fragMode: number;
  /** Mode of the length of ALT-carrying (tumour) fragments (~145 bp: ctDNA is shorter). */
  tumourFragMode: number;
  /** Standard deviation of each length peak. */
  fragSd: number;
  /** Fraction of normal fragments from the di-nucleosome peak (2 × fragMode). */
  diNucleosomeFraction: number;
  umi: UmiModel | null;
  /** Mean reads pairs per molecule: 1 + Poisson(mean − 1). 1 = every molecule read once. */
  familySizeMean: number;
  /** Per-base, per-read substitution probability (independent in every read). */
  seqError: number;
  /** Per-base, per-molecule probability of a polymerase error during PCR (shared within a family). */
  pcrError: number;
  /** PCR cycles over which an error's cycle c is drawn uniformly; the error reaches each read of the family with probability 2^-c. */
  pcrCycles: number;
  strandArtefact: StrandArtefact | null;
  /** Flag all but the first read pair of each family as duplicates (0x400). */
  markDuplicates: boolean;
  /** Fraction of fragments whose two reads get MAPQ 0–19 instead of 60. */
  lowMapqFraction: number;
  /** Fraction of reads with 5–29 adapter bases soft-clipped at their 3' end. */
  softClipFraction: number;
  /** Phred quality of every base when `qualityModel` is 'constant'. */
  baseQuality: number;
  /**
   * 'constant': every base gets `baseQuality`. 'binned': NovaSeq-like binned qualities (85% Q37,
   * 8% Q23, 5% Q12, 2% Q2). 'full': HiSeq-like Q2–Q38, declining along the read. Qualities are
   * cosmetic (errors stay at `seqError`), but they make the BAM compress like a real one and
   * exercise base-quality filters.
   */
  qualityModel: 'constant' | 'binned' | 'full';
}

export const DEFAULT_SIMULATION: Omit<SimulationSpec, 'sample' | 'seed' | 'sites' | 'refs'> = {
  depth: 3000,
  readLength: 150,
  fragMode: 167,
  tumourFragMode: 145,
  fragSd: 12,
  diNucleosomeFraction: 0.05,
  umi: null,
  familySizeMean: 1,
  seqError: 1e-3,
  pcrError: 1e-4,
  pcrCycles: 10,
  strandArtefact: null,
  markDuplicates: false,
  lowMapqFraction: 0,
  softClipFraction: 0,
  baseQuality: 37,
  qualityModel: 'constant',
};

/** One row of the truth file: what was put into the BAM at a site. */
export interface TruthRow {
  sample: string;
  chrom: string;
  pos1: number;
  ref: string;
  alt: string;
  trueVaf: number;
  /** Molecules with a read covering the whole REF span of the site (its own and neighbours'). */
  fragmentsTotal: number;
  /** Of those, molecules generated with the ALT allele. */
  fragmentsAlt: number;
}

export const TRUTH_COLUMNS = ['sample', 'chrom', 'pos', 'ref', 'alt', 'true_vaf', 'fragments_total', 'fragments_alt'] as const;

export function formatTruthTsv(rows: TruthRow[]): string {
  let out = `${TRUTH_COLUMNS.join('\t')}\n`;
  for (const r of rows) {
    out += `${r.sample}\t${r.chrom}\t${r.pos1}\t${r.ref}\t${r.alt}\t${r.trueVaf}\t${r.fragmentsTotal}\t${r.fragmentsAlt}\n`;
  }
  return out;
}
