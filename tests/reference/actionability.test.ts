import { describe, expect, it } from 'vitest';
import { actionableFor, isTargetable, loadActionability } from '../../src/reference/actionability.js';
import { loadBundledPanel } from '../../src/reference/panel.js';

const drugsFor = (gene: string, protein: string) => actionableFor(gene, protein).map((r) => r.drugs);

describe('actionability table', () => {
  const rows = loadActionability();

  it('covers every drug/trial pair the issue asks for, each with trial reference, status and as_of date', () => {
    const want: Array<[string, string, string]> = [
      ['ESR1', 'elacestrant', 'EMERALD'],
      ['ESR1', 'imlunestrant', 'EMBER-3'],
      ['ESR1', 'camizestrant', 'SERENA-6'],
      ['ESR1', 'fulvestrant', 'PADA-1'],
      ['PIK3CA', 'alpelisib', 'SOLAR-1'],
      ['PIK3CA', 'inavolisib', 'INAVO120'],
      ['PIK3CA', 'capivasertib', 'CAPItello-291'],
      ['AKT1', 'capivasertib', 'CAPItello-291'],
      ['PTEN', 'capivasertib', 'CAPItello-291'],
      ['BRCA1', 'olaparib', 'OlympiAD'],
      ['BRCA2', 'olaparib', 'OlympiAD'],
      ['BRCA1', 'talazoparib', 'EMBRACA'],
      ['BRCA2', 'talazoparib', 'EMBRACA'],
      ['PALB2', 'olaparib', 'TBCRC 048'],
      ['ERBB2', 'neratinib', 'SUMMIT'],
      ['ERBB2', 'trastuzumab deruxtecan', 'DESTINY-Breast04'],
    ];
    for (const [gene, drug, trial] of want) {
      const hit = rows.find((r) => r.gene === gene && r.drugs.includes(drug) && r.pivotal_trial.includes(trial));
      expect(hit, `${gene} ${drug} ${trial}`).toBeDefined();
      expect(hit!.regulatory_as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(hit!.trial_reference).toMatch(/doi:10\./);
    }
  });

  it('matches protein changes in any common spelling', () => {
    expect(drugsFor('ESR1', 'D538G')).toContain('elacestrant');
    expect(drugsFor('ESR1', 'p.Asp538Gly')).toContain('elacestrant');
    expect(drugsFor('esr1', 'p.(Tyr537Ser)')).toContain('imlunestrant');
    // PADA-1 tracked only E380, L536, Y537, D538 by ddPCR.
    expect(drugsFor('ESR1', 'p.D538G').some((d) => d.startsWith('fulvestrant'))).toBe(true);
    expect(drugsFor('ESR1', 'p.V534E').some((d) => d.startsWith('fulvestrant'))).toBe(false);
  });

  it('alpelisib follows its label list, inavolisib and capivasertib any PIK3CA mutation', () => {
    expect(drugsFor('PIK3CA', 'p.H1047R')).toEqual(
      expect.arrayContaining(['alpelisib + fulvestrant', 'inavolisib + palbociclib + fulvestrant']),
    );
    expect(drugsFor('PIK3CA', 'p.N345K')).not.toContain('alpelisib + fulvestrant');
    expect(drugsFor('PIK3CA', 'p.N345K')).toContain('capivasertib + fulvestrant');
  });

  it('targetable means a somatic DNA alteration with a drug: germline-only genes, TP53 and HER2-low are not', () => {
    expect(isTargetable({ gene: 'ESR1', protein: 'p.Y537S' })).toBe(true);
    expect(isTargetable({ gene: 'AKT1', protein: 'p.E17K' })).toBe(true);
    expect(isTargetable({ gene: 'AKT1', protein: 'p.E40K' })).toBe(false);
    expect(isTargetable({ gene: 'TP53', protein: 'p.R175H' })).toBe(false);
    expect(isTargetable({ gene: 'BRCA2', protein: 'p.K3326*' })).toBe(false);
    expect(actionableFor('BRCA2', 'p.K3326*').every((r) => r.origin === 'germline')).toBe(true);
    expect(actionableFor('ERBB2', 'p.L755S').some((r) => r.drugs.includes('deruxtecan'))).toBe(false);
    expect(isTargetable({ gene: 'ESR1', protein: 'p.E380*' })).toBe(false);
  });

  it('HER2-low is marked as not a DNA alteration', () => {
    const her2low = rows.find((r) => r.id === 'HER2low-TDXd')!;
    expect([her2low.dna_alteration, her2low.origin, her2low.match]).toEqual(['no', 'not_dna', 'none']);
  });

  it('agrees with the panel: resistance/actionable rows are targetable, clonal markers are not', () => {
    for (const r of loadBundledPanel()) {
      expect(isTargetable(r), `${r.gene} ${r.protein} (${r.role})`).toBe(r.role !== 'clonal_marker');
    }
  });
});
