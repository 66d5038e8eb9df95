/**
 * Clinical-policy scenarios through the whole classifier: counts → per-site calls → patient timeline
 * → classifyAssessment with the patient context (therapy history, white cells, tissue). Each
 * scenario states the group a tumour board would agree on and the words the rationale must carry
 * (policy-v2-scenario-data.ts). The file is named *.scenarios.ts so that the suite collects it only
 * once classifyAssessment takes the patient context and the longitudinal model: rename it to
 * policy-v2.scenarios.test.ts in the change that wires them.
 */
import { describe, expect, it } from 'vitest';
import { referenceKnowledgeV2 } from '../../src/classify/knowledge-v2.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { classifyAssessment } from '../../src/classify/rules.js';
import { scenarioInput } from './policy-v2-builder.js';
import { SCENARIOS } from './policy-v2-scenario-data.js';

const { policy } = loadPolicy();
const knowledge = referenceKnowledgeV2();

describe('clinical policy v2: the measured cases and the group precedence', () => {
  for (const s of SCENARIOS) {
    it(`${s.id} (${s.bullet}) → ${s.expect.group}`, () => {
      const r = classifyAssessment(scenarioInput(s), policy, knowledge);
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
