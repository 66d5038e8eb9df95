/**
 * Types of the calling stage (background model, per-site call, per-sample summary). Pure data:
 * the stats/ modules compute them, the CLI writers print them.
 */
import type { Site, SiteCall, SiteCounts } from '../count/types.js';
import { UserError } from '../util/errors.js';

/** The 12 single-base substitution classes (ref>alt on the reference strand), plus non-SNV sites. */
export type SubstitutionClass =
  'A>C' | 'A>G' | 'A>T' | 'C>A' | 'C>G' | 'C>T' | 'G>A' | 'G>C' | 'G>T' | 'T>A' | 'T>C' | 'T>G' | 'indel' | 'mnv';

export const SNV_CLASSES: readonly SubstitutionClass[] = [
  'A>C',
  'A>G',
  'A>T',
  'C>A',
  'C>G',
  'C>T',
  'G>A',
  'G>C',
  'G>T',
  'T>A',
  'T>C',
  'T>G',
];

/** Where a site's background error rate came from. */
export type BackgroundSource = 'pon_site' | 'pon_class' | 'in_sample' | 'default';

/** Background error of one substitution class (or one site): pooled counts and the rate used. */
export interface ClassBackground {
  altReads: number;
  depth: number;
  /** Rate used by the tests: (altReads + pseudoAlt) / (depth + pseudoDepth). */
  rate: number;
  /** Beta-binomial intra-class correlation ρ (0 = plain binomial). */
  dispersion: number;
  /** Trinucleotide context (e.g. `ACG>ATG`) when estimated with a reference; else absent. */
  context?: string;
  /** PoN classes: the prior strength (pseudo-depth) of the class's site rates; absent elsewhere. */
  pseudoDepth?: number;
  /**
   * PoN classes (format 3): posterior of the between-normal ICC ρ on a grid, and at each ρ the
   * variance of the class rate's estimate in units of rate·(1 − rate); absent elsewhere.
   */
  dispersionPosterior?: { rho: number[]; weight: number[]; meanVariance: number[] };
}

/** Background of one panel-of-normals site (the site's own alt allele in the normals). */
export interface PonSiteBackground extends ClassBackground {
  siteKey: string;
  substitution: SubstitutionClass;
  /** Alt fraction per normal sample, in the PoN's sample order. */
  sampleRates: number[];
  pseudoAlt: number;
  pseudoDepth: number;
  /** At least half the normals carry the variant (> 1%, ≥ 3 reads): a common germline variant, flagged for every patient. */
  germlineOrChip: boolean;
  /** Normals carrying the variant (left out of this site's rates only). Absent in PoN format 1. */
  carriers?: number;
}

/**
 * Background error model. `perSite` (from a PoN) wins over `perClass`; classes missing from
 * both fall back to `defaultRate` (documented in docs/methods/calls.md).
 */
export interface BackgroundModel {
  kind: 'pon' | 'in_sample' | 'default';
  /** File the model came from (PoN path or the sample BAM for in-sample), for messages. */
  origin: string;
  build: string;
  /** Hash of the site set a PoN was built on ('' for in-sample/default). */
  siteSetHash: string;
  perSite: Map<string, PonSiteBackground>;
  perClass: Map<SubstitutionClass | string, ClassBackground>;
  /** Used for classes without data (e.g. indels without a PoN). */
  defaultRate: number;
}

/** The background applied to one site. */
export interface SiteBackground {
  rate: number;
  /** Between-sample over-dispersion ρ of the background (the PoN's / positions' MoM estimate). */
  dispersion: number;
  source: BackgroundSource;
  germlineOrChip: boolean;
  /**
   * Observations behind `rate`: the rate is the mean of a Beta(rate·A, (1−rate)·A) posterior with
   * A = priorDepth (PoN depth + pseudo-depth, or class depth + 1). Infinity for the fixed default
   * rate (no data, nothing to propagate). See docs/decisions/0043-background-uncertainty.md.
   */
  priorDepth: number;
  /** Identity of the estimate (sites with the same key share one uncertain rate): `site:…`, `class:…`, `default`. */
  key: string;
  /**
   * Panel-of-normals sites: the null as a mixture over the posterior of the between-normal ICC ρ
   * (each component its ρ, the site's rate given ρ and the observations behind it). Absent: the
   * single component (rate, dispersion, priorDepth).
   */
  components?: NullComponent[];
}

/** One component of a site's null: a beta-binomial predictive given one value of ρ, with its posterior weight. */
export interface NullComponent {
  rate: number;
  dispersion: number;
  priorDepth: number;
  weight: number;
}

export type { SiteCall } from '../count/types.js';

/** A count row with its call. Column names in outputs: see docs/methods/calls.md. */
export interface CalledRow extends SiteCounts {
  /** altCount / depth (NaN when depth is 0). */
  vaf: number;
  backgroundRate: number;
  backgroundSource: BackgroundSource;
  dispersion: number;
  /** One-sided P(alt ≥ observed | background) (beta-binomial when dispersion > 0). */
  pValue: number;
  /** Wilson 95% interval of the VAF. */
  vafLow: number;
  vafHigh: number;
  /** Smallest VAF detected with 95% power at this depth, background and α. */
  lod: number;
  call: SiteCall;
  germlineOrChip: boolean;
  /** SiteBackground.priorDepth (absent = Infinity: the rate is treated as known). */
  backgroundDepth?: number;
  /** SiteBackground.key (absent = the site's own estimate). */
  backgroundKey?: string;
  /**
   * Effective α of this site's test: P(called detected | no tumour DNA) at this depth under the
   * site's predictive null (≤ the nominal α: counts are discrete). Absent for rows called elsewhere.
   */
  effectiveAlpha?: number;
}

export interface AnnotateOptions {
  background: BackgroundModel;
  /** Per-site one-sided significance level (not corrected; see docs/methods/calls.md). */
  alpha: number;
  /** Below this depth the call is `low_depth`. */
  minDepth: number;
}

/** Per-sample integrated test (JSON field names as written in summary.json). */
export interface SampleSummary {
  sample: string;
  detected: boolean;
  p_value: number;
  /** GLRT statistic 2·(logL(p̂) − logL(0)). */
  lr_statistic: number;
  /**
   * Tumour fraction (stats/tumour-fraction.ts, the one definition): 2 × the shared allele fraction of
   * the tested sites, capped at 1, with its quasi-likelihood 95% interval.
   */
  tumour_fraction: { estimate: number; low: number; high: number };
  /** The shared allele fraction p̂ (not doubled) and its interval. */
  allele_fraction: { estimate: number; low: number; high: number };
  /** Pearson dispersion across the tested sites (1 = binomial) that widened the interval. */
  site_dispersion: number;
  /** Depth summed over the informative (tumour-informed, non-germline/CHIP, not low-depth) sites. */
  informative_reads: number;
  alt_reads: number;
  sites_tested: number;
  sites_detected: number;
  sites_excluded: { germline_or_chip: number; low_depth: number };
  /**
   * The per-site tests' effective α over the tested sites at their depths (CalledRow.effectiveAlpha,
   * `siteAlphaSummary`): mean, largest, and their sum, the expected number of sites called detected
   * in a sample without tumour DNA. Written by `count --summary`; absent in the timeline.
   */
  site_alpha_effective?: { mean: number; max: number; expected_false_sites: number };
  fragment_size?: FragmentSizeResult;
  settings: SummarySettings;
}

export interface SummarySettings {
  alpha: number;
  site_alpha: number;
  min_depth: number;
  background: BackgroundModel['kind'];
  /** Generalised likelihood ratio over loci (INVAR-like). */
  test: 'glrt';
  /** How the p-value was obtained: ½χ²₁ tail, or seeded Monte Carlo when background counts are few. */
  p_value_method: 'chi_bar_square' | 'monte_carlo';
  interval: 'quasi_likelihood_profile_95';
  tumour_fraction_method: string;
}

/** Fragment-size-weighted variant of the per-sample test. */
export interface FragmentSizeResult {
  p_value: number;
  lr_statistic: number;
  detected: boolean;
  /** true when the weighted test's detected differs from the unweighted one. */
  changes_call: boolean;
  /** Length bins (lower bounds, bp) and the weight log(P(len|tumour)/P(len|normal)) per bin. */
  bins: number[];
  log_weights: number[];
}

export interface SummaryOptions {
  sample: string;
  /** Sample-level significance level of the integrated test. */
  alpha: number;
  /** Per-site α used for the rows (reported only). */
  siteAlpha: number;
  minDepth: number;
  background: BackgroundModel['kind'];
  /** Optional fragment lengths per site (ref / alt) for the weighted test. */
  fragmentLengths?: SiteFragmentLengths[];
}

export interface SiteFragmentLengths {
  ref: number[];
  alt: number[];
}

/**
 * Key of a site in background maps: `chrom:pos1:REF>ALT` with the contig in its naming-family-free
 * form (`chr6` and `6` → `6`, `chrM` → `MT`), so a PoN built on sites named one way serves samples
 * whose sites are named the other way.
 */
export function siteKey(site: Pick<Site, 'chrom' | 'pos1' | 'ref' | 'alt'>): string {
  const stripped = /^chr/i.test(site.chrom) ? site.chrom.slice(3) : site.chrom;
  const upper = stripped.toUpperCase();
  const chrom = upper === 'M' || upper === 'MT' ? 'MT' : upper === 'X' || upper === 'Y' ? upper : stripped;
  return `${chrom}:${site.pos1}:${site.ref.toUpperCase()}>${site.alt.toUpperCase()}`;
}

/** A statistics input the user must fix (a PoN that does not fit, a malformed targets BED): exit 1. */
export class StatsInputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'StatsInputError';
  }
}
