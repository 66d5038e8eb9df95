import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyV2Blocks, parsePolicyV2Blocks, policyV2DraftPath } from '../../src/classify/policy-v2.js';
import { UserError } from '../../src/util/errors.js';

describe('policy v2 blocks (reference/policy/v2-draft.yaml)', () => {
  const p = loadPolicyV2Blocks();

  it('loads with the documented defaults', () => {
    expect(p.rules.assessment_window).toMatchObject({ days_before: 60, days_after: 28 });
    expect(p.rules.targetable).toMatchObject({ detection_fdr: 0.05, known_since_baseline: 'show' });
    expect(p.rules.ctdna_return.floor_vaf).toBe(0.005);
    expect(p.rules.germline.heterozygous_vaf).toEqual([0.35, 0.65]);
  });

  it('every block with a threshold cites a source or says policy choice', () => {
    const blocks = { ...p.rules, ...p.modifiers } as Record<string, { source: string }>;
    for (const [name, block] of Object.entries(blocks)) {
      const cites = /\d{4};\d+/.test(block.source) || /RECIST|NCT\d{8}/.test(block.source);
      const choice = /policy choice/i.test(block.source);
      expect(cites || choice, `${name}: ${block.source}`).toBe(true);
      // A block whose number is not taken from a source must say so.
      if (!cites) expect(choice, name).toBe(true);
    }
    // The numbers no publication gives are named as policy choices in their block of the file.
    const text = readFileSync(policyV2DraftPath(), 'utf8');
    const blocksText = text.split(/\n {2}(?=[a-z_]+:\n)/);
    for (const key of ['white_cell_fdr', 'heterozygous_vaf', 'min_relative_vaf', 'days_before', 'detection_fdr', 'floor_vaf', 'min_organs']) {
      const block = blocksText.find((b) => b.includes(`${key}:`));
      expect(block, key).toBeDefined();
      expect(/policy choice/i.test(block!), key).toBe(true);
    }
  });

  it('a typo, a band that does not bracket 0.5 and bad YAML are one clear line naming the file', () => {
    const text = readFileSync(policyV2DraftPath(), 'utf8');
    const err = (t: string) => {
      try {
        parsePolicyV2Blocks(t, 'my.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(err(text.replace('days_before: 60', 'days_befor: 60'))).toBe("my.yaml: unknown policy key 'rules.assessment_window.days_befor'");
    expect(err(text.replace('heterozygous_vaf: [0.35, 0.65]', 'heterozygous_vaf: [0.55, 0.65]'))).toBe("my.yaml: policy key 'rules.germline.heterozygous_vaf': heterozygous_vaf must bracket 0.5");
    expect(err('rules: [')).toMatch(/^my\.yaml:\d+:\d+: not valid YAML\/JSON: /);
    expect(err(text.replace('known_since_baseline: show', 'known_since_baseline: maybe'))).toMatch(/^my\.yaml: policy key 'rules\.targetable\.known_since_baseline': /);
  });
});
