/**
 * What each step of an assessment found, written down: the rule records (inputs, the value
 * compared, the threshold, the outcome, the source) and the fields the report reads (decision
 * 0201: the tumour fraction's change, the draw-to-scan interval, the ctDNA label, the site flags).
 * Pure.
 */
import type { ImagingRow } from '../io/imaging.js';
import type { AssessmentWindow } from './assessment-window.js';
import type { ClonalSet } from './clonal-set.js';
import type { CtdnaReturn } from './ctdna-return.js';
import type { GroupDecision } from './group.js';
import type { IdentityOutcome } from './identity-check.js';
import type { Policy } from './policy.js';
import type { MolecularRuleResult } from './rule-molecular.js';
import type { SiteOrigin, SiteOriginResult } from './site-origin.js';
import type { TargetableFinding } from './targetable-findings.js';
import type { AssessmentClassification, RuleEvaluation, SiteFlag, TumourFractionChange } from './types.js';
import type { PatientTimeline, TimelineSite } from '../timeline/types.js';

export interface RecordInputs {
  imaging: ImagingRow;
  lesions: number;
  policy: Policy;
  win: AssessmentWindow;
  identity: IdentityOutcome;
  identityProblem: string | null;
  origins: readonly SiteOriginResult[];
  clonal: ClonalSet;
  rule3: MolecularRuleResult | null;
  clonalSites: readonly TimelineSite[];
  ret: CtdnaReturn;
  findings: readonly TargetableFinding[];
  decision: GroupDecision;
  labels: string[];
}

export function assessmentRecords(i: RecordInputs): RuleEvaluation[] {
  const R = i.policy.rules;
  const max = R.oligoprogression.max_oligo_lesions;
  const notTumour = i.origins.filter((o) => o.origin !== 'tumour');
  const detected = i.findings.filter((f) => f.detected);
  const rule3: RuleEvaluation = i.rule3
    ? i.rule3.rule
    : {
        id: 'rule3_molecular_progression',
        description: 'diffuse molecular progression from the longitudinal model of the clonal set',
        inputs: { window_draws: null },
        value: `not evaluated: ${i.win.problem ?? 'no window draw'}`,
        threshold: `fold ≥ ${R.molecular_progression.min_fold_from_nadir} with Holm p < ${R.molecular_progression.alpha}`,
        pass: null,
        source: R.molecular_progression.source,
      };
  return [
    {
      id: 'rule1_no_progression',
      description: 'no progressing lesion → no_progression',
      inputs: { progressing_lesions: i.imaging.progressingLesions, new_lesions: i.imaging.newLesions },
      value: String(i.lesions),
      threshold: '= 0',
      pass: i.lesions === 0,
      source: R.no_progression.source,
    },
    {
      id: 'rule2_radiological_oligoprogression',
      description: '1 ≤ progressing lesions (new lesions count as progressing) ≤ max_oligo_lesions',
      inputs: {
        progressing_lesions: i.imaging.progressingLesions,
        new_lesions: i.imaging.newLesions,
        oligo_count: i.lesions,
        max_oligo_lesions: max,
      },
      value: String(i.lesions),
      threshold: `1..${max}`,
      pass: i.lesions === 0 ? null : i.lesions <= max,
      source: `${R.oligoprogression.source} | ${i.policy.modifiers.new_lesions.source}`,
    },
    {
      id: 'assessment_window',
      description: `draws from ${R.assessment_window.days_before} days before to ${R.assessment_window.days_after} days after the scan, never across a change of therapy`,
      inputs: {
        days_before: R.assessment_window.days_before,
        days_after: R.assessment_window.days_after,
        current_line: i.win.currentLine?.therapy ?? null,
        lines_from: i.win.linesFrom,
        window_draws: i.win.draws.map((w) => w.sample).join(';') || null,
        nearest_draw_days_from_scan: i.win.nearest?.daysFromScan ?? null,
      },
      value: i.win.problem ?? i.win.intervalText,
      threshold: `${R.assessment_window.days_before}/${R.assessment_window.days_after} days`,
      pass: i.win.problem === null,
      source: R.assessment_window.source,
    },
    {
      id: 'sample_identity',
      description:
        "every draw used is the patient's (genotypes at identity SNPs, src/identity); a discordant window draw leaves ctDNA undecided",
      inputs: { status: i.identity.status, excluded_draws: i.identity.excluded_draws.join(';') || null },
      value: i.identityProblem ?? i.identity.reason,
      threshold: 'log likelihood ratio ≤ −ln 1000 between a draw and the others (decision 0222)',
      pass: i.identity.status === 'pass' ? true : i.identityProblem ? false : null,
      source: 'docs/decisions/0222-identity-check.md; src/identity/concordance.ts',
    },
    {
      id: 'site_origin',
      description: 'clonal haematopoiesis and germline variants never count as tumour',
      inputs: Object.fromEntries(notTumour.map((o) => [o.label || o.key, o.origin])),
      value: notTumour.map((o) => o.reason).join('; ') || 'all sites read as tumour',
      threshold: `white-cell FDR ${R.clonal_haematopoiesis.white_cell_fdr}; germline band ${R.germline.heterozygous_vaf.join('–')} or ≥ ${R.germline.homozygous_vaf_min}, ≥ ${R.germline.min_ratio_to_tumour}× the tumour markers`,
      pass: null,
      source: `${R.clonal_haematopoiesis.source} | ${R.germline.source}`,
    },
    {
      id: 'clonal_set',
      description: 'the sites that stand for the whole tumour',
      inputs: {
        method: i.clonal.method,
        sites: i.labels.join(';') || null,
        excluded: i.clonal.excluded.map((e) => `${e.label}: ${e.reason}`).join('; ') || null,
      },
      value: i.clonal.text,
      threshold: `tumour VCF, else detected ≥ ${R.clonal_set.min_detections_before_window} time(s) before the window at ≥ ${R.clonal_set.min_relative_vaf} × the top site`,
      pass: i.clonal.keys.length > 0 ? true : null,
      source: R.clonal_set.source,
    },
    rule3,
    {
      id: 'ctdna_return',
      description: 'a return after clearance: below the floor it is "ctDNA return", at or above it diffuse molecular progression',
      inputs: {
        status: i.ret.status,
        cleared_at: i.ret.clearedSamples.join(';') || null,
        return_draw: i.ret.returnSample,
        pooled_vaf: i.ret.pooledVaf,
      },
      value:
        i.ret.text ||
        (i.ret.clearedSamples.length > 0
          ? `cleared at ${i.ret.clearedSamples.join(', ')}; no return in the window`
          : 'no clearance before the window'),
      threshold: `floor ${i.ret.floor}`,
      pass: i.ret.status === 'no_return' ? null : i.ret.status === 'above_floor',
      source: R.ctdna_return.source,
    },
    {
      id: 'rule4_targetable',
      description:
        'an actionable alteration detected in the window (BH FDR across the targetable sites) whose matched drug differs from the current therapy, or that resists it',
      inputs: {
        fdr: R.targetable.detection_fdr,
        known_since_baseline: R.targetable.known_since_baseline,
        current_therapy: i.win.currentLine?.therapy ?? null,
        window_draws: i.win.draws.map((w) => w.sample).join(';') || null,
      },
      value: detected.map((f) => f.text).join('; ') || (i.win.draws.length > 0 ? 'none detected' : 'not evaluable: no window draw'),
      threshold: `q ≤ ${R.targetable.detection_fdr}`,
      pass: i.win.draws.length > 0 ? i.findings.some((f) => f.qualifies) : null,
      source: R.targetable.source,
    },
    {
      id: 'rule5_group',
      description:
        'widespread first (radiological or molecular); targetable when a qualifying finding exists and diffuse progression is not shown; true oligoprogression only when diffuse progression is ruled out; else indeterminate',
      inputs: {
        oligo_count: i.lesions,
        max_oligo_lesions: max,
        diffuse: i.decision.diffuse,
        qualifying_targetable: i.findings.filter((f) => f.qualifies).length,
      },
      value: i.decision.group,
      threshold: 'decision table (docs/methods/policy.md)',
      pass: i.decision.group !== 'indeterminate' && i.decision.group !== 'no_progression' ? true : null,
      source: R.oligoprogression.source,
    },
    {
      id: 'rule6_indeterminate',
      description:
        "ctDNA cannot decide: no window draw, a window draw that is not the patient's, or diffuse progression neither shown nor ruled out without a qualifying targetable finding",
      inputs: { window_draws: i.win.draws.length, baseline_draws: i.win.baselineIdx.length, clonal_sites: i.clonal.keys.length },
      value: i.decision.indeterminateReason ?? 'ctDNA usable',
      threshold: 'a window draw of the patient and a decided change, or a qualifying targetable finding',
      pass: i.decision.group === 'indeterminate',
      source: R.indeterminate.source,
    },
  ];
}

const FLAG_KIND: Record<Exclude<SiteOrigin, 'tumour'>, string> = {
  panel_of_normals: 'panel_of_normals',
  possible_ch: 'possible_ch',
  ch_in_white_cells: 'ch',
  germline_in_white_cells: 'germline',
  germline_like: 'germline_like',
};

const METHOD =
  'longitudinal model: site-matched fold of the clonal set, window draw against the nadir phase of the current line, between-draw variation with a prior (docs/methods/statistics.md)';

/** The fields the report reads (decision 0201). */
export function reportFields(i: {
  timeline: PatientTimeline;
  clonalKeys: readonly string[];
  win: AssessmentWindow;
  rule3: MolecularRuleResult | null;
  ret: CtdnaReturn;
  origins: readonly SiteOriginResult[];
  findings: readonly TargetableFinding[];
}): Pick<AssessmentClassification, 'tumour_fraction_change' | 'draw_to_scan' | 'ctdna_label' | 'site_flags'> {
  const flags: SiteFlag[] = [];
  for (const o of i.origins) {
    if (o.origin === 'tumour') continue;
    const text =
      o.origin === 'possible_ch' && o.whiteCells === null ? 'possible clonal haematopoiesis: white-cell sequencing recommended' : o.reason;
    flags.push({ key: o.key, kind: FLAG_KIND[o.origin], text });
  }
  for (const f of i.findings.filter((x) => x.detected)) {
    // The flag is short (the findings table); the rationale and the rule record keep the policy key.
    const why = f.why.replace(/: shown, not counted \(targetable\.known_since_baseline = show\)$/, '');
    flags.push({
      key: f.key,
      kind: f.qualifies ? 'targetable' : 'actionable_shown',
      text: f.qualifies ? `targetable: ${why}` : `actionable, not counted: ${why}`,
    });
  }
  return {
    tumour_fraction_change: i.rule3 ? tumourFractionChange(i.rule3, i.timeline, i.clonalKeys) : null,
    draw_to_scan: i.win.nearest ? { sample: i.win.nearest.sample, days: -i.win.nearest.daysFromScan } : null,
    ctdna_label: i.ret.status === 'no_return' ? null : 'ctDNA return',
    site_flags: flags,
  };
}

function tumourFractionChange(r: MolecularRuleResult, t: PatientTimeline, clonalKeys: readonly string[]): TumourFractionChange | null {
  const m = r.change;
  const c = m.comparisons.find((x) => x.sample === m.decisive_sample) ?? null;
  if (!c) return null;
  // The nadir a clinician names: the nadir-phase draw with the lowest pooled clonal VAF.
  const pooled = (sample: string) => {
    const d = t.draws.findIndex((x) => x.sample === sample);
    let alt = 0;
    let depth = 0;
    for (const s of t.sites) {
      if (!clonalKeys.includes(s.key)) continue;
      const p = s.points[d];
      if (p) {
        alt += p.alt_count;
        depth += p.depth;
      }
    }
    return depth > 0 ? alt / depth : Infinity;
  };
  const nadir = c.nadir_draws.length > 0 ? [...c.nadir_draws].sort((a, b) => pooled(a) - pooled(b))[0] : null;
  return {
    fold: c.fold_infinite ? null : c.fold,
    low: c.low,
    high: c.high,
    p_value: c.p_value,
    power: c.power_at_fold,
    verdict: m.status,
    nadir_sample: nadir,
    compared_sample: c.sample,
    method: METHOD,
  };
}
