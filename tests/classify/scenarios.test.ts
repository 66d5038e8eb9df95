/**
 * classifyAssessment branch by branch on timelines built through the calling stage. Written for
 * policy version 1 and kept under version 2 where the clinical expectation is the same; where
 * version 2 changed the expected behaviour, the test says why (the 60/+28-day window, the work-up
 * draw after the scan, targetable findings by detection, CH and germline by origin).
 *
 * The TP53 markers of these patients are tissue-confirmed (tumour VCF): under policy version 2 a
 * TP53 variant seen only in plasma, with neither tissue nor white cells, is possible clonal
 * haematopoiesis and never stands for the tumour (tested in policy-scenarios.test.ts, CH1).
 */
import { describe, expect, it } from 'vitest';
import { referenceKnowledge } from '../../src/classify/knowledge.js';
import { loadPolicy, type Policy } from '../../src/classify/policy.js';
import { classifyAssessment } from '../../src/classify/rules.js';
import type { ClinicalRow } from '../../src/io/clinical.js';
import { isoDateToDay } from '../../src/io/csv-schema.js';
import type { ImagingRow, LesionSite } from '../../src/io/imaging.js';
import type { BetweenDrawPrior } from '../../src/timeline/longitudinal/types.js';
import type { PatientTimeline } from '../../src/timeline/types.js';
import { simulateSeries } from '../../src/bench/accuracy-series.js';
import { Xoshiro128 } from '../../src/stats/rng.js';
import { type Counts, type DrawSpec, makeTimeline as makeFixture, type TimelineOptions } from '../timeline/fixtures.js';

/** The patient's tissue VCF holds both TP53 markers. */
const makeTimeline = (patient: string, specs: DrawSpec[], opts: TimelineOptions = {}): PatientTimeline =>
  makeFixture(patient, specs, { tumourInformed: ['TP53_R175H', 'TP53_R273H'], ...opts });

const { policy } = loadPolicy();
const knowledge = referenceKnowledge();

function imaging(
  patient: string,
  date: string,
  lesions: number,
  sites: LesionSite[] = lesions > 0 ? ['bone', 'liver'] : [],
  extra: Partial<ImagingRow> = {},
): ImagingRow {
  return {
    patient,
    assessmentDate: date,
    assessmentDay: isoDateToDay(date),
    progressingLesions: lesions,
    newLesions: 0,
    sites,
    visceral: false,
    cns: false,
    line: 2,
    ...extra,
  };
}

function clinical(patient: string, start: string, extra: Partial<ClinicalRow> = {}): ClinicalRow {
  return {
    patient,
    subtype: 'HR+/HER2-',
    therapy: 'letrozole+palbociclib',
    therapyClass: 'endocrine+CDK4/6i',
    therapyStart: start,
    therapyStartDay: isoDateToDay(start),
    line: 2,
    ...extra,
  };
}

/**
 * The between-draw variation a lab's cohort store would estimate (classify --between-draw-prior
 * cohort): CV 15%, weighing as 10 draws. The scenarios of rules 1, 2, 4, 5 and the modifiers use it:
 * their subject is not rule 3, and with it two or three stable draws establish a stable tumour
 * level, as a tumour board reading them would assume. Without it (the policy's conservative
 * default) so few draws cannot rule a 2-fold rise out — tested in its own block below.
 */
const LAB: BetweenDrawPrior = { cv: 0.15, df: 10, source: 'lab cohort estimate (scenario)' };

/** `prior` null: the policy's default between-draw prior (no cohort estimate). */
const classify = (
  t: PatientTimeline,
  im: ImagingRow,
  p: Policy = policy,
  cl: ClinicalRow | null = clinical(t.patient, '2025-06-01'),
  prior: BetweenDrawPrior | null = LAB,
) => classifyAssessment({ timeline: t, imaging: im, clinical: cl, ...(prior ? { betweenDrawPrior: prior } : {}) }, p, knowledge);

const rule = (r: ReturnType<typeof classify>, id: string) => r.rules.find((x) => x.id.startsWith(id))!;

// Two clonal TP53 sites at ~2% VAF (60/3000), stable: the tumour fraction does not move.
const stableClonal = { TP53_R175H: [60, 3000], TP53_R273H: [54, 3000] } as const;
const draws = (...specs: DrawSpec[]) => specs;

describe('classify: every branch of the rules', () => {
  const stable = makeTimeline(
    'P1',
    draws(
      { sample: 'P1_d0', date: '2026-01-05', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
      { sample: 'P1_d1', date: '2026-03-05', counts: { TP53_R175H: [57, 3000], TP53_R273H: [60, 3000], ESR1_D538G: [0, 3000] } },
      { sample: 'P1_d2', date: '2026-05-04', counts: { TP53_R175H: [63, 3000], TP53_R273H: [55, 3000], ESR1_D538G: [0, 3000] } },
    ),
  );

  it('rule 1: no progressing lesion → no_progression', () => {
    const r = classify(stable, imaging('P1', '2026-05-20', 0));
    expect(r.group).toBe('no_progression');
    expect(rule(r, 'rule1').pass).toBe(true);
    expect(r.modifiers).toEqual([]);
  });

  it('rule 1 with ctDNA progression: no_progression, and the rationale states the molecular evidence', () => {
    // Tumour fraction 4-fold up (60/6000 → 240/6000; 4.03-fold above the background of 1e-4) and ESR1
    // emerging, imaging without progression.
    const t = makeTimeline(
      'P1b',
      draws(
        { sample: 'P1b_d0', date: '2026-01-05', counts: { TP53_R175H: [30, 3000], TP53_R273H: [30, 3000], ESR1_D538G: [0, 3000] } },
        { sample: 'P1b_d1', date: '2026-03-05', counts: { TP53_R175H: [120, 3000], TP53_R273H: [120, 3000], ESR1_D538G: [40, 3000] } },
      ),
    );
    const r = classify(t, imaging('P1b', '2026-03-20', 0));
    expect(r.group).toBe('no_progression');
    expect(r.molecular_progression).toBe(true);
    expect(r.targetable_mutations.map((x) => x.gene)).toEqual(['ESR1']);
    expect(r.rationale).toMatch(/^No progressing lesion at this assessment\. ctDNA shows molecular progression/);
    expect(r.rationale).toContain('Tumour level 4.03-fold');
    expect(r.rationale).toContain('ESR1 p.D538G detected in the window');
    expect(r.targetable_mutations.map((x) => x.event)).toEqual(['emerged']);
    // Stable ctDNA: no molecular-progression sentence, only what ctDNA showed.
    const plain = classify(stable, imaging('P1', '2026-05-20', 0)).rationale;
    expect(plain).toMatch(/^No progressing lesion at this assessment\. ctDNA: /);
    expect(plain).not.toContain('molecular progression');
  });

  it('rules 2+5: few lesions, stable ctDNA, nothing targetable → true_oligoprogression', () => {
    const r = classify(stable, imaging('P1', '2026-05-20', 2));
    expect(r.group).toBe('true_oligoprogression');
    expect(r.molecular_progression).toBe(false);
    expect(r.targetable_mutations).toEqual([]);
    // Policy version 2: 60 days before to 28 after the scan, so the draw 76 days old is baseline.
    expect(r.draws_in_window).toEqual(['P1_d2']);
    expect(rule(r, 'rule3').pass).toBe(false);
    expect(rule(r, 'rule4').pass).toBe(false);
  });

  it('rule 2 threshold: max_oligo_lesions 5 by default; 4 lesions are widespread with max 3', () => {
    expect(classify(stable, imaging('P1', '2026-05-20', 5)).group).toBe('true_oligoprogression');
    expect(classify(stable, imaging('P1', '2026-05-20', 6)).group).toBe('widespread_progression');
    const strict: Policy = {
      ...policy,
      rules: { ...policy.rules, oligoprogression: { ...policy.rules.oligoprogression, max_oligo_lesions: 3 } },
    };
    expect(classify(stable, imaging('P1', '2026-05-20', 4)).group).toBe('true_oligoprogression');
    const r = classify(stable, imaging('P1', '2026-05-20', 4), strict);
    expect(r.group).toBe('widespread_progression');
    expect(rule(r, 'rule2').threshold).toBe('1..3');
  });

  const esr1Emerges = makeTimeline(
    'P2',
    draws(
      { sample: 'P2_d0', date: '2026-01-05', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
      { sample: 'P2_d1', date: '2026-03-05', counts: { TP53_R175H: [58, 3000], TP53_R273H: [61, 3000], ESR1_D538G: [0, 3000] } },
      { sample: 'P2_d2', date: '2026-05-04', counts: { TP53_R175H: [62, 3000], TP53_R273H: [57, 3000], ESR1_D538G: [30, 3000] } },
    ),
  );

  it('rule 4: ESR1 emerges under stable tumour fraction → oligoprogression_targetable', () => {
    const r = classify(esr1Emerges, imaging('P2', '2026-05-20', 2));
    expect(r.group).toBe('oligoprogression_targetable');
    expect(r.molecular_progression).toBe(false);
    expect(r.targetable_mutations.map((t) => [t.gene, t.protein, t.event, t.sample])).toEqual([['ESR1', 'p.D538G', 'emerged', 'P2_d2']]);
    expect(r.targetable_mutations[0].therapies.join(' ')).toMatch(/elacestrant/);
  });

  it('rule 5: many lesions and a targetable emergence → widespread_progression with targetable_mutations filled', () => {
    const r = classify(esr1Emerges, imaging('P2', '2026-05-20', 8));
    expect(r.group).toBe('widespread_progression');
    expect(r.targetable_mutations.map((t) => t.gene)).toEqual(['ESR1']);
  });

  it('rule 3: tumour fraction ≥ 2-fold from nadir over 2 clonal sites → widespread despite 2 lesions', () => {
    const t = makeTimeline(
      'P3',
      draws(
        { sample: 'P3_d0', date: '2026-01-05', counts: { TP53_R175H: [30, 3000], TP53_R273H: [27, 3000] } },
        { sample: 'P3_d1', date: '2026-03-05', counts: { TP53_R175H: [15, 3000], TP53_R273H: [14, 3000] } },
        { sample: 'P3_d2', date: '2026-05-04', counts: { TP53_R175H: [75, 3000], TP53_R273H: [66, 3000] } },
      ),
    );
    const r = classify(t, imaging('P3', '2026-05-20', 2));
    expect(r.group).toBe('widespread_progression');
    expect(r.molecular_progression).toBe(true);
    const r3 = rule(r, 'rule3');
    // The nadir is a modelled level, not the lowest draw: d0 (57/6000) and d1 (29/6000) differ by
    // a factor 2 that two draws at CV 15% do not call a change, so both form the nadir phase
    // (86/12000 at equal depths) and d2 (141/6000) is 141/43 = 3.28-fold above it as read; above the
    // default background of 1e-4 (fixtures.ts) the tumour signal is (141/6000 − 1e-4)/(86/12000 − 1e-4)
    // = 3.31-fold, and 3.33-fold as a level: a pool of two log-normal draws reads about σ̃²(1 − ½)/2
    // above their typical level, and the fold is corrected by that much (σ̃² = log(1 + CV²) at the
    // patient's between-draw CV).
    expect(r3.inputs.nadir_phase).toBe('P3_d0;P3_d1');
    const sigma2 = Math.log1p((r3.inputs.between_draw_cv as number) ** 2);
    expect(sigma2).toBeGreaterThan(0.01);
    const signalFold = (141 / 6000 - 1e-4) / (86 / 12000 - 1e-4);
    expect(r3.inputs.tf_fold_from_nadir as number).toBeCloseTo(signalFold * Math.exp(sigma2 / 4), 2);
    // Three draws: the rise test allows for the window draw's own deviation (its variance under "no
    // change" includes that draw), so the p-value is of the order of 1e-3, below α = 0.01.
    expect(r3.inputs.p_holm as number).toBeLessThan(policy.rules.molecular_progression.alpha);
  });

  it('rule 3: a rise below 2-fold is not molecular progression even when significant', () => {
    // Eight stable draws at 10% (300/3000 per site), then 15%: a 1.5-fold rise, evident (one-sided
    // p ≈ 0.011) but below the policy's 2-fold, and a 2-fold rise is ruled out. The rise test's
    // variance under "no change" includes the window draw, so one draw 1.5-fold above a level the
    // prior lets vary by CV 15% stays near p = 0.01 however many stable draws precede it.
    const flat = { TP53_R175H: [300, 3000], TP53_R273H: [300, 3000] } as const;
    const t = makeTimeline(
      'P3b',
      draws(
        { sample: 'd0', date: '2025-07-05', counts: flat },
        { sample: 'd1', date: '2025-08-05', counts: { TP53_R175H: [296, 3000], TP53_R273H: [305, 3000] } },
        { sample: 'd2', date: '2025-09-05', counts: { TP53_R175H: [303, 3000], TP53_R273H: [298, 3000] } },
        { sample: 'd3', date: '2025-10-05', counts: { TP53_R175H: [299, 3000], TP53_R273H: [302, 3000] } },
        { sample: 'd4', date: '2025-11-05', counts: flat },
        { sample: 'd5', date: '2025-12-05', counts: { TP53_R175H: [302, 3000], TP53_R273H: [297, 3000] } },
        { sample: 'd6', date: '2026-01-05', counts: { TP53_R175H: [298, 3000], TP53_R273H: [301, 3000] } },
        { sample: 'd7', date: '2026-02-05', counts: flat },
        { sample: 'd8', date: '2026-05-04', counts: { TP53_R175H: [450, 3000], TP53_R273H: [450, 3000] } },
      ),
    );
    const r = classify(t, imaging('P3b', '2026-05-20', 1), policy, clinical('P3b', '2025-07-01'));
    expect(rule(r, 'rule3').inputs.tf_p_value as number).toBeLessThan(0.02);
    expect(rule(r, 'rule3').inputs.model_status).toBe('ruled_out');
    expect(r.group).toBe('true_oligoprogression');
  });

  it('rule 3: several non-targetable mutations emerging at once → widespread', () => {
    const t = makeTimeline(
      'P4',
      draws(
        { sample: 'P4_d0', date: '2026-01-05', counts: { ...stableClonal, GATA3_X1: [0, 3000], MAP3K1_X1: [0, 3000], CDH1_X1: [0, 3000] } },
        {
          sample: 'P4_d1',
          date: '2026-05-04',
          counts: { ...stableClonal, GATA3_X1: [25, 3000], MAP3K1_X1: [30, 3000], CDH1_X1: [1, 3000] },
        },
      ),
    );
    const r = classify(t, imaging('P4', '2026-05-20', 3));
    expect(r.group).toBe('widespread_progression');
    expect(rule(r, 'rule3').inputs.emerged_nontargetable_max).toBe(2);
  });

  it('clonal selection: tumour fraction falls while ESR1 rises → oligoprogression_targetable, not widespread', () => {
    const t = makeTimeline(
      'P5',
      draws(
        { sample: 'P5_d0', date: '2026-01-05', counts: { TP53_R175H: [120, 3000], TP53_R273H: [110, 3000], ESR1_D538G: [15, 3000] } },
        { sample: 'P5_d1', date: '2026-05-04', counts: { TP53_R175H: [30, 3000], TP53_R273H: [28, 3000], ESR1_D538G: [90, 3000] } },
      ),
    );
    expect(t.tumour_fraction.points[1].event).toBe('falling');
    // ESR1 at 0.5% beside TP53 at ~3.8% is subclonal: not pooled into the tumour fraction.
    expect(t.tumour_fraction.clonal_sites).toEqual(['chr17:7675088:C>T', 'chr17:7673802:C>T']);
    expect(t.sites.find((s) => s.gene === 'ESR1')!.points[1].event).toBe('rising');
    const r = classify(t, imaging('P5', '2026-05-20', 2));
    expect(r.molecular_progression).toBe(false);
    expect(r.group).toBe('oligoprogression_targetable');
    expect(r.targetable_mutations.map((x) => x.event)).toEqual(['rising']);
  });

  it('a single alt read at 3,000× is not an emergence', () => {
    const t = makeTimeline(
      'P6',
      draws(
        { sample: 'P6_d0', date: '2026-01-05', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
        { sample: 'P6_d1', date: '2026-05-04', counts: { ...stableClonal, ESR1_D538G: [1, 3000] } },
      ),
    );
    const esr1 = t.sites.find((s) => s.gene === 'ESR1')!;
    expect(esr1.points[1].call).toBe('not_detected');
    expect(esr1.points[1].event).toBe('stable');
    expect(esr1.points[1].change_p_value).toBeCloseTo(0.5, 12);
    expect(classify(t, imaging('P6', '2026-05-20', 2)).group).toBe('true_oligoprogression');
  });

  it('a targetable site in the white cells or the panel of normals never counts', () => {
    const specs = draws(
      { sample: 'P7_d0', date: '2026-01-05', counts: { ...stableClonal, PIK3CA_H1047R: [0, 3000] } },
      { sample: 'P7_d1', date: '2026-05-04', counts: { ...stableClonal, PIK3CA_H1047R: [60, 3000] } },
    );
    const unflagged = classify(makeTimeline('P7', specs), imaging('P7', '2026-05-20', 2));
    expect(unflagged.group).toBe('oligoprogression_targetable');
    // The same 2% in the patient's white cells: clonal haematopoiesis for this patient, not tumour.
    const inWhiteCells = classify(makeTimeline('P7', specs, { whiteCells: { PIK3CA_H1047R: [58, 3000] } }), imaging('P7', '2026-05-20', 2));
    expect(inWhiteCells.group).toBe('true_oligoprogression');
    expect(inWhiteCells.site_origins!.find((o) => o.label === 'PIK3CA p.H1047R')!.origin).toBe('ch_in_white_cells');
    const byPon = makeTimeline('P7', specs, { ponFlagged: ['PIK3CA_H1047R'] });
    expect(byPon.sites.find((s) => s.gene === 'PIK3CA')!.germline_or_ch).toBe(true);
    const r = classify(byPon, imaging('P7', '2026-05-20', 2));
    expect(r.group).toBe('true_oligoprogression');
    expect(r.site_origins!.find((o) => o.label === 'PIK3CA p.H1047R')!.origin).toBe('panel_of_normals');
  });

  it('draws more than 28 days after the scan are never used; the work-up draw days after it is (policy version 2)', () => {
    // Version 1 used no draw after the scan; version 2 counts the work-up draw taken within 28 days
    // after it (the measured case: it was ignored and the assessment left indeterminate).
    const specs = (late: string) =>
      draws(
        { sample: 'P8_d0', date: '2026-01-05', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
        { sample: 'P8_d1', date: '2026-05-04', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
        { sample: 'P8_d2', date: late, counts: { TP53_R175H: [300, 3000], TP53_R273H: [280, 3000], ESR1_D538G: [90, 3000] } },
      );
    const r = classify(makeTimeline('P8', specs('2026-06-30')), imaging('P8', '2026-05-20', 2));
    expect(r.draws_used).toEqual(['P8_d0', 'P8_d1']);
    expect(r.group).toBe('true_oligoprogression');
    // The same rise one day after the scan is the work-up draw: it is used.
    const workUp = classify(makeTimeline('P8', specs('2026-05-21')), imaging('P8', '2026-05-20', 2));
    expect(workUp.draws_in_window).toEqual(['P8_d1', 'P8_d2']);
    expect(workUp.group).toBe('widespread_progression');
    expect(workUp.targetable_mutations.map((x) => x.gene)).toEqual(['ESR1']);
  });

  it('rule 6: only one draw → indeterminate (no earlier draw)', () => {
    const t = makeTimeline('P9', draws({ sample: 'P9_d0', date: '2026-05-04', counts: { ...stableClonal } }));
    const r = classify(t, imaging('P9', '2026-05-20', 2));
    expect(r.group).toBe('indeterminate');
    expect(r.indeterminate_reason).toMatch(/no draw of the current therapy line .*before the assessment window to compare with/);
  });

  it('rule 6: no draw in the window → indeterminate, naming the window and the last draw', () => {
    const r = classify(stable, imaging('P1', '2026-09-01', 2));
    expect(r.group).toBe('indeterminate');
    expect(r.indeterminate_reason).toMatch(
      /^no ctDNA draw in the window \(60 days before to 28 days after the scan: 2026-07-03 to 2026-09-29\); last draw 2026-05-04, 120 days before the scan$/,
    );
  });

  it('rule 6: every site below its limit of detection → indeterminate', () => {
    const t = makeTimeline(
      'P10',
      draws(
        { sample: 'd0', date: '2026-01-05', counts: { TP53_R175H: [0, 3000], TP53_R273H: [1, 3000] } },
        { sample: 'd1', date: '2026-05-04', counts: { TP53_R175H: [0, 3000], TP53_R273H: [0, 3000] } },
      ),
    );
    const r = classify(t, imaging('P10', '2026-05-20', 2));
    expect(r.group).toBe('indeterminate');
    // No alt read in the window draw and one in the nadir: the model can rule nothing out.
    expect(r.indeterminate_reason).toMatch(/^ctDNA cannot exclude diffuse progression: /);
    const low = makeTimeline(
      'P11',
      draws(
        { sample: 'd0', date: '2026-01-05', counts: { ...stableClonal } },
        { sample: 'd1', date: '2026-05-04', counts: { TP53_R175H: [1, 40], TP53_R273H: [0, 35] } },
      ),
    );
    const r2 = classify(low, imaging('P11', '2026-05-20', 2));
    expect(r2.group).toBe('indeterminate');
    expect(r2.indeterminate_reason).toMatch(/upper 95% bound [\d.]+ ≥ 2; power to call a true 2-fold rise/);
    // Depth 150 passes the minimum depth, but its LoD (> 2%) is above the sites' earlier 0.5%:
    // "not detected" there cannot mean the tumour fell.
    // Both sites at 0.5%, then no read at a window depth whose LoD is above 0.5%.
    const zerosAfterHalfPercent = (patient: string, windowDepth: number) => {
      const t = makeTimeline(
        patient,
        draws(
          { sample: 'd0', date: '2026-01-05', counts: { TP53_R175H: [15, 3000], TP53_R273H: [14, 3000] } },
          { sample: 'd1', date: '2026-05-04', counts: { TP53_R175H: [0, windowDepth], TP53_R273H: [0, windowDepth] } },
        ),
      );
      expect(t.sites[0].points[1].call).toBe('not_detected');
      expect(t.sites[0].points[1].lod as number).toBeGreaterThan(0.005);
      return t;
    };
    const shallow = zerosAfterHalfPercent('P11b', 150);
    const r3 = classify(shallow, imaging('P11b', '2026-05-20', 2));
    expect(r3.group).toBe('indeterminate');
    // 0 of 150 reads after 29 of 6,000 per site: the exact sampling bound alone is 2.2 (3.2 with the
    // between-draw variation), so the model itself cannot rule a 2-fold rise out.
    expect(r3.indeterminate_reason).toMatch(/upper 95% bound [\d.]+ ≥ 2/);
    expect(rule(r3, 'rule3').pass).toBeNull();
    // At 400× the same zeros give an exact sampling bound of 0.8 (the model alone would rule a rise
    // out), but the LoD is still above the earlier 0.5%: a draw that cannot see the earlier level
    // never rules a rise out.
    const blind = zerosAfterHalfPercent('P11c', 400);
    const r4 = classify(blind, imaging('P11c', '2026-05-20', 2));
    expect(r4.group).toBe('indeterminate');
    expect(r4.indeterminate_reason).toMatch(
      /every clonal site \(TP53 p\.R175H, TP53 p\.R273H\) is below its limit of detection in the window draws \(low depth, or an LoD above its earlier VAF\)/,
    );
    expect(rule(r4, 'rule3').pass).toBeNull();
  });

  it('fewer clonal sites than the policy asks for is a caveat, not the criterion', () => {
    const t = makeTimeline(
      'P12',
      draws(
        { sample: 'd0', date: '2026-01-05', counts: { TP53_R175H: [60, 3000], ESR1_D538G: [0, 3000] } },
        { sample: 'd1', date: '2026-05-04', counts: { TP53_R175H: [62, 3000], ESR1_D538G: [45, 3000] } },
      ),
    );
    // With the lab's between-draw estimate, one deep marker rules a 2-fold rise out: the group
    // follows the emergence, and the rationale says the level rests on one site.
    const r = classify(t, imaging('P12', '2026-05-20', 2));
    expect(r.group).toBe('oligoprogression_targetable');
    expect(r.molecular_progression).toBe(false);
    expect(r.rationale).toMatch(/1 clonal site\(s\), fewer than the policy's 2/);
    // Without it (policy default), one earlier draw cannot rule a 2-fold rise out. Version 1 called
    // this indeterminate; version 2 keeps the targetable group when diffuse progression is
    // undecided, saying so (the precedence: an undecided change keeps the group, with the
    // caveat stated) — the board acts on the ESR1 finding knowing the tumour level is not settled.
    const d = classify(t, imaging('P12', '2026-05-20', 2), policy, clinical('P12', '2025-06-01'), null);
    expect(d.group).toBe('oligoprogression_targetable');
    expect(d.molecular_progression).toBeNull();
    expect(d.rationale).toMatch(
      /diffuse progression not excluded \(A 2-fold rise can be neither shown nor ruled out: .*upper 95% bound [\d.]+ ≥ 2; power to call a true 2-fold rise/,
    );
    expect(d.targetable_mutations.map((x) => x.gene)).toEqual(['ESR1']);
  });
});

describe('classify: modifiers are shown and never change the group', () => {
  const t = makeTimeline(
    'M1',
    draws(
      { sample: 'M1_d0', date: '2026-01-05', counts: { ...stableClonal } },
      { sample: 'M1_d1', date: '2026-05-04', counts: { ...stableClonal } },
    ),
  );
  it('short response (< 6 months, AVATAR), TNBC, bone-only, visceral, CNS, toxicity note, time to next therapy', () => {
    const cl = clinical('M1', '2026-01-01', { subtype: 'TNBC', therapyClass: 'ADC', therapy: 'T-DXd' });
    const r = classify(t, imaging('M1', '2026-05-20', 1, ['bone'], { visceral: true, cns: true }), policy, cl);
    const ids = r.modifiers.map((m) => m.id);
    expect(ids).toEqual(['short_response', 'triple_negative', 'visceral', 'cns', 'bone_only', 'toxicity_note', 'time_to_next_therapy']);
    // Imaging modifiers (policy version 2): new lesions and several organs, shown beside the group.
    const organs = classify(t, imaging('M1', '2026-05-20', 2, ['bone', 'liver'], { newLesions: 1 }));
    expect(organs.modifiers.map((m) => m.id)).toEqual(expect.arrayContaining(['new_lesions', 'multi_organ']));
    expect(organs.group).toBe('true_oligoprogression');
    // 139 days on therapy = 4.6 months
    expect(r.modifiers[0].text).toMatch(/after 4\.6 months on T-DXd/);
    expect(r.modifiers[6].text).toMatch(/13\.4 months/);
    expect(r.group).toBe('true_oligoprogression');
    const plain = classify(t, imaging('M1', '2026-05-20', 1, ['liver']), policy, clinical('M1', '2025-01-01'));
    expect(plain.group).toBe('true_oligoprogression');
    expect(plain.modifiers.map((m) => m.id)).toEqual(['toxicity_note', 'time_to_next_therapy']);
  });
  it('the Nicosia band follows the lesion count (2–3 → 10.2, 4–5 → 5.8 months)', () => {
    const nest = (n: number) => classify(t, imaging('M1', '2026-05-20', n)).modifiers.find((m) => m.id === 'time_to_next_therapy')?.text;
    expect(nest(3)).toMatch(/10\.2 months/);
    expect(nest(4)).toMatch(/5\.8 months/);
    expect(nest(7)).toBeUndefined();
  });
});

describe('classify: a slow targetable rise counts by detection (policy version 2)', () => {
  // ESR1 p.D538G 0 → 2 → 4 → 8 alt reads of 3,000 every two months: each consecutive step is
  // `stable`. Version 1 counted it by a "rise from nadir" switch (include_rise_from_nadir), now
  // retired: version 2 asks whether the alteration is detected in the window (SERENA-6 switched on
  // detection) and whether its drug class differs from, or is resisted under, the current therapy.
  const slowSpecs = draws(
    { sample: 'P9_d0', date: '2025-06-10', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
    { sample: 'P9_d1', date: '2025-08-11', counts: { ...stableClonal, ESR1_D538G: [2, 3000] } },
    { sample: 'P9_d2', date: '2025-10-10', counts: { ...stableClonal, ESR1_D538G: [4, 3000] } },
    { sample: 'P9_d3', date: '2025-12-10', counts: { ...stableClonal, ESR1_D538G: [8, 3000] } },
  );
  const slow = makeTimeline('P9', slowSpecs);
  const assess = imaging('P9', '2025-12-20', 2);

  it('the fixture really is a slow rise: no emerged/rising step, detected at the last draw', () => {
    const esr1 = slow.sites.find((s) => s.gene === 'ESR1')!;
    expect(esr1.points.slice(1).map((p) => p.event)).not.toContain('emerged');
    expect(esr1.points.slice(1).map((p) => p.event)).not.toContain('rising');
    expect(esr1.points[3].call).toBe('detected');
  });

  it('0 → 2 → 4 → 8 of 3,000 on an aromatase inhibitor → oligoprogression_targetable for 1–3 lesions, as a detection', () => {
    for (const lesions of [1, 2, 3]) {
      const r = classify(slow, imaging('P9', '2025-12-20', lesions));
      expect(r.group).toBe('oligoprogression_targetable');
      expect(r.targetable_mutations.map((t) => [t.gene, t.protein, t.sample])).toEqual([['ESR1', 'p.D538G', 'P9_d3']]);
      expect(r.targetable_mutations[0].event).not.toBe('rising');
      expect(r.rationale).toContain('ESR1 p.D538G detected in the window');
      expect(r.rationale).toContain('resists the current aromatase inhibitor (letrozole)');
      expect(rule(r, 'rule4').pass).toBe(true);
    }
  });

  it('a single alt read after zeros at 3,000× still does not count', () => {
    const t = makeTimeline(
      'P9',
      draws(
        { sample: 'P9_d0', date: '2025-06-10', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
        { sample: 'P9_d1', date: '2025-08-11', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
        { sample: 'P9_d2', date: '2025-10-10', counts: { ...stableClonal, ESR1_D538G: [0, 3000] } },
        { sample: 'P9_d3', date: '2025-12-10', counts: { ...stableClonal, ESR1_D538G: [1, 3000] } },
      ),
    );
    const r = classify(t, assess);
    expect(r.group).toBe('true_oligoprogression');
    expect(r.targetable_mutations).toEqual([]);
  });

  it('the same slow ESR1 found at that level in the white cells never counts', () => {
    const inWhiteCells = makeTimeline('P9', slowSpecs, { whiteCells: { ESR1_D538G: [9, 3000] } });
    const r = classify(inWhiteCells, assess);
    expect(r.group).toBe('true_oligoprogression');
    expect(r.site_origins!.find((o) => o.label === 'ESR1 p.D538G')!.origin).toBe('ch_in_white_cells');
  });
});

describe('classify: evaluability by information, not by site count', () => {
  // Counts written as a clinician would describe the series; groups decided before the rule.
  const TP53 = (alt: number, depth = 1500): { TP53_R175H: [number, number] } => ({ TP53_R175H: [alt, depth] });
  const bimonthly = (patient: string, counts: Counts[], start = '2025-05-05') =>
    counts.map((c, i) => ({
      sample: `${patient}_d${i}`,
      date: new Date(Date.parse(start) + i * 61 * 86_400_000).toISOString().slice(0, 10),
      counts: c,
    }));
  const lastDate = (specs: DrawSpec[]) => specs[specs.length - 1].date;
  const after = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

  it('one deep truncal marker (TP53 2%, 1,500×, 30/31/29/30 alt reads): evaluable; true_oligoprogression when the between-draw variation is known', () => {
    const specs = bimonthly('V1', [TP53(30), TP53(31), TP53(29), TP53(30)]);
    const t = makeTimeline('V1', specs);
    const im = imaging('V1', after(lastDate(specs), 10), 2);
    const r = classify(t, im, policy, clinical('V1', '2025-05-01'));
    expect(r.group).toBe('true_oligoprogression');
    expect(rule(r, 'rule3').inputs.model_status).toBe('ruled_out');
    expect(rule(r, 'rule3').inputs.upper_bound as number).toBeLessThan(2);
    expect(r.rationale).toMatch(/A 2-fold rise is ruled out/);
    expect(r.rationale).toMatch(/1 clonal site\(s\), fewer than the policy's 2/);
    // Without a cohort estimate, three earlier draws of one marker cannot show that this patient's
    // level varies little: indeterminate, naming the upper bound and the power.
    const d = classify(t, im, policy, clinical('V1', '2025-05-01'), null);
    expect(d.group).toBe('indeterminate');
    expect(d.indeterminate_reason).toMatch(/upper 95% bound [\d.]+ ≥ 2; power to call a true 2-fold rise [\d.]+%/);
    // Eight bimonthly draws (about 14 months on therapy) carry that information themselves.
    const long = bimonthly('V1', [TP53(30), TP53(31), TP53(29), TP53(30), TP53(31), TP53(28), TP53(30), TP53(30)]);
    const r8 = classify(makeTimeline('V1', long), imaging('V1', after(lastDate(long), 10), 2), policy, clinical('V1', '2025-05-01'), null);
    expect(r8.group).toBe('true_oligoprogression');
  });

  it('two shallow markers at 0.5%, 300×: indeterminate, naming the upper bound and the power, whether stable or rising 3-fold', () => {
    const stable = bimonthly('V2', [
      { TP53_R175H: [2, 300], TP53_R273H: [1, 300] },
      { TP53_R175H: [1, 300], TP53_R273H: [2, 300] },
      { TP53_R175H: [2, 300], TP53_R273H: [1, 300] },
      { TP53_R175H: [1, 300], TP53_R273H: [2, 300] },
    ]);
    const rise = [...stable.slice(0, 3), { ...stable[3], counts: { TP53_R175H: [5, 300], TP53_R273H: [4, 300] } as Counts }];
    for (const specs of [stable, rise]) {
      const r = classify(makeTimeline('V2', specs), imaging('V2', after(lastDate(specs), 10), 2));
      expect(r.group).toBe('indeterminate');
      expect(rule(r, 'rule3').inputs.model_status).toBe('undecided');
      expect(r.indeterminate_reason).toMatch(/upper 95% bound [\d.]+ ≥ 2; power to call a true 2-fold rise [\d.]+%/);
      expect(rule(r, 'rule3').inputs.power_at_fold as number).toBeLessThan(0.2);
    }
  });

  it('a change of site mix is no progression: stable sites at 4% (LOH) and 2%, each below depth 100 in one draw', () => {
    const specs = bimonthly('V3', [
      { TP53_R175H: [120, 3000], TP53_R273H: [60, 3000] },
      { TP53_R175H: [118, 3000], TP53_R273H: [59, 3000] },
      { TP53_R175H: [3, 80], TP53_R273H: [61, 3000] },
      { TP53_R175H: [119, 3000], TP53_R273H: [1, 60] },
    ]);
    const t = makeTimeline('V3', specs);
    // Pooled over the informative sites the VAF moves 2% → 4%: the site mix, not the tumour.
    expect(t.tumour_fraction.points.map((p) => p.pooled_vaf)).toEqual([180 / 6000, 177 / 6000, 61 / 3000, 119 / 3000]);
    const r = classify(t, imaging('V3', after(lastDate(specs), 10), 2));
    expect(r.molecular_progression).toBe(false);
    expect(r.group).toBe('true_oligoprogression');
    expect(rule(r, 'rule3').inputs.tf_fold_from_nadir as number).toBeLessThan(1.2);
  });

  it('a real 3-fold rise at good depth (two markers at 1%, 3,000×, after five stable draws) → widespread_progression', () => {
    const flat = (a: number, b: number): Counts => ({ TP53_R175H: [a, 3000], TP53_R273H: [b, 3000] });
    // The last draw three months after the one before it: the only draw in the 90-day window.
    const specs = bimonthly('V4', [flat(30, 29), flat(31, 30), flat(29, 31), flat(30, 30), flat(28, 31), flat(90, 91)]);
    specs[5].date = after(specs[4].date, 92);
    // With the between-draw variation a cohort gives (the default path of classify): called.
    const r = classify(makeTimeline('V4', specs), imaging('V4', after(lastDate(specs), 10), 2), policy, clinical('V4', '2025-05-01'));
    expect(r.group).toBe('widespread_progression');
    expect(rule(r, 'rule3').inputs.model_status).toBe('progression');
    expect(r.rationale).toMatch(/Tumour level 3\.\d\d-fold/);
    // A patient alone (no cohort: the policy's conservative prior, CV 70% with 1 df): the rise test's
    // variance under "no change" includes the window draw, and one 3-fold draw among six at an
    // assumed CV up to 70% is not shown to be real at α = 0.01; a 2-fold rise is not ruled out either.
    const alone = classify(
      makeTimeline('V4', specs),
      imaging('V4', after(lastDate(specs), 10), 2),
      policy,
      clinical('V4', '2025-05-01'),
      null,
    );
    expect(alone.group).toBe('indeterminate');
    expect(rule(alone, 'rule3').inputs.model_status).toBe('undecided');
    expect(alone.indeterminate_reason).toMatch(/upper 95% bound [\d.]+ ≥ 2/);
  });

  it('stable series with 30% between-draw variation: widespread_progression at most α of the time over 1,000 seeds', () => {
    let widespread = 0;
    for (let seed = 0; seed < 1000; seed++) {
      const s = simulateSeries(new Xoshiro128(seed), {
        cv: 0.3,
        depth: 1500,
        markers: 2,
        vaf: 0.02,
        before: 3,
        window: 1,
        fold: 1,
        rho: 1e-4,
      });
      const specs = s.draws.map((d, t) => ({
        sample: `S${seed}_${t}`,
        date: d.date,
        counts: { TP53_R175H: [s.sites[0].alt[t], s.sites[0].depth[t]], TP53_R273H: [s.sites[1].alt[t], s.sites[1].depth[t]] } as Counts,
      }));
      const r = classify(makeTimeline('S', specs), imaging('S', after(lastDate(specs), 10), 2), policy, clinical('S', '2025-12-01'), null);
      if (r.group === 'widespread_progression') widespread++;
    }
    expect(widespread / 1000).toBeLessThanOrEqual(policy.rules.molecular_progression.alpha);
  });

  it('the nadir restarts at the current therapy: 5% → 0.5% → 3% on line 1, then 3.0%/2.9% on line 2 is not progression', () => {
    const specs: DrawSpec[] = [
      { sample: 'V5_d0', date: '2025-03-03', counts: { TP53_R175H: [150, 3000], TP53_R273H: [150, 3000] } },
      { sample: 'V5_d1', date: '2025-05-05', counts: { TP53_R175H: [15, 3000], TP53_R273H: [15, 3000] } },
      { sample: 'V5_d2', date: '2025-07-07', counts: { TP53_R175H: [90, 3000], TP53_R273H: [90, 3000] } },
      { sample: 'V5_d3', date: '2025-09-08', counts: { TP53_R175H: [90, 3000], TP53_R273H: [89, 3000] } },
      { sample: 'V5_d4', date: '2025-11-10', counts: { TP53_R175H: [87, 3000], TP53_R273H: [88, 3000] } },
    ];
    const t = makeTimeline('V5', specs);
    const line2 = clinical('V5', '2025-08-01', { therapy: 'fulvestrant+abemaciclib' });
    const r = classify(t, imaging('V5', '2025-11-20', 2), policy, line2);
    expect(r.group).not.toBe('widespread_progression');
    expect(rule(r, 'rule3').inputs.nadir_phase).toBe('V5_d3');
    expect(r.rationale).toMatch(
      /baseline: 1 draw on the current therapy \(fulvestrant\+abemaciclib since 2025-08-01\); 3 draws of an earlier line \(therapy not recorded\) shown, not compared/,
    );
    // Against the line-1 nadir (no therapy lines known) the same draws were a 5.9-fold rise.
    expect(classify(t, imaging('V5', '2025-11-20', 2), policy, null).group).toBe('widespread_progression');
  });

  it('a therapy start after every draw: indeterminate with a plain sentence', () => {
    const specs = bimonthly('V6', [TP53(30), TP53(31), TP53(29)]);
    const r = classify(
      makeTimeline('V6', specs),
      imaging('V6', after(lastDate(specs), 30), 2),
      policy,
      clinical('V6', after(lastDate(specs), 5), { therapy: 'capecitabine' }),
    );
    expect(r.group).toBe('indeterminate');
    // The window never crosses a change of therapy: it starts with capecitabine, after every draw.
    expect(r.indeterminate_reason).toMatch(
      /^no ctDNA draw in the window \(60 days before to 28 days after the scan, from the start of capecitabine on \d{4}-\d\d-\d\d: /,
    );
  });
});
