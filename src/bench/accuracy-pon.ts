/**
 * The per-site test's actual size against its nominal α with panels of normals of 5, 10, 20 and 50
 * samples (`npm run accuracy -- --section pon`, docs/methods/accuracy.md), at the count level: one
 * substitution class of 40 PoN sites plus 8 sites the PoN lacks (class fallback), each with its own
 * true background rate (class rate 1e-4 × exp(N(0, 0.5²))) and a between-sample beta-binomial ICC ρ
 * shared by normals and tested plasma; each normal has its own depth (3,000 × exp(N(0, 0.3²))). In
 * every panel one normal carries a variant at 5% at two of the sites (a clonal-haematopoiesis donor).
 * A null sample (3,000×, no tumour) draws its own rate around the site's; the share of p ≤ α is the
 * actual size. Power: a sample with tumour allele fraction f at 1,000× or 3,000×. The PoN is built
 * and read back through its text format by stats/pon.ts; "plug-in" is the same PoN with the
 * posterior of ρ replaced by its mean (the format-2 test), to show what carrying ρ's uncertainty does.
 */
import type { Site, SiteCounts } from '../count/types.js';
import { observedAltRate } from '../stats/lod.js';
import { backgroundFor } from '../stats/background.js';
import { buildPon, formatPon, parsePon } from '../stats/pon.js';
import { betaDraw, binomialDraw, normalDraw, Xoshiro128 } from '../stats/rng.js';
import { siteEffectiveAlpha, siteNullTail } from '../stats/site-null.js';
import type { SiteBackground } from '../stats/types.js';
import { hashString32, mix32 } from '../simulate/rng.js';
import { altDepthCounts } from '../simulate/site-counts.js';

export const PON_SIZES = [5, 10, 20, 50];
export const PON_ICCS = [0, 2e-4, 1e-3, 3e-3];
export const PON_SITES = 40;
export const FALLBACK_SITES = 8;
export const PON_DEPTH = 3000;
export const NORMAL_DEPTH_SD_LOG = 0.3;
export const CLASS_RATE = 1e-4;
export const SITE_RATE_SD_LOG = 0.5;
export const NULL_SAMPLES_PER_SITE = 20;
export const PON_ALPHAS = [0.01, 0.05];
/** Robustness cells: sites of the class differ in ρ (log-SD of a site's ρ around the class's). */
export const HETEROGENEOUS_ICCS = [1e-3, 3e-3];
export const ICC_SD_LOG = 0.7;
/** Panels per cell in `npm run accuracy`. */
export const PON_PANELS = 400;
/** Power cells: (depth, tumour allele fraction). */
export const POWER_CELLS: readonly { depth: number; vaf: number }[] = [
  { depth: 1000, vaf: 0.005 },
  { depth: 1000, vaf: 0.01 },
  { depth: 3000, vaf: 0.002 },
  { depth: 3000, vaf: 0.005 },
  { depth: 3000, vaf: 0.01 },
];

/** Rejection counts of one method: at each α of PON_ALPHAS, and per panel at α = 1% (for the cluster SE). */
export interface MethodTally {
  rejections: number[];
  perPanel: number[];
  fallbackRejections: number;
  fallbackPerPanel: number[];
  power: number[];
}

export interface PonCellResult {
  normals: number;
  icc: number;
  iccSdLog: number;
  panels: number;
  tests: number;
  fallbackTests: number;
  powerTests: number;
  mixture: MethodTally;
  plugIn: MethodTally;
  /** Sites excluded for every patient (germline_or_chip). */
  flagged: number;
  /** Mean effective α at 3,000× reported by the tool for the PoN sites (α = 1%). */
  effectiveAlpha: number;
}

function sampleRate(rng: Xoshiro128, mu: number, icc: number): number {
  return icc > 0 ? betaDraw(rng, (mu * (1 - icc)) / icc, ((1 - mu) * (1 - icc)) / icc) : mu;
}

function tally(): MethodTally {
  return {
    rejections: PON_ALPHAS.map(() => 0),
    perPanel: [],
    fallbackRejections: 0,
    fallbackPerPanel: [],
    power: POWER_CELLS.map(() => 0),
  };
}

/** Mean and the upper limit of its 95% interval, panels as clusters (tests within a panel share its estimates). */
export function clusteredUpper(perPanel: number[], testsPerPanel: number): { mean: number; upper: number } {
  const shares = perPanel.map((r) => r / testsPerPanel);
  const m = shares.reduce((a, b) => a + b, 0) / shares.length;
  const v = shares.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, shares.length - 1);
  // A cell with no rejection: the binomial rule of three over all tests instead of a zero SE.
  const se = Math.sqrt(v / shares.length);
  return { mean: m, upper: m === 0 ? 3 / (testsPerPanel * shares.length) : m + 1.96 * se };
}

/**
 * `iccSdLog` > 0: each site's ICC is ρ·exp(N(0, iccSdLog²) − iccSdLog²/2) (sites of one class that
 * differ in over-dispersion, which the class posterior does not model).
 */
export function runPonCell(runSeed: number, normals: number, icc: number, panels: number, iccSdLog = 0): PonCellResult {
  const out: PonCellResult = {
    normals,
    icc,
    iccSdLog,
    panels,
    tests: 0,
    fallbackTests: 0,
    powerTests: 0,
    mixture: tally(),
    plugIn: tally(),
    flagged: 0,
    effectiveAlpha: 0,
  };
  const sites: Site[] = Array.from({ length: PON_SITES + FALLBACK_SITES }, (_, i) => ({
    chrom: 'chr1',
    pos1: 1000 + 10 * i,
    ref: 'C',
    alt: 'T',
    gene: '',
    protein: '',
    id: `s${i}`,
  }));
  const ponSites = sites.slice(0, PON_SITES);
  let effSum = 0;
  for (let panel = 0; panel < panels; panel++) {
    const rng = new Xoshiro128(mix32(mix32(runSeed >>> 0, hashString32(`pon/${normals}/${icc}/${iccSdLog}`)), panel));
    const mu = sites.map(() => CLASS_RATE * Math.exp(SITE_RATE_SD_LOG * normalDraw(rng) - SITE_RATE_SD_LOG ** 2 / 2));
    const rho = sites.map(() => (iccSdLog > 0 ? icc * Math.exp(iccSdLog * normalDraw(rng) - iccSdLog ** 2 / 2) : icc));
    const depth = Array.from({ length: normals }, () => Math.round(PON_DEPTH * Math.exp(NORMAL_DEPTH_SD_LOG * normalDraw(rng))));
    const counts: SiteCounts[][] = Array.from({ length: normals }, (_, n) =>
      ponSites.map((s, i) =>
        altDepthCounts(
          s,
          depth[n],
          n === 0 && i < 2 ? binomialDraw(rng, depth[n], 0.05) : binomialDraw(rng, depth[n], sampleRate(rng, mu[i], rho[i])),
        ),
      ),
    );
    const pon = parsePon(
      formatPon(
        buildPon({
          sampleNames: counts.map((_, n) => `n${n}`),
          build: 'unknown',
          sites: ponSites,
          siteCounts: counts,
          settingsText: 'sim',
        }),
      ),
      'sim.tsv',
    );
    const perPanel = { mixture: 0, plugIn: 0, fbMixture: 0, fbPlugIn: 0 };
    sites.forEach((s, i) => {
      const bg = backgroundFor(pon, s);
      const plug: SiteBackground = { ...bg, components: undefined };
      const fallback = i >= PON_SITES;
      if (bg.germlineOrChip) out.flagged++;
      if (!fallback) effSum += siteEffectiveAlpha(PON_DEPTH, bg, PON_ALPHAS[0]);
      for (let k = 0; k < NULL_SAMPLES_PER_SITE; k++) {
        const x = binomialDraw(rng, PON_DEPTH, sampleRate(rng, mu[i], rho[i]));
        const p = bg.germlineOrChip ? 1 : siteNullTail(x, PON_DEPTH, bg);
        const pPlug = bg.germlineOrChip ? 1 : siteNullTail(x, PON_DEPTH, plug);
        if (fallback) {
          out.fallbackTests++;
          if (p <= PON_ALPHAS[0]) {
            out.mixture.fallbackRejections++;
            perPanel.fbMixture++;
          }
          if (pPlug <= PON_ALPHAS[0]) {
            out.plugIn.fallbackRejections++;
            perPanel.fbPlugIn++;
          }
          continue;
        }
        out.tests++;
        PON_ALPHAS.forEach((alpha, j) => {
          if (p <= alpha) out.mixture.rejections[j]++;
          if (pPlug <= alpha) out.plugIn.rejections[j]++;
        });
        if (p <= PON_ALPHAS[0]) perPanel.mixture++;
        if (pPlug <= PON_ALPHAS[0]) perPanel.plugIn++;
      }
      if (fallback || bg.germlineOrChip) return;
      out.powerTests++;
      POWER_CELLS.forEach((cell, j) => {
        const g = observedAltRate(cell.vaf, sampleRate(rng, mu[i], rho[i]));
        const x = binomialDraw(rng, cell.depth, g);
        if (siteNullTail(x, cell.depth, bg) <= PON_ALPHAS[0]) out.mixture.power[j]++;
        if (siteNullTail(x, cell.depth, plug) <= PON_ALPHAS[0]) out.plugIn.power[j]++;
      });
    });
    out.mixture.perPanel.push(perPanel.mixture);
    out.plugIn.perPanel.push(perPanel.plugIn);
    out.mixture.fallbackPerPanel.push(perPanel.fbMixture);
    out.plugIn.fallbackPerPanel.push(perPanel.fbPlugIn);
  }
  out.effectiveAlpha = effSum / (panels * PON_SITES);
  return out;
}

const pct = (x: number, digits = 2): string => `${(100 * x).toFixed(digits)}%`;

/** The pon section's tables (markdown lines). */
export function ponSectionLines(seed: number, panels: number): string[] {
  const lines: string[] = [];
  const say = (s = ''): void => {
    lines.push(s);
  };
  say('## Per-site test: actual size with panels of normals of 5–50 samples');
  say();
  say(
    `Count level (src/bench/accuracy-pon.ts): ${PON_SITES} PoN sites and ${FALLBACK_SITES} sites the PoN lacks (class fallback), one class, true rates ${CLASS_RATE} × exp(N(0, ${SITE_RATE_SD_LOG}²)), between-sample ICC ρ shared by normals and plasma, normals at ${PON_DEPTH.toLocaleString('en-US')} × exp(N(0, ${NORMAL_DEPTH_SD_LOG}²)); one normal per panel carries two sites at 5% (a CH donor); null plasma samples at ${PON_DEPTH.toLocaleString('en-US')}×; ${panels} panels per cell, ${NULL_SAMPLES_PER_SITE} null samples per site (${(panels * PON_SITES * NULL_SAMPLES_PER_SITE).toLocaleString('en-US')} PoN-site tests and ${(panels * FALLBACK_SITES * NULL_SAMPLES_PER_SITE).toLocaleString('en-US')} fallback tests per cell). "upper": upper limit of the 95% interval with panels as clusters. "plug-in": the same PoN with ρ fixed at its posterior mean. Effective α: the tool's own P(false call) at ${PON_DEPTH.toLocaleString('en-US')}× (mean over sites).`,
  );
  say();
  say(
    '| ρ | normals | size at α = 1% (upper) | plug-in (upper) | effective α reported | size at α = 5% (plug-in) | fallback sites at α = 1% (upper) | sites excluded for every patient |',
  );
  say('|---|---|---|---|---|---|---|---|');
  const results: PonCellResult[] = [];
  for (const icc of PON_ICCS) {
    for (const normals of PON_SIZES) {
      const r = runPonCell(seed, normals, icc, panels);
      results.push(r);
      const perSites = PON_SITES * NULL_SAMPLES_PER_SITE;
      const m = clusteredUpper(r.mixture.perPanel, perSites);
      const pl = clusteredUpper(r.plugIn.perPanel, perSites);
      const fb = clusteredUpper(r.mixture.fallbackPerPanel, FALLBACK_SITES * NULL_SAMPLES_PER_SITE);
      say(
        `| ${icc} | ${normals} | ${pct(m.mean)} (${pct(m.upper)}) | ${pct(pl.mean)} (${pct(pl.upper)}) | ${pct(r.effectiveAlpha)} | ${pct(r.mixture.rejections[1] / r.tests)} (${pct(r.plugIn.rejections[1] / r.tests)}) | ${pct(fb.mean)} (${pct(fb.upper)}) | ${r.flagged} of ${panels * PON_SITES} |`,
      );
    }
  }
  say();
  say(
    `Sites that differ in over-dispersion (each site's ρ = the class's × exp(N(0, ${ICC_SD_LOG}²)), mean-preserving; the class posterior assumes one ρ per class), ${panels} panels per cell:`,
  );
  say();
  say('| mean ρ | normals | size at α = 1% (upper) | plug-in (upper) | effective α reported | fallback sites at α = 1% (upper) |');
  say('|---|---|---|---|---|---|');
  for (const icc of HETEROGENEOUS_ICCS) {
    for (const normals of PON_SIZES) {
      const r = runPonCell(seed, normals, icc, panels, ICC_SD_LOG);
      const m = clusteredUpper(r.mixture.perPanel, PON_SITES * NULL_SAMPLES_PER_SITE);
      const pl = clusteredUpper(r.plugIn.perPanel, PON_SITES * NULL_SAMPLES_PER_SITE);
      const fb = clusteredUpper(r.mixture.fallbackPerPanel, FALLBACK_SITES * NULL_SAMPLES_PER_SITE);
      say(
        `| ${icc} | ${normals} | ${pct(m.mean)} (${pct(m.upper)}) | ${pct(pl.mean)} (${pct(pl.upper)}) | ${pct(r.effectiveAlpha)} | ${pct(fb.mean)} (${pct(fb.upper)}) |`,
      );
    }
  }
  say();
  say(`Power at α = 1% (PoN sites without a carrier; ${panels} panels × ${PON_SITES - 2} sites per cell; plug-in in brackets):`);
  say();
  say(`| ρ | normals | ${POWER_CELLS.map((c) => `${(100 * c.vaf).toFixed(1)}% at ${c.depth.toLocaleString('en-US')}×`).join(' | ')} |`);
  say(`|---|---|${POWER_CELLS.map(() => '---|').join('')}`);
  for (const r of results) {
    say(
      `| ${r.icc} | ${r.normals} | ${POWER_CELLS.map((_, j) => `${pct(r.mixture.power[j] / r.powerTests, 1)} (${pct(r.plugIn.power[j] / r.powerTests, 1)})`).join(' | ')} |`,
    );
  }
  return lines;
}
