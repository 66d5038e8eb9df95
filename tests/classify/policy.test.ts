import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPath, loadPolicy, parsePolicy } from '../../src/classify/policy.js';

const text = readFileSync(defaultPolicyPath(), 'utf8');

describe('policy file', () => {
  it('the default policy is valid and every rule and modifier carries a source', () => {
    const { policy } = loadPolicy();
    expect(policy.rules.oligoprogression.max_oligo_lesions).toBe(5);
    expect(policy.rules.ctdna_window.days).toBe(90);
    expect(policy.rules.molecular_progression).toMatchObject({ min_fold_from_nadir: 2, alpha: 0.01, min_clonal_sites: 2 });
    for (const r of [...Object.values(policy.rules), ...Object.values(policy.modifiers)]) expect(r.source.length).toBeGreaterThan(40);
  });
  it('JSON is accepted too', () => {
    const json = JSON.stringify(parsePolicy(text, 'default.yaml'));
    expect(parsePolicy(json, 'p.json').rules.oligoprogression.max_oligo_lesions).toBe(5);
  });
  it('a typo is an error naming the key, the file and the nearest key', () => {
    expect(() => parsePolicy(text.replace('min_clonal_sites:', 'min_clonal_site:'), 'p.yaml')).toThrow(
      /^p\.yaml: unknown policy key 'rules\.molecular_progression\.min_clonal_site'; did you mean 'min_clonal_sites'\?/,
    );
    expect(() => parsePolicy(`${text}\nextra: 1\n`, 'p.yaml')).toThrow(/unknown policy key 'extra'/);
  });
  it('out-of-range values and YAML syntax errors are clear', () => {
    expect(() => parsePolicy(text.replace('alpha: 0.01', 'alpha: 2'), 'p.yaml')).toThrow(/policy key 'rules\.molecular_progression\.alpha'/);
    expect(() => parsePolicy(text.replace('max_oligo_lesions: 5', 'max_oligo_lesions: 0'), 'p.yaml')).toThrow(/max_oligo_lesions/);
    expect(() => parsePolicy(text.replace('events: [emerged, rising]', 'events: [emerged, falling]'), 'p.yaml')).toThrow(/targetable_emergence\.events/);
    expect(() => parsePolicy('rules: [unclosed', 'p.yaml')).toThrow(/^p\.yaml:1:\d+: not valid YAML/);
  });
  it('targetable_emergence.include_rise_from_nadir: on in the default file, true when absent, false when set, boolean only', () => {
    const line = '    include_rise_from_nadir: true\n';
    expect(text).toContain(line);
    expect(loadPolicy().policy.rules.targetable_emergence.include_rise_from_nadir).toBe(true);
    expect(parsePolicy(text.replace(line, ''), 'p.yaml').rules.targetable_emergence.include_rise_from_nadir).toBe(true);
    expect(parsePolicy(text.replace(line, '    include_rise_from_nadir: false\n'), 'p.yaml').rules.targetable_emergence.include_rise_from_nadir).toBe(false);
    expect(() => parsePolicy(text.replace(line, '    include_rise_from_nadir: 3\n'), 'p.yaml')).toThrow(/targetable_emergence\.include_rise_from_nadir/);
  });
});
