/**
 * The per-site test's actual size against its nominal α with panels of normals of 5, 10, 20 and 50
 * samples (`npm run accuracy`, docs/methods/accuracy.md), at the count level: one substitution class
 * of 40 sites, each with its own true background rate (class rate 1e-4 × exp(N(0, 0.5²))) and a
 * between-sample beta-binomial ICC ρ; normals and tested samples at 3,000×. In every panel one
 * normal carries a variant at 5% at two of the sites (a clonal-haematopoiesis donor). Each tested
 * sample is a null sample of the same site (no tumour): the share of p ≤ α is the actual size.
 * The panel is built by stats/pon.ts (empirical Bayes); beside it, the previous construction
 * (MoM ρ clamped at 0, a fixed 10,000-read pseudo-depth, a carrier excluding the site for everyone)
 * for reference.
 */
import type { Site, SiteCounts } from '../count/types.js';
import { siteP } from '../stats/annotate.js';
import { backgroundFor } from '../stats/background.js';
import { momDispersion } from '../stats/dispersion.js';
import { buildPon, formatPon, parsePon } from '../stats/pon.js';
import { betaDraw, binomialDraw, normalDraw, Xoshiro128 } from '../stats/rng.js';
import { hashString32, mix32 } from '../simulate/rng.js';

export const PON_SIZES = [5, 10, 20, 50];
export const PON_ICCS = [2e-4, 1e-3];
export const PON_SITES = 40;
export const PON_DEPTH = 3000;
export const CLASS_RATE = 1e-4;
export const NULL_SAMPLES_PER_SITE = 25;
export const PON_ALPHAS = [0.01, 0.05];

export interface PonCellResult {
  normals: number;
  icc: number;
  panels: number;
  tests: number;
  /** Rejections at each α of PON_ALPHAS: new construction, previous construction. */
  rejections: number[];
  previousRejections: number[];
  /** Sites excluded for every patient (germline_or_chip): new, previous. */
  flagged: number;
  previousFlagged: number;
}

function row(site: Site, depth: number, alt: number): SiteCounts {
  return {
    site,
    depth,
    refCount: depth - alt,
    altCount: alt,
    otherCount: 0,
    deletions: 0,
    insertions: 0,
    altFwd: alt,
    altRev: 0,
    discordantMates: 0,
    meanFragLenRef: NaN,
    meanFragLenAlt: NaN,
    rawRefCount: depth - alt,
    rawAltCount: alt,
    families: 0,
  };
}

function sampleAlt(rng: Xoshiro128, depth: number, mu: number, icc: number): number {
  const p = icc > 0 ? betaDraw(rng, (mu * (1 - icc)) / icc, ((1 - mu) * (1 - icc)) / icc) : mu;
  return binomialDraw(rng, depth, p);
}

export function runPonCell(runSeed: number, normals: number, icc: number, panels: number): PonCellResult {
  const out: PonCellResult = {
    normals,
    icc,
    panels,
    tests: 0,
    rejections: PON_ALPHAS.map(() => 0),
    previousRejections: PON_ALPHAS.map(() => 0),
    flagged: 0,
    previousFlagged: 0,
  };
  const sites: Site[] = Array.from({ length: PON_SITES }, (_, i) => ({
    chrom: 'chr1',
    pos1: 1000 + 10 * i,
    ref: 'C',
    alt: 'T',
    gene: '',
    protein: '',
    id: `s${i}`,
  }));
  for (let panel = 0; panel < panels; panel++) {
    const rng = new Xoshiro128(mix32(mix32(runSeed >>> 0, hashString32(`pon/${normals}/${icc}`)), panel));
    const mu = sites.map(() => CLASS_RATE * Math.exp(0.5 * normalDraw(rng) - 0.125));
    const counts: SiteCounts[][] = Array.from({ length: normals }, (_, n) =>
      sites.map((s, i) => row(s, PON_DEPTH, n === 0 && i < 2 ? binomialDraw(rng, PON_DEPTH, 0.05) : sampleAlt(rng, PON_DEPTH, mu[i], icc))),
    );
    const pon = parsePon(
      formatPon(buildPon({ sampleNames: counts.map((_, n) => `n${n}`), build: 'unknown', sites, siteCounts: counts, settingsText: 'sim' })),
      'sim.tsv',
    );
    // The previous construction: pooled class rate, fixed 10,000 pseudo-reads, MoM ρ clamped at 0, carrier → site excluded.
    let classAlt = 0;
    let classDepth = 0;
    const carrierSite = sites.map((_, i) => counts.some((c) => c[i].altCount >= 3 && c[i].altCount / c[i].depth > 0.01));
    sites.forEach((_, i) => {
      if (carrierSite[i]) return;
      for (const c of counts) {
        classAlt += c[i].altCount;
        classDepth += c[i].depth;
      }
    });
    const classRate = (classAlt + 0.5) / (classDepth + 1);
    sites.forEach((s, i) => {
      const bg = backgroundFor(pon, s);
      if (bg.germlineOrChip) out.flagged++;
      if (carrierSite[i]) out.previousFlagged++;
      const alts = counts.map((c) => c[i].altCount);
      const depths = counts.map((c) => c[i].depth);
      const a = alts.reduce((x, y) => x + y, 0);
      const d = depths.reduce((x, y) => x + y, 0);
      const previous = { rate: (a + 10_000 * classRate) / (d + 10_000), dispersion: momDispersion(alts, depths), priorDepth: d + 10_000 };
      for (let k = 0; k < NULL_SAMPLES_PER_SITE; k++) {
        const x = sampleAlt(rng, PON_DEPTH, mu[i], icc);
        out.tests++;
        const p = bg.germlineOrChip ? 1 : siteP(x, PON_DEPTH, bg);
        const pPrev = carrierSite[i] ? 1 : siteP(x, PON_DEPTH, previous);
        PON_ALPHAS.forEach((alpha, j) => {
          if (p <= alpha) out.rejections[j]++;
          if (pPrev <= alpha) out.previousRejections[j]++;
        });
      }
    });
  }
  return out;
}
