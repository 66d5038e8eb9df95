/**
 * classifyAssessment as the composition of the policy steps: which draws it may use, the therapy
 * line that bounds the window, the sample-identity check, the records of every step, and the
 * fields the report reads (decision 0201).
 */
import { describe, expect, it } from 'vitest';
import { checkPatientIdentity } from '../../src/identity/concordance.js';
import { referenceKnowledge } from '../../src/classify/knowledge.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { classifyAssessment } from '../../src/classify/rules.js';
import type { ClassifyInput } from '../../src/classify/types.js';
import type { BetweenDrawPrior } from '../../src/timeline/longitudinal/types.js';
import { scenarioInput } from './policy-scenario-builder.js';
import { SCENARIOS } from './policy-scenario-data.js';
import { swappedMiddle, withSwappedDraw } from './swapped-draw.js';

const { policy } = loadPolicy();
const knowledge = referenceKnowledge();
/** A lab's measured between-draw CV (the scenarios' subject here is not the statistics). */
const LAB: BetweenDrawPrior = { cv: 0.25, df: 10, source: 'lab-measured CV (test)' };
const byId = (id: string) => SCENARIOS.find((s) => s.id === id)!;
const classify = (input: ClassifyInput) => classifyAssessment({ betweenDrawPrior: LAB, ...input }, policy, knowledge);

describe('classifyAssessment: the draws and lines it uses', () => {
  const base = byId('TG4');

  it('draws after the window end are never used, however high', () => {
    const later = {
      ...base,
      draws: [
        ...base.draws,
        { date: '2026-03-01', counts: { 'TP53 p.R175H': [900, 5000], 'PIK3CA p.H1047R': [880, 5000] } as Record<string, [number, number]> },
      ],
    };
    const r = classify(scenarioInput(later));
    expect(r.group).toBe('true_oligoprogression');
    expect(r.draws_used).not.toContain('TG4_d5');
    expect(r.draws_used).toContain('TG4_d4');
  });

  it('without a therapy history the clinical row still bounds the window at the current therapy start', () => {
    const input = scenarioInput(base);
    const noHistory: ClassifyInput = {
      ...input,
      therapyHistory: [],
      clinical: { ...input.clinical!, therapyStart: '2025-10-01', therapyStartDay: input.clinical!.therapyStartDay + 122 },
    };
    const r = classify(noHistory);
    expect(r.rationale).toContain(
      'baseline: 1 draw on the current therapy (letrozole+palbociclib since 2025-10-01); 2 draws of an earlier line',
    );
  });

  it('every step is recorded with its source; the JSON carries the findings, origins and clonal set', () => {
    const r = classify(scenarioInput(base));
    expect(r.rules.map((x) => x.id)).toEqual([
      'rule1_no_progression',
      'rule2_radiological_oligoprogression',
      'assessment_window',
      'sample_identity',
      'site_origin',
      'clonal_set',
      'rule3_molecular_progression',
      'ctdna_return',
      'rule4_targetable',
      'rule5_group',
      'rule6_indeterminate',
    ]);
    for (const rule of r.rules) expect(rule.source.length, rule.id).toBeGreaterThan(20);
    expect(r.clonal_sites!.length).toBe(2);
    expect(r.targetable_findings!.map((f) => [f.label, f.qualifies])).toEqual([['PIK3CA p.H1047R', false]]);
    expect(r.molecular_change?.status).toBe('ruled_out');
  });
});

describe('classifyAssessment: sample identity', () => {
  const base = byId('TG4');
  const withIdentity = (swapped: number | null): ClassifyInput => withSwappedDraw(scenarioInput(base), swapped);

  it('a discordant draw in the window → indeterminate, naming the draw; imaging alone still decides widespread', () => {
    const input = withIdentity(4);
    expect(input.timeline.identity!.status).toBe('discordant');
    const r = classify(input);
    expect(r.group).toBe('indeterminate');
    expect(r.indeterminate_reason).toBe("draw TG4_d4 does not match the patient's other draws (possible sample swap)");
    expect(r.identity).toEqual({ status: 'discordant', reason: expect.stringContaining('TG4_d4'), excluded_draws: ['TG4_d4'] });
    expect(r.draws_used).not.toContain('TG4_d4');
    const many = classify({ ...input, imaging: { ...input.imaging, progressingLesions: 7 } });
    expect(many.group).toBe('widespread_progression');
  });

  it('a discordant draw before the window is left out, with a caveat; the group stands on the other draws', () => {
    const r = classify(withIdentity(1));
    expect(r.group).toBe('true_oligoprogression');
    expect(r.draws_used).not.toContain('TG4_d1');
    expect(r.caveats).toEqual(["draw TG4_d1 does not match the patient's other draws (possible sample swap): left out"]);
    expect(r.rationale).toContain('Caveats: draw TG4_d1 does not match');
  });

  it("a swapped draw between two of the patient's draws never makes sites emerge", () => {
    const input = swappedMiddle(19);
    // As track computed them, the last draw's events are against the swapped tube.
    const subclonal = input.timeline.sites.filter((s) => s.gene === 'TP53' && (s.protein === 'p.Y220C' || s.protein === 'p.G245S'));
    expect(subclonal.map((s) => s.points[2].event)).toEqual(['emerged', 'emerged']);
    const r = classify(input);
    expect(r.identity!.excluded_draws).toEqual(['ID9_d1']);
    expect(r.rationale).not.toContain('emerged at');
    expect(r.group).toBe('true_oligoprogression');
  });

  it("a genuine emergence after a swapped draw is still seen (against the patient's earlier draw)", () => {
    const r = classify(swappedMiddle(0));
    expect(r.rationale).toContain('2 non-targetable tumour sites emerged at ID9_d2');
    expect(r.group).toBe('widespread_progression');
  });

  it('identity passed: no caveat; not checked (no identity SNP, or track did not check): a caveat, never a pass', () => {
    expect(classify(withIdentity(null)).caveats).toEqual([]);
    const input = scenarioInput(base);
    const none = checkPatientIdentity(
      base.id,
      input.timeline.draws.map((d) => ({ sample: d.sample, kind: 'draw' as const, snps: [] })),
    );
    const r = classify({ ...input, timeline: { ...input.timeline, identity: none } });
    expect(r.identity!.status).toBe('not_checked');
    expect(r.rationale).toContain('Caveats: identity: not checked (no identity SNP among the counted sites)');
    expect(r.rules.find((x) => x.id === 'sample_identity')!.pass).toBeNull();
    expect(classify(input).caveats).toEqual(['identity: not checked (track did not check sample identity)']);
  });
});

describe('classifyAssessment: the fields the report reads (decision 0201)', () => {
  it('draw_to_scan, tumour_fraction_change and the CH flag', () => {
    const r = classify(scenarioInput(byId('CH1')));
    expect(r.draw_to_scan).toEqual({ sample: 'CH1_d4', days: 4 });
    expect(r.tumour_fraction_change).toMatchObject({
      verdict: 'ruled_out',
      compared_sample: expect.stringMatching(/^CH1_d[34]$/),
      nadir_sample: expect.stringMatching(/^CH1_d[0-2]$/),
    });
    expect(r.tumour_fraction_change!.fold!).toBeGreaterThan(0.8);
    const ch = r.site_flags!.filter((f) => f.kind === 'possible_ch').map((f) => f.text);
    expect(ch).toEqual([
      'possible clonal haematopoiesis: white-cell sequencing recommended',
      'possible clonal haematopoiesis: white-cell sequencing recommended',
    ]);
    // A work-up draw after the scan: negative days.
    expect(classify(scenarioInput(byId('WI1'))).draw_to_scan).toEqual({ sample: 'WI1_d3', days: -5 });
  });

  it('ctdna_label after clearance; targetable event `detected` with its history; germline and CH in white cells flagged', () => {
    expect(classify(scenarioInput(byId('RT1'))).ctdna_label).toBe('ctDNA return');
    expect(classify(scenarioInput(byId('TG4'))).ctdna_label).toBeNull();
    const tg2 = classify(scenarioInput(byId('TG2')));
    expect(tg2.targetable_mutations.map((t) => [t.gene, t.event, t.history])).toEqual([['ESR1', 'detected', 'present_since_first_draw']]);
    expect(tg2.site_flags!.find((f) => f.kind === 'targetable')!.text).toBe(
      'targetable: resists the current aromatase inhibitor (letrozole)',
    );
    const tg1 = classify(scenarioInput(byId('TG1')));
    expect(tg1.targetable_mutations.map((t) => t.event)).toEqual(['emerged']);
    expect(classify(scenarioInput(byId('GL1'))).site_flags!.map((f) => f.kind)).toContain('germline_like');
    expect(classify(scenarioInput(byId('CH2'))).site_flags!.filter((f) => f.kind === 'ch').length).toBe(2);
  });
});
