/**
 * Sample-identity scenarios for classify and report tests: genotypes at 24 identity SNPs of two
 * unrelated people, a scenario input with one draw taken from the other person, and the scenario of
 * a swapped tube between two of the patient's own draws.
 */
import { checkPatientIdentity } from '../../src/identity/concordance.js';
import type { IdentitySample } from '../../src/identity/types.js';
import type { ClassifyInput } from '../../src/classify/types.js';
import { type Counts, type Scenario, scenarioInput } from './policy-scenario-builder.js';
import { SCENARIOS } from './policy-scenario-data.js';

/** Genotypes (0/1/2 alt alleles) at 24 SNPs of two unrelated people, read at 200 fragments. */
const PERSON_A = [0, 1, 2, 1, 0, 1, 2, 0, 1, 1, 2, 0, 1, 0, 2, 1, 1, 0, 2, 1, 0, 1, 2, 1];
const PERSON_B = [2, 0, 1, 2, 1, 0, 0, 2, 2, 0, 1, 1, 0, 2, 0, 2, 0, 1, 1, 0, 2, 2, 0, 0];
const snps = (sample: string, genotypes: number[]): IdentitySample => ({
  sample,
  kind: 'draw',
  snps: genotypes.map((g, i) => {
    const alt = g === 0 ? 1 : g === 2 ? 199 : 100;
    return { key: `rs${1000 + i}`, refCount: 200 - alt, altCount: alt };
  }),
});

/** The input with its identity check: every draw the patient's, except draw `swapped` (null: none). */
export function withSwappedDraw(input: ClassifyInput, swapped: number | null): ClassifyInput {
  const samples = input.timeline.draws.map((d, i) => snps(d.sample, i === swapped ? PERSON_B : PERSON_A));
  return { ...input, timeline: { ...input.timeline, identity: checkPatientIdentity(input.timeline.patient, samples) } };
}

/** The therapy history of the scenario below: scenario TG4's. */
const TG4 = SCENARIOS.find((s) => s.id === 'TG4')!;

/**
 * Two plasma-only tumour sites (TP53 p.Y220C, p.G245S) at `subclonalFirst` / 3000 in the first draw
 * and 20 / 3000 in the last, beside a flat truncal pair; the middle draw (ID9_d1) is another
 * person's tube with no read at any of them. Measured against that tube the sites "emerge" at the
 * last draw; against the patient's own first draw they emerge only when `subclonalFirst` is 0.
 */
export function swappedMiddle(subclonalFirst: number): ClassifyInput {
  const sub = (a: number): Counts => ({ 'TP53 p.Y220C': [a, 3000], 'TP53 p.G245S': [a, 3000] });
  const scenario: Scenario = {
    id: 'ID9',
    bullet: 'identity: a swapped draw never makes sites emerge',
    clinician:
      "The draw between two of the patient's own draws belongs to someone else. Sites seen in the first and the last draw did not emerge: " +
      'with 2 progressing lesions and flat truncal markers this is true oligoprogression.',
    therapyHistory: TG4.therapyHistory,
    tumourVcf: ['TP53 p.R175H', 'PIK3CA p.H1047R'],
    // Plasma-only sites, absent from deep white cells: tumour, not clonal haematopoiesis.
    whiteCells: { 'TP53 p.R175H': [0, 10000], 'PIK3CA p.H1047R': [0, 10000], 'TP53 p.Y220C': [0, 10000], 'TP53 p.G245S': [0, 10000] },
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.R175H': [100, 5000], 'PIK3CA p.H1047R': [98, 5000], ...sub(subclonalFirst) } },
      { date: '2025-09-01', counts: { 'TP53 p.R175H': [0, 5000], 'PIK3CA p.H1047R': [0, 5000], ...sub(0) } },
      { date: '2026-01-05', counts: { 'TP53 p.R175H': [101, 5000], 'PIK3CA p.H1047R': [99, 5000], ...sub(20) } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'true_oligoprogression', rationaleContains: [] },
  };
  return withSwappedDraw(scenarioInput(scenario), 1);
}
