import { describe, expect, it, vi } from 'vitest';
import { Progress } from '../../src/report/progress.js';
import { dayToIso, decadeTicks, isoToDay, logDomain, logScale, monthTicks } from '../../src/report/svg/scale.js';
import { OKABE_ITO, vafChartSvg } from '../../src/report/svg/vaf-chart.js';
import { keyMutation } from '../../src/report/cohort.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import { fixturePatient } from './fixture.js';

describe('chart scales', () => {
  it('converts ISO dates to UTC day numbers and back', () => {
    expect(isoToDay('1970-01-02')).toBe(1);
    expect(isoToDay('2025-01-01')).toBe(20089); // 55 years incl. 14 leap days: 55*365+14
    expect(dayToIso(20089)).toBe('2025-01-01');
    expect(Number.isNaN(isoToDay('01/02/2025'))).toBe(true);
  });

  it('chooses whole decades spanning at least two, never below 1e-5', () => {
    expect(logDomain([0.004, 0.03])).toEqual([0.001, 0.1]);
    expect(logDomain([0.05])).toEqual([0.001, 0.1]);
    expect(logDomain([1e-7, 0.5])).toEqual([1e-5, 1]);
    expect(logDomain([])).toEqual([1e-4, 0.01]);
    expect(decadeTicks(0.001, 0.1)).toEqual([0.001, 0.01, 0.1]);
  });

  it('maps decades to equal pixel steps', () => {
    const y = logScale(0.001, 0.1, 200, 0);
    expect([y(0.001), y(0.01), y(0.1)]).toEqual([200, 100, 0]);
    expect(y(0)).toBe(200); // clamped to the floor
  });

  it('puts month ticks on the first of each month, thinned', () => {
    const t = monthTicks(isoToDay('2025-01-15'), isoToDay('2025-04-20'));
    expect(t.map(dayToIso)).toEqual(['2025-02-01', '2025-03-01', '2025-04-01']);
    expect(monthTicks(isoToDay('2024-01-01'), isoToDay('2025-12-31'), 8).length).toBeLessThanOrEqual(8);
  });
});

describe('VAF chart', () => {
  it('uses only Okabe–Ito colours (plus black and greys) and marks the zero row', () => {
    const svg = vafChartSvg(fixturePatient());
    const colours = new Set((svg.match(/#[0-9A-Fa-f]{6}/g) ?? []).map((c) => c.toUpperCase()));
    const allowed = new Set([...OKABE_ITO, '#000000', '#FFFFFF', '#BBBBBB', '#E4E4E4', '#444444', '#555555', '#666666', '#777777', '#999999'].map((c) => c.toUpperCase()));
    for (const c of colours) expect(allowed.has(c), c).toBe(true);
    expect(svg).toContain('>0</text>');
    expect(svg).not.toContain('NaN');
  });

  it('omits sites never detected from the chart but keeps them in the description count', () => {
    const r = fixturePatient();
    r.sites[1].points.forEach((p) => (p.call = 'not_detected'));
    const svg = vafChartSvg(r);
    expect(svg.match(/<g class="pt"/g)?.length).toBe(8); // 2 detected sites × 4 draws
    expect(svg).toContain('2 of 3 tracked site(s) detected at least once');
  });
});

describe('edge cases render without NaN', () => {
  it('one draw, nothing detected, no tumour fraction, no assessment, no clinical data', () => {
    const r = fixturePatient('LONE');
    r.draws = r.draws.slice(0, 1);
    r.draws[0].tumour_fraction = null;
    for (const s of r.sites) {
      s.points = s.points.slice(0, 1).map((p) => ({ ...p, alt_count: 0, vaf: 0, vaf_low: 0, vaf_high: 0.0015, call: 'not_detected' }));
    }
    r.assessments = [];
    r.imaging = [];
    r.clinical = null;
    const html = renderPatientPage(r);
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('undefined');
    expect(html).toContain('No imaging assessment classified');
    expect(html).toContain('Not detected in any draw (3)');
    expect(html.match(/<g class="pt"/g)).toBeNull();
  });
});

describe('cohort key mutation', () => {
  it('names the targetable mutations of the latest assessment, else the highest detected VAF at the last draw', () => {
    const r = fixturePatient();
    expect(keyMutation(r)).toBe('ESR1 p.D538G');
    r.assessments[r.assessments.length - 1].targetable_mutations = [];
    expect(keyMutation(r)).toBe('ESR1 D538G'); // 40/2500 beats 30/2500 and 28/2400 at the last draw
  });
});

describe('progress', () => {
  it('writes plain log lines when stderr is not a terminal and a redrawn bar when it is', () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    });
    try {
      const plain = new Progress('counting', 2, false);
      plain.step(1, 'S1');
      plain.done();
      expect(writes).toEqual(['oligotrack: counting 1/2: S1\n']);
      writes.length = 0;
      const bar = new Progress('counting', 2, true);
      bar.step(1, 'S1');
      bar.step(2, 'S2');
      bar.done();
      expect(writes[0]).toMatch(/^\rcounting \[#{12}-{12}\] 1\/2 S1/);
      expect(writes[1]).toMatch(/^\rcounting \[#{24}\] 2\/2 S2/);
      expect(writes[2]).toBe('\n');
    } finally {
      spy.mockRestore();
    }
  });
});
