/**
 * UMI family collapsing over the engine's per-read observations: reads → templates (mates merged)
 * → families (position, strand orientation, UMI within edit distance 1 by the directional rule)
 * → one consensus allele per family per site → SiteCounts with `families` and raw read counts.
 *
 * Why consensus removes background: a sequencing error hits one read of a family and is outvoted;
 * a PCR error in a late cycle likewise; only errors present before amplification (DNA damage) or in
 * the first cycle (half the family → no majority → N) survive. See docs/methods/accuracy.md for the measured
 * reduction on simulated data.
 */
import { UserError } from '../util/errors.js';
import type { ObservationTable, Site, SiteCounts } from './types.js';
import { AlleleCode, FLAG } from './types.js';
import { duplexPartnerUmi, groupUmisDirectional } from './umi-group.js';

export interface UmiOptions {
  /** Base-quality filter applied to each read's vote (255 = missing quality passes). */
  minBaseq: number;
  /** Keep families of one template (read or merged pair). */
  keepSingletons: boolean;
}

export interface UmiCollapseResult {
  rows: SiteCounts[];
  /** familySizeHistogram[s] = number of (site, family) pairs with s templates; index 0 unused. */
  familySizeHistogram: number[];
  /** Reads (distinct name + read1/read2) that had no UMI: not counted; reported as a warning. */
  readsWithoutUmi: number;
  /** Observations (read × site) that carried a UMI. */
  observationsWithUmi: number;
  /** Families counted at any site (after dropping singletons), and of them duplex molecules. */
  families: number;
  duplexFamilies: number;
  singletonsDropped: number;
  /** Families whose reads gave no allele a quality-weighted majority (counted as N, not counted). */
  noConsensus: number;
  warnings: string[];
}

/** UMI collapsing was asked for but no read carries a UMI: the user's input (exit 1). */
export class NoUmiError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'NoUmiError';
  }
}

/** A read's quality weight in the consensus: Phred capped at 60; missing ('*') counts as Q30. */
function voteWeight(qual: number): number {
  if (qual === 255) return 30;
  return Math.min(qual, 60);
}

/** A template: one read, or two overlapping mates merged, at one site. */
interface Template {
  umi: string;
  /** 0-based fragment start (paired: leftmost of the two mates; unpaired: the read's 5' end). */
  start0: number;
  fragLen: number;
  /** true = top strand (read 1 forward / read 2 reverse, or a forward unpaired read). */
  top: boolean;
  /** -1 = no vote (failed base quality, or mates disagreed). */
  allele: number;
  weight: number;
  discordant: boolean;
  /** spanKey(start0, fragLen): templates of one fragment span (both strands) share it. */
  span: number;
}

interface Family {
  start0: number;
  fragLen: number;
  top: boolean;
  umi: string;
  templates: Template[];
}

function isTopStrand(flag: number): boolean {
  const reverse = (flag & FLAG.REVERSE) !== 0;
  if ((flag & FLAG.PAIRED) === 0) return !reverse;
  const read2 = (flag & FLAG.READ2) !== 0;
  return read2 ? reverse : !reverse;
}

/** Quality-weighted majority: the allele with more than half the total weight, else -1 (N). */
export function consensusAllele(votes: { allele: number; weight: number }[]): number {
  const w = [0, 0, 0];
  let total = 0;
  for (const v of votes) {
    if (v.allele < 0) continue;
    w[v.allele] += v.weight;
    total += v.weight;
  }
  if (total === 0) return -1;
  for (let a = 0; a < 3; a++) if (w[a] * 2 > total) return a;
  return -1;
}

/** Numeric fragment-span key: start0 · 2^21 + fragLen (fragLen clamped below 2^21; start0 < 2^31). */
function spanKey(start0: number, fragLen: number): number {
  return start0 * 2_097_152 + Math.min(Math.max(fragLen, 0), 2_097_151);
}

function templatesAtSite(obs: ObservationTable, rows: number[], minBaseq: number, raw: { ref: number; alt: number }): Template[] {
  // Mates share the name hash: sort the site's reads by it so the two mates of a pair are adjacent
  // (typed-array sort, no per-read strings or maps: this loop sees every read).
  const hi = obs.nameHashHi;
  const lo = obs.nameHashLo;
  const order = Uint32Array.from(rows).sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b] || a - b);
  const out: Template[] = [];
  let i = 0;
  while (i < order.length) {
    const first = order[i];
    let j = i + 1;
    while (j < order.length && hi[order[j]] === hi[first] && lo[order[j]] === lo[first]) j++;
    let allele = -1;
    let weight = 0;
    let discordant = false;
    for (let r = i; r < j; r++) {
      const x = order[r];
      const q = obs.qual[x];
      if (q !== 255 && q < minBaseq) continue;
      const a = obs.allele[x];
      if (a === AlleleCode.REF) raw.ref++;
      else if (a === AlleleCode.ALT) raw.alt++;
      if (discordant) continue;
      if (allele < 0) {
        allele = a;
        weight = voteWeight(q);
      } else if (a === allele)
        weight += voteWeight(q); // agreeing mates: qualities summed
      else {
        discordant = true;
        allele = -1;
        weight = 0;
      }
    }
    const flag = obs.flag[first];
    const paired = (flag & FLAG.PAIRED) !== 0 && obs.mateStart0[first] >= 0;
    const reverse = (flag & FLAG.REVERSE) !== 0;
    const start0 = paired
      ? Math.min(obs.readStart0[first], obs.mateStart0[first])
      : reverse
        ? obs.readStart0[first] + obs.fragLen[first]
        : obs.readStart0[first];
    out.push({
      umi: obs.umi[first],
      start0,
      fragLen: obs.fragLen[first],
      top: isTopStrand(flag),
      allele,
      weight,
      discordant,
      span: spanKey(start0, obs.fragLen[first]),
    });
    i = j;
  }
  return out;
}

/** Families of one strand orientation at one fragment span, by directional UMI grouping. */
function familiesOf(list: Template[]): Map<string, Family> {
  if (list.length === 0) return new Map();
  const counts = new Map<string, number>();
  for (const t of list) counts.set(t.umi, (counts.get(t.umi) ?? 0) + 1);
  const rep = counts.size === 1 ? new Map([[list[0].umi, list[0].umi]]) : groupUmisDirectional(counts);
  const byRep = new Map<string, Family>();
  for (const t of list) {
    const r = rep.get(t.umi)!;
    let fam = byRep.get(r);
    if (!fam) byRep.set(r, (fam = { start0: t.start0, fragLen: t.fragLen, top: t.top, umi: r, templates: [] }));
    fam.templates.push(t);
  }
  return byRep;
}

/** A molecule: one strand's family, or the two strands of a duplex. */
type Molecule = Family[];

/**
 * Molecules at one site: templates grouped by fragment span; within a span, by orientation and
 * UMI (directional); then a top-strand family and a bottom-strand family whose UMIs are duplex
 * partners become one duplex molecule. Deterministic order (span, then UMI).
 */
function formMolecules(templates: Template[]): Molecule[] {
  // Sort by span (then UMI, for a deterministic order); most spans hold one molecule's templates.
  templates.sort((a, b) => a.span - b.span || (a.umi < b.umi ? -1 : a.umi > b.umi ? 1 : 0));
  const molecules: Molecule[] = [];
  let i = 0;
  while (i < templates.length) {
    let j = i + 1;
    while (j < templates.length && templates[j].span === templates[i].span) j++;
    const t0 = templates[i];
    if (j - i === 1) {
      molecules.push([{ start0: t0.start0, fragLen: t0.fragLen, top: t0.top, umi: t0.umi, templates: [t0] }]);
      i = j;
      continue;
    }
    const list = templates.slice(i, j);
    i = j;
    const top = familiesOf(list.filter((t) => t.top));
    const bottom = familiesOf(list.filter((t) => !t.top));
    const pairedBottom = new Set<string>();
    for (const umi of [...top.keys()].sort()) {
      const partner = bottom.get(duplexPartnerUmi(umi));
      if (partner && !pairedBottom.has(partner.umi)) {
        pairedBottom.add(partner.umi);
        molecules.push([top.get(umi)!, partner]);
      } else molecules.push([top.get(umi)!]);
    }
    for (const umi of [...bottom.keys()].sort()) if (!pairedBottom.has(umi)) molecules.push([bottom.get(umi)!]);
  }
  return molecules;
}

function emptyCounts(site: Site): SiteCounts {
  return {
    site,
    depth: 0,
    refCount: 0,
    altCount: 0,
    otherCount: 0,
    deletions: 0,
    insertions: 0,
    altFwd: 0,
    altRev: 0,
    discordantMates: 0,
    meanFragLenRef: NaN,
    meanFragLenAlt: NaN,
    rawRefCount: 0,
    rawAltCount: 0,
    families: 0,
  };
}

/**
 * Collapses the observations at every site into family counts. `readRows` (the engine's read-level
 * rows, same order as `sites`) supply the insertion/deletion tallies, which the observation table
 * does not carry; without them those two columns are 0.
 */
export function collapseUmiFamilies(obs: ObservationTable, sites: Site[], opts: UmiOptions, readRows?: SiteCounts[]): UmiCollapseResult {
  const perSite: number[][] = sites.map(() => []);
  // Reads without a UMI are usually none or all; a Set of their identities only (not of every read).
  const withoutUmi = new Set<string>();
  let observationsWithUmi = 0;
  for (let i = 0; i < obs.length; i++) {
    if (obs.umi[i] === '') {
      withoutUmi.add(`${obs.nameHashHi[i]}:${obs.nameHashLo[i]}:${obs.flag[i] & (FLAG.READ1 | FLAG.READ2)}`);
      continue;
    }
    observationsWithUmi++;
    perSite[obs.site[i]].push(i);
  }
  if (obs.length > 0 && observationsWithUmi === 0) {
    throw new NoUmiError(`UMI collapsing is on but none of the ${withoutUmi.size} reads at the sites carries a UMI`);
  }
  const result: UmiCollapseResult = {
    rows: [],
    familySizeHistogram: [0],
    readsWithoutUmi: withoutUmi.size,
    observationsWithUmi,
    families: 0,
    duplexFamilies: 0,
    singletonsDropped: 0,
    noConsensus: 0,
    warnings: [],
  };
  const hist = result.familySizeHistogram;
  sites.forEach((site, s) => {
    const raw = { ref: 0, alt: 0 };
    const templates = templatesAtSite(obs, perSite[s], opts.minBaseq, raw);
    const c = emptyCounts(site);
    let fragSumRef = 0;
    let fragSumAlt = 0;
    c.rawRefCount = raw.ref;
    c.rawAltCount = raw.alt;
    for (const t of templates) if (t.discordant) c.discordantMates++;
    if (readRows) {
      c.deletions = readRows[s].deletions;
      c.insertions = readRows[s].insertions;
    }
    for (const strands of formMolecules(templates)) {
      const f = strands[0];
      const size = strands.length === 2 ? f.templates.length + strands[1].templates.length : f.templates.length;
      if (size === 1 && !opts.keepSingletons) {
        result.singletonsDropped++;
        continue;
      }
      hist[size] = (hist[size] ?? 0) + 1;
      result.families++;
      c.families++;
      let allele: number;
      if (strands.length === 2) {
        result.duplexFamilies++;
        // Duplex: each strand's consensus must agree, else N (an error on one strand only).
        const a = consensusAllele(f.templates);
        const b = consensusAllele(strands[1].templates);
        allele = a === b ? a : -1;
      } else {
        allele = consensusAllele(f.templates);
      }
      if (allele < 0) {
        result.noConsensus++;
        continue;
      }
      c.depth++;
      if (allele === AlleleCode.REF) {
        c.refCount++;
        fragSumRef += f.fragLen;
      } else if (allele === AlleleCode.ALT) {
        c.altCount++;
        fragSumAlt += f.fragLen;
        if (f.top) c.altFwd++;
        else c.altRev++;
      } else c.otherCount++;
    }
    c.meanFragLenRef = c.refCount > 0 ? fragSumRef / c.refCount : NaN;
    c.meanFragLenAlt = c.altCount > 0 ? fragSumAlt / c.altCount : NaN;
    result.rows.push(c);
  });
  for (let i = 1; i < hist.length; i++) hist[i] ??= 0;
  if (result.readsWithoutUmi > 0) {
    result.warnings.push(
      `${result.readsWithoutUmi} reads at the sites had no UMI and were not counted (${observationsWithUmi} observations had one)`,
    );
  }
  return result;
}
