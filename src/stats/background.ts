/**
 * Background error model: the rate at which a site shows its alt allele without tumour DNA.
 * Sources, best first: the site itself in a panel of normals (PoN), the site's substitution class
 * in the PoN, the sample's own non-variant target positions (in-sample), a default rate.
 */
import type { Site, SiteCounts } from '../count/types.js';
import { momDispersion } from './dispersion.js';
import { contextKey, substitutionClass } from './substitution.js';
import {
  type BackgroundModel,
  type ClassBackground,
  type NullComponent,
  type PonSiteBackground,
  type SiteBackground,
  siteKey,
  StatsInputError,
} from './types.js';

/**
 * Rate for classes without data (indels and MNVs without a PoN, empty classes): 1e-4 per base,
 * a conservative value for Illumina substitution errors after Q20 filtering (reported error rates
 * 1e-3 raw, ~1e-4 per specific substitution; Schirmer et al. 2016 BMC Bioinformatics 17:125).
 */
export const DEFAULT_BACKGROUND_RATE = 1e-4;

/** Pseudocounts for pooled class rates: Jeffreys prior Beta(½, ½). */
export const CLASS_PSEUDO_ALT = 0.5;
export const CLASS_PSEUDO_DEPTH = 1;

export function classRate(alt: number, depth: number): number {
  return (alt + CLASS_PSEUDO_ALT) / (depth + CLASS_PSEUDO_DEPTH);
}

export function defaultBackground(rate = DEFAULT_BACKGROUND_RATE, origin = 'default'): BackgroundModel {
  return { kind: 'default', origin, build: 'unknown', siteSetHash: '', perSite: new Map(), perClass: new Map(), defaultRate: rate };
}

/** The background used for one site (see the order above). `context` is its trinucleotide key. */
export function backgroundFor(model: BackgroundModel, site: Site, context?: string): SiteBackground {
  const fromSite = model.perSite.get(siteKey(site));
  if (fromSite) {
    const posterior = model.perClass.get(fromSite.substitution)?.dispersionPosterior;
    const bg: SiteBackground = {
      rate: fromSite.rate,
      dispersion: fromSite.dispersion,
      source: 'pon_site',
      germlineOrChip: fromSite.germlineOrChip,
      priorDepth: effectiveDepth(fromSite) + fromSite.pseudoDepth,
      key: `site:${fromSite.siteKey}`,
    };
    if (posterior) bg.components = siteComponents(fromSite, posterior);
    return bg;
  }
  const source = model.kind === 'pon' ? 'pon_class' : model.kind === 'in_sample' ? 'in_sample' : 'default';
  const byContext = context ? model.perClass.get(context) : undefined;
  const byClass = byContext ?? model.perClass.get(substitutionClass(site));
  if (byClass && byClass.depth > 0) {
    const classKey = byContext ? context! : substitutionClass(site);
    const bg: SiteBackground = {
      rate: byClass.rate,
      dispersion: byClass.dispersion,
      source,
      germlineOrChip: false,
      // The error of the class rate, shared by every site that uses it (the per-sample test's groups).
      priorDepth: byClass.depth + CLASS_PSEUDO_DEPTH,
      key: `class:${classKey}`,
    };
    const post = byClass.dispersionPosterior;
    // The per-site test of a site the PoN lacks: its true rate is one draw from the class's spread of
    // site rates, known to the prior strength A_c of that spread (not to the class's pooled depth),
    // plus the class rate's own error.
    const spread = byClass.pseudoDepth ?? bg.priorDepth;
    if (post)
      bg.components = post.rho.map((rho, g) => ({
        rate: byClass.rate * unbiasedInverseFactor(post.meanVariance[g] / byClass.rate),
        dispersion: rho,
        priorDepth: withClassVariance(spread, post.meanVariance[g]),
        weight: post.weight[g],
      }));
    return bg;
  }
  return { rate: model.defaultRate, dispersion: 0, source: 'default', germlineOrChip: false, priorDepth: Infinity, key: 'default' };
}

/**
 * A PoN site's null as a mixture over its class's posterior of ρ: given ρ, the site's reads are
 * deflated by the design effect 1 + (n̄ − 1)ρ and combined with the class prior (pseudoAlt,
 * pseudoDepth); the site rate's variance adds the class rate's own, weighted by the share w of the
 * prior in the site's estimate (w²·V_c); the predictive adds ρ (statistics.md §8).
 */
export function siteComponents(
  s: Pick<PonSiteBackground, 'altReads' | 'depth' | 'pseudoAlt' | 'pseudoDepth' | 'sampleRates' | 'carriers'>,
  posterior: { rho: number[]; weight: number[]; meanVariance: number[] },
): NullComponent[] {
  const normals = s.sampleRates.length - (s.carriers ?? 0);
  const perNormal = normals > 0 ? s.depth / normals : 0;
  return posterior.rho.map((rho, g) => {
    const deff = 1 + Math.max(0, perNormal - 1) * rho;
    const alt = s.altReads / deff;
    const depth = s.depth / deff;
    const w = s.pseudoDepth / (depth + s.pseudoDepth);
    const rate = (alt + s.pseudoAlt) / (depth + s.pseudoDepth);
    // Relative variance of the rate's estimate (own reads and the class rate; not the spread of sites).
    const cv2 = ((1 - w) ** 2 / depth + w * w * posterior.meanVariance[g]) / rate;
    return {
      rate: rate * unbiasedInverseFactor(cv2),
      dispersion: rho,
      priorDepth: withClassVariance(depth + s.pseudoDepth, w * w * posterior.meanVariance[g]),
      weight: posterior.weight[g],
    };
  });
}

/**
 * Factor on an estimated rate m̂ with relative variance c² so that E[m/m̂'] ≈ 1: when the null's tail
 * is about linear in the rate (beta-binomial with rate/ρ ≪ 1, 0.3 expected reads at ρ ≥ 1e-3), a
 * test at level α run with m̂ has size α·E[m/m̂] ≈ α(1 + c²) (Jensen; 1/m̂ is convex), so the rate is
 * raised by 1/(1 − c²) (exact for a gamma-distributed m̂: E[1/m̂] = s/((s−1)m), s = 1/c²). With 5
 * normals at ρ = 3e-3 the class rate rests on about 6 effective reads (c² ≈ 0.17) and the test
 * without the factor was at 1.17% for nominal 1%. c² is capped at 0.5 (factor 2).
 */
function unbiasedInverseFactor(cv2: number): number {
  return 1 / (1 - Math.min(0.5, Math.max(0, cv2)));
}

/** Observations A' with 1/(A'+1) = 1/(A+1) + v: a rate known to A observations, plus extra variance v (units of μ(1−μ)). */
function withClassVariance(A: number, v: number): number {
  return 1 / (1 / (A + 1) + v) - 1;
}

/**
 * Observations behind a PoN site's own rate: its reads deflated by the design effect of the
 * between-normal dispersion, depth / (1 + (n̄ − 1)ρ) with n̄ the mean depth per normal used
 * (Kish 1965): reads of one normal share its rate, so with ρ = 1e-3 at 3,000× four reads of a
 * normal carry the information of one. Counting them as independent made the rate look better
 * known than it is and the per-site test liberal (accuracy run: 2.7% at α = 1% with 10 normals).
 */
export function effectiveDepth(s: Pick<PonSiteBackground, 'depth' | 'dispersion' | 'sampleRates' | 'carriers'>): number {
  const normals = s.sampleRates.length - (s.carriers ?? 0);
  if (!(normals > 0) || !(s.depth > 0)) return s.depth;
  const perNormal = s.depth / normals;
  return s.depth / (1 + Math.max(0, perNormal - 1) * s.dispersion);
}

/** A 0-based half-open target interval. */
export interface TargetInterval {
  chrom: string;
  start0: number;
  end0: number;
}

const PROBE_ALTS = ['C', 'G', 'T'] as const;

/**
 * Probe sites that make the counting engine report every base at every target position: three
 * sites per position, `A>C`, `A>G`, `A>T`, so refCount = A and the three altCounts = C, G, T.
 * Positions of the tested sites are left out (their alt reads are the signal, not background).
 */
export function probeSitesForTargets(targets: TargetInterval[], tested: Site[]): Site[] {
  const skip = new Set(tested.map((s) => `${s.chrom}:${s.pos1}`));
  const probes: Site[] = [];
  for (const t of targets) {
    for (let pos0 = t.start0; pos0 < t.end0; pos0++) {
      const pos1 = pos0 + 1;
      if (skip.has(`${t.chrom}:${pos1}`)) continue;
      for (const alt of PROBE_ALTS) {
        probes.push({ chrom: t.chrom, pos1, ref: 'A', alt, gene: '', protein: '', id: `probe:${t.chrom}:${pos1}:${alt}` });
      }
    }
  }
  return probes;
}

/** Base counts at one probed position. */
export interface PositionBaseCounts {
  chrom: string;
  pos1: number;
  /** Counts of A, C, G, T. */
  counts: [number, number, number, number];
}

const BASE_ORDER = ['A', 'C', 'G', 'T'] as const;

/** Folds the probe rows (three per position, in the order of probeSitesForTargets) into base counts. */
export function probeRowsToBaseCounts(rows: SiteCounts[]): PositionBaseCounts[] {
  if (rows.length % 3 !== 0) throw new StatsInputError(`probe rows come in threes, got ${rows.length}`);
  const out: PositionBaseCounts[] = [];
  for (let i = 0; i < rows.length; i += 3) {
    const [c, g, t] = [rows[i], rows[i + 1], rows[i + 2]];
    if (c.site.pos1 !== g.site.pos1 || c.site.pos1 !== t.site.pos1 || c.site.alt !== 'C' || g.site.alt !== 'G' || t.site.alt !== 'T') {
      throw new StatsInputError(`probe rows out of order at ${c.site.chrom}:${c.site.pos1}`);
    }
    out.push({ chrom: c.site.chrom, pos1: c.site.pos1, counts: [c.refCount, c.altCount, g.altCount, t.altCount] });
  }
  return out;
}

/** Positions whose reference base is this rare in the sample are treated as variant, not background. */
export const MIN_REF_FRACTION = 0.9;
/** A non-reference base above 1% with ≥ 3 reads marks a variant (germline, CHIP or tumour). */
export const VARIANT_FRACTION = 0.01;
export const VARIANT_MIN_READS = 3;
/** Positions below this depth add noise, not information, to the class rates. */
export const MIN_PROBE_DEPTH = 20;

export interface ClassAccumulator {
  alt: number[];
  depth: number[];
}

/**
 * Adds the error observations of one position to per-class (and per-context) accumulators.
 * `refBase` is the reference base (from --reference) or null to take the majority base.
 * Returns false when the position was skipped as variant or shallow.
 */
export function accumulatePosition(
  acc: Map<string, ClassAccumulator>,
  pos: PositionBaseCounts,
  refBase: string | null,
  flanks?: { left: string; right: string },
): boolean {
  const total = pos.counts[0] + pos.counts[1] + pos.counts[2] + pos.counts[3];
  if (total < MIN_PROBE_DEPTH) return false;
  let refIdx = refBase ? BASE_ORDER.indexOf(refBase.toUpperCase() as (typeof BASE_ORDER)[number]) : -1;
  if (refIdx < 0) {
    if (refBase) return false; // N or IUPAC code in the reference
    refIdx = 0;
    for (let b = 1; b < 4; b++) if (pos.counts[b] > pos.counts[refIdx]) refIdx = b;
  }
  if (pos.counts[refIdx] < MIN_REF_FRACTION * total) return false;
  for (let b = 0; b < 4; b++) {
    if (b !== refIdx && pos.counts[b] >= VARIANT_MIN_READS && pos.counts[b] > VARIANT_FRACTION * total) return false;
  }
  for (let b = 0; b < 4; b++) {
    if (b === refIdx) continue;
    const keys = [`${BASE_ORDER[refIdx]}>${BASE_ORDER[b]}`];
    if (flanks) keys.push(contextKey(flanks.left, BASE_ORDER[refIdx], BASE_ORDER[b], flanks.right));
    for (const key of keys) {
      let a = acc.get(key);
      if (!a) {
        a = { alt: [], depth: [] };
        acc.set(key, a);
      }
      a.alt.push(pos.counts[b]);
      a.depth.push(total);
    }
  }
  return true;
}

/** Turns accumulators into class backgrounds (pooled rate with pseudocounts, MoM dispersion). */
export function classBackgrounds(acc: Map<string, ClassAccumulator>): Map<string, ClassBackground> {
  const out = new Map<string, ClassBackground>();
  const keys = [...acc.keys()].sort();
  for (const key of keys) {
    const a = acc.get(key)!;
    let alt = 0;
    let depth = 0;
    for (let i = 0; i < a.alt.length; i++) {
      alt += a.alt[i];
      depth += a.depth[i];
    }
    const entry: ClassBackground = { altReads: alt, depth, rate: classRate(alt, depth), dispersion: momDispersion(a.alt, a.depth) };
    if (key.includes('[')) entry.context = key;
    out.set(key, entry);
  }
  return out;
}

export interface InSampleOptions {
  origin: string;
  build: string;
  /** Reference base at a 1-based position, when --reference is given (trinucleotide context). */
  referenceBase?: (chrom: string, pos1: number) => string;
}

/**
 * In-sample background from the probe counts of the sample's non-variant target positions,
 * per substitution class (12 classes) and, with a reference, per trinucleotide context.
 */
export function inSampleBackground(
  positions: PositionBaseCounts[],
  opts: InSampleOptions,
): { model: BackgroundModel; positionsUsed: number } {
  const acc = new Map<string, ClassAccumulator>();
  let used = 0;
  for (const pos of positions) {
    const ref = opts.referenceBase ? opts.referenceBase(pos.chrom, pos.pos1) : null;
    const flanks = opts.referenceBase
      ? { left: opts.referenceBase(pos.chrom, pos.pos1 - 1), right: opts.referenceBase(pos.chrom, pos.pos1 + 1) }
      : undefined;
    if (accumulatePosition(acc, pos, ref, flanks)) used++;
  }
  if (used === 0)
    throw new StatsInputError('no usable non-variant target position for the in-sample background (need depth ≥ 20 and no variant)');
  const model: BackgroundModel = {
    kind: 'in_sample',
    origin: opts.origin,
    build: opts.build,
    siteSetHash: '',
    perSite: new Map(),
    perClass: classBackgrounds(acc),
    defaultRate: DEFAULT_BACKGROUND_RATE,
  };
  return { model, positionsUsed: used };
}
