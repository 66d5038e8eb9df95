import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidedBy, headlineReason } from '../../src/report/decision.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import { CHART_GREYS, chartLegend, chartSvg, MAX_CHART_SITES, SITE_COLOURS } from '../../src/report/svg/chart.js';
import { dodge, labelRows } from '../../src/report/svg/dodge.js';
import { dayToIso, decadeTicks, isoToDay, logDomain, logScale, monthTicks } from '../../src/report/svg/scale.js';
import type { SiteSeries } from '../../src/report/types.js';
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

describe('marker dodging and label rows', () => {
  it('never leaves two markers overlapping, whatever the positions (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: 0, max: 200 }), y: fc.integer({ min: 0, max: 60 }) }), { maxLength: 40 }),
        (ms) => {
          const off = dodge(ms, 12, 13, 200);
          const xs = ms.map((m, i) => m.x + off[i]);
          for (let i = 0; i < ms.length; i++)
            for (let j = i + 1; j < ms.length; j++) expect(Math.abs(xs[i] - xs[j]) >= 12 || Math.abs(ms[i].y - ms[j].y) >= 12).toBe(true);
        },
      ),
    );
  });

  it('leaves a marker in place when nothing is near it, and moves the second of two coinciding markers by one step', () => {
    expect(
      dodge(
        [
          { x: 10, y: 10 },
          { x: 100, y: 10 },
        ],
        12,
      ),
    ).toEqual([0, 0]);
    expect(
      dodge(
        [
          { x: 10, y: 10 },
          { x: 10, y: 12 },
        ],
        12,
      ),
    ).toEqual([0, 13]);
  });

  it('puts overlapping labels in separate rows', () => {
    expect(
      labelRows([
        { x: 100, width: 80 },
        { x: 120, width: 40 },
        { x: 300, width: 40 },
      ]),
    ).toEqual([0, 1, 0]);
  });
});

describe('chart', () => {
  it('uses Okabe–Ito colours for sites and greys for everything else; no site colour on an annotation', () => {
    const svg = chartSvg(fixturePatient());
    const colours = new Set((svg.match(/#[0-9A-Fa-f]{6}/g) ?? []).map((c) => c.toUpperCase()));
    const allowed = new Set([...SITE_COLOURS, ...CHART_GREYS].map((c) => c.toUpperCase()));
    for (const c of colours) expect(allowed.has(c), c).toBe(true);
    const annotations = svg.match(/<g class="annot[^"]*">.*?<\/g>/g) ?? [];
    expect(annotations.length).toBe(3); // therapy start + 2 scans
    for (const a of annotations) for (const c of SITE_COLOURS) expect(a.toUpperCase()).not.toContain(c);
    expect(svg).not.toContain('NaN');
  });

  it('puts the tumour fraction on its own labelled panel and names the nadir', () => {
    const svg = chartSvg(fixturePatient());
    expect(svg).toMatch(/<g class="panel tf-panel">.*class="axis">Tumour fraction<\/text>.*class="pt-label">nadir<\/text>/);
    expect(svg).toMatch(/<g class="panel vaf-panel">.*class="axis">VAF per site<\/text>/);
    expect(svg).toContain('>0 reads</text>');
  });

  it('dodges markers that would hide each other at the same draw', () => {
    const r = fixturePatient();
    // Two sites with identical counts at every draw: without dodging their markers coincide.
    r.sites[2].points = r.sites[0].points.map((p) => ({ ...p }));
    const svg = chartSvg(r);
    /** Marker centres of one series: circle cx, square x + width / 2, path's first M x. */
    const xs = (site: string) => {
      const chunk = svg.slice(svg.indexOf(`data-site="${site}"`)).split('<g class="series site"')[0];
      return [...chunk.matchAll(/<g class="pt"[^>]*>(<[^>]*>)/g)].map(([, el]) => {
        const c = /cx="([\d.]+)"/.exec(el) ?? /d="M([\d.]+) /.exec(el);
        if (c) return Number(c[1]);
        const r = /x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/.exec(el)!;
        return Number(r[1]) + Number(r[2]) / 2;
      });
    };
    const a = xs('TP53 p.R175H');
    const b = xs('PIK3CA p.H1047R');
    expect(a.length).toBe(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(a[i] - b[i])).toBeGreaterThanOrEqual(8);
  });

  it('draws a therapy-start rule for each earlier therapy line, with labels that do not collide', () => {
    const r = fixturePatient();
    r.clinical!.earlier_lines = [{ therapy: 'anastrozole', therapy_class: 'endocrine', start: '2024-11-25' }];
    const svg = chartSvg(r);
    const labels = [...svg.matchAll(/<g class="annot therapy">.*?<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      t: m[3],
    }));
    expect(labels.map((l) => l.t)).toEqual(['start endocrine', 'start endocrine+CDK4/6i']);
    // Starts six days apart: the second label goes to another row.
    expect(labels[0].y).not.toBe(labels[1].y);
  });

  it('says what it shows in words: no cryptic legend', () => {
    const legend = chartLegend(fixturePatient());
    expect(legend).toContain('filled: detected · hollow: not detected');
    expect(legend).toContain('bottom row “0 reads”: no read carried the variant at that draw');
    expect(legend).toContain('scan with progression (PD ×n: n progressing lesions)');
    expect(legend).not.toMatch(/row “0”/);
  });

  it('omits sites never detected from the chart but keeps them in the description count', () => {
    const r = fixturePatient();
    r.sites[1].points.forEach((p) => (p.call = 'not_detected'));
    const svg = chartSvg(r);
    expect(svg.match(/<g class="pt"/g)?.length).toBe(8); // 2 detected sites × 4 draws
    expect(svg).toContain('2 of 3 tracked site(s) detected at least once');
  });

  it('draws the top sites of a 100-site panel and lists every detected one in the evidence table', () => {
    const r = fixturePatient();
    const base = r.sites[0];
    r.sites = Array.from({ length: 100 }, (_, i): SiteSeries => ({
      ...base,
      gene: `G${i}`,
      protein: `p.R${100 + i}H`,
      pos: 1000 + i,
      points: base.points.map((p) => ({ ...p, alt_count: 10 + i, vaf: (10 + i) / 2500, call: 'detected' })),
    }));
    r.findings = [];
    const svg = chartSvg(r);
    expect(svg.match(/<g class="series site"/g)?.length).toBe(MAX_CHART_SITES);
    expect(svg).toContain('data-site="G99 p.R199H"'); // the highest VAF comes first
    const html = renderPatientPage(r);
    expect(html.match(/<td rowspan="4"><strong>G\d+ p\.R\d+H<\/strong>/g)?.length).toBe(100);
    expect(html).toContain(`The ${MAX_CHART_SITES} sites drawn of the 100 detected in some draw`);
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
    r.findings = [];
    r.therapies = [];
    const html = renderPatientPage(r);
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('undefined');
    expect(html).toContain('No imaging assessment classified');
    expect(html).toContain('Not detected in any draw (3)');
    expect(html).toContain('No tumour fraction: no clonal site to pool');
    expect(html.match(/<g class="pt"/g)).toBeNull();
  });
});

describe('what decided the group, in words', () => {
  const a = () => fixturePatient().assessments[1];
  it('targetable: the finding with its event and date', () => {
    expect(decidedBy(a())).toBe('ESR1 p.D538G newly emerged on 2025-05-14');
  });

  it('widespread by imaging, by ctDNA; true oligoprogression; indeterminate; no progression', () => {
    expect(decidedBy({ ...a(), group: 'widespread_progression', progressing_lesions: 7 })).toBe('7 progressing lesions (> 5)');
    const byCtdna = { ...a(), group: 'widespread_progression', molecular_progression: true };
    byCtdna.tumour_fraction_change = {
      ...byCtdna.tumour_fraction_change!,
      fold: 7.62,
      p_value: 1e-26,
      nadir_date: '2025-03-12',
      compared_date: '2025-07-16',
    };
    expect(decidedBy(byCtdna)).toBe('ctDNA: tumour fraction 7.62-fold from its nadir');
    expect(headlineReason(byCtdna, undefined)).toBe(
      'Only 2 progressing lesions, but ctDNA shows diffuse progression: the tumour fraction rose 7.62-fold from its nadir (2025-03-12 → 2025-07-16, p = 1.0e-26).',
    );
    const byEmerged = { ...a(), group: 'widespread_progression', molecular_progression: true, tumour_fraction_change: null };
    byEmerged.rules = [
      {
        id: 'rule3_molecular_progression',
        description: '',
        inputs: '',
        value: '2 non-targetable site(s) emerged at one draw (2025-07-16: TP53 p.R248Q, TP53 p.R273H)',
        threshold: '',
        pass: true,
        source: '',
      },
    ];
    expect(headlineReason(byEmerged, undefined)).toBe(
      'Only 2 progressing lesions, but ctDNA shows diffuse progression: 2 non-targetable site(s) emerged at one draw (2025-07-16: TP53 p.R248Q, TP53 p.R273H).',
    );
    expect(decidedBy(byEmerged)).toBe('ctDNA: diffuse progression');
    expect(decidedBy({ ...a(), group: 'true_oligoprogression' })).toBe('2 progressing lesions; no diffuse ctDNA progression');
    expect(
      decidedBy({
        ...a(),
        group: 'indeterminate',
        indeterminate_reason: 'no ctDNA draw within 90 days before the assessment (last draw 2025-03-24)',
      }),
    ).toBe('no ctDNA draw within 90 days before the assessment (last draw 2025-03-24)');
    expect(decidedBy({ ...a(), group: 'no_progression' })).toBe('no progressing lesion');
    expect(decidedBy(undefined)).toBe('no imaging assessment');
  });
});
