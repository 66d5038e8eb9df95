import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DEPTH, demoDataDir, demoSamples, demoSpec, loadDemoSites, loadTruthVafs } from '../../src/demo/cohort.js';
import { simulatorFingerprint } from '../../src/demo/generate.js';

const csv = (f: string) =>
  readFileSync(join(demoDataDir(), f), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('demo cohort data', () => {
  it('has ≥ 6 patients with 3–5 draws each, and clinical + imaging rows for each', () => {
    const samples = demoSamples();
    const perPatient = new Map<string, number>();
    for (const s of samples) perPatient.set(s.patient, (perPatient.get(s.patient) ?? 0) + 1);
    expect(perPatient.size).toBeGreaterThanOrEqual(6);
    for (const [p, n] of perPatient) {
      expect(n, p).toBeGreaterThanOrEqual(3);
      expect(n, p).toBeLessThanOrEqual(5);
    }
    expect(new Set(csv('clinical.csv').map((r) => r[0]))).toEqual(new Set(perPatient.keys()));
    expect(new Set(csv('imaging.csv').map((r) => r[0]))).toEqual(new Set(perPatient.keys()));
  });

  it('takes its six sites from the verified GRCh38 panel rows, by gene and protein', () => {
    const sites = loadDemoSites();
    expect(sites.map((s) => `${s.gene} ${s.protein}`)).toEqual([
      'TP53 p.R175H',
      'TP53 p.R273H',
      'PIK3CA p.E545K',
      'PIK3CA p.H1047R',
      'ESR1 p.D538G',
      'ESR1 p.E380Q',
    ]);
    // Two ESR1 sites closer than a fragment would share molecules in the simulator (decision 0061).
    const esr1 = sites.filter((s) => s.gene === 'ESR1').map((s) => s.pos1);
    expect(Math.abs(esr1[0] - esr1[1])).toBeGreaterThan(1000);
  });

  it('truth VAFs name only demo samples and demo sites; specs are seeded per sample', () => {
    const truth = loadTruthVafs();
    const samples = new Set(demoSamples().map((s) => s.sample));
    const sites = loadDemoSites();
    const siteNames = new Set(sites.map((s) => `${s.gene} ${s.protein}`));
    for (const [sample, vafs] of truth) {
      expect(samples.has(sample), sample).toBe(true);
      for (const k of vafs.keys()) expect(siteNames.has(k), k).toBe(true);
    }
    const specs = [...samples].map((s) => demoSpec(s, sites, truth));
    expect(new Set(specs.map((s) => s.seed)).size).toBe(specs.length);
    expect(specs.every((s) => s.depth === DEMO_DEPTH)).toBe(true);
    const d4 = demoSpec('DEMO-04-D5', sites, truth);
    expect(d4.sites.find((s) => s.pos1 === sites[4].pos1)?.vaf).toBe(0.012); // ESR1 D538G, truth-vafs.tsv
    expect(demoSpec('DEMO-04-D5', sites, truth)).toEqual(d4);
  });

  it('fingerprints the simulator code, so changed code re-simulates', () => {
    expect(simulatorFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(simulatorFingerprint()).toBe(simulatorFingerprint());
  });
});
