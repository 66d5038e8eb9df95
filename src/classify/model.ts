/**
 * What the clinical policy reads from the longitudinal model of the tumour signal
 * (timeline/longitudinal, docs/methods/statistics.md): for the clonal set, the model's verdict on
 * the tumour fraction between the current line's nadir phase and the assessment window; for a
 * targetable site outside the clonal set, whether it is rising. The policy decides what a change
 * means; the model decides whether there is one and how sure it is.
 */
import { siteTrends } from '../timeline/longitudinal/trend.js';
import { sigma2OfCv } from '../timeline/longitudinal/variance.js';
import type { BetweenDrawPrior, MolecularChange } from '../timeline/longitudinal/types.js';
import type { PatientTimeline, TimelineSite } from '../timeline/types.js';
import type { FindingTrend, TrendStatus } from './finding.js';
import { seriesOf } from './rule-molecular.js';
import type { Policy } from './policy.js';

export type { FindingTrend, TrendStatus } from './finding.js';

/**
 * The model's verdict on the clonal tumour fraction, window against the nadir phase:
 * - `progression`: Holm p < α and the estimate reaches the policy fold;
 * - `ruled_out`: the one-sided upper bound of the fold is below the policy fold;
 * - `undecided`: neither (the upper bound and the power say how little is known);
 * - `not_evaluable`: no comparison possible (no earlier draw on the line, no read).
 */
export type ChangeDecision = 'progression' | 'ruled_out' | 'undecided' | 'not_evaluable';

export interface ChangeVerdict {
  decision: ChangeDecision;
  /** Window level / nadir level of the decisive window draw; null when not evaluable or infinite. */
  fold: number | null;
  /** Two-sided interval of that fold (policy interval_level). */
  lower: number | null;
  upper: number | null;
  /** One sentence for the rationale (the model's own words, with its caveats). */
  text: string;
}

const stripStop = (s: string) => s.replace(/\.$/, '');

export function verdictOf(change: MolecularChange): ChangeVerdict {
  const c = change.comparisons.find((x) => x.sample === change.decisive_sample) ?? null;
  const caveat = change.caveats.length > 0 ? ` (caveat: ${change.caveats.join('; ')})` : '';
  return {
    decision: change.status,
    fold: c && !c.fold_infinite ? c.fold : null,
    lower: c?.low ?? null,
    upper: c?.high ?? null,
    text: `${stripStop(change.reason)}${caveat}`,
  };
}

export interface TrendRequest {
  timeline: Pick<PatientTimeline, 'draws' | 'sites'>;
  /** Draws of the current line the model may use (baseline and window), in date order. */
  lineIdx: readonly number[];
  windowIdx: readonly number[];
  sites: readonly TimelineSite[];
  therapyStartDay: number | null;
  /** The patient's between-draw variation from the tumour-level fit; null: the prior's. */
  change: MolecularChange | null;
  prior: BetweenDrawPrior;
  policy: Policy;
}

const f2 = (x: number | null) => (x === null ? 'NA' : x.toFixed(2));

export function windowSiteTrends(req: TrendRequest): Map<string, FindingTrend> {
  const out = new Map<string, FindingTrend>();
  if (req.sites.length === 0 || req.windowIdx.length === 0) return out;
  const usedIdx = [...req.lineIdx].sort((a, b) => a - b);
  const series = seriesOf(req.timeline, usedIdx, [...req.sites]);
  const mp = req.policy.rules.molecular_progression;
  const sigma2 = req.change ? req.change.between_draw.sigma ** 2 : sigma2OfCv(req.prior.cv);
  const sigmaDf = req.change ? req.change.between_draw.df : req.prior.df;
  const perDraw = req.windowIdx
    .map((w) => usedIdx.indexOf(w))
    .filter((t) => t >= 0)
    .map((target) =>
      siteTrends({
        draws: series.draws,
        sites: series.sites,
        target,
        therapyStartDay: req.therapyStartDay,
        sigma2,
        sigmaDf,
        settings: {
          fold: mp.min_fold_from_nadir,
          alpha: mp.alpha / req.windowIdx.length,
          intervalLevel: mp.interval_level,
          phaseAlpha: mp.nadir_phase_alpha,
        },
      }),
    );
  for (const s of req.sites) {
    const rows = perDraw.map((trends) => trends.find((t) => t.key === s.key)!).filter((t) => t !== undefined);
    const assessed = rows.filter((t) => t.trend !== 'not_assessable');
    if (assessed.length === 0) {
      out.set(s.key, { key: s.key, status: 'not_evaluable', fold: null, lower: null, upper: null, text: rows[0]?.note ?? 'not evaluable' });
      continue;
    }
    // The model says `emerged` for a significant rise from a nadir phase where the site was not
    // detected: for a targetable site that is a rise too (ESR1 0 → 0.3% → 1.2% on an aromatase
    // inhibitor), provided it reaches the policy fold (a zero nadir is an infinite fold).
    const risesEnough = (t: (typeof assessed)[number]) => t.fold_infinite || (t.fold !== null && t.fold >= mp.min_fold_from_nadir);
    const rising = assessed.find((t) => t.trend === 'rising' || (t.trend === 'emerged' && risesEnough(t)));
    const shown = rising ?? assessed[assessed.length - 1];
    const status: TrendStatus = rising ? 'rising' : shown.trend === 'falling' || shown.trend === 'cleared' ? 'falling' : 'stable';
    const fold = shown.fold_infinite ? 'from no alt read' : `${f2(shown.fold)}-fold`;
    out.set(s.key, {
      key: s.key,
      status,
      fold: shown.fold,
      lower: shown.low,
      upper: shown.high,
      text: `${fold} from its own nadir phase (${shown.nadir_draws.join(', ')}) to ${shown.sample}${shown.q_value !== null ? `, q = ${shown.q_value.toPrecision(2)}` : ''}`,
    });
  }
  return out;
}
