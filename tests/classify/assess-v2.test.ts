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
