/**
 * Rule 3, diffuse molecular progression, from the longitudinal model (timeline/longitudinal): the
 * clonal tumour-informed sites' counts of the draws up to the assessment, the current therapy's
 * start (the nadir restarts there), the window draws, the between-draw prior (a cohort estimate
 * when the caller has one, else the policy default) and the policy's fold, α and levels.
 *   pass = true   — the model shows a rise ≥ the policy fold (Holm over the window draws), or
 *                   ≥ min_emerged_nontargetable non-targetable sites emerged at one window draw;
 *   pass = false  — the model rules a rise of the policy fold out, and no such emergence;
 *   pass = null   — neither: the sentence names the upper bound and the power.
 * The number of clonal sites is a caveat in the sentence, never the criterion.
 */
import { assessMolecularChange } from '../timeline/longitudinal/model.js';
import type { PriorSettings } from '../timeline/longitudinal/resolve.js';
import type { BetweenDrawPrior, MolecularChange, ModelSettings, SeriesDraw, SeriesSite } from '../timeline/longitudinal/types.js';
import type { TimelineSite } from '../timeline/types.js';
import { isoDateToDay } from '../io/csv-schema.js';
import type { Policy } from './policy.js';
import type { ClassifyKnowledge, RuleEvaluation } from './types.js';

const label = (s: TimelineSite) => `${s.gene} ${s.protein}`.trim() || s.key;
const round = (x: number | null, digits = 4) => (x === null ? null : Number(x.toPrecision(digits)));

export interface MolecularRuleInput {
  timeline: { draws: { sample: string; collection_date: string }[]; sites: TimelineSite[] };
  /** Indices of the draws the model may use (the current line up to the window's end), in date order. */
  usedIdx: number[];
  /** Indices of the window draws (a subset of usedIdx). */
  windowIdx: number[];
  /** The clonal set whose level is modelled (clonal-set.ts: germline and CH already left out). */
  clonal: TimelineSite[];
  /** Sites that may count as emerged: tumour-origin sites outside the clonal set. */
  tumourSites: TimelineSite[];
  therapyStartDay: number | null;
  therapyLabel?: string;
  /** The between-draw prior (resolveBetweenDrawPrior); absent: the policy default. */
  prior?: BetweenDrawPrior;
  policy: Policy;
  knowledge: ClassifyKnowledge;
}

export interface MolecularRuleResult {
  rule: RuleEvaluation;
  molecular: boolean | null;
  /** The window draw with the most non-targetable tumour sites emerging (null when none emerged). */
  emerged: { count: number; sample: string; labels: string[] } | null;
  /** One sentence (no final full stop) for the rationale: what rule 3 rests on. */
  summary: string;
  change: MolecularChange;
}

export function modelSettings(policy: Policy): ModelSettings {
  const mp = policy.rules.molecular_progression;
  return {
    fold: mp.min_fold_from_nadir,
    alpha: mp.alpha,
    intervalLevel: mp.interval_level,
    ruleOutLevel: mp.rule_out_level,
    phaseAlpha: mp.nadir_phase_alpha,
  };
}

export function defaultPrior(policy: Policy): BetweenDrawPrior {
  const mp = policy.rules.molecular_progression;
  return { cv: mp.between_draw_cv, df: mp.between_draw_prior_df, source: mp.between_draw_source };
}

/** The policy's settings of the between-draw prior's selection (timeline/longitudinal/resolve.ts). */
export function priorSettings(policy: Policy): PriorSettings {
  const mp = policy.rules.molecular_progression;
  return {
    fallback: defaultPrior(policy),
    minPatients: mp.cohort_prior_min_patients,
    minDf: mp.cohort_prior_min_df,
    betweenPatientDf: mp.between_patient_df,
    testLevel: mp.cohort_prior_test_level,
  };
}

/** The model's series from the timeline: used draws only (never a draw after the assessment). */
export function seriesOf(
  timeline: MolecularRuleInput['timeline'],
  usedIdx: number[],
  sites: TimelineSite[],
): { draws: SeriesDraw[]; sites: SeriesSite[] } {
  return {
    draws: usedIdx.map((d) => ({
      sample: timeline.draws[d].sample,
      date: timeline.draws[d].collection_date,
      day: isoDateToDay(timeline.draws[d].collection_date),
    })),
    sites: sites.map((s) => ({
      key: s.key,
      label: label(s),
      alt: usedIdx.map((d) => s.points[d].alt_count),
      depth: usedIdx.map((d) => s.points[d].depth),
      background: s.background_rate ?? undefined,
      detected: usedIdx.map((d) => s.points[d].call === 'detected'),
    })),
  };
}

const stripStop = (s: string) => s.replace(/\.$/, '');

export function evaluateMolecularRule(input: MolecularRuleInput): MolecularRuleResult {
  const { policy, timeline, windowIdx } = input;
  const mp = policy.rules.molecular_progression;
  const sampleOf = (d: number) => timeline.draws[d].sample;
  const series = seriesOf(timeline, input.usedIdx, input.clonal);
  const prior = input.prior ?? defaultPrior(policy);
  const change = assessMolecularChange({
    draws: series.draws,
    sites: series.sites,
    windowIdx: windowIdx.map((d) => input.usedIdx.indexOf(d)).filter((j) => j >= 0),
    therapyStartDay: input.therapyStartDay,
    therapyLabel: input.therapyLabel,
    prior,
    settings: modelSettings(policy),
  });
  if (input.clonal.length === 0) change.caveats.unshift('no clonal tumour-informed site to follow');
  else if (input.clonal.length < mp.min_clonal_sites) {
    // The policy's caveat replaces the model's own one-marker caveat (same point, said once).
    change.caveats = [
      `${input.clonal.length} clonal site(s), fewer than the policy's ${mp.min_clonal_sites}: a copy-number change at one site would read as a change of the tumour level`,
      ...change.caveats.filter((c) => !c.startsWith('one tracked clonal marker')),
    ];
  }

  // Several non-targetable sites emerging at one window draw (the review's diffuse microscopic progression).
  let emergedMax = 0;
  let emergedAt = '';
  let emergedLabels: string[] = [];
  for (const d of windowIdx) {
    if (d === 0) continue;
    const em = input.tumourSites.filter((s) => s.points[d].event === 'emerged' && input.knowledge.targetable(s) === null);
    if (em.length > emergedMax) {
      emergedMax = em.length;
      emergedAt = sampleOf(d);
      emergedLabels = em.map(label);
    }
  }
  const emergedPass = emergedMax >= mp.min_emerged_nontargetable;
  const modelPass = change.status === 'progression';
  const molecular: boolean | null = modelPass || emergedPass ? true : change.status === 'ruled_out' ? false : null;
  const emergedText = `${emergedMax} non-targetable sites emerged at ${emergedAt} (${emergedLabels.join(', ')})`;
  const caveat = change.caveats.length > 0 ? ` (caveat: ${change.caveats.join('; ')})` : '';
  const summary = modelPass || !emergedPass ? `${stripStop(change.reason)}${caveat}` : emergedText;
  const decisive = change.comparisons.find((c) => c.sample === change.decisive_sample) ?? null;
  const rule: RuleEvaluation = {
    id: 'rule3_molecular_progression',
    description: `tumour level ≥ ${mp.min_fold_from_nadir}-fold from the nadir phase with Holm p < ${mp.alpha} over the window draws (longitudinal model), or ≥ ${mp.min_emerged_nontargetable} non-targetable sites emerged at one draw; ruled out when the upper ${Math.round(100 * mp.rule_out_level)}% bound < ${mp.min_fold_from_nadir}`,
    inputs: {
      model_status: change.status,
      clonal_sites: input.clonal.length,
      sites_used: decisive?.sites_used ?? 0,
      window_draws: windowIdx.map(sampleOf).join(';'),
      decisive_draw: change.decisive_sample,
      nadir_phase: decisive ? decisive.nadir_draws.join(';') : null,
      tf_fold_from_nadir: decisive ? (decisive.fold_infinite ? null : round(decisive.fold)) : null,
      fold_low: round(decisive?.low ?? null),
      fold_high: round(decisive?.high ?? null),
      upper_bound: round(decisive?.upper_bound ?? null),
      tf_p_value: decisive?.p_value ?? null,
      p_holm: decisive?.p_holm ?? null,
      power_at_fold: round(decisive?.power_at_fold ?? null, 3),
      between_draw_cv: round(change.between_draw.cv, 3),
      between_draw_prior: `CV ${change.between_draw.prior_cv} with ${change.between_draw.prior_df} df (${change.between_draw.prior_source})`,
      emerged_nontargetable_max: emergedMax,
      emerged_nontargetable_at: emergedAt || null,
      emerged_nontargetable_sites: emergedLabels.join(';') || null,
    },
    value: `${summary}; ${emergedMax} non-targetable site(s) emerged at one draw${emergedAt ? ` (${emergedAt}: ${emergedLabels.join(', ')})` : ''}`,
    threshold: `progression: fold ≥ ${mp.min_fold_from_nadir} and Holm p < ${mp.alpha}, or emerged ≥ ${mp.min_emerged_nontargetable}; ruled out: upper ${Math.round(100 * mp.rule_out_level)}% bound < ${mp.min_fold_from_nadir}`,
    pass: molecular,
    source: mp.source,
  };
  return {
    rule,
    molecular,
    emerged: emergedMax > 0 ? { count: emergedMax, sample: emergedAt, labels: emergedLabels } : null,
    summary,
    change,
  };
}
