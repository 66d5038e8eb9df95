/**
 * Panel of normals (PoN): per-site and per-substitution-class background from normal plasma.
 * Building is pure (counts in, table out); the text format is written and parsed here so that the
 * writer and the reader cannot drift apart. The `pon` command does the counting and the file I/O.
 */
import { createHash } from 'node:crypto';
import type { Site, SiteCounts } from '../count/types.js';
import {
  accumulatePosition,
  CLASS_PSEUDO_ALT,
  CLASS_PSEUDO_DEPTH,
  type ClassAccumulator,
  classBackgrounds,
  DEFAULT_BACKGROUND_RATE,
  type PositionBaseCounts,
} from './background.js';
import { type DispersionPosterior, dispersionPosterior, MAX_DISPERSION, momIcc, momIccParts, posteriorMean } from './dispersion.js';
import { substitutionClass } from './substitution.js';
import {
  type BackgroundModel,
  type ClassBackground,
  type PonSiteBackground,
  siteKey,
  StatsInputError,
  type SubstitutionClass,
} from './types.js';

export const PON_FORMAT_VERSION = 3;

/**
 * Below this many normals `pon` warns: the class's between-normal dispersion is then known only
 * roughly (at ρ = 1e-3 and 40 sites its 90% posterior interval spans a factor of about 3 with 5
 * normals, 1.5 with 10; 20 simulated panels each); the
 * per-site test integrates over it and keeps its size (≤ 0.94% at nominal 1% with 5 normals, ρ up
 * to 3e-3, docs/methods/accuracy.md) at a cost in power (a 0.5% VAF at 1,000× detected in 68% with
 * 5 normals against 77% with 50 at ρ = 3e-3). Policy choice.
 */
export const MIN_PON_NORMALS = 10;
/**
 * Pseudo-depth of the shrinkage of a site's rate toward its class rate when the class has too few
 * sites (< 3) to measure how much site rates spread: 10,000 reads (with 10 normals at 3,000× the
 * site's own 30,000 reads carry 75% of the weight).
 */
export const SITE_PSEUDO_DEPTH = 10_000;
/** Sites needed in a class to estimate the spread of site rates (the prior strength) from them. */
export const MIN_CLASS_SITES = 3;
/**
 * Weight, in normals, of the class's between-normal dispersion in a site's: ρ̃ = λρ̂_site + (1−λ)ρ_class
 * with λ = (k−1)/(k−1+10) for k normals. Policy choice: with 10 normals the site's own estimate
 * (9 df) and the class share the weight about equally.
 */
export const DISPERSION_PRIOR_NORMALS = 10;
/** A normal above this alt fraction (with ≥ GERMLINE_MIN_ALT reads) carries the variant (germline or CH). */
export const GERMLINE_OR_CHIP_VAF = 0.01;
export const GERMLINE_MIN_ALT = 3;
/**
 * A site carried by at least this share of the normals is flagged germline_or_chip for every
 * patient (a common germline variant cannot be a tumour marker); a rarer carrier (one CH donor) is
 * left out of that site's rates only.
 */
export const GERMLINE_SHARE = 0.5;

/** Hash of a site set, independent of order and annotation: sha256 over sorted `chrom:pos1:ref>alt`. */
export function siteSetHash(sites: Site[]): string {
  const keys = [...new Set(sites.map(siteKey))].sort();
  return `sha256:${createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32)}`;
}

export interface PonInput {
  sampleNames: string[];
  build: string;
  sites: Site[];
  /** siteCounts[s][i]: counts of normal s at site i (same order as `sites`). */
  siteCounts: SiteCounts[][];
  /** Optional base counts at target positions per normal (for class rates over the targets). */
  targetPositions?: PositionBaseCounts[][];
  /** Count settings, printed in the header (they change what the rates mean). */
  settingsText: string;
}

export interface PonTable {
  sampleNames: string[];
  build: string;
  siteSetHash: string;
  settingsText: string;
  sites: PonSiteBackground[];
  classes: Map<string, ClassBackground>;
  /** Where the class rates came from: target positions, or the sites' own counts. */
  classSource: 'targets' | 'sites';
  /** Sentences for the user (a small panel, sites without a class spread). */
  warnings: string[];
}

/**
 * Empirical-Bayes background per site (docs/methods/statistics.md §8):
 * - carriers (a normal with > 1% and ≥ 3 alt reads at the site) are left out of that site's rates
 *   only; the site is flagged for every patient when at least half the normals carry it;
 * - the site's rate is shrunk toward its substitution class, Beta(μ_c A_c, (1 − μ_c) A_c), with the
 *   prior strength A_c = (1 − ρ_s)/ρ_s from the spread of the class's site rates (ρ_s: the
 *   method-of-moments ICC of the sites' pooled counts), capped at the class's own depth and
 *   SITE_PSEUDO_DEPTH when the class has fewer than 3 sites;
 * - the site's between-normal ICC is its own unclamped estimate shrunk toward the class's ICC
 *   (the method-of-moments estimate pooled over the class's sites as a ratio of sums) with
 *   DISPERSION_PRIOR_NORMALS, floored at 0 only after the shrinkage.
 */
export function buildPon(input: PonInput): PonTable {
  const nSamples = input.sampleNames.length;
  if (input.siteCounts.length !== nSamples) throw new StatsInputError('one count result per normal sample is needed');
  const warnings: string[] = [];
  if (nSamples < MIN_PON_NORMALS) {
    warnings.push(
      `panel of ${nSamples} normal(s), fewer than ${MIN_PON_NORMALS}: the background's over-dispersion is known only roughly and the per-site test loses power to allow for it (docs/methods/accuracy.md)`,
    );
  }
  const carrier = input.sites.map((_, i) => input.siteCounts.map((c) => isGermlineOrChip(c[i].altCount, c[i].depth)));
  const acc = new Map<string, ClassAccumulator>();
  let classSource: PonTable['classSource'] = 'sites';
  if (input.targetPositions && input.targetPositions.some((p) => p.length > 0)) {
    classSource = 'targets';
    for (const positions of input.targetPositions) for (const pos of positions) accumulatePosition(acc, pos, null);
  } else {
    // Class rates from the sites themselves (each non-carrier normal × site a unit).
    input.sites.forEach((site, i) => {
      const cls = substitutionClass(site);
      let a = acc.get(cls);
      if (!a) acc.set(cls, (a = { alt: [], depth: [] }));
      input.siteCounts.forEach((c, n) => {
        if (carrier[i][n]) return;
        a.alt.push(c[i].altCount);
        a.depth.push(c[i].depth);
      });
    });
  }
  // Classes without data are left out of the file (lookups fall back to the default rate).
  const classes = classBackgrounds(acc);

  // Per site: counts of the non-carrier normals, and the site's raw between-normal ICC.
  const own = input.sites.map((site, i) => {
    const rows = input.siteCounts.map((c) => c[i]).filter((_, n) => !carrier[i][n]);
    const alts = rows.map((r) => r.altCount);
    const depths = rows.map((r) => r.depth);
    return {
      substitution: substitutionClass(site),
      alt: alts.reduce((a, b) => a + b, 0),
      depth: depths.reduce((a, b) => a + b, 0),
      depths,
      icc: momIcc(alts, depths),
      parts: momIccParts(alts, depths),
      normals: rows.length,
    };
  });
  // Class-level ICC (within-site, between normals) and prior strength (between sites) per class.
  const classPrior = new Map<string, { icc: number; strength: number }>();
  for (const [key, cls] of classes) {
    if (cls.context) continue;
    const members = own.filter((o) => o.substitution === key);
    // Pooled moment over the class's sites in variance units (dispersion.ts momIccParts).
    let num = 0;
    let den = 0;
    for (const m of members) {
      if (!m.parts) continue;
      num += m.parts.num;
      den += m.parts.den;
    }
    const icc = den > 0 ? Math.max(0, num / den) : cls.dispersion;
    let strength = SITE_PSEUDO_DEPTH;
    const spread = members.filter((m) => m.depth > 0);
    if (spread.length >= MIN_CLASS_SITES && classSource === 'sites') {
      const rho = siteSpreadIcc(spread, Math.max(0, icc));
      strength = Number.isNaN(rho) ? SITE_PSEUDO_DEPTH : rho > 0 ? (1 - rho) / rho : Infinity;
    } else if (classSource === 'targets' && cls.dispersion > 0) {
      strength = (1 - cls.dispersion) / cls.dispersion;
    } else if (classSource === 'targets') {
      strength = Infinity;
    }
    // The class rate itself is known only to its own depth: a site never gets more prior weight.
    classPrior.set(key, { icc, strength: Math.min(strength, cls.depth + CLASS_PSEUDO_DEPTH) });
  }
  // Posterior of each class's between-normal ICC (the per-site test integrates over it).
  const posteriors = new Map<string, DispersionPosterior & { meanVariance: number[] }>();
  for (const [key, prior] of classPrior) {
    const cls = classes.get(key)!;
    const units = input.sites.flatMap((site, i) =>
      own[i].substitution === key
        ? [
            {
              alt: input.siteCounts.flatMap((c, n) => (carrier[i][n] ? [] : [c[i].altCount])),
              depth: input.siteCounts.flatMap((c, n) => (carrier[i][n] ? [] : [c[i].depth])),
            },
          ]
        : [],
    );
    if (units.length === 0) continue;
    const post = dispersionPosterior(units, cls.rate, prior.strength);
    // Variance of the class rate's estimate at each ρ (units of μ(1−μ)): its reads are over-dispersed
    // between normals and its sites spread around it, (N + ρΣn(n−1) + ρ_s ΣN_i²)/N².
    let N = 0;
    let Q = 0;
    let sumNi2 = 0;
    for (const u of units) {
      let Ni = 0;
      for (const n of u.depth) {
        Ni += n;
        Q += n * Math.max(0, n - 1);
      }
      N += Ni;
      sumNi2 += Ni * Ni;
    }
    const rhoSites = 1 / (prior.strength + 1);
    posteriors.set(key, { ...post, meanVariance: post.rho.map((r) => (N > 0 ? (N + r * Q + rhoSites * sumNi2) / (N * N) : 1)) });
  }
  const noSpread = [...classPrior.entries()]
    .filter(([key]) => own.filter((o) => o.substitution === key).length < MIN_CLASS_SITES && classSource === 'sites')
    .map(([k]) => k);
  if (noSpread.length > 0)
    warnings.push(
      `class(es) ${noSpread.join(', ')} have fewer than ${MIN_CLASS_SITES} sites: site rates shrink with the fixed pseudo-depth ${SITE_PSEUDO_DEPTH}`,
    );

  const sites: PonSiteBackground[] = input.sites.map((site, i) => {
    const o = own[i];
    const cls = classes.get(o.substitution);
    const prior = classPrior.get(o.substitution);
    const mean = cls && cls.depth > 0 ? cls.rate : DEFAULT_BACKGROUND_RATE;
    const pseudoDepth = prior ? prior.strength : SITE_PSEUDO_DEPTH;
    const pseudoAlt = pseudoDepth * mean;
    const classIcc = prior ? prior.icc : 0;
    const lambda = o.normals > 1 ? (o.normals - 1) / (o.normals - 1 + DISPERSION_PRIOR_NORMALS) : 0;
    const posterior = posteriors.get(o.substitution);
    // With a class posterior the site's point ICC is its mean (the test uses the whole posterior).
    const icc = posterior ? posteriorMean(posterior) : Number.isNaN(o.icc) ? classIcc : lambda * o.icc + (1 - lambda) * classIcc;
    const carriers = carrier[i].filter(Boolean).length;
    return {
      siteKey: siteKey(site),
      substitution: o.substitution,
      altReads: o.alt,
      depth: o.depth,
      pseudoAlt,
      pseudoDepth,
      rate: (o.alt + pseudoAlt) / (o.depth + pseudoDepth),
      dispersion: Math.min(MAX_DISPERSION, Math.max(0, icc)),
      sampleRates: input.siteCounts.map((c) => (c[i].depth > 0 ? c[i].altCount / c[i].depth : 0)),
      germlineOrChip: carriers > 0 && carriers >= GERMLINE_SHARE * nSamples,
      carriers,
    };
  });
  for (const [key, cls] of classes) {
    const prior = classPrior.get(key);
    const posterior = posteriors.get(key);
    if (prior) classes.set(key, { ...cls, dispersion: posterior ? posteriorMean(posterior) : prior.icc, pseudoDepth: prior.strength });
    if (posterior) classes.get(key)!.dispersionPosterior = posterior;
  }
  return {
    sampleNames: input.sampleNames,
    build: input.build,
    siteSetHash: siteSetHash(input.sites),
    settingsText: input.settingsText,
    sites,
    classes,
    classSource,
    warnings,
  };
}

/**
 * Spread of the true site rates within a class as an ICC ρ_s (its prior strength is (1 − ρ_s)/ρ_s):
 * a moment estimate from the sites' pooled rates r_i = X_i/N_i that subtracts each site's sampling
 * variance including the between-normal dispersion ρ, v_i = μ̂(1−μ̂)·Σ_j n_ij(1 + (n_ij − 1)ρ)/N_i²:
 *   σ̂² = (Σ N_i (r_i − μ̂)² − Σ N_i v_i (1 − N_i/N)) / (N − Σ N_i²/N),   ρ_s = σ̂²/(μ̂(1−μ̂)).
 * With ρ = 0 this is momIcc over the sites' pooled counts. Leaving ρ out counted the normals'
 * over-dispersion as spread between sites: with 5 normals at ρ = 3e-3 the prior strength came out
 * 3,000 for a true 35,000 (site rates × exp(N(0, 0.5²))), the site's own few reads got most of the
 * weight and the per-site test was liberal. NaN without alt reads or with fewer than 2 sites.
 */
function siteSpreadIcc(sites: { alt: number; depth: number; depths: number[] }[], rho: number): number {
  let N = 0;
  let X = 0;
  let sumN2 = 0;
  for (const s of sites) {
    N += s.depth;
    X += s.alt;
    sumN2 += s.depth * s.depth;
  }
  if (sites.length < 2 || X === 0 || X === N) return NaN;
  const mu = X / N;
  const v = mu * (1 - mu);
  let S = 0;
  let sampling = 0;
  for (const s of sites) {
    S += s.depth * (s.alt / s.depth - mu) ** 2;
    let inflated = 0;
    for (const n of s.depths) inflated += n * (1 + Math.max(0, n - 1) * rho);
    sampling += ((v * inflated) / s.depth) * (1 - s.depth / N);
  }
  const denom = N - sumN2 / N;
  return denom > 0 ? (S - sampling) / denom / v : NaN;
}

export function isGermlineOrChip(alt: number, depth: number): boolean {
  return depth > 0 && alt >= GERMLINE_MIN_ALT && alt / depth > GERMLINE_OR_CHIP_VAF;
}

export const PON_COLUMNS = [
  'record',
  'key',
  'substitution',
  'alt_reads',
  'depth',
  'pseudo_alt',
  'pseudo_depth',
  'rate',
  'dispersion',
  'germline_or_chip',
  'sample_rates',
  'carriers',
] as const;
/** Version 1 files had no `carriers` column (read as 0 carriers, or 1 when germline_or_chip). */
const PON_COLUMNS_V1 = PON_COLUMNS.slice(0, 11);

/** Meta key prefix of a class's posterior of ρ: `##dispersion_posterior_C>T=ρ@weight@class-rate variance,…` (format 3). */
const POSTERIOR_META = 'dispersion_posterior_';

/** Numbers in the PoN: JavaScript's shortest round-trip decimal, so parse(format(x)) === x. */
function num(x: number): string {
  return String(x);
}

export function formatPon(pon: PonTable): string {
  const lines: string[] = [
    `##oligotrack_pon=${PON_FORMAT_VERSION}`,
    `##build=${pon.build}`,
    `##site_set_hash=${pon.siteSetHash}`,
    `##samples=${pon.sampleNames.join(',')}`,
    `##class_source=${pon.classSource}`,
    `##count_settings=${pon.settingsText}`,
    `##min_normals=${MIN_PON_NORMALS}`,
  ];
  for (const [key, c] of pon.classes) {
    const p = c.dispersionPosterior;
    if (p)
      lines.push(`##${POSTERIOR_META}${key}=${p.rho.map((r, g) => `${num(r)}@${num(p.weight[g])}@${num(p.meanVariance[g])}`).join(',')}`);
  }
  lines.push(`#${PON_COLUMNS.join('\t')}`);
  for (const s of pon.sites) {
    lines.push(
      [
        'site',
        s.siteKey,
        s.substitution,
        num(s.altReads),
        num(s.depth),
        num(s.pseudoAlt),
        num(s.pseudoDepth),
        num(s.rate),
        num(s.dispersion),
        s.germlineOrChip ? 'yes' : 'no',
        s.sampleRates.map(num).join(','),
        num(s.carriers ?? 0),
      ].join('\t'),
    );
  }
  // Class rows: pseudo_depth holds the prior strength A_c of the class's site rates (absent: the class's own Jeffreys pseudocounts).
  for (const [key, c] of pon.classes) {
    lines.push(
      [
        'class',
        key,
        c.context ? 'context' : 'class',
        num(c.altReads),
        num(c.depth),
        num(CLASS_PSEUDO_ALT),
        num(c.pseudoDepth ?? CLASS_PSEUDO_DEPTH),
        num(c.rate),
        num(c.dispersion),
        'no',
        '.',
        '0',
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

function fail(file: string, line: number, msg: string): never {
  throw new StatsInputError(`${file}:${line}: ${msg}`);
}

/** Parses a PoN file's text into a background model. Errors name the file and line. */
export function parsePon(text: string, file: string): BackgroundModel & { sampleNames: string[]; warnings: string[] } {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const meta = new Map<string, string>();
  let headerSeen = false;
  let columns: number = PON_COLUMNS.length;
  const perSite = new Map<string, PonSiteBackground>();
  const perClass = new Map<string, ClassBackground>();
  lines.forEach((raw, idx) => {
    const ln = idx + 1;
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('##')) {
      const eq = line.indexOf('=');
      if (eq < 0) fail(file, ln, `malformed meta line (expected ##key=value): ${line.slice(0, 60)}`);
      meta.set(line.slice(2, eq), line.slice(eq + 1));
      return;
    }
    if (line.startsWith('#')) {
      if (line.slice(1) === PON_COLUMNS.join('\t')) columns = PON_COLUMNS.length;
      else if (line.slice(1) === PON_COLUMNS_V1.join('\t')) columns = PON_COLUMNS_V1.length;
      else fail(file, ln, `unexpected header; expected #${PON_COLUMNS.join(' ')}`);
      headerSeen = true;
      return;
    }
    if (line.trim() === '') fail(file, ln, 'empty line');
    if (!headerSeen) fail(file, ln, 'data before the #record header line');
    const f = line.split('\t');
    if (f.length !== columns) fail(file, ln, `expected ${columns} tab-separated columns, found ${f.length}`);
    const numAt = (col: number, min = 0, max = Infinity): number => {
      const v = Number(f[col]);
      if (f[col] === '' || !Number.isFinite(v) || v < min || v > max)
        fail(file, ln, `column ${PON_COLUMNS[col]} (${col + 1}): not a number in [${min}, ${max}]: '${f[col]}'`);
      return v;
    };
    const base: ClassBackground = { altReads: numAt(3), depth: numAt(4), rate: numAt(7, 0, 1), dispersion: numAt(8, 0, 1) };
    if (base.altReads > base.depth) fail(file, ln, `alt_reads ${base.altReads} > depth ${base.depth}`);
    if (f[9] !== 'yes' && f[9] !== 'no') fail(file, ln, `column germline_or_chip (10): expected yes or no, found '${f[9]}'`);
    if (f[0] === 'site') {
      if (!/^.+:\d+:[A-Z]+>[A-Z]+$/.test(f[1])) fail(file, ln, `column key (2): expected chrom:pos1:REF>ALT, found '${f[1]}'`);
      const sampleRates =
        f[10] === ''
          ? []
          : f[10].split(',').map((x) => {
              const v = Number(x);
              if (!Number.isFinite(v) || v < 0 || v > 1) fail(file, ln, `column sample_rates (11): bad rate '${x}'`);
              return v;
            });
      if (perSite.has(f[1])) fail(file, ln, `duplicate site ${f[1]}`);
      perSite.set(f[1], {
        ...base,
        siteKey: f[1],
        substitution: f[2] as SubstitutionClass,
        sampleRates,
        pseudoAlt: numAt(5),
        pseudoDepth: numAt(6),
        germlineOrChip: f[9] === 'yes',
        carriers: columns > 11 ? numAt(11) : f[9] === 'yes' ? 1 : 0,
      });
    } else if (f[0] === 'class') {
      if (f[2] === 'context') base.context = f[1];
      if (columns > 11) base.pseudoDepth = numAt(6);
      perClass.set(f[1], base);
    } else {
      fail(file, ln, `column record (1): expected site or class, found '${f[0]}'`);
    }
  });
  const version = meta.get('oligotrack_pon');
  if (version === undefined) fail(file, 1, 'not an oligotrack PoN (no ##oligotrack_pon line)');
  if (version !== '1' && version !== '2' && version !== String(PON_FORMAT_VERSION))
    fail(file, 1, `PoN format version ${version}, this oligotrack reads 1 to ${PON_FORMAT_VERSION}`);
  if (!headerSeen) fail(file, lines.length, 'no #record header line');
  for (const key of ['build', 'site_set_hash', 'samples']) if (!meta.has(key)) fail(file, 1, `missing ##${key} line`);
  for (const [key, value] of meta) {
    if (!key.startsWith(POSTERIOR_META)) continue;
    const cls = perClass.get(key.slice(POSTERIOR_META.length));
    const ln = lines.findIndex((l) => l.startsWith(`##${key}=`)) + 1;
    if (!cls) fail(file, ln, `posterior of ρ for a class without a class row: ${key.slice(POSTERIOR_META.length)}`);
    const rho: number[] = [];
    const weight: number[] = [];
    const meanVariance: number[] = [];
    for (const part of value.split(',')) {
      const f = part.split('@');
      const [r, w, v] = f.map(Number);
      if (f.length !== 3 || !(r >= 0 && r <= 1 && w > 0 && w <= 1 && v >= 0 && v <= 1))
        fail(file, ln, `bad ρ@weight@variance triple '${part}' (expected e.g. 0.001@0.25@2e-6)`);
      rho.push(r);
      weight.push(w);
      meanVariance.push(v);
    }
    const total = weight.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-6) fail(file, ln, `posterior weights sum to ${total}, not 1`);
    cls.dispersionPosterior = { rho, weight, meanVariance };
  }
  const sampleNames = meta
    .get('samples')!
    .split(',')
    .filter((s) => s !== '');
  const warnings: string[] = [];
  if (sampleNames.length < MIN_PON_NORMALS)
    warnings.push(
      `${file}: panel of ${sampleNames.length} normal(s), fewer than ${MIN_PON_NORMALS}: the background's over-dispersion is known only roughly and the per-site test loses power to allow for it (docs/methods/accuracy.md)`,
    );
  if (version === '2')
    warnings.push(
      `${file}: PoN format 2 (the per-site test uses a point estimate of the between-normal dispersion and is liberal with small panels): rebuild it with oligotrack pon`,
    );
  if (version === '1')
    warnings.push(`${file}: PoN format 1 (site dispersions clamped at 0, one carrier excludes a site): rebuild it with oligotrack pon`);
  return {
    kind: 'pon',
    origin: file,
    build: meta.get('build')!,
    siteSetHash: meta.get('site_set_hash')!,
    perSite,
    perClass,
    defaultRate: DEFAULT_BACKGROUND_RATE,
    sampleNames,
    warnings,
  };
}

/**
 * Checks that a PoN fits the sample: another genome build is an error; tested sites the PoN never
 * saw (a patient's private tumour-informed sites) are not: they take their substitution class's
 * rate, and the returned note says how many (empty when every site is in the PoN).
 */
export function checkPonFits(model: BackgroundModel, sites: Site[], sampleBuild: string): string[] {
  if (model.kind !== 'pon') return [];
  if (model.build !== 'unknown' && sampleBuild !== 'unknown' && model.build !== sampleBuild) {
    throw new StatsInputError(`${model.origin}: PoN was built on ${model.build} but the sample is ${sampleBuild}`);
  }
  if (siteSetHash(sites) === model.siteSetHash) return [];
  const missing = sites.filter((s) => !model.perSite.has(siteKey(s)));
  if (missing.length === 0) return [];
  return [
    `${model.origin}: ${missing.length} of ${sites.length} sites are not in the PoN (first ${siteKey(missing[0])}): they use their substitution class's rate (background_source pon_class)`,
  ];
}
