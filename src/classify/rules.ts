import { isoDateToDay } from '../io/csv-schema.js';
import type { TimelineSite } from '../timeline/types.js';
import { modifiersFor } from './modifiers.js';
import { evaluateMolecularRule } from './rule-molecular.js';
import type { Policy } from './policy.js';
import type {
  AssessmentClassification,
  ClassifyInput,
  ClassifyKnowledge,
  GroupId,
  RuleEvaluation,
  TargetableMutation,
} from './types.js';

const label = (s: TimelineSite) => `${s.gene} ${s.protein}`.trim();
const eventText = (t: TargetableMutation) => (t.from_nadir_date !== undefined ? `rising from nadir ${t.from_nadir_date}` : t.event);

/**
 * Classifies one imaging assessment (rules 1–6 of issue 5) from the patient's timeline, using only
 * draws on or before the assessment date. Pure: the same timeline, imaging row, clinical row,
 * policy and knowledge give the same result.
 */
export function classifyAssessment(input: ClassifyInput, policy: Policy, knowledge: ClassifyKnowledge): AssessmentClassification {
  const { timeline, imaging, clinical } = input;
  const R = policy.rules;
  const A = imaging.assessmentDay;
  const lesions = imaging.progressingLesions;
  const maxOligo = R.oligoprogression.max_oligo_lesions;
  const windowDays = R.ctdna_window.days;
  const days = timeline.draws.map((d) => isoDateToDay(d.collection_date));
  const usedIdx = days.map((_, i) => i).filter((i) => days[i] <= A);
  const windowIdx = usedIdx.filter((i) => days[i] >= A - windowDays);
  const sampleOf = (d: number) => timeline.draws[d].sample;
  const rules: RuleEvaluation[] = [];

  // Rule 1 and 2: imaging.
  rules.push({
    id: 'rule1_no_progression',
    description: 'no progressing lesion → no_progression',
    inputs: { progressing_lesions: lesions },
    value: String(lesions),
    threshold: '= 0',
    pass: lesions === 0,
    source: R.no_progression.source,
  });
  const radiologicalOligo = lesions >= 1 && lesions <= maxOligo;
  rules.push({
    id: 'rule2_radiological_oligoprogression',
    description: `1 ≤ progressing lesions ≤ max_oligo_lesions`,
    inputs: { progressing_lesions: lesions, new_lesions: imaging.newLesions, max_oligo_lesions: maxOligo },
    value: String(lesions),
    threshold: `1..${maxOligo}`,
    pass: lesions === 0 ? null : radiologicalOligo,
    source: R.oligoprogression.source,
  });

  // Rule 6 inputs: is there ctDNA to decide with?
  const hasWindowDraw = windowIdx.length > 0;
  const hasEarlier = hasWindowDraw && windowIdx[windowIdx.length - 1] >= 1;
  const tumourSites = timeline.sites.filter((s) => !s.germline_or_ch);
  const informative = tumourSites.filter((s) => usedIdx.some((d) => s.points[d].call === 'detected'));
  // A window draw speaks for a site when it detects it, or when its limit of detection is at or
  // below the site's highest earlier VAF (so "not detected" means the site really fell).
  const speaks = (s: TimelineSite, d: number): boolean => {
    const pt = s.points[d];
    if (pt.call === 'detected') return true;
    if (pt.call !== 'not_detected') return false;
    const prior = usedIdx.filter((j) => j < d && s.points[j].call === 'detected').map((j) => s.points[j].vaf ?? 0);
    return prior.length === 0 || (pt.lod !== null && pt.lod <= Math.max(...prior));
  };
  const informativeInWindow = informative.filter((s) => windowIdx.some((d) => d >= 1 && speaks(s, d)));
  let ctdnaProblem: string | null = null;
  if (!hasWindowDraw) {
    const last = usedIdx.length > 0 ? timeline.draws[usedIdx[usedIdx.length - 1]].collection_date : null;
    ctdnaProblem = `no ctDNA draw within ${windowDays} days before the assessment${last ? ` (last draw ${last})` : ' (no draw on or before it)'}`;
  } else if (!hasEarlier) {
    ctdnaProblem = `no earlier draw to compare with (${sampleOf(windowIdx[0])} is the first draw)`;
  } else if (informative.length === 0) {
    ctdnaProblem = `every site is below its limit of detection: no tumour-derived site detected in the ${usedIdx.length} draws up to the assessment`;
  } else if (informativeInWindow.length === 0) {
    ctdnaProblem = `every informative site (${informative.map(label).join(', ')}) is below its limit of detection (low_depth, or LoD above its earlier VAF) in the window draws`;
  }
  const ctdnaUsable = ctdnaProblem === null;

  // Rule 3: diffuse molecular progression (the longitudinal model; rule-molecular.ts).
  const mp = R.molecular_progression;
  const clonal = timeline.sites.filter((s) => s.clonal && !s.germline_or_ch);
  const rule3 = evaluateMolecularRule({
    timeline,
    usedIdx,
    windowIdx,
    clonal,
    tumourSites,
    therapyStartDay: clinical ? clinical.therapyStartDay : null,
    therapyLabel: clinical ? `${clinical.therapy}, from ${clinical.therapyStart}` : undefined,
    prior: input.betweenDrawPrior,
    policy,
    knowledge,
  });
  const molecular = hasEarlier ? rule3.molecular : null;
  const tfValue = rule3.summary;
  rules.push(rule3.rule);

  // Rule 4: targetable emergence.
  const te = R.targetable_emergence;
  const found = new Map<string, TargetableMutation>();
  const excluded: string[] = [];
  for (const d of windowIdx) {
    if (d === 0) continue;
    for (const s of timeline.sites) {
      const pt = s.points[d];
      const ev = pt.event;
      const byEvent = (ev === 'emerged' || ev === 'rising') && (te.events as string[]).includes(ev);
      // A slow climb (0 → 2 → 4 → 8 alt reads of 3,000) is `stable` at every step yet clearly up from
      // its nadir: PADA-1 switched on a rising ESR1 by serial ddPCR. A zero nadir (fold null) is an
      // infinite fold; the site must also be detected at this draw so one stray read never counts.
      const nadir = pt.from_nadir ?? null;
      const byNadir =
        !byEvent &&
        te.include_rise_from_nadir &&
        pt.call === 'detected' &&
        nadir !== null &&
        nadir.p_value < mp.alpha &&
        (nadir.fold === null || nadir.fold >= mp.min_fold_from_nadir);
      if (!byEvent && !byNadir) continue;
      const hit = knowledge.targetable(s);
      if (hit === null) continue;
      if (s.germline_or_ch) {
        if (!excluded.includes(label(s))) excluded.push(label(s));
        continue;
      }
      // An emerged/rising event keeps precedence over a later rise-from-nadir record of the same site.
      if (byNadir && found.has(s.key) && found.get(s.key)!.from_nadir_date === undefined) continue;
      const nadirDate = byNadir ? timeline.draws.find((x) => x.sample === nadir!.sample)?.collection_date ?? nadir!.sample : undefined;
      found.set(s.key, {
        gene: s.gene,
        protein: s.protein,
        key: s.key,
        event: byEvent ? (ev as 'emerged' | 'rising') : 'rising',
        ...(nadirDate !== undefined ? { from_nadir_date: nadirDate } : {}),
        sample: sampleOf(d),
        collection_date: timeline.draws[d].collection_date,
        vaf: s.points[d].vaf,
        change_p_value: s.points[d].change_p_value,
        therapies: hit.therapies,
        source: hit.source,
      });
    }
  }
  const targetable = [...found.values()];
  const targetablePass = hasEarlier ? targetable.length > 0 : null;
  rules.push({
    id: 'rule4_targetable_emergence',
    description: `an actionable site ${te.events.join(' or ')}${te.include_rise_from_nadir ? ` or detected and ≥ ${mp.min_fold_from_nadir}-fold from its nadir with p < ${mp.alpha}` : ''} in the window (germline/CH sites never count)`,
    inputs: {
      window_draws: windowIdx.map(sampleOf).join(';'),
      targetable_sites_tracked: timeline.sites.filter((s) => knowledge.targetable(s) !== null).length,
      excluded_germline_or_ch: excluded.join(';') || null,
    },
    value: targetable.length > 0 ? targetable.map((t) => `${t.gene} ${t.protein} ${eventText(t)} at ${t.sample}`).join('; ') : hasEarlier ? 'none' : 'not evaluable: no draw in the window with an earlier draw',
    threshold: `≥ 1 site with event in {${te.events.join(', ')}}${te.include_rise_from_nadir ? ` or detected with fold from nadir ≥ ${mp.min_fold_from_nadir} and p < ${mp.alpha}` : ''}`,
    pass: targetablePass,
    source: te.source,
  });

  // Rules 5 and 6: the group.
  let group: GroupId;
  let reason: string | null = null;
  let rationale: string;
  const tm = targetable.length > 0 ? ` Targetable: ${targetable.map((t) => `${t.gene} ${t.protein} (${eventText(t)})`).join(', ')}.` : '';
  if (lesions === 0) {
    group = 'no_progression';
    // Rule 1 decides the group, but ctDNA progression ahead of imaging is what a tumour board
    // must see (PADA-1 acted on ctDNA alone), so it is stated here rather than only in the JSON.
    const molecularText = molecular === true ? ` ctDNA shows molecular progression without radiological progression (${tfValue}); rule 1 keeps the group.` : '';
    rationale = `No progressing lesion at this assessment.${molecularText}${tm}`;
  } else if (!radiologicalOligo) {
    group = 'widespread_progression';
    rationale = `${lesions} progressing lesions > ${maxOligo} (radiological widespread progression).${tm}`;
  } else if (!ctdnaUsable) {
    group = 'indeterminate';
    reason = ctdnaProblem;
    rationale = `${lesions} progressing lesion(s) ≤ ${maxOligo}, but ctDNA cannot decide: ${ctdnaProblem}.${tm}`;
  } else if (molecular === true) {
    group = 'widespread_progression';
    rationale = `${lesions} progressing lesion(s) ≤ ${maxOligo}, but diffuse molecular progression: ${tfValue}.${tm}`;
  } else if (molecular === null) {
    group = 'indeterminate';
    reason = `diffuse molecular progression cannot be excluded: ${tfValue}`;
    rationale = `${lesions} progressing lesion(s) ≤ ${maxOligo}; ${reason}.${tm}`;
  } else if (targetable.length > 0) {
    group = 'oligoprogression_targetable';
    rationale = `${lesions} progressing lesion(s) ≤ ${maxOligo}, no diffuse molecular progression (${tfValue}), emergent targetable mutation.${tm}`;
  } else {
    group = 'true_oligoprogression';
    rationale = `${lesions} progressing lesion(s) ≤ ${maxOligo}, no diffuse molecular progression (${tfValue}), no targetable emergence.`;
  }
  rules.push({
    id: 'rule5_group',
    description: `> max_oligo_lesions or rule 3 → widespread_progression; oligo + rule 4 → oligoprogression_targetable; oligo → true_oligoprogression`,
    inputs: { radiological_oligo: lesions === 0 ? null : radiologicalOligo, molecular_progression: molecular, targetable_emergence: targetablePass },
    value: group,
    threshold: 'decision table (docs/commands/classify.md)',
    pass: group !== 'indeterminate' && group !== 'no_progression' ? true : null,
    source: R.oligoprogression.source,
  });
  rules.push({
    id: 'rule6_indeterminate',
    description: 'no draw in the window, no earlier draw, or every informative site below its limit of detection',
    inputs: {
      draws_used: usedIdx.length,
      draws_in_window: windowIdx.length,
      window_days: windowDays,
      informative_sites: informative.length,
    },
    value: ctdnaProblem ?? 'ctDNA usable',
    threshold: `a draw in [assessment − ${windowDays} d, assessment] with an earlier draw and an informative site`,
    pass: group === 'indeterminate',
    source: R.indeterminate.source,
  });

  return {
    patient: timeline.patient,
    assessment_date: imaging.assessmentDate,
    group,
    progressing_lesions: lesions,
    molecular_progression: molecular,
    molecular_change: rule3.change,
    targetable_mutations: targetable,
    modifiers: lesions === 0 ? [] : modifiersFor(imaging, clinical, policy, knowledge),
    rationale,
    indeterminate_reason: reason,
    draws_used: usedIdx.map(sampleOf),
    draws_in_window: windowIdx.map(sampleOf),
    rules,
  };
}
