import { describe, expect, it } from 'vitest';
import { loadActionability } from '../../src/reference/actionability.js';
import { agentsIn, loadDrugClasses, loadResistance, parseDrugClasses, resistanceFor } from '../../src/reference/drug-classes.js';
import { UserError } from '../../src/util/errors.js';

describe('therapy → drug classes (reference/evidence/therapy-drug-classes.tsv)', () => {
  const classesOf = (therapy: string) => agentsIn(therapy).agents.map((a) => a.drugClass);

  it('reads the therapy strings clinicians write', () => {
    expect(classesOf('letrozole+palbociclib')).toEqual(['aromatase_inhibitor', 'CDK4/6_inhibitor']);
    expect(classesOf('Fulvestrant / Abemaciclib')).toEqual(['SERD_injectable', 'CDK4/6_inhibitor']);
    expect(classesOf('anastrozole, ribociclib')).toEqual(['aromatase_inhibitor', 'CDK4/6_inhibitor']);
    expect(classesOf('T-DXd')).toEqual(['anti_HER2_ADC']);
    expect(classesOf('trastuzumab deruxtecan')).toEqual(['anti_HER2_ADC']);
    expect(classesOf('trastuzumab + pertuzumab + docetaxel')).toEqual(['anti_HER2_antibody', 'anti_HER2_antibody', 'chemotherapy']);
    expect(agentsIn('trastuzumab + pertuzumab + docetaxel').agents.map((a) => a.agent)).toEqual(['trastuzumab', 'pertuzumab', 'docetaxel']);
  });

  it('says which words it did not recognise, and ignores descriptions in parentheses', () => {
    expect(agentsIn('letrozole + investigational agent XYZ-1').unknown).toEqual(['investigational', 'agent', 'xyz-1']);
    expect(agentsIn('fulvestrant + palbociclib (switch from aromatase inhibitor + palbociclib)')).toEqual({
      agents: [
        { agent: 'fulvestrant', drugClass: 'SERD_injectable', targets: ['ESR1'] },
        { agent: 'palbociclib', drugClass: 'CDK4/6_inhibitor', targets: [] },
      ],
      unknown: [],
    });
  });

  it('every drug of every somatic actionability row is a known agent, and at least one of them targets the row gene', () => {
    for (const row of loadActionability().filter((r) => r.origin === 'somatic')) {
      const hits = agentsIn(row.drugs);
      expect(
        hits.unknown.filter((w) => w !== 'regimens'),
        row.id,
      ).toEqual([]);
      expect(
        hits.agents.some((a) => a.targets.includes(row.gene)),
        `${row.id}: ${row.drugs}`,
      ).toBe(true);
    }
  });

  it('each agent and alias names one agent; every row has a source', () => {
    const names = loadDrugClasses().flatMap((r) => [r.agent, ...r.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const r of loadDrugClasses()) expect(r.source.length, r.agent).toBeGreaterThan(10);
    expect(() => parseDrugClasses('agent\taliases\tdrug_class\ttargets\tsource\nx\tx\tc\t-\tsource text here\n', 'd.tsv')).toThrow(
      "d.tsv: name 'x' of x is already used by x",
    );
    try {
      parseDrugClasses('agent\taliases\tdrug_class\ttargets\tsource\nLetrozole\t\tc\t-\tsource text here\n', 'd.tsv');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toBe('d.tsv:2: column agent: agent names are lower-case generic names');
    }
  });
});

describe('resistance to the current therapy (reference/evidence/resistance-to-therapy.tsv)', () => {
  it('ESR1 ligand-binding-domain missense changes resist aromatase inhibitors; other genes and a stop gain do not', () => {
    expect(loadResistance().length).toBeGreaterThan(0);
    expect(resistanceFor('ESR1', 'p.D538G').map((r) => r.resisted_drug_class)).toEqual(['aromatase_inhibitor']);
    expect(resistanceFor('ESR1', 'Y537S').map((r) => r.resisted_drug_class)).toEqual(['aromatase_inhibitor']);
    expect(resistanceFor('ESR1', 'p.E380Q').length).toBe(1);
    expect(resistanceFor('ESR1', 'p.K303R')).toEqual([]);
    expect(resistanceFor('ESR1', 'p.Y537*')).toEqual([]);
    expect(resistanceFor('PIK3CA', 'p.H1047R')).toEqual([]);
  });
});
