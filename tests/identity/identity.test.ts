import { describe, expect, it } from 'vitest';
import { checkPatientIdentity, comparePair, DEFAULT_IDENTITY_SETTINGS } from '../../src/identity/concordance.js';
import { callGenotype, genotypeLogLikelihoods } from '../../src/identity/genotype.js';
import type { IdentitySample } from '../../src/identity/types.js';
import { randomPerson, rngFor, simulateSample, snpFrequencies } from '../../src/bench/identity-sim.js';

/**
 * Identity across serial draws, stated as a lab would: four draws of one patient pass; a tube from
 * another patient among them is the one flagged; with the white cells given each draw is judged
 * against them; a panel without SNPs is "not checked", never a pass.
 */

const SNPS = 24;

function cohort(seed: number, depth = 150, tumourFraction = 0.3) {
  const r = rngFor(seed);
  const freqs = snpFrequencies(SNPS, r);
  const patient = randomPerson(freqs, r);
  const otherPatient = randomPerson(freqs, r);
  const nobody = { genotypes: patient.genotypes, loss: patient.loss };
  const set = { snps: SNPS, depth, tumourFraction, contamination: 0 };
  const draw = (name: string, who = patient) => simulateSample(name, 'draw', who, nobody, set, r);
  const normal = (name: string) => simulateSample(name, 'normal', patient, nobody, set, r);
  return { draw, normal, otherPatient };
}

describe('identity of serial draws', () => {
  it('four draws of one patient pass, on 20 simulated patients', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = cohort(seed);
      const result = checkPatientIdentity(
        'P',
        ['C1D1', 'C3D1', 'C5D1', 'PROG'].map((n) => c.draw(n)),
      );
      expect(result.status, `patient ${seed}: ${result.reason}`).toBe('pass');
      expect(result.samples.every((s) => s.status === 'concordant')).toBe(true);
    }
  });

  it('a swapped third draw is the one flagged, and the reason names it', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = cohort(100 + seed);
      const draws = [c.draw('C1D1'), c.draw('C3D1'), c.draw('C5D1', c.otherPatient), c.draw('PROG')];
      const result = checkPatientIdentity('P', draws);
      expect(result.status).toBe('discordant');
      expect(result.samples.filter((s) => s.status === 'discordant').map((s) => s.sample)).toEqual(['C5D1']);
      expect(result.reason).toBe('identity: C5D1 not from the same person (sample swap?)');
      expect(result.samples.find((s) => s.sample === 'C5D1')!.reason).toMatch(/^genotypes at identity SNPs disagree with C1D1, C3D1, PROG/);
    }
  });

  it('with the white-cell sample given, a swapped first draw is flagged and the others pass', () => {
    const c = cohort(300);
    const result = checkPatientIdentity('P', [c.normal('WBC'), c.draw('C1D1', c.otherPatient), c.draw('C3D1'), c.draw('PROG')]);
    expect(result.samples.map((s) => [s.sample, s.status])).toEqual([
      ['WBC', 'concordant'],
      ['C1D1', 'discordant'],
      ['C3D1', 'concordant'],
      ['PROG', 'concordant'],
    ]);
    expect(result.samples[0].reason).toBe('genotypes agree with 2 of 3 other samples (disagree with C1D1)');
    expect(result.samples[1].reason).toContain('the white-cell sample WBC');
  });

  it('two draws that disagree flag both (which tube is wrong cannot be told)', () => {
    const c = cohort(400);
    const result = checkPatientIdentity('P', [c.draw('A'), c.draw('B', c.otherPatient)]);
    expect(result.samples.map((s) => s.status)).toEqual(['discordant', 'discordant']);
  });

  it('no identity SNP counted: not checked, never a pass', () => {
    const empty: IdentitySample[] = [
      { sample: 'A', kind: 'draw', snps: [] },
      { sample: 'B', kind: 'draw', snps: [] },
    ];
    const result = checkPatientIdentity('P', empty);
    expect(result.status).toBe('not_checked');
    expect(result.reason).toBe('identity: not checked (no identity SNP among the counted sites)');
  });

  it('shallow SNPs: insufficient, neither pass nor swap', () => {
    const c = cohort(500, 6);
    const result = checkPatientIdentity('P', [c.draw('A'), c.draw('B'), c.draw('C')]);
    expect(result.status).toBe('insufficient');
    expect(result.samples[0].reason).toMatch(/too little SNP data to decide \(\d+ SNP\(s\) with ≥ 10 fragments in both samples\)/);
  });

  it('a draw at 80% tumour DNA with lost alleles still matches its white cells', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const c = cohort(600 + seed, 500, 0.8);
      const r = checkPatientIdentity('P', [c.normal('WBC'), c.draw('PROG'), c.draw('C1D1')]);
      if (r.status === 'discordant') flagged++;
    }
    expect(flagged).toBe(0);
  });
});

describe('genotype model', () => {
  it('calls hom-ref, het and hom-alt from clear counts, and nothing from 3 fragments', () => {
    const s = DEFAULT_IDENTITY_SETTINGS;
    expect(callGenotype({ key: 'x', refCount: 100, altCount: 1 }, s, 0, 0.4).genotype).toBe(0);
    expect(callGenotype({ key: 'x', refCount: 52, altCount: 48 }, s, 0, 0.4).genotype).toBe(1);
    expect(callGenotype({ key: 'x', refCount: 2, altCount: 98 }, s, 0, 0.4).genotype).toBe(2);
    expect(callGenotype({ key: 'x', refCount: 2, altCount: 1 }, s, 0, 0.4).genotype).toBeNull();
  });

  it('a heterozygote at 20% alt is het when the tumour fraction is unknown or 0.6, hom-ref when it is 0', () => {
    const [hom, het] = genotypeLogLikelihoods(160, 40, 0.02, null);
    expect(het).toBeGreaterThan(hom);
    const [hom6, het6] = genotypeLogLikelihoods(160, 40, 0.02, 0.6);
    expect(het6).toBeGreaterThan(hom6);
    const [hom0, het0] = genotypeLogLikelihoods(160, 40, 0.02, 0);
    expect(het0 - hom0).toBeLessThan(het - hom);
  });

  it('the likelihood ratio is symmetric in the two samples and zero without shared SNPs', () => {
    const c = cohort(700);
    const a = c.draw('A');
    const b = c.draw('B');
    expect(comparePair(a, b, DEFAULT_IDENTITY_SETTINGS).logLr).toBeCloseTo(comparePair(b, a, DEFAULT_IDENTITY_SETTINGS).logLr, 6);
    const renamed = { ...b, snps: b.snps.map((s) => ({ ...s, key: `other-${s.key}` })) };
    expect(comparePair(a, renamed, DEFAULT_IDENTITY_SETTINGS)).toMatchObject({ logLr: 0, snpsCompared: 0, outcome: 'indeterminate' });
  });
});
