/**
 * Sample identity across a patient's serial draws (and the white-cell BAM): genotypes at common
 * germline SNPs, compared draw against draw. Pure data types; no I/O.
 */

/** One identity SNP's counts in one sample (fragments, after the count stage's filters). */
export interface SnpCounts {
  /** `chrom:pos:ref>alt` or the rsID: the same key in every sample of a patient. */
  key: string;
  refCount: number;
  altCount: number;
}

/** One sample to check: a plasma draw or the white-cell (normal) BAM. */
export interface IdentitySample {
  sample: string;
  /** Plasma draw or the patient's white cells (germline: no tumour DNA). */
  kind: 'draw' | 'normal';
  /**
   * Tumour fraction of a plasma draw when known (0..1): tumour copy-number changes move a germline
   * heterozygote's allele fraction by up to tf/2. Unknown → the model's default allowance.
   */
  tumourFraction?: number | null;
  snps: SnpCounts[];
}

export interface IdentitySettings {
  /** Per-fragment probability of reading the other allele at a homozygous SNP (errors, contamination). */
  errorRate: number;
  /** Alt-allele population frequency used for SNPs without one of their own. */
  defaultAltFrequency: number;
  /** Tumour fraction assumed for a draw whose own is unknown; null spans 0–0.8. */
  defaultTumourFraction: number | null;
  /** A pair is discordant when log LR(same person : different people) ≤ −this (natural log). */
  discordantLogLr: number;
  /** A pair is concordant when log LR ≥ this. */
  concordantLogLr: number;
  /** Fragments needed at a SNP in both samples of a pair to use it. */
  minDepth: number;
}

export type PairOutcome = 'concordant' | 'discordant' | 'indeterminate';

export interface PairComparison {
  a: string;
  b: string;
  /** Natural log of the likelihood ratio, same person against two unrelated people. */
  logLr: number;
  /** SNPs with at least minDepth fragments in both samples. */
  snpsCompared: number;
  /** SNPs whose confident genotype calls (see GenotypeCall) differ between the two samples. */
  genotypeMismatches: number;
  outcome: PairOutcome;
}

export interface GenotypeCall {
  key: string;
  depth: number;
  /** Number of alt alleles (0, 1, 2), or null when the data do not decide (depth or confidence). */
  genotype: 0 | 1 | 2 | null;
  /** log10 posterior odds of the called genotype against the next best (Phred-like / 10). */
  confidence: number;
}

export type SampleIdentityStatus = 'concordant' | 'discordant' | 'insufficient';

export interface SampleIdentity {
  sample: string;
  kind: 'draw' | 'normal';
  status: SampleIdentityStatus;
  /** Why, in one sentence for the report and the rationale. */
  reason: string;
  genotypes: GenotypeCall[];
}

/**
 * A patient's result. `not_checked`: no identity SNP was counted (the panel carries none): never
 * read as a pass.
 */
export type PatientIdentityStatus = 'pass' | 'discordant' | 'insufficient' | 'not_checked';

export interface PatientIdentity {
  patient: string;
  status: PatientIdentityStatus;
  reason: string;
  samples: SampleIdentity[];
  pairs: PairComparison[];
  settings: IdentitySettings;
}
