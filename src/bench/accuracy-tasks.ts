/**
 * The units of work of `npm run accuracy`, each a pure function of (run seed, task id): one PoN
 * normal, one replicate of a dilution-series cell, one replicate of the per-sample test. Every task
 * seeds its own generator from its id, so the results do not depend on how many worker threads ran
 * them or in which order (accuracy.ts merges them by task index).
 */
import type { Site, SiteCounts } from '../count/types.js';
import { collapseUmiFamilies } from '../count/umi.js';
import { callRow } from '../stats/annotate.js';
import { backgroundFor } from '../stats/background.js';
import { parsePon } from '../stats/pon.js';
import { summarizeSample } from '../stats/sample-test.js';
import type { CalledRow, SiteBackground } from '../stats/types.js';
import { createRng, hashString32, mix32, type Rng } from '../simulate/rng.js';
import { countFragments, DEFAULT_ERROR_MODEL, type ErrorModel, ObservationBuffer, simulateSite } from './accuracy-sim.js';

export const SITE_ALPHA = 0.01;
export const SAMPLE_ALPHA = 0.01;
export const MIN_DEPTH = 100;
export const PON_NORMALS = 50;
export const PON_MOLECULES = 10_000;
export const SAMPLE_SITES = 10;
export const SAMPLE_DEPTH = 3000;
export const SAMPLE_VAF = 0.0005;
// 200 × 10,000 molecules: ~40 alt families with UMIs, so the UMI rate (and the reduction) is
// known to about ±30% (95%); with 40 runs (~8 families) it moved 2.5e-5 → 1.75e-5 between seeds.
export const REDUCTION_RUNS = 200;
export const SITE: Site = { chrom: 'chrS', pos1: 100_001, ref: 'C', alt: 'T', gene: 'SIM', protein: '', id: 'sim' };

export type Arm = 'no_umi' | 'umi';

/**
 * One unit of work. `pon`: normal number `rep` of the arm's PoN; `reduction`: a no-damage run for
 * the UMI reduction; `site`: replicate `rep` of cell (depth, vaf); `sample`: replicate `rep` of the
 * per-sample test at `vaf` (0 = null sample).
 */
export interface Task {
  kind: 'pon' | 'reduction' | 'site' | 'sample';
  arm: Arm;
  depth: number;
  vaf: number;
  rep: number;
}

export interface TaskResult {
  depth: number;
  alt: number;
  /** site: call is `detected`; sample: summary.detected. */
  detected: boolean;
  /** sample: tumour fraction estimate; pon: the normal's row as JSON-able counts. */
  estimate: number;
  method: string;
  row?: SiteCounts;
}

/** Seed of one task: the run seed mixed with a hash of the task's cell and its replicate number. */
export function taskSeed(runSeed: number, t: Task): number {
  const cell = hashString32(`${t.kind}/${t.arm}/${t.depth}/${t.vaf}`);
  return mix32(mix32(runSeed >>> 0, cell), t.rep);
}

const buf = new ObservationBuffer(1 << 18);

/** Simulates one site and counts it as `count` would: families with UMIs, fragments without. */
export function countSite(rng: Rng, model: ErrorModel, arm: Arm, molecules: number, vaf: number, salt: number): SiteCounts {
  buf.reset();
  simulateSite(rng, model, { molecules, vaf, umi: arm === 'umi', siteIndex: 0, pos0: SITE.pos1 - 1, nameSalt: salt }, buf);
  const table = buf.table();
  if (arm === 'umi') return collapseUmiFamilies(table, [SITE], { minBaseq: 20, keepSingletons: true }).rows[0];
  const c = countFragments(table);
  return {
    site: SITE,
    depth: c.depth,
    refCount: c.ref,
    altCount: c.alt,
    otherCount: c.depth - c.ref - c.alt,
    deletions: 0,
    insertions: 0,
    altFwd: 0,
    altRev: 0,
    discordantMates: 0,
    meanFragLenRef: NaN,
    meanFragLenAlt: NaN,
    rawRefCount: c.ref,
    rawAltCount: c.alt,
    families: 0,
  };
}

/** Parsed PoN backgrounds per arm (a worker parses the PoN text once). */
export type PonBackgrounds = Partial<Record<Arm, SiteBackground>>;

export function ponBackgrounds(ponText: Partial<Record<Arm, string>>): PonBackgrounds {
  const out: PonBackgrounds = {};
  for (const arm of ['no_umi', 'umi'] as Arm[]) {
    const text = ponText[arm];
    if (text) out[arm] = backgroundFor(parsePon(text, `simulated-pon-${arm}.tsv`), SITE);
  }
  return out;
}

export function runTask(runSeed: number, t: Task, bgs: PonBackgrounds): TaskResult {
  const seed = taskSeed(runSeed, t);
  const rng = createRng(seed);
  const model = DEFAULT_ERROR_MODEL;
  const salt = (seed & 0xffff) + 1;
  if (t.kind === 'pon' || t.kind === 'reduction') {
    const row = countSite(rng, t.kind === 'reduction' ? { ...model, damage: 0 } : model, t.arm, t.depth, 0, salt);
    return { depth: row.depth, alt: row.altCount, detected: false, estimate: NaN, method: '', row: t.kind === 'pon' ? row : undefined };
  }
  const bg = bgs[t.arm];
  if (!bg) throw new Error(`accuracy: no PoN for arm ${t.arm}`);
  if (t.kind === 'site') {
    const row = countSite(rng, model, t.arm, t.depth, t.vaf, salt);
    const called = callRow(row, bg, SITE_ALPHA, MIN_DEPTH);
    return { depth: row.depth, alt: row.altCount, detected: called.call === 'detected', estimate: NaN, method: '' };
  }
  const rows: CalledRow[] = [];
  let depth = 0;
  let alt = 0;
  for (let s = 0; s < SAMPLE_SITES; s++) {
    const row = countSite(rng, model, t.arm, t.depth, t.vaf, salt + s * 0x10000);
    depth += row.depth;
    alt += row.altCount;
    rows.push(callRow(row, bg, SITE_ALPHA, MIN_DEPTH));
  }
  const s = summarizeSample(rows, { sample: 'sim', alpha: SAMPLE_ALPHA, siteAlpha: SITE_ALPHA, minDepth: MIN_DEPTH, background: 'pon' });
  return { depth, alt, detected: s.detected, estimate: s.tumour_fraction.estimate, method: s.settings.p_value_method };
}
