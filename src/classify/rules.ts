/**
 * One imaging assessment, composed from the pure policy modules and the longitudinal model:
 * identity → window → site origins (CH, germline) → clonal set → the model's verdict on the
 * tumour fraction → a return after clearance → targetable findings → group and rationale.
 * Pure: the same timeline, imaging row, therapy lines, policy and knowledge give the same result.
 * docs/methods/policy.md explains each step; records.ts writes what each step found.
 */
import { isoDateToDay } from '../io/csv-schema.js';
import { assessmentWindow } from './assessment-window.js';
import { lineOn, type TherapyLine, therapyLinesOf } from './context.js';
import { ctdnaReturn } from './ctdna-return.js';
import { decideGroup } from './group.js';
import { identityOutcome, swapText, withoutDraws } from './identity-check.js';
import { imagingModifiers, oligoCount } from './imaging.js';
import { verdictOf, windowSiteTrends } from './model.js';
import { windowSensitivity } from './window-sensitivity.js';
import { modifiersFor } from './modifiers.js';
import type { Policy } from './policy.js';
import { assessmentRecords, reportFields } from './records.js';
import { defaultPrior, evaluateMolecularRule } from './rule-molecular.js';
import { label } from './site-origin.js';
import { siteEvidence } from './site-evidence.js';
import { targetableFindings, toTargetableMutation } from './targetable-findings.js';
import type { AssessmentClassification, ClassifyInput, ClassifyKnowledge } from './types.js';

const drawsWord = (n: number) => `${n} draw${n === 1 ? '' : 's'}`;

export function classifyAssessment(input: ClassifyInput, policy: Policy, knowledge: ClassifyKnowledge): AssessmentClassification {
  const { imaging, clinical } = input;
  const R = policy.rules;
  const scanDay = imaging.assessmentDay;

  // 0. Therapy lines: clinical.csv's history; else the current clinical row; else the samplesheet.
  const history: TherapyLine[] =
    input.therapyHistory && input.therapyHistory.length > 0
      ? therapyLinesOf(input.therapyHistory)
      : clinical
        ? therapyLinesOf([clinical])
        : [];

  // 1. Identity: a draw that is not the patient's never counts; in the window it leaves ctDNA undecided.
  const identity = identityOutcome(input.timeline);
  const windowBefore = assessmentWindow(input.timeline.draws, scanDay, history, R);
  const swapped = windowBefore.draws.filter((w) => identity.excluded_draws.includes(w.sample)).map((w) => w.sample);
  const identityProblem = swapped.length > 0 ? swapped.map(swapText).join('; ') : null;
  const timeline = withoutDraws(input.timeline, identity.excluded_draws);
  const caveats: string[] = [];
  if (identity.caveat) caveats.push(identity.caveat);
  for (const s of identity.excluded_draws.filter((x) => !swapped.includes(x))) caveats.push(`${swapText(s)}: left out`);

  // 2. Window, baseline and earlier lines.
  const win = assessmentWindow(timeline.draws, scanDay, history, R);
  const windowIdx = win.draws.map((w) => w.index);
  const beforeIdx = win.usedIdx.filter((d) => !windowIdx.includes(d));
  const lineIdx = [...win.baselineIdx, ...windowIdx].sort((a, b) => a - b);
  const sampleOf = (d: number) => timeline.draws[d].sample;

  // 3–4. Where each site's signal comes from (draws the rules may use only); the clonal set, chosen
  // outside the window.
  const { origins, originOf, clonal } = siteEvidence(timeline, win.usedIdx, beforeIdx, knowledge, R);
  const inClonal = (key: string) => clonal.keys.includes(key);
  const clonalSites = timeline.sites.filter((s) => inClonal(s.key));

  // 5. The longitudinal model on the clonal set, window against the current line's nadir phase;
  // its second arm: non-targetable tumour sites outside the clonal set emerging at one window draw.
  const prior = input.betweenDrawPrior ?? defaultPrior(policy);
  const line = win.currentLine;
  const rule3 =
    windowIdx.length > 0
      ? evaluateMolecularRule({
          timeline,
          usedIdx: lineIdx,
          windowIdx,
          clonal: clonalSites,
          tumourSites: timeline.sites.filter((s) => originOf.get(s.key) === 'tumour' && !inClonal(s.key)),
          therapyStartDay: line ? line.startDay : null,
          therapyLabel: line ? `${line.therapy}, from ${line.start}` : undefined,
          prior,
          policy,
          knowledge,
        })
      : null;
  let molecular = rule3 && clonalSites.length > 0 ? verdictOf(rule3.change) : null;
  // Zeros from a draw too shallow to see the earlier level never rule a rise out.
  const sensitivity = windowSensitivity(
    clonalSites.map((s) => ({ label: label(s), points: s.points })),
    lineIdx,
    windowIdx,
  );
  if (molecular && molecular.decision === 'ruled_out' && !sensitivity.informative) {
    molecular = { ...molecular, decision: 'undecided', text: sensitivity.reason as string };
    if (rule3) {
      rule3.molecular = null;
      rule3.rule = {
        ...rule3.rule,
        pass: null,
        value: `${sensitivity.reason}; the model alone: ${rule3.rule.value}`,
        inputs: { ...rule3.rule.inputs, window_sensitive: false },
      };
    }
  }

  // 6. A return after clearance.
  const ret = ctdnaReturn(clonalSites, beforeIdx, win.draws, R);

  // 7. Targetable findings, "rising" only from the model's per-site trend.
  const candidates = timeline.sites.filter((s) => originOf.get(s.key) === 'tumour' && !inClonal(s.key) && knowledge.targetable(s) !== null);
  const trends = windowSiteTrends({
    timeline,
    lineIdx,
    windowIdx,
    sites: candidates,
    therapyStartDay: line ? line.startDay : null,
    change: rule3?.change ?? null,
    prior,
    policy,
  });
  const findings = targetableFindings(
    {
      sites: timeline.sites.map((s) => ({
        key: s.key,
        gene: s.gene,
        protein: s.protein,
        chrom: s.chrom,
        pos: s.pos,
        ref: s.ref,
        alt: s.alt,
        origin: originOf.get(s.key)!,
        tumourInformed: s.tumour_informed === true,
        inClonalSet: inClonal(s.key),
        points: s.points,
      })),
      window: win.draws,
      baselineIdx: win.baselineIdx,
      earlierLineIdx: win.earlierLineIdx,
      currentTherapy: line?.therapy ?? clinical?.therapy ?? null,
      trend: (key) => trends.get(key) ?? null,
    },
    knowledge,
    R,
  );

  // 8. Baseline words: the current line, and earlier lines shown but never compared.
  let baselineText: string;
  if (line) {
    baselineText = `baseline: ${drawsWord(win.baselineIdx.length)} on the current therapy (${line.therapy} since ${line.start})`;
    if (win.earlierLineIdx.length > 0) {
      const names = [
        ...new Set(
          win.earlierLineIdx.map(
            (d) =>
              lineOn(history, isoDateToDay(timeline.draws[d].collection_date))?.therapy ??
              timeline.draws[d].therapy ??
              'therapy not recorded',
          ),
        ),
      ];
      baselineText += `; ${drawsWord(win.earlierLineIdx.length)} of an earlier line (${names.join(', ')}) shown, not compared`;
    }
  } else
    baselineText = `baseline: ${drawsWord(win.baselineIdx.length)} before the window (no therapy history: every earlier draw is baseline)`;

  const lesions = oligoCount(imaging, policy.modifiers);
  const decision = decideGroup({
    lesions,
    newLesions: imaging.newLesions,
    maxOligo: R.oligoprogression.max_oligo_lesions,
    windowProblem: win.problem,
    identityProblem,
    windowText: win.draws.length > 0 ? `window draws ${win.intervalText}` : '',
    baselineText,
    clonalSet: clonal,
    molecular,
    ctdnaReturn: ret,
    emerged: rule3?.emerged ?? null,
    minEmerged: R.molecular_progression.min_emerged_nontargetable,
    findings,
    origins,
    caveats,
  });

  const out: AssessmentClassification = {
    patient: timeline.patient,
    assessment_date: imaging.assessmentDate,
    group: decision.group,
    progressing_lesions: imaging.progressingLesions,
    molecular_progression: decision.molecularProgression,
    molecular_change: rule3 && clonalSites.length > 0 ? rule3.change : null,
    // The dominant clone first: highest window VAF, then panel order.
    targetable_mutations: findings
      .filter((f) => f.qualifies)
      .map(toTargetableMutation)
      .sort((a, b) => (b.vaf ?? 0) - (a.vaf ?? 0)),
    modifiers: lesions === 0 ? [] : [...modifiersFor(imaging, clinical, policy, knowledge), ...imagingModifiers(imaging, policy.modifiers)],
    rationale: decision.rationale,
    indeterminate_reason: decision.indeterminateReason,
    draws_used: win.usedIdx.map(sampleOf),
    draws_in_window: windowIdx.map(sampleOf),
    rules: [],
    targetable_findings: findings,
    site_origins: origins,
    clonal_sites: clonal.keys,
    identity: { status: identity.status, reason: identity.reason, excluded_draws: identity.excluded_draws },
    caveats,
  };
  out.rules = assessmentRecords({
    imaging,
    lesions,
    policy,
    win,
    identity,
    identityProblem,
    origins,
    clonal,
    rule3,
    clonalSites,
    ret,
    findings,
    decision,
    labels: clonalSites.map(label),
  });
  return {
    ...out,
    ...reportFields({ timeline, clonalKeys: clonal.keys, win, rule3: clonalSites.length > 0 ? rule3 : null, ret, origins, findings }),
  };
}
