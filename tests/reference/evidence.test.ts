import { describe, expect, it } from 'vitest';
import { loadEvidence, nextTherapyForSites, THERAPY_CLASSES, toxicityNotesFor } from '../../src/reference/evidence.js';

describe('review evidence', () => {
  const ev = loadEvidence();

  it('holds the oligoprogression definitions of the six studies (review Tables 1-2)', () => {
    const max = Object.fromEntries(ev.definitions.map((d) => [d.study, [d.min_progressing_sites, d.max_progressing_sites]]));
    expect(max).toEqual({ CURB: [1, 5], AVATAR: [1, 5], BOSS: [1, 3], COSMO: [1, 2], NCT06260033: [1, 4], VALOROUS: [1, 5] });
    for (const d of ev.definitions) expect(d.source.length, d.study).toBeGreaterThan(10);
  });

  it('AVATAR requires at least 6 months of response on the CDK4/6 inhibitor; BOSS 12 months in first line', () => {
    expect(ev.definitions.find((d) => d.study === 'AVATAR')!.response_requirement_months).toBe(6);
    expect(ev.definitions.find((d) => d.study === 'BOSS')!.response_requirement_months).toBe(12);
    expect(ev.definitions.find((d) => d.study === 'VALOROUS')!.response_requirement_months).toBeUndefined();
  });

  it('Nicosia et al.: time to next systemic therapy by number of progressing sites', () => {
    expect([1, 2, 3, 4, 5].map((n) => nextTherapyForSites(n)?.median_months_to_next_systemic_therapy)).toEqual([
      13.4, 10.2, 10.2, 5.8, 5.8,
    ]);
    expect(nextTherapyForSites(6)).toBeUndefined();
  });

  it('every therapy class of the classification has a toxicity note; ADC covers T-DM1 and T-DXd', () => {
    for (const c of THERAPY_CLASSES) expect(toxicityNotesFor(c).length, c).toBeGreaterThan(0);
    const adc = toxicityNotesFor('ADC').map((t) => t.agent_group);
    expect(adc.some((a) => a.includes('T-DM1'))).toBe(true);
    expect(adc.some((a) => a.includes('T-DXd'))).toBe(true);
    expect(toxicityNotesFor('ADC').find((t) => t.agent_group.includes('T-DXd'))!.note).toContain('10.5%');
    expect(toxicityNotesFor('anti-HER2').some((t) => t.agent_group.includes('tyrosine kinase'))).toBe(true);
  });
});
