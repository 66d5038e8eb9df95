/**
 * One imaging assessment under the v2 policy, composed from the pure policy modules and the
 * longitudinal model: window → site origins (CH, germline) → clonal set → the model's verdict on
 * the tumour fraction → a return after clearance → targetable findings → group and rationale.
 * classifyAssessment (rules.ts) calls this once the model exists; everything here is pure.
 */
import { isoDateToDay } from '../io/csv-schema.js';
import { assessmentWindow } from './assessment-window.js';
import { chooseClonalSet } from './clonal-set.js';
import { lineOn, type ClassifyInputV2, type TherapyLine } from './context.js';
import { ctdnaReturn } from './ctdna-return.js';
import { decideGroup, type EmergedEvidence } from './group-v2.js';
import { imagingModifiers, oligoCount } from './imaging-v2.js';
import type { ClassifyKnowledgeV2 } from './knowledge-v2.js';
import type { LongitudinalModel, ModelRequest } from './model-interface.js';
import { modifiersFor } from './modifiers.js';
import type { Policy } from './policy.js';
import type { PolicyV2Blocks } from './policy-v2.js';
import { classifySiteOrigins, label, type SiteOriginResult } from './site-origin.js';
import { targetableFindings, toTargetableMutation, type TargetableFinding } from './targetable-findings.js';
import type { AssessmentClassification, RuleEvaluation } from './types.js';

const drawsWord = (n: number) => `${n} draw${n === 1 ? '' : 's'}`;

export interface AssessmentV2 extends AssessmentClassification {
  /** Every targetable finding, qualifying or shown only, with its detection, history and reason. */
  findings: TargetableFinding[];
  site_origins: SiteOriginResult[];
  clonal_sites: string[];
}

export function assessV2(input: ClassifyInputV2, policy: Policy, v2: PolicyV2Blocks, knowledge: ClassifyKnowledgeV2, model: LongitudinalModel): AssessmentV2 {
  const { timeline, imaging, clinical, context } = input;
  const R = v2.rules;
  const scanDay = imaging.assessmentDay;
  const sampleOf = (d: number) => timeline.draws[d].sample;

  // 1. Window, baseline and earlier lines. Without a history, the clinical row's current line
  // (therapy_start) still bounds the window; without either, the samplesheet's therapy column does.
  const history: TherapyLine[] =
    context.therapyHistory.length > 0
      ? context.therapyHistory
      : clinical
        ? [{ therapy: clinical.therapy, therapyClass: clinical.therapyClass, start: clinical.therapyStart, startDay: clinical.therapyStartDay }]
        : [];
  const win = assessmentWindow(timeline.draws, scanDay, history, R);
  const windowIdx = win.draws.map((w) => w.index);
  const beforeIdx = win.usedIdx.filter((d) => !windowIdx.includes(d));

  // 2. Where each site's signal comes from (draws the rules may use only).
  const origins = classifySiteOrigins(
    timeline.sites.map((s) => ({
      key: s.key,
      gene: s.gene,
      protein: s.protein,
      tumourInformed: s.tumour_informed === true,
      tissueSomatic: context.tissueSomaticKeys.has(s.key),
      points: win.usedIdx.map((d) => ({ alt: s.points[d].alt_count, depth: s.points[d].depth, call: s.points[d].call, lod: s.points[d].lod })),
    })),
    context.whiteCells,
    knowledge.chProneGenes,
    R,
  );
  const originOf = new Map(origins.map((o) => [o.key, o.origin]));

  // 3. The clonal set, chosen outside the window.
  const clonal = chooseClonalSet(
    timeline.sites.map((s) => ({
      key: s.key,
      gene: s.gene,
      protein: s.protein,
      tumourInformed: s.tumour_informed === true,
      origin: originOf.get(s.key)!,
      resistanceSite: knowledge.resistanceSite(s),
      points: s.points.map((p, d) => (win.usedIdx.includes(d) ? { call: p.call, vaf: p.vaf } : { call: 'low_depth' as const, vaf: null })),
    })),
    beforeIdx,
    R,
  );
  const clonalSites = timeline.sites.filter((s) => clonal.keys.includes(s.key));

  // 4. The model's verdict, window against the current line's baseline.
  const request: ModelRequest = { timeline, clonalKeys: clonal.keys, baselineIdx: win.baselineIdx, windowIdx };
  const molecular = clonal.keys.length > 0 && windowIdx.length > 0 ? model.molecularChange(request) : null;

  // 5. A return after clearance.
  const ret = ctdnaReturn(clonalSites, beforeIdx, win.draws, R);

  // 6. Several non-targetable tumour sites emerging at one window draw (CH and germline excluded).
  let emerged: EmergedEvidence | null = null;
  for (const d of windowIdx) {
    const em = timeline.sites.filter(
      (s) => s.points[d].event === 'emerged' && originOf.get(s.key) === 'tumour' && !clonal.keys.includes(s.key) && knowledge.targetable(s) === null,
    );
    if (em.length > 0 && (emerged === null || em.length > emerged.count)) emerged = { count: em.length, sample: sampleOf(d), labels: em.map(label) };
  }

  // 7. Targetable findings.
  const findings = targetableFindings(
    {
      sites: timeline.sites.map((s) => ({
        key: s.key, gene: s.gene, protein: s.protein, chrom: s.chrom, pos: s.pos, ref: s.ref, alt: s.alt,
        origin: originOf.get(s.key)!,
        tumourInformed: s.tumour_informed === true,
        inClonalSet: clonal.keys.includes(s.key),
        points: s.points,
      })),
      window: win.draws,
      baselineIdx: win.baselineIdx,
      earlierLineIdx: win.earlierLineIdx,
      currentTherapy: win.currentLine?.therapy ?? clinical?.therapy ?? null,
      trend: (key) => (windowIdx.length > 0 ? model.siteTrend({ ...request, key }) : null),
    },
    knowledge,
    R,
  );

  // 8. Baseline words: the current line, and earlier lines shown but never compared.
  let baselineText: string;
  if (win.currentLine) {
    baselineText = `baseline: ${drawsWord(win.baselineIdx.length)} on the current therapy (${win.currentLine.therapy} since ${win.currentLine.start})`;
    if (win.earlierLineIdx.length > 0) {
      const names = [
        ...new Set(win.earlierLineIdx.map((d) => lineOn(history, isoDateToDay(timeline.draws[d].collection_date))?.therapy ?? timeline.draws[d].therapy ?? 'therapy not recorded')),
      ];
      baselineText += `; ${drawsWord(win.earlierLineIdx.length)} of an earlier line (${names.join(', ')}) shown, not compared`;
    }
  } else baselineText = `baseline: ${drawsWord(win.baselineIdx.length)} before the window (no therapy history: every earlier draw is baseline)`;

  const lesions = oligoCount(imaging, v2.modifiers);
  const decision = decideGroup({
    lesions,
    newLesions: imaging.newLesions,
    maxOligo: policy.rules.oligoprogression.max_oligo_lesions,
    windowProblem: win.problem,
    windowText: win.draws.length > 0 ? `window draws ${win.intervalText}` : '',
    baselineText,
    clonalSet: clonal,
    molecular,
    ctdnaReturn: ret,
    emerged,
    minEmerged: policy.rules.molecular_progression.min_emerged_nontargetable,
    findings,
    origins,
  });

  const rules: RuleEvaluation[] = [
    {
      id: 'v2_window',
      description: `draws from ${R.assessment_window.days_before} days before to ${R.assessment_window.days_after} days after the scan, never across a change of therapy`,
      inputs: { days_before: R.assessment_window.days_before, days_after: R.assessment_window.days_after, current_line: win.currentLine?.therapy ?? null, lines_from: win.linesFrom },
      value: win.problem ?? win.intervalText,
      threshold: `${R.assessment_window.days_before}/${R.assessment_window.days_after} days`,
      pass: win.problem === null,
      source: R.assessment_window.source,
    },
    {
      id: 'v2_site_origin',
      description: 'clonal haematopoiesis and germline variants never count as tumour',
      inputs: Object.fromEntries(origins.filter((o) => o.origin !== 'tumour').map((o) => [o.label, o.origin])),
      value: origins.filter((o) => o.origin !== 'tumour').map((o) => o.reason).join('; ') || 'all sites read as tumour',
      threshold: `white-cell FDR ${R.clonal_haematopoiesis.white_cell_fdr}; germline band ${R.germline.heterozygous_vaf.join('–')} or ≥ ${R.germline.homozygous_vaf_min}, ≥ ${R.germline.min_ratio_to_tumour}× the tumour markers`,
      pass: null,
      source: `${R.clonal_haematopoiesis.source} | ${R.germline.source}`,
    },
    {
      id: 'v2_clonal_set',
      description: 'the sites that stand for the whole tumour',
      inputs: { method: clonal.method, sites: clonal.keys.join(';') || null, excluded: clonal.excluded.map((e) => `${e.label}: ${e.reason}`).join('; ') || null },
      value: clonal.text,
      threshold: `tumour VCF, else detected ≥ ${R.clonal_set.min_detections_before_window} time(s) before the window at ≥ ${R.clonal_set.min_relative_vaf} × the top site`,
      pass: clonal.keys.length > 0 ? true : null,
      source: R.clonal_set.source,
    },
    {
      id: 'v2_molecular',
      description: 'diffuse molecular progression: the longitudinal model, a return above the floor, or several non-targetable tumour sites emerging at one draw',
      inputs: {
        decision: molecular?.decision ?? null,
        fold: molecular?.fold ?? null,
        lower: molecular?.lower ?? null,
        upper: molecular?.upper ?? null,
        ctdna_return: ret.status,
        emerged_nontargetable_max: emerged?.count ?? 0,
      },
      value: molecular?.text ?? clonal.text,
      threshold: `policy fold ${policy.rules.molecular_progression.min_fold_from_nadir}; return floor ${ret.floor}; emerged ≥ ${policy.rules.molecular_progression.min_emerged_nontargetable}`,
      pass: decision.molecularProgression,
      source: `${policy.rules.molecular_progression.source} | ${R.ctdna_return.source}`,
    },
    {
      id: 'v2_targetable',
      description: 'actionable alteration detected in the window (BH FDR across targetable sites), its history, and whether its matched drug differs from the current therapy',
      inputs: { fdr: R.targetable.detection_fdr, known_since_baseline: R.targetable.known_since_baseline, current_therapy: win.currentLine?.therapy ?? clinical?.therapy ?? null },
      value: findings.filter((f) => f.detected).map((f) => f.text).join('; ') || 'none detected',
      threshold: `q ≤ ${R.targetable.detection_fdr}`,
      pass: findings.some((f) => f.qualifies),
      source: R.targetable.source,
    },
    {
      id: 'v2_group',
      description: 'widespread first; targetable when a qualifying finding exists and diffuse progression is not shown; true oligoprogression only when diffuse progression is ruled out; else indeterminate',
      inputs: { progressing_lesions: imaging.progressingLesions, new_lesions: imaging.newLesions, oligo_count: lesions, max_oligo_lesions: policy.rules.oligoprogression.max_oligo_lesions, diffuse: decision.diffuse },
      value: decision.group,
      threshold: 'decision table (docs/methods/policy.md)',
      pass: decision.group !== 'indeterminate' && decision.group !== 'no_progression' ? true : null,
      source: policy.rules.oligoprogression.source,
    },
  ];

  return {
    patient: timeline.patient,
    assessment_date: imaging.assessmentDate,
    group: decision.group,
    progressing_lesions: imaging.progressingLesions,
    molecular_progression: decision.molecularProgression,
    targetable_mutations: findings.filter((f) => f.qualifies).map(toTargetableMutation) as unknown as AssessmentClassification['targetable_mutations'],
    modifiers: lesions === 0 ? [] : [...modifiersFor(imaging, clinical, policy, knowledge), ...imagingModifiers(imaging, v2.modifiers)],
    rationale: decision.rationale,
    indeterminate_reason: decision.indeterminateReason,
    draws_used: win.usedIdx.map(sampleOf),
    draws_in_window: windowIdx.map(sampleOf),
    rules,
    findings,
    site_origins: origins,
    clonal_sites: clonal.keys,
  };
}
