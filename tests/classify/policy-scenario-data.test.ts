/**
 * The scenario patients really are what the clinician says: their counts, through the real calling
 * stage and timeline builder, give the calls, VAFs and dates each story relies on. (The groups
 * themselves are checked by policy-scenarios.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { isoDateToDay } from '../../src/io/csv-schema.js';
import type { PatientTimeline } from '../../src/timeline/types.js';
import { buildScenarioTimeline, keyOf, scenarioClinical, scenarioLabels } from './policy-scenario-builder.js';
import { SCENARIOS } from './policy-scenario-data.js';

const byId = (id: string) => {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};
const site = (t: PatientTimeline, label: string) => t.sites.find((x) => x.key === keyOf(label))!;
const calls = (t: PatientTimeline, label: string) => site(t, label).points.map((p) => p.call);
const vafs = (t: PatientTimeline, label: string) => site(t, label).points.map((p) => p.vaf as number);
const daysFromScan = (id: string) => {
  const s = byId(id);
  return s.draws.map((d) => isoDateToDay(d.date) - isoDateToDay(s.imaging.date));
};

describe('scenario patients: the counts say what the clinician says', () => {
  it('every scenario builds through the calling stage and names its sites consistently', () => {
    const ids = new Set<string>();
    for (const s of SCENARIOS) {
      expect(ids.has(s.id), s.id).toBe(false);
      ids.add(s.id);
      const t = buildScenarioTimeline(s);
      expect(t.draws.length).toBe(s.draws.length);
      expect(t.sites.map((x) => x.key)).toEqual(scenarioLabels(s).map(keyOf));
      for (const label of s.tumourVcf ?? []) expect(site(t, label).tumour_informed, `${s.id} ${label}`).toBe(true);
      // Draws are in date order and none is after the assessment by more than the post-scan window.
      const d = daysFromScan(s.id);
      for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]);
      expect(scenarioClinical(s), s.id).not.toBeNull();
    }
  });

  it('CH1/CH2: two plasma-only TP53 hotspots appear at ~0.3% in the last two draws; the tissue markers stay near 2%', () => {
    for (const id of ['CH1', 'CH2']) {
      const t = buildScenarioTimeline(byId(id));
      for (const label of ['TP53 p.R248Q', 'TP53 p.R273H']) {
        expect(calls(t, label).slice(0, 3)).toEqual(['not_detected', 'not_detected', 'not_detected']);
        expect(calls(t, label).slice(3)).toEqual(['detected', 'detected']);
        expect(site(t, label).tumour_informed).toBe(false);
        for (const v of vafs(t, label).slice(3)) expect(v).toBeGreaterThan(0.0025);
      }
      for (const v of vafs(t, 'PIK3CA p.H1047R')) expect(Math.abs(v - 0.02)).toBeLessThan(0.001);
    }
  });

  it('CH2: the white-cell signal is below the old matched-normal rule (≥ 1% and ≥ 3 reads) yet far above a 1e-4 background', () => {
    // The timeline carries them, with the background the white-cell test compares them with.
    const t = buildScenarioTimeline(byId('CH2'));
    for (const label of ['TP53 p.R248Q', 'TP53 p.R273H']) {
      const c = site(t, label).white_cells!;
      expect(c.alt_count / c.depth).toBeLessThan(0.01);
      expect(c.alt_count).toBeGreaterThan(20 * c.depth * c.background_rate);
      expect(c.background_dispersion).toBe(0);
    }
    expect(site(buildScenarioTimeline(byId('CH1')), 'TP53 p.R248Q').white_cells).toBeNull();
  });

  it('GL1: TP53 P72R sits at 50% ± 1% in every draw; PIK3CA goes from 1% to 4%', () => {
    const t = buildScenarioTimeline(byId('GL1'));
    for (const v of vafs(t, 'TP53 p.P72R')) expect(Math.abs(v - 0.5)).toBeLessThan(0.01);
    const p = vafs(t, 'PIK3CA p.H1047R');
    expect(p[3] / ((p[0] + p[1] + p[2]) / 3)).toBeCloseTo(4, 1);
  });

  it('CS1/CS2: the first draw is ctDNA-negative; the markers then sit near 0.2% and end near 2%', () => {
    for (const [id, labels] of [
      ['CS1', ['TP53 p.R175H', 'PIK3CA p.E545K']],
      ['CS2', ['PIK3CA p.E545K', 'AKT1 p.E17K']],
    ] as const) {
      const t = buildScenarioTimeline(byId(id));
      for (const label of labels) {
        expect(calls(t, label)).toEqual(['not_detected', 'detected', 'detected', 'detected']);
        const v = vafs(t, label);
        expect(v[3] / ((v[1] + v[2]) / 2)).toBeGreaterThan(8);
      }
    }
    expect(byId('CS2').tumourVcf).toBeUndefined();
  });

  it('TL1: 5% → 0.5% → 3% on the first line, then ~3% flat on the second line', () => {
    const s = byId('TL1');
    const t = buildScenarioTimeline(s);
    const v = vafs(t, 'TP53 p.R175H').map((x) => Math.round(x * 1000) / 10);
    expect(v).toEqual([5, 0.5, 3, 3, 3.1, 2.9]);
    const switchDay = isoDateToDay(s.therapyHistory[1].start);
    expect(s.draws.map((d) => isoDateToDay(d.date) > switchDay)).toEqual([false, false, false, true, true, true]);
    expect(t.draws.map((d) => d.therapy)).toEqual([...Array(3).fill('letrozole+palbociclib'), ...Array(3).fill('fulvestrant+abemaciclib')]);
  });

  it('RT1/RT2: cleared twice at 6,000 reads, then a return of 8/6,000 (0.13%) or 90/6,000 (1.5%) per marker', () => {
    for (const [id, alt] of [
      ['RT1', 8],
      ['RT2', 90],
    ] as const) {
      const t = buildScenarioTimeline(byId(id));
      for (const label of ['TP53 p.R175H', 'PIK3CA p.H1047R']) {
        expect(calls(t, label)).toEqual(['detected', 'not_detected', 'not_detected', 'detected']);
      }
      expect(t.tumour_fraction.points[3].alt_count).toBe(2 * alt + (id === 'RT2' ? 2 : 0));
    }
    const rt1 = buildScenarioTimeline(byId('RT1'));
    expect(rt1.tumour_fraction.points[3].pooled_vaf).toBeCloseTo(16 / 12000, 10);
  });

  it('TG1: ESR1 D538G 0 → 0 → 1 → 5 of 3,000: one read is not a detection, five reads are', () => {
    const t = buildScenarioTimeline(byId('TG1'));
    expect(site(t, 'ESR1 p.D538G').points.map((p) => p.alt_count)).toEqual([0, 0, 1, 5]);
    expect(calls(t, 'ESR1 p.D538G')).toEqual(['not_detected', 'not_detected', 'not_detected', 'detected']);
  });

  it('TG2: ESR1 Y537S is detected at ~0.8% in every draw, scattering between 0.63% and 1.03%', () => {
    const t = buildScenarioTimeline(byId('TG2'));
    expect(calls(t, 'ESR1 p.Y537S')).toEqual(['detected', 'detected', 'detected', 'detected']);
    const v = vafs(t, 'ESR1 p.Y537S');
    expect(Math.min(...v)).toBeGreaterThan(0.006);
    expect(Math.max(...v)).toBeLessThan(0.011);
  });

  it('TG3/GP2: both truncal markers rise about 4-fold together; TG4: they stay flat', () => {
    for (const id of ['TG3', 'GP2']) {
      const t = buildScenarioTimeline(byId(id));
      for (const label of ['TP53 p.R175H', 'PIK3CA p.H1047R']) {
        const v = vafs(t, label);
        expect(v[v.length - 1] / v[0]).toBeGreaterThan(3.8);
      }
    }
    const flat = buildScenarioTimeline(byId('TG4'));
    for (const v of vafs(flat, 'PIK3CA p.H1047R')) expect(Math.abs(v - 0.02)).toBeLessThan(0.001);
  });

  it('WI1–WI3: the draw-to-scan intervals the window stories rely on', () => {
    expect(daysFromScan('WI1').slice(-2)).toEqual([-100, 5]);
    expect(daysFromScan('WI2').slice(-2)).toEqual([-89, -3]);
    const wi3 = byId('WI3');
    expect(daysFromScan('WI3').slice(-2)).toEqual([-111, 12]);
    expect(isoDateToDay(wi3.draws[2].date)).toBeGreaterThan(isoDateToDay(wi3.therapyHistory[1].start));
    expect(isoDateToDay(wi3.therapyHistory[1].start)).toBeGreaterThan(isoDateToDay(wi3.imaging.date));
  });

  it('GP3/GP4: 300 reads per marker near 0.5% (1–2 reads); GP3 has ESR1 D538G at 15/300', () => {
    for (const id of ['GP3', 'GP4']) {
      const t = buildScenarioTimeline(byId(id));
      for (const label of ['TP53 p.R175H', 'PIK3CA p.H1047R']) {
        for (const p of site(t, label).points) {
          expect(p.depth).toBe(300);
          expect(p.alt_count).toBeLessThanOrEqual(2);
        }
      }
    }
    const gp3 = buildScenarioTimeline(byId('GP3'));
    expect(calls(gp3, 'ESR1 p.D538G')).toEqual(['not_detected', 'not_detected', 'detected']);
  });
});
