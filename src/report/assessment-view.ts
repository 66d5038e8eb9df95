import type { AssessmentClassification, RuleEvaluation } from '../classify/types.js';
import type { PatientTimeline } from '../timeline/types.js';
import { targetableView } from './findings.js';
import { findSamples, withDates } from './sample-dates.js';
import { isoToDay } from './svg/scale.js';
import type { Assessment, RuleResult, TumourFractionChange } from './types.js';
import { upstreamCtdnaLabel, upstreamDrawToScan, upstreamTfChange } from './upstream.js';

/**
 * classify's assessment → what the page shows: sample IDs become dates, numbers are rounded, and
 * the facts the headline needs (the tumour fraction's change with its nadir and compared draw,
 * the draw nearest the scan) are pulled out as data.
 */

const rule = (a: AssessmentClassification, id: string): RuleEvaluation | undefined => a.rules.find((r) => r.id === id);
const numIn = (r: RuleEvaluation | undefined, key: string): number | null => {
  const v = r?.inputs[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** A rule input for the record: 3 significant digits, p-values in 2, sample IDs as dates. */
export function formatInput(key: string, v: string | number | boolean | null, dateOf: ReadonlyMap<string, string>): string {
  if (v === null) return 'n/a';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    if (/(^|_)p(_value)?$/.test(key) || key.endsWith('_p')) return v < 0.001 ? v.toExponential(1) : String(Number(v.toPrecision(2)));
    return String(Number(v.toPrecision(3)));
  }
  return withDates(v, dateOf).replace(/;(?! )/g, '; ');
}

function rulesView(a: AssessmentClassification, dateOf: ReadonlyMap<string, string>): RuleResult[] {
  return a.rules.map((r) => ({
    id: r.id,
    description: withDates(r.description, dateOf),
    inputs: Object.keys(r.inputs)
      .map((k) => `${k}=${formatInput(k, r.inputs[k], dateOf)}`)
      .join(', '),
    value: withDates(r.value, dateOf),
    threshold: r.threshold,
    pass: r.pass,
    source: r.source,
  }));
}

function tumourFractionChange(
  a: AssessmentClassification,
  t: PatientTimeline,
  dateOf: ReadonlyMap<string, string>,
): TumourFractionChange | null {
  const up = upstreamTfChange(a);
  const r3 = rule(a, 'rule3_molecular_progression');
  const fold = up?.fold ?? numIn(r3, 'tf_fold_from_nadir');
  if (fold === null && !up) return null;
  let nadir = up?.nadir_sample ?? null;
  let compared = up?.compared_sample ?? null;
  if ((nadir === null || compared === null) && r3) {
    // classify names the two draws it compared in its value text ("… from nadir (A → B, …)").
    const hits = findSamples(
      r3.value.split(';')[0],
      t.draws.map((d) => d.sample),
    );
    if (hits.length >= 2) {
      nadir ??= hits[0].sample;
      compared ??= hits[1].sample;
    }
  }
  const windowDates = a.draws_in_window
    .map((s) => dateOf.get(s))
    .filter((d): d is string => !!d)
    .sort();
  const latest = windowDates.at(-1) ?? null;
  const comparedDate = compared ? (dateOf.get(compared) ?? null) : null;
  const out: TumourFractionChange = {
    fold,
    p_value: up?.p_value ?? numIn(r3, 'tf_p_value'),
    nadir_date: nadir ? (dateOf.get(nadir) ?? null) : null,
    compared_date: comparedDate,
    compared_is_peak: comparedDate !== null && latest !== null && comparedDate < latest,
    latest_date: latest,
  };
  if (up?.low != null) out.low = up.low;
  if (up?.high != null) out.high = up.high;
  if (up?.power != null) out.power = up.power;
  if (up?.verdict) out.verdict = up.verdict;
  if (up?.method) out.method = up.method;
  return out;
}

function drawToScan(a: AssessmentClassification, dateOf: ReadonlyMap<string, string>): Assessment['draw_to_scan'] {
  const up = upstreamDrawToScan(a);
  if (up) return { date: dateOf.get(up.sample) ?? up.sample, days: up.days };
  const scan = isoToDay(a.assessment_date);
  let best: { date: string; days: number } | null = null;
  for (const s of a.draws_in_window) {
    const date = dateOf.get(s);
    if (!date) continue;
    const days = scan - isoToDay(date);
    // The nearest draw; on a tie the one before the scan (what the decision could have used).
    if (!best || Math.abs(days) < Math.abs(best.days) || (Math.abs(days) === Math.abs(best.days) && days > best.days))
      best = { date, days };
  }
  return best;
}

export function assessmentView(a: AssessmentClassification, t: PatientTimeline): Assessment {
  const dateOf = new Map(t.draws.map((d) => [d.sample, d.collection_date]));
  const targetable = targetableView(a, dateOf);
  const modifiers = a.modifiers
    .filter((m) => m.id !== 'toxicity_note')
    .map((m) => ({ id: m.id, text: withDates(m.text, dateOf), source: m.source }));
  const reason = a.indeterminate_reason ? withDates(a.indeterminate_reason, dateOf) : null;
  const rationale = withDates(a.rationale, dateOf);
  const lastUsed =
    a.draws_used
      .map((s) => dateOf.get(s))
      .filter((d): d is string => !!d)
      .sort()
      .at(-1) ?? null;
  const out: Assessment = {
    assessment_date: a.assessment_date,
    group: a.group,
    progressing_lesions: a.progressing_lesions,
    molecular_progression: a.molecular_progression,
    targetable: targetable.map(({ label: _label, ...rest }) => rest),
    targetable_mutations: targetable.map((m) =>
      m.from_nadir_date ? `${m.label} (rising from nadir ${m.from_nadir_date}, at ${m.date})` : `${m.label} (${m.event} ${m.date})`,
    ),
    modifiers,
    rationale: reason && !rationale.includes(reason) ? `${rationale} — ${reason}` : rationale,
    indeterminate_reason: reason,
    tumour_fraction_change: tumourFractionChange(a, t, dateOf),
    draw_to_scan: drawToScan(a, dateOf),
    last_draw_before: a.draws_in_window.length === 0 ? lastUsed : null,
    max_oligo_lesions: numIn(rule(a, 'rule2_radiological_oligoprogression'), 'max_oligo_lesions'),
    rules: rulesView(a, dateOf),
  };
  const label = upstreamCtdnaLabel(a);
  if (label) out.ctdna_label = label;
  return out;
}
