import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPath, loadPolicy, parsePolicy } from '../../src/classify/policy.js';
import { DEFAULT_GERMLINE_BAND } from '../../src/timeline/germline-like.js';
import { UserError } from '../../src/util/errors.js';

const text = readFileSync(defaultPolicyPath(), 'utf8');
const err = (t: string, file = 'p.yaml') => {
  try {
    parsePolicy(t, file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('policy file (version 2)', () => {
  it('the default policy is valid, version 2, with the documented thresholds', () => {
    const { policy, sha256 } = loadPolicy();
    expect(policy.version).toBe(2);
    expect(policy.rules.oligoprogression.max_oligo_lesions).toBe(5);
    expect(policy.rules.assessment_window).toMatchObject({ days_before: 60, days_after: 28 });
    expect(policy.rules.molecular_progression).toMatchObject({ min_fold_from_nadir: 2, alpha: 0.01, min_clonal_sites: 2 });
    expect(policy.rules.targetable).toMatchObject({ detection_fdr: 0.05, known_since_baseline: 'show' });
    expect(policy.rules.ctdna_return.floor_vaf).toBe(0.005);
    expect(policy.rules.germline.heterozygous_vaf).toEqual([0.35, 0.65]);
    expect(policy.modifiers.new_lesions.count_as_progressing).toBe(true);
    // The classification records the SHA-256 of the file's bytes.
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the timeline uses the default policy's germline band for its descriptive tumour fraction", () => {
    const g = loadPolicy().policy.rules.germline;
    expect({
      heterozygous_vaf: g.heterozygous_vaf,
      homozygous_vaf_min: g.homozygous_vaf_min,
      min_ratio_to_tumour: g.min_ratio_to_tumour,
    }).toEqual(DEFAULT_GERMLINE_BAND);
  });

  it('every block cites a source or says policy choice, and every unpublished number is named a policy choice in its block', () => {
    const { policy } = loadPolicy();
    for (const [name, block] of Object.entries({ ...policy.rules, ...policy.modifiers }) as [string, { source: string }][]) {
      const cites = /\d{4};\d+|\d{4} \(|RECIST|NCT\d{8}|doi:|PMC\d+|Review, "|DESIGN|review,|decision/i.test(block.source);
      const choice = /policy choice/i.test(block.source);
      expect(cites || choice, `${name}: ${block.source}`).toBe(true);
    }
    const blocksText = text.split(/\n {2}(?=(?:# [^\n]*\n {2})*[a-z_]+:\n)/);
    for (const key of [
      'white_cell_fdr',
      'heterozygous_vaf',
      'min_relative_vaf',
      'days_before',
      'detection_fdr',
      'floor_vaf',
      'min_organs',
      'min_fold_from_nadir',
      'between_draw_cv',
    ]) {
      const block = blocksText.find((b) => b.includes(`${key}:`));
      expect(block, key).toBeDefined();
      expect(/policy choice/i.test(block!), key).toBe(true);
    }
  });

  it('JSON is accepted too', () => {
    const json = JSON.stringify(parsePolicy(text, 'default.yaml'));
    expect(parsePolicy(json, 'p.json').rules.oligoprogression.max_oligo_lesions).toBe(5);
  });

  it('a typo is an error naming the key, the file and the nearest key', () => {
    expect(err(text.replace('min_clonal_sites:', 'min_clonal_site:'))).toMatch(
      /^p\.yaml: unknown policy key 'rules\.molecular_progression\.min_clonal_site'; did you mean 'min_clonal_sites'\?/,
    );
    expect(err(text.replace('days_before: 60', 'days_befor: 60'))).toMatch(
      /^p\.yaml: unknown policy key 'rules\.assessment_window\.days_befor'; did you mean 'days_before'\?/,
    );
    expect(err(`${text}\nextra: 1\n`)).toMatch(/unknown policy key 'extra'/);
  });

  it('out-of-range values, a band that does not bracket 0.5 and YAML syntax errors are one clear line', () => {
    expect(err(text.replace('alpha: 0.01', 'alpha: 2'))).toMatch(/policy key 'rules\.molecular_progression\.alpha'/);
    expect(err(text.replace('max_oligo_lesions: 5', 'max_oligo_lesions: 0'))).toMatch(/max_oligo_lesions/);
    expect(err(text.replace('heterozygous_vaf: [0.35, 0.65]', 'heterozygous_vaf: [0.55, 0.65]'))).toBe(
      "p.yaml: policy key 'rules.germline.heterozygous_vaf': heterozygous_vaf must bracket 0.5",
    );
    expect(err(text.replace('known_since_baseline: show', 'known_since_baseline: maybe'))).toMatch(
      /^p\.yaml: policy key 'rules\.targetable\.known_since_baseline': /,
    );
    expect(err('rules: [unclosed')).toMatch(/^p\.yaml:1:\d+: not valid YAML/);
  });

  it('a version 1 file is refused with one line saying what to change', () => {
    const v1 = text.replace('version: 2', 'version: 1');
    const message = err(v1, 'old.yaml');
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^old\.yaml: policy version 1 is no longer read: version 2 replaces rules\.ctdna_window \(days\) with rules\.assessment_window/,
    );
    expect(message).toContain('copy reference/policy/default.yaml');
  });
});
