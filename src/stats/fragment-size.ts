/**
 * Fragment-size-weighted per-sample test. Tumour-derived cfDNA fragments are shorter than those
 * from normal cells (by ~20 bp around the 167-bp mononucleosome peak: Underhill et al. 2016 PLoS
 * Genet 12:e1006162; enrichment at 90–150 bp: Mouliere et al. 2018 Sci Transl Med 10:eaat4921).
 * INVAR weights each read by P(length | mutant) / P(length | normal); here that ratio enters a
 * per-read mixture likelihood. Each read at site i with fragment length l and allele a has
 *   P(alt, l) = p(1−e)·T(l) + (1−p)·e·N(l)        P(ref, l) = p·e·T(l) + (1−p)(1−e)·N(l)
 * N = the sample's own ref-supporting fragment lengths (pooled over the sites), T = N shifted
 * shorter by TUMOUR_SHIFT_BP (a prior, since one sample has too few alt reads to estimate T).
 * Dividing by N(l), which both hypotheses share, leaves w(l) = T(l)/N(l). With w ≡ 1 this is the
 * unweighted test of sample-test.ts. The p-value is a seeded Monte Carlo under the null: alt counts
 * ~ Binomial(n_i, e_i) with lengths drawn from N, ref lengths held at their observed histogram
 * (½χ²₁ instead when 20 or more background reads are expected, as in the unweighted test).
 */
import type { ObservationTable } from '../count/types.js';
import { AlleleCode, FLAG } from '../count/types.js';
import { chiSq1UpperTail } from './binomial.js';
import { binomialCdfTable, drawFromCdf, MC_EXPECTED_BACKGROUND, Xoshiro128 } from './rng.js';
import type { FragmentSizeResult, SiteFragmentLengths } from './types.js';

export const BIN_WIDTH = 10;
export const MIN_LENGTH = 50;
export const MAX_LENGTH = 500;
export const TUMOUR_SHIFT_BP = 20;
const N_BINS = (MAX_LENGTH - MIN_LENGTH) / BIN_WIDTH + 2; // + under/overflow bins
const MC_DRAWS = 2000;
export const MIN_NORMAL_FRAGMENTS = 200;
const MC_EXCEEDANCES = 20;
const SEED = 0xf5a9_0001;

export function lengthBin(len: number): number {
  if (len < MIN_LENGTH) return 0;
  if (len >= MAX_LENGTH) return N_BINS - 1;
  return 1 + Math.floor((len - MIN_LENGTH) / BIN_WIDTH);
}

/**
 * Per-site ref/alt fragment lengths from the observations: one per fragment, base quality passed,
 * paired reads only (an unpaired read's "length" is its alignment, not its fragment).
 */
export function fragmentLengthsFromObservations(obs: ObservationTable, nSites: number, minBaseq: number): SiteFragmentLengths[] {
  const out: SiteFragmentLengths[] = Array.from({ length: nSites }, () => ({ ref: [], alt: [] }));
  const seen = new Set<string>();
  for (let i = 0; i < obs.length; i++) {
    const q = obs.qual[i];
    if (q !== 255 && q < minBaseq) continue;
    if (!(obs.flag[i] & FLAG.PAIRED) || obs.mateStart0[i] < 0 || obs.fragLen[i] <= 0) continue;
    // One fragment once: the second mate of a pair seen at the same site is skipped.
    const key = `${obs.site[i]}:${obs.nameHashHi[i]}:${obs.nameHashLo[i]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const a = obs.allele[i];
    if (a === AlleleCode.REF) out[obs.site[i]].ref.push(obs.fragLen[i]);
    else if (a === AlleleCode.ALT) out[obs.site[i]].alt.push(obs.fragLen[i]);
  }
  return out;
}

interface WeightedSite {
  e: number;
  n: number;
  refHist: Float64Array;
  altHist: Float64Array;
}

/** log w per bin from the pooled normal histogram: T(l) = N(l + shift), both with ½ pseudocounts. */
export function lengthLogWeights(normalHist: Float64Array, shiftBp = TUMOUR_SHIFT_BP): Float64Array {
  const shiftBins = Math.round(shiftBp / BIN_WIDTH);
  const N = Float64Array.from(normalHist, (c) => c + 0.5);
  const T = new Float64Array(N.length);
  for (let b = 0; b < N.length; b++) {
    const src = b + shiftBins;
    // Inner bins take the count of the bin `shift` longer; the edges keep their own mass.
    T[b] = b === 0 || b === N.length - 1 ? N[b] : src < N.length - 1 ? N[src] : 0.5;
  }
  const sN = N.reduce((a, b) => a + b, 0);
  const sT = T.reduce((a, b) => a + b, 0);
  return Float64Array.from(N, (n, b) => Math.log(T[b] / sT) - Math.log(n / sN));
}

/**
 * The weighted log-likelihood as a sum of terms c·log(A·p + B), one per non-empty (site, allele,
 * length bin): alt: A = (1−e)w − e, B = e; ref: A = e·w − (1−e), B = 1 − e.
 */
interface Terms {
  c: number[];
  A: number[];
  B: number[];
}

function addTerms(t: Terms, site: WeightedSite, w: Float64Array, which: 'alt' | 'ref'): void {
  const e = site.e;
  const hist = which === 'alt' ? site.altHist : site.refHist;
  for (let b = 0; b < w.length; b++) {
    if (hist[b] === 0) continue;
    t.c.push(hist[b]);
    if (which === 'alt') {
      t.A.push((1 - e) * w[b] - e);
      t.B.push(e);
    } else {
      t.A.push(e * w[b] - (1 - e));
      t.B.push(1 - e);
    }
  }
}

/** Terms with equal (A, B) — the same bin at sites with the same background — merged: exact. */
function mergeTerms(t: Terms): Terms {
  const at = new Map<string, number>();
  const out: Terms = { c: [], A: [], B: [] };
  for (let i = 0; i < t.c.length; i++) {
    const key = `${t.A[i]}:${t.B[i]}`;
    const j = at.get(key);
    if (j !== undefined) out.c[j] += t.c[i];
    else {
      at.set(key, out.c.length);
      out.c.push(t.c[i]);
      out.A.push(t.A[i]);
      out.B.push(t.B[i]);
    }
  }
  return out;
}

function termsOf(sites: WeightedSite[], w: Float64Array): Terms {
  const t: Terms = { c: [], A: [], B: [] };
  for (const site of sites) {
    addTerms(t, site, w, 'alt');
    addTerms(t, site, w, 'ref');
  }
  return mergeTerms(t);
}

function termsLogLik(t: Terms, p: number): number {
  let s = 0;
  for (let i = 0; i < t.c.length; i++) s += t.c[i] * Math.log(t.A[i] * p + t.B[i]);
  return s;
}

/** Concave in p: MLE by Newton steps inside a bisection bracket (as mleFraction). */
function termsMle(t: Terms): number {
  const score = (p: number): number => {
    let s = 0;
    for (let i = 0; i < t.c.length; i++) s += (t.c[i] * t.A[i]) / (t.A[i] * p + t.B[i]);
    return s;
  };
  const curvature = (p: number): number => {
    let s = 0;
    for (let i = 0; i < t.c.length; i++) {
      const d = t.A[i] * p + t.B[i];
      s -= (t.c[i] * t.A[i] * t.A[i]) / (d * d);
    }
    return s;
  };
  if (score(0) <= 0) return 0;
  let lo = 0;
  let hi = 1 - 1e-9;
  if (score(hi) >= 0) return hi;
  let p = 1e-4;
  for (let it = 0; it < 100; it++) {
    const sc = score(p);
    if (sc > 0) lo = p;
    else hi = p;
    if (hi - lo <= 1e-12 * hi) break;
    let next = p - sc / curvature(p);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - p) <= 1e-13 * p) return next;
    p = next;
  }
  return p;
}

/** Weighted GLRT statistic T = 2(logL(p̂) − logL(0)) and p̂. */
export function weightedStatistic(sites: WeightedSite[], w: Float64Array): { pHat: number; T: number } {
  return statisticOfTerms(termsOf(sites, w));
}

function statisticOfTerms(t: Terms): { pHat: number; T: number } {
  const pHat = termsMle(t);
  if (pHat === 0) return { pHat, T: 0 };
  return { pHat, T: Math.max(0, 2 * (termsLogLik(t, pHat) - termsLogLik(t, 0))) };
}

/**
 * The weighted test over the informative sites. `backgrounds[i]` is site i's background rate;
 * `unweightedDetected` is the unweighted call, to report whether the weighting changes it.
 */
export function fragmentSizeTest(
  lengths: SiteFragmentLengths[],
  backgrounds: number[],
  alpha: number,
  unweightedDetected: boolean,
): FragmentSizeResult | undefined {
  const normal = new Float64Array(N_BINS);
  let fragments = 0;
  for (const l of lengths)
    for (const len of l.ref) {
      normal[lengthBin(len)]++;
      fragments++;
    }
  // The normal length distribution is estimated from the sample: below this many ref fragments
  // the histogram (and so every weight) is noise, and the weighted test is not reported.
  if (fragments < MIN_NORMAL_FRAGMENTS) return undefined;
  const w = Float64Array.from(lengthLogWeights(normal), Math.exp);
  const sites: WeightedSite[] = lengths.map((l, i) => {
    const refHist = new Float64Array(N_BINS);
    const altHist = new Float64Array(N_BINS);
    for (const len of l.ref) refHist[lengthBin(len)]++;
    for (const len of l.alt) altHist[lengthBin(len)]++;
    return { e: backgrounds[i], n: l.ref.length + l.alt.length, refHist, altHist };
  });
  const { T } = weightedStatistic(sites, w);
  let p = 1;
  let expected = 0;
  for (const s of sites) expected += s.n * s.e;
  if (T > 0 && expected >= MC_EXPECTED_BACKGROUND) p = 0.5 * chiSq1UpperTail(T);
  else if (T > 0) {
    // Null draws: alt counts ~ Binomial(n, e), their lengths ~ N; ref histograms as observed.
    const rng = new Xoshiro128(SEED);
    const total = normal.reduce((a, b) => a + b, 0) + 0.5 * N_BINS;
    const cdfN = new Float64Array(N_BINS);
    let acc = 0;
    for (let b = 0; b < N_BINS; b++) cdfN[b] = acc += (normal[b] + 0.5) / total;
    const countTables = sites.map((s) => binomialCdfTable(s.n, s.e));
    // Ref terms are fixed across draws; only the few alt terms are redrawn.
    let refTerms: Terms = { c: [], A: [], B: [] };
    for (const site of sites) addTerms(refTerms, site, w, 'ref');
    refTerms = mergeTerms(refTerms);
    const altHist = new Float64Array(N_BINS);
    let exceed = 0;
    let draws = 0;
    while (draws < MC_DRAWS && exceed < MC_EXCEEDANCES) {
      draws++;
      const t: Terms = { c: [...refTerms.c], A: [...refTerms.A], B: [...refTerms.B] };
      sites.forEach((site, i) => {
        const k = drawFromCdf(countTables[i], rng.next());
        if (k === 0) return;
        altHist.fill(0);
        for (let j = 0; j < k; j++) altHist[drawFromCdf(cdfN, rng.next())]++;
        addTerms(t, { ...site, altHist }, w, 'alt');
      });
      if (t.c.length === refTerms.c.length) continue; // no alt read: T = 0
      if (statisticOfTerms(t).T >= T * (1 - 1e-9)) exceed++;
    }
    p = exceed >= MC_EXCEEDANCES ? exceed / draws : (exceed + 1) / (draws + 1);
  }
  const detected = p <= alpha;
  return {
    p_value: p,
    lr_statistic: T,
    detected,
    changes_call: detected !== unweightedDetected,
    bins: Array.from({ length: N_BINS }, (_, b) => (b === 0 ? 0 : MIN_LENGTH + (b - 1) * BIN_WIDTH)),
    log_weights: Array.from(w, (x) => Math.log(x)),
  };
}
