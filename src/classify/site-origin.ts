/**
 * Where a plasma variant comes from, per patient and site: the tumour, clonal haematopoiesis (CH)
 * or the germline. Only `tumour` sites may ever count as evidence of diffuse progression or enter
 * the tumour fraction. Pure: the same series, white-cell counts, gene list and policy give the same
 * answer. See docs/methods/policy.md ("Clonal haematopoiesis and germline variants").
 */
import { betaBinomLogUpperTail, binomLogUpperTail } from '../stats/binomial.js';
import { wilsonInterval } from '../stats/wilson.js';
import { germlineLikeSites, inGermlineBand } from '../timeline/germline-like.js';
import type { SiteCall } from '../timeline/types.js';
import { benjaminiHochberg } from './multiplicity.js';
import type { PolicyRules } from './policy.js';

/**
 * A site's alt/depth in the patient's matched white cells (buffy coat) and the background the
 * white-cell test compares it with: `backgroundRate` is the assay's per-site error rate (panel of
 * normals, its substitution class, or the default), `dispersion` the ICC of a new sample's count
 * around it (the background's between-sample ICC plus the uncertainty of its rate; 0 = binomial).
 */
export interface WhiteCellCounts {
  alt: number;
  depth: number;
  backgroundRate: number;
  dispersion?: number;
}

export type SiteOrigin =
  /** Tumour DNA, or nothing says otherwise. */
  | 'tumour'
  /** Carried by at least half of the panel of normals: a common germline variant or CH, for every patient. */
  | 'panel_of_normals'
  /** CH-prone gene seen in plasma only: not in the tissue, no white cells to test. */
  | 'possible_ch'
  /** Significant in the patient's white cells, not at a germline level, plasma not above it. */
  | 'ch_in_white_cells'
  /** Significant in the white cells at a heterozygous or homozygous level. */
  | 'germline_in_white_cells'
  /** Near 0.5 or 1 in every plasma draw while the tumour markers are far lower (no white cells needed). */
  | 'germline_like';

export interface SeriesPoint {
  alt: number;
  depth: number;
  call: SiteCall;
  lod: number | null;
}

export interface SiteSeries {
  key: string;
  gene: string;
  protein: string;
  /** In the patient's tumour (tissue) VCF. */
  tumourInformed: boolean;
  /** Confirmed somatic against a matched normal (never dropped by its VAF alone). */
  tissueSomatic: boolean;
  /** Flagged by the panel of normals (timeline `germline_or_ch`). */
  panelOfNormals?: boolean;
  /** The draws the classification may use (on or before the window end), in date order. */
  points: SeriesPoint[];
}

export interface WhiteCellResult {
  alt: number;
  depth: number;
  vaf: number;
  pValue: number;
  /** Benjamini–Hochberg adjusted over the patient's sites with white-cell counts. */
  qValue: number;
  /** Smallest VAF the white-cell test detects with the policy's power at this depth. */
  lod: number;
}

export interface SiteOriginResult {
  key: string;
  label: string;
  origin: SiteOrigin;
  /** Why, in words a tumour board reads. */
  reason: string;
  whiteCells: WhiteCellResult | null;
}

export const label = (s: { gene: string; protein: string }) => `${s.gene} ${s.protein}`.trim();
export const pct = (v: number) => `${(100 * v).toPrecision(2)}%`;
const fmtQ = (q: number) => (q < 1e-4 ? q.toExponential(1) : q.toPrecision(2));

const vafOf = (p: SeriesPoint) => (p.depth > 0 ? p.alt / p.depth : Number.NaN);
const informative = (p: SeriesPoint) => p.call !== 'low_depth' && p.depth > 0;

/** One-sided P(K ≥ alt) under the white-cell background (beta-binomial when a dispersion is given). */
export function whiteCellPValue(c: WhiteCellCounts): number {
  if (c.depth <= 0) return 1;
  const rho = c.dispersion ?? 0;
  return Math.exp(
    rho > 1e-8 ? betaBinomLogUpperTail(c.alt, c.depth, c.backgroundRate, rho) : binomLogUpperTail(c.alt, c.depth, c.backgroundRate),
  );
}

/**
 * The smallest VAF v for which P(K ≥ k*) ≥ power, where k* is the smallest count with
 * P(K ≥ k* | background) ≤ alpha: what the white cells at this depth can see (binomial; bisection
 * on v to 1e-7).
 */
export function whiteCellLod(depth: number, backgroundRate: number, alpha: number, power: number): number {
  if (depth <= 0) return 1;
  let k = 1;
  while (k <= depth && Math.exp(binomLogUpperTail(k, depth, backgroundRate)) > alpha) k++;
  if (k > depth) return 1;
  let lo = backgroundRate;
  let hi = 1;
  for (let i = 0; i < 60 && hi - lo > 1e-7; i++) {
    const mid = (lo + hi) / 2;
    if (Math.exp(binomLogUpperTail(k, depth, mid)) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Classifies every site of one patient. Order of evidence:
 * 0. the panel of normals' flag (a variant in at least half the normals is no tumour marker);
 * 1. white cells (when sequenced): significant there (BH over the patient's sites) → CH or
 *    germline for this patient, unless the plasma lower 95% bound exceeds the white-cell upper 95%
 *    bound in some draw (the tumour adds to it);
 * 2. germline-like: VAF in the heterozygous band or ≥ the homozygous minimum in every informative
 *    draw, and ≥ min_ratio_to_tumour × the highest tumour-marker VAF of each draw; a site
 *    confirmed somatic in the tissue is never dropped this way (LOH, high tumour fractions);
 * 3. possible CH: a CH-prone gene detected in plasma, not in the tissue VCF, and no white-cell result able to clear
 *    it (none sequenced, or the plasma VAF below the white cells' LoD);
 * 4. otherwise tumour.
 */
export function classifySiteOrigins(
  sites: readonly SiteSeries[],
  whiteCells: ReadonlyMap<string, WhiteCellCounts> | null,
  chGenes: ReadonlySet<string>,
  rules: Pick<PolicyRules, 'clonal_haematopoiesis' | 'germline'>,
): SiteOriginResult[] {
  const ch = rules.clonal_haematopoiesis;
  const g = rules.germline;

  // 1. White cells: one test per site, FDR across the patient's sites.
  const wc = new Map<string, WhiteCellResult>();
  if (whiteCells) {
    const tested = sites.filter((s) => whiteCells.has(s.key));
    const p = tested.map((s) => whiteCellPValue(whiteCells.get(s.key)!));
    const q = benjaminiHochberg(p);
    tested.forEach((s, i) => {
      const c = whiteCells.get(s.key)!;
      wc.set(s.key, {
        alt: c.alt,
        depth: c.depth,
        vaf: c.depth > 0 ? c.alt / c.depth : 0,
        pValue: p[i],
        qValue: q[i],
        lod: whiteCellLod(c.depth, c.backgroundRate, ch.white_cell_fdr, ch.white_cell_power),
      });
    });
  }

  // 2. Germline-like: the VAF band in every draw, far above the tumour markers (germline-like.ts).
  // Only a variant actually seen in plasma can be CH: an undetected panel hotspot in TP53 is no finding.
  const maybeCh = (s: SiteSeries) => chGenes.has(s.gene.toUpperCase()) && !s.tumourInformed && s.points.some((p) => p.call === 'detected');
  const candidates = sites.filter((s) => !s.panelOfNormals);
  const germline = germlineLikeSites(candidates, (m) => !maybeCh(m as SiteSeries), g);

  return sites.map((s): SiteOriginResult => {
    const name = label(s);
    const w = wc.get(s.key) ?? null;
    const base = { key: s.key, label: name, whiteCells: w };
    const pts = s.points.filter(informative);

    if (s.panelOfNormals) {
      return {
        ...base,
        origin: 'panel_of_normals',
        reason: `${name} is carried by at least half of the panel of normals: germline or clonal haematopoiesis, not tumour DNA`,
      };
    }
    if (w && w.qValue <= ch.white_cell_fdr) {
      const atGermlineLevel = inGermlineBand(w.vaf, g);
      const wHigh = wilsonInterval(w.alt, w.depth).high;
      const tumourAbove = pts.some((p) => wilsonInterval(p.alt, p.depth).low > wHigh);
      if (!tumourAbove) {
        return {
          ...base,
          origin: atGermlineLevel ? 'germline_in_white_cells' : 'ch_in_white_cells',
          reason: atGermlineLevel
            ? `${name} found in the white cells at ${pct(w.vaf)}: germline, not tumour DNA`
            : `${name} found in the white cells at ${pct(w.vaf)} (${w.alt}/${w.depth}, q = ${fmtQ(w.qValue)}): clonal haematopoiesis, not tumour DNA`,
        };
      }
      return {
        ...base,
        origin: 'tumour',
        reason: `${name} is also in the white cells (${pct(w.vaf)}), but plasma exceeds that level: tumour DNA adds to it`,
      };
    }

    const gl = germline.get(s.key);
    if (gl?.verdict === 'germline_like') {
      return {
        ...base,
        origin: 'germline_like',
        reason: `${name} at ${pct(gl.low)}–${pct(gl.high)} in every draw while the tumour markers are at most ${pct(gl.tumourTop)}: germline-like, not used for the tumour fraction`,
      };
    }
    if (gl?.verdict === 'not_excluded') {
      return {
        ...base,
        origin: 'tumour',
        reason: `${name} is near a germline level in every draw, but no other marker can show the tumour is lower: germline not excluded`,
      };
    }

    if (maybeCh(s)) {
      const plasmaTop = Math.max(0, ...pts.map(vafOf));
      if (w && plasmaTop < w.lod) {
        return {
          ...base,
          origin: 'possible_ch',
          reason: `${name}: possible clonal haematopoiesis: the white cells (${w.depth} reads, LoD ${pct(w.lod)}) are too shallow to exclude it at the plasma level ${pct(plasmaTop)}`,
        };
      }
      if (!w) {
        return {
          ...base,
          origin: 'possible_ch',
          reason: `${name} (plasma only, CH-prone gene, not in the tissue): possible clonal haematopoiesis: white-cell sequencing recommended`,
        };
      }
    }
    return { ...base, origin: 'tumour', reason: '' };
  });
}

/** Only tumour sites may count as evidence of (diffuse) progression or enter the tumour fraction. */
export function countsAsTumour(origin: SiteOrigin): boolean {
  return origin === 'tumour';
}
