/**
 * Per-site trend of one window draw from the same model as the tumour level
 * (docs/methods/statistics.md §7): each site against its own nadir phase (the site's lowest
 * consistent draws of the current therapy line before the draw), with the patient's between-draw
 * variation (a site's level moves with the draw's level) and the site's sampling error. The
 * two-sided p of each site (twice the smaller one-sided p) is adjusted by Benjamini–Hochberg across
 * the sites given (false discovery rate), and the word follows:
 *   emerged  — not detected in any nadir-phase draw, detected now, q < α;
 *   cleared  — detected in a nadir-phase draw, not detected now, q < α and a fall;
 *   rising   — q < α, a rise, fold ≥ the policy fold;
 *   falling  — q < α, a fall, fold ≤ 1/the policy fold;
 *   stable   — otherwise; not_assessable — no earlier draw of the line, or no read to compare.
 * "Detected" is the calling stage's per-draw call when given (SeriesSite.detected), else any alt read.
 */
import { bhAdjust } from '../../stats/multiplicity.js';
import { contrastBound, fallPValue, makeContrast, risePValue } from './contrast.js';
import { selectPhase } from './phase.js';
import type { SeriesDraw, SeriesSite, SiteTrend, SiteTrendWord } from './types.js';

export interface TrendInput {
  draws: SeriesDraw[];
  sites: SeriesSite[];
  /** The draw assessed (index into draws). */
  target: number;
  therapyStartDay: number | null;
  /** Between-draw variance (log scale) and its df, e.g. MolecularChange.between_draw (sigma², df). */
  sigma2: number;
  sigmaDf: number;
  settings: { fold: number; alpha: number; intervalLevel: number; phaseAlpha: number };
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function siteTrends(input: TrendInput): SiteTrend[] {
  const { draws, target: w, settings } = input;
  const inLine = (t: number) => input.therapyStartDay === null || draws[t].day >= input.therapyStartDay;
  const twoSided = 1 - (1 - settings.intervalLevel) / 2;
  const rows = input.sites.map((site) => {
    const alt = [site.alt];
    const depth = [site.depth];
    const detected = (t: number) => (site.detected ? site.detected[t] : site.alt[t] > 0);
    const base: SiteTrend = {
      key: site.key,
      label: site.label,
      sample: draws[w].sample,
      trend: 'not_assessable',
      fold: null,
      fold_infinite: false,
      low: null,
      high: null,
      p_value: null,
      q_value: null,
      nadir_draws: [],
      note: null,
    };
    const candidates = draws.map((_, t) => t).filter((t) => t < w && inLine(t) && site.depth[t] > 0);
    if (!inLine(w))
      return { row: { ...base, note: 'drawn before the current therapy started' }, p: NaN, contrast: null, phase: [] as number[] };
    if (!(site.depth[w] > 0)) return { row: { ...base, note: 'no read at this site in this draw' }, p: NaN, contrast: null, phase: [] };
    if (candidates.length === 0)
      return {
        row: { ...base, note: 'no earlier draw of the current therapy line with reads at this site' },
        p: NaN,
        contrast: null,
        phase: [],
      };
    const background = [site.background ?? 0];
    const phase = selectPhase(alt, depth, candidates, input.sigma2, 1, settings.phaseAlpha, { background });
    const contrast = makeContrast(alt, depth, phase, w, input.sigma2, input.sigmaDf, 1, { background });
    const lam = contrast.logFold;
    const nadir = phase.map((t) => draws[t].sample);
    if (Number.isNaN(lam))
      return {
        row: {
          ...base,
          nadir_draws: nadir,
          note:
            contrast.sampled.atBackground === 0
              ? 'no alt read in the nadir phase nor in this draw'
              : "no more alt reads in the nadir phase and this draw than the site's background explains",
        },
        p: NaN,
        contrast: null,
        phase,
      };
    const p = Math.min(1, 2 * Math.min(risePValue(contrast), fallPValue(contrast)));
    return {
      row: {
        ...base,
        nadir_draws: nadir,
        fold: fin(Math.exp(lam)),
        fold_infinite: lam === Infinity,
        low: Math.exp(contrastBound(contrast, twoSided, 'low')),
        high: fin(Math.exp(contrastBound(contrast, twoSided, 'high'))),
        p_value: p,
      },
      p,
      contrast,
      phase,
      detectedBefore: phase.some(detected),
      detectedNow: detected(w),
    };
  });
  const q = bhAdjust(rows.map((r) => r.p));
  return rows.map((r, i) => {
    if (r.contrast === null) return r.row;
    const lam = r.contrast.logFold;
    const sig = q[i] < settings.alpha;
    const logF = Math.log(settings.fold);
    let trend: SiteTrendWord = 'stable';
    const info = r as { detectedBefore: boolean; detectedNow: boolean };
    if (sig && lam > 0 && !info.detectedBefore && info.detectedNow) trend = 'emerged';
    else if (sig && lam < 0 && info.detectedBefore && !info.detectedNow) trend = 'cleared';
    else if (sig && lam > 0 && lam >= logF) trend = 'rising';
    else if (sig && lam < 0 && lam <= -logF) trend = 'falling';
    return { ...r.row, trend, q_value: q[i] };
  });
}
