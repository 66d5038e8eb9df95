/**
 * The v2 policy end to end on every clinical scenario, with the stand-in model in place of the
 * longitudinal model (tests/classify/stand-in-model.ts): the policy modules compose into the group
 * and the words the tumour board expects. When the real model is wired, policy-v2.scenarios.ts runs
 * the same scenarios through classifyAssessment.
 */
import { describe, expect, it } from 'vitest';
import { assessV2 } from '../../src/classify/assess-v2.js';
import { referenceKnowledgeV2 } from '../../src/classify/knowledge-v2.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { loadPolicyV2Blocks } from '../../src/classify/policy-v2.js';
import { scenarioInput } from './policy-v2-builder.js';
import { SCENARIOS } from './policy-v2-scenario-data.js';
import { standInModel } from './stand-in-model.js';

const { policy } = loadPolicy();
const v2 = loadPolicyV2Blocks();
const knowledge = referenceKnowledgeV2();
const model = standInModel(policy.rules.molecular_progression.min_fold_from_nadir);

describe('v2 policy on the clinical scenarios (stand-in model)', () => {
  for (const s of SCENARIOS) {
    it(`${s.id} (${s.bullet}) → ${s.expect.group}`, () => {
      const r = assessV2(scenarioInput(s), policy, v2, knowledge, model);
      const context = `${s.clinician}\n  rationale: ${r.rationale}`;
      expect(r.group, context).toBe(s.expect.group);
      for (const words of s.expect.rationaleContains) expect(r.rationale, context).toContain(words);
      for (const words of s.expect.rationaleExcludes ?? []) expect(r.rationale, context).not.toContain(words);
      if (s.expect.modifiers) expect(r.modifiers.map((m) => m.id), context).toEqual(expect.arrayContaining(s.expect.modifiers));
      if (s.expect.targetable) {
        expect(r.targetable_mutations.map((t) => `${t.gene} ${t.protein}`).sort(), context).toEqual([...s.expect.targetable].sort());
      }
    });
  }
});

describe('v2 assessment: inputs a wiring must get right', () => {
  const base = SCENARIOS.find((s) => s.id === 'TG4')!;

  it('draws after the window end are never used, however high', () => {
    const later = { ...base, draws: [...base.draws, { date: '2026-03-01', counts: { 'TP53 p.R175H': [900, 5000], 'PIK3CA p.H1047R': [880, 5000] } as Record<string, [number, number]> }] };
    const r = assessV2(scenarioInput(later), policy, v2, knowledge, model);
    expect(r.group).toBe('true_oligoprogression');
    expect(r.draws_used).not.toContain('TG4_d5');
    expect(r.draws_used).toContain('TG4_d4');
  });

  it('without a therapy history the clinical row still bounds the window at the current therapy start', () => {
    const input = scenarioInput(base);
    const noHistory = { ...input, context: { ...input.context, therapyHistory: [] }, clinical: { ...input.clinical!, therapyStart: '2025-10-01', therapyStartDay: input.clinical!.therapyStartDay + 122 } };
    const r = assessV2(noHistory, policy, v2, knowledge, model);
    expect(r.rationale).toContain('baseline: 1 draw on the current therapy (letrozole+palbociclib since 2025-10-01); 2 draws of an earlier line');
  });

  it('the rules record each step with its source', () => {
    const r = assessV2(scenarioInput(base), policy, v2, knowledge, model);
    expect(r.rules.map((x) => x.id)).toEqual(['v2_window', 'v2_site_origin', 'v2_clonal_set', 'v2_molecular', 'v2_targetable', 'v2_group']);
    for (const rule of r.rules) expect(rule.source.length, rule.id).toBeGreaterThan(20);
    expect(r.clonal_sites.length).toBe(2);
    expect(r.findings.map((f) => [f.label, f.qualifies])).toEqual([['PIK3CA p.H1047R', false]]);
  });
});
