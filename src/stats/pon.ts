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
import { momDispersion } from './dispersion.js';
import { substitutionClass } from './substitution.js';
import { type BackgroundModel, type ClassBackground, type PonSiteBackground, siteKey, StatsInputError, type SubstitutionClass } from './types.js';

export const PON_FORMAT_VERSION = 1;

/**
 * Pseudo-depth of the shrinkage of a site's rate towards its class rate:
 * rate = (alt + m·class_rate) / (depth + m), m = 10,000 reads. With a typical PoN of 10 normals at
 * 3,000× (30,000 reads) the site's own data carry 75% of the weight; a site never seen with its
 * alt allele still gets about a quarter of the class rate rather than zero.
 */
export const SITE_PSEUDO_DEPTH = 10_000;
/** A normal above this alt fraction (with ≥ GERMLINE_MIN_ALT reads) marks the site germline_or_chip. */
export const GERMLINE_OR_CHIP_VAF = 0.01;
export const GERMLINE_MIN_ALT = 3;

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
}

export function buildPon(input: PonInput): PonTable {
  const nSamples = input.sampleNames.length;
  if (input.siteCounts.length !== nSamples) throw new StatsInputError('one count result per normal sample is needed');
  const acc = new Map<string, ClassAccumulator>();
  let classSource: PonTable['classSource'] = 'sites';
  if (input.targetPositions && input.targetPositions.some((p) => p.length > 0)) {
    classSource = 'targets';
    for (const positions of input.targetPositions) for (const pos of positions) accumulatePosition(acc, pos, null);
  } else {
    // Class rates from the sites themselves (each normal × site a unit), germline/CHIP sites excluded.
    input.sites.forEach((site, i) => {
      const cls = substitutionClass(site);
      const rows = input.siteCounts.map((c) => c[i]);
      if (rows.some((r) => isGermlineOrChip(r.altCount, r.depth))) return;
      let a = acc.get(cls);
      if (!a) acc.set(cls, (a = { alt: [], depth: [] }));
      for (const r of rows) {
        a.alt.push(r.altCount);
        a.depth.push(r.depth);
      }
    });
  }
  // Classes without data are left out of the file (lookups fall back to the default rate).
  const classes = classBackgrounds(acc);

  const sites: PonSiteBackground[] = input.sites.map((site, i) => {
    const rows = input.siteCounts.map((c) => c[i]);
    const alts = rows.map((r) => r.altCount);
    const depths = rows.map((r) => r.depth);
    const altReads = alts.reduce((a, b) => a + b, 0);
    const depth = depths.reduce((a, b) => a + b, 0);
    const substitution = substitutionClass(site);
    const cls = classes.get(substitution);
    const prior = cls && cls.depth > 0 ? cls.rate : DEFAULT_BACKGROUND_RATE;
    const pseudoDepth = SITE_PSEUDO_DEPTH;
    const pseudoAlt = pseudoDepth * prior;
    return {
      siteKey: siteKey(site),
      substitution,
      altReads,
      depth,
      pseudoAlt,
      pseudoDepth,
      rate: (altReads + pseudoAlt) / (depth + pseudoDepth),
      dispersion: momDispersion(alts, depths),
      sampleRates: rows.map((r) => (r.depth > 0 ? r.altCount / r.depth : 0)),
      germlineOrChip: rows.some((r) => isGermlineOrChip(r.altCount, r.depth)),
    };
  });
  return { sampleNames: input.sampleNames, build: input.build, siteSetHash: siteSetHash(input.sites), settingsText: input.settingsText, sites, classes, classSource };
}

export function isGermlineOrChip(alt: number, depth: number): boolean {
  return depth > 0 && alt >= GERMLINE_MIN_ALT && alt / depth > GERMLINE_OR_CHIP_VAF;
}

export const PON_COLUMNS = [
  'record', 'key', 'substitution', 'alt_reads', 'depth', 'pseudo_alt', 'pseudo_depth', 'rate', 'dispersion',
  'germline_or_chip', 'sample_rates',
] as const;

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
    `##site_pseudo_depth=${SITE_PSEUDO_DEPTH}`,
    `#${PON_COLUMNS.join('\t')}`,
  ];
  for (const s of pon.sites) {
    lines.push(['site', s.siteKey, s.substitution, num(s.altReads), num(s.depth), num(s.pseudoAlt), num(s.pseudoDepth), num(s.rate),
      num(s.dispersion), s.germlineOrChip ? 'yes' : 'no', s.sampleRates.map(num).join(',')].join('\t'));
  }
  for (const [key, c] of pon.classes) {
    lines.push(['class', key, c.context ? 'context' : 'class', num(c.altReads), num(c.depth), num(CLASS_PSEUDO_ALT), num(CLASS_PSEUDO_DEPTH), num(c.rate),
      num(c.dispersion), 'no', '.'].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

function fail(file: string, line: number, msg: string): never {
  throw new StatsInputError(`${file}:${line}: ${msg}`);
}

/** Parses a PoN file's text into a background model. Errors name the file and line. */
export function parsePon(text: string, file: string): BackgroundModel & { sampleNames: string[] } {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const meta = new Map<string, string>();
  let headerSeen = false;
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
      if (line.slice(1) !== PON_COLUMNS.join('\t')) fail(file, ln, `unexpected header; expected #${PON_COLUMNS.join(' ')}`);
      headerSeen = true;
      return;
    }
    if (line.trim() === '') fail(file, ln, 'empty line');
    if (!headerSeen) fail(file, ln, 'data before the #record header line');
    const f = line.split('\t');
    if (f.length !== PON_COLUMNS.length) fail(file, ln, `expected ${PON_COLUMNS.length} tab-separated columns, found ${f.length}`);
    const numAt = (col: number, min = 0, max = Infinity): number => {
      const v = Number(f[col]);
      if (f[col] === '' || !Number.isFinite(v) || v < min || v > max) fail(file, ln, `column ${PON_COLUMNS[col]} (${col + 1}): not a number in [${min}, ${max}]: '${f[col]}'`);
      return v;
    };
    const base: ClassBackground = { altReads: numAt(3), depth: numAt(4), rate: numAt(7, 0, 1), dispersion: numAt(8, 0, 1) };
    if (base.altReads > base.depth) fail(file, ln, `alt_reads ${base.altReads} > depth ${base.depth}`);
    if (f[9] !== 'yes' && f[9] !== 'no') fail(file, ln, `column germline_or_chip (10): expected yes or no, found '${f[9]}'`);
    if (f[0] === 'site') {
      if (!/^.+:\d+:[A-Z]+>[A-Z]+$/.test(f[1])) fail(file, ln, `column key (2): expected chrom:pos1:REF>ALT, found '${f[1]}'`);
      const sampleRates = f[10] === '' ? [] : f[10].split(',').map((x) => {
        const v = Number(x);
        if (!Number.isFinite(v) || v < 0 || v > 1) fail(file, ln, `column sample_rates (11): bad rate '${x}'`);
        return v;
      });
      if (perSite.has(f[1])) fail(file, ln, `duplicate site ${f[1]}`);
      perSite.set(f[1], {
        ...base, siteKey: f[1], substitution: f[2] as SubstitutionClass, sampleRates, pseudoAlt: numAt(5), pseudoDepth: numAt(6),
        germlineOrChip: f[9] === 'yes',
      });
    } else if (f[0] === 'class') {
      if (f[2] === 'context') base.context = f[1];
      perClass.set(f[1], base);
    } else {
      fail(file, ln, `column record (1): expected site or class, found '${f[0]}'`);
    }
  });
  const version = meta.get('oligotrack_pon');
  if (version === undefined) fail(file, 1, 'not an oligotrack PoN (no ##oligotrack_pon line)');
  if (version !== String(PON_FORMAT_VERSION)) fail(file, 1, `PoN format version ${version}, this oligotrack reads ${PON_FORMAT_VERSION}`);
  if (!headerSeen) fail(file, lines.length, 'no #record header line');
  for (const key of ['build', 'site_set_hash', 'samples']) if (!meta.has(key)) fail(file, 1, `missing ##${key} line`);
  return {
    kind: 'pon',
    origin: file,
    build: meta.get('build')!,
    siteSetHash: meta.get('site_set_hash')!,
    perSite,
    perClass,
    defaultRate: DEFAULT_BACKGROUND_RATE,
    sampleNames: meta.get('samples')!.split(',').filter((s) => s !== ''),
  };
}

/**
 * Rejects a PoN that does not fit the sample: another genome build, or tested sites the PoN never
 * saw (a PoN built on the same site set, or on a superset of it, is accepted).
 */
export function checkPonFits(model: BackgroundModel, sites: Site[], sampleBuild: string): void {
  if (model.kind !== 'pon') return;
  if (model.build !== 'unknown' && sampleBuild !== 'unknown' && model.build !== sampleBuild) {
    throw new StatsInputError(`${model.origin}: PoN was built on ${model.build} but the sample is ${sampleBuild}`);
  }
  if (siteSetHash(sites) === model.siteSetHash) return;
  const missing = sites.filter((s) => !model.perSite.has(siteKey(s)));
  if (missing.length > 0) {
    throw new StatsInputError(
      `${model.origin}: PoN was built on another site set (hash ${model.siteSetHash}); ${missing.length} of ${sites.length} sites are not in it, first ${siteKey(missing[0])}`,
    );
  }
}

