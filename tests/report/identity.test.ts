/**
 * A draw whose identity check is discordant on the patient page: marked in the report data and the
 * draws table, its counts shown without an event, and the events of the other draws measured over
 * the patient's own draws, as classify measured them.
 */
import { describe, expect, it } from 'vitest';
import { referenceKnowledge } from '../../src/classify/knowledge.js';
import { loadPolicy } from '../../src/classify/policy.js';
import { classifyAssessment } from '../../src/classify/rules.js';
import {
  CLASSIFICATION_SCHEMA,
  CLASSIFICATION_SCHEMA_VERSION,
  type ClassificationDocument,
  type ClassifyInput,
} from '../../src/classify/types.js';
import { assemblePatientReports } from '../../src/report/assemble.js';
import { buildCohort, cohortRow } from '../../src/report/cohort.js';
import { renderIndexPage } from '../../src/report/html/index-page.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import { chartDescription, chartLegend, chartSvg } from '../../src/report/svg/chart.js';
import type { PatientReport } from '../../src/report/types.js';
import type { BetweenDrawPrior } from '../../src/timeline/longitudinal/types.js';
import { swappedMiddle, withSwappedDraw } from '../classify/swapped-draw.js';
import { FIXTURE_META } from './fixture.js';

const { policy } = loadPolicy();
/** A lab's measured between-draw CV (the subject here is not the statistics). */
const LAB: BetweenDrawPrior = { cv: 0.25, df: 10, source: 'lab-measured CV (test)' };

/** The patient report of a scenario, with the classification classify makes of it. */
function report(input: ClassifyInput): PatientReport {
  const assessment = classifyAssessment({ betweenDrawPrior: LAB, ...input }, policy, referenceKnowledge());
  const doc: ClassificationDocument = {
    schema: CLASSIFICATION_SCHEMA,
    schema_version: CLASSIFICATION_SCHEMA_VERSION,
    tool_version: '0.1.0',
    policy_file: 'default.yaml',
    policy_name: 'default',
    assessments: [assessment],
  };
  return assemblePatientReports([input.timeline], doc, { toolVersion: '0.1.0' })[0];
}

const section = (html: string, id: string): string => {
  const start = html.indexOf(`<section id="${id}"`);
  return html.slice(start, html.indexOf('</section>', start));
};

/** Per site `GENE p.X`, the events of its points in draw order. */
const eventsBySite = (r: PatientReport): Record<string, string[]> =>
  Object.fromEntries(r.sites.map((s) => [`${s.gene} ${s.protein}`, s.points.map((p) => p.event)]));

const SUBCLONAL = ['TP53 p.Y220C', 'TP53 p.G245S'];

describe('report: a draw whose identity check is discordant', () => {
  it('is marked discordant in the report data and in the draws table, with its counts still in the evidence table', () => {
    const r = report(swappedMiddle(19));
    expect(r.draws.map((d) => d.sample)).toEqual(['ID9_d0', 'ID9_d1', 'ID9_d2']);
    expect(r.draws.map((d) => d.identity === 'discordant')).toEqual([false, true, false]);
    const html = renderPatientPage(r);
    const rows = section(html, 'qc').split('<tr>').slice(2);
    expect(rows.map((row) => row.includes('data-identity="discordant"'))).toEqual([false, true, false]);
    expect(rows[1]).toContain('possible sample swap');
    expect(rows[1]).toContain('left out of the classification');
    // The swapped draw's counts stay on the page, beside the same mark.
    const evidence = section(html, 'evidence');
    const swapped = evidence.split('<tr>').filter((row) => row.includes('ID9_d1'));
    expect(swapped.length).toBe(r.sites.filter((s) => s.points.some((p) => p.call === 'detected')).length);
    for (const row of swapped) {
      expect(row).toContain('data-identity="discordant"');
      expect(row).toMatch(/<td class="num">0 \/ [35]\u2009000<\/td>/);
    }
  });

  it("shows no emergence at the next draw for sites flat across the patient's own draws (0 reads in the swapped tube)", () => {
    const input = swappedMiddle(19);
    // As track computed them, the last draw's events are against the swapped tube.
    const tracked = input.timeline.sites.filter((s) => SUBCLONAL.includes(`${s.gene} ${s.protein}`));
    expect(tracked.map((s) => s.points[2].event)).toEqual(['emerged', 'emerged']);
    const r = report(input);
    expect(r.assessments[0].group).toBe('true_oligoprogression');
    for (const [site, events] of Object.entries(eventsBySite(r))) expect(events, site).toEqual(['', '', 'stable']);
    for (const f of r.findings) {
      expect(f.trend, f.label).toBe('stable');
      expect(f.earlier_event, f.label).toBeNull();
    }
    // The page's body (its style sheet names every event class).
    const body = renderPatientPage(r).split('<main>')[1];
    expect(body).not.toContain('newly emerged');
    expect(body).not.toContain('ev-emerged');
    expect(body).not.toContain('ev-rising');
  });

  it("shows a genuine emergence after the swapped draw, measured against the patient's first draw", () => {
    const r = report(swappedMiddle(0));
    expect(r.assessments[0].group).toBe('widespread_progression');
    const events = eventsBySite(r);
    for (const site of SUBCLONAL) expect(events[site], site).toEqual(['', '', 'emerged']);
    expect(r.findings.filter((f) => SUBCLONAL.includes(f.label)).map((f) => f.trend)).toEqual(['emerged', 'emerged']);
    const findings = section(renderPatientPage(r), 'findings');
    for (const site of SUBCLONAL) {
      const row = findings.slice(findings.indexOf(`data-finding="${site}"`));
      expect(row.slice(0, row.indexOf('</tr>')), site).toContain('newly emerged');
    }
  });

  it("at the last draw: the findings are the last kept draw's, with a sentence naming the draw left out", () => {
    const r = report(withSwappedDraw(swappedMiddle(19), 2));
    expect(r.draws.map((d) => d.identity === 'discordant')).toEqual([false, false, true]);
    expect(r.left_out_latest_draws).toEqual([{ sample: 'ID9_d2', collection_date: '2026-01-05' }]);
    expect(r.findings.length).toBeGreaterThan(0);
    // ID9_d1 (0 reads at every site), compared with ID9_d0; not the swapped tube's VAFs.
    for (const f of r.findings) {
      expect(f.last_date, f.label).toBe('2025-09-01');
      expect(f.vaf, f.label).toBe(0);
      expect(f.trend, f.label).not.toBe('');
    }
    const findings = section(renderPatientPage(r), 'findings');
    expect(findings.slice(0, findings.indexOf('</h2>'))).toContain('Findings at the last draw (2025-09-01)');
    const note = findings.slice(findings.indexOf('</h2>'), findings.indexOf('<table'));
    expect(note).toContain('data-identity="discordant"');
    expect(note).toContain('ID9_d2 (2026-01-05), failed the sample-identity check and is left out');
    expect(note).toContain('findings of ID9_d1 (2025-09-01)');
    expect(findings).not.toContain('single draw');
  });

  it('first detected is the first kept draw that detected the site, not a swapped first tube that carried it', () => {
    const input = withSwappedDraw(swappedMiddle(19), 0);
    // Track counted the swapped tube: every site it carried was "first detected" there.
    const carried = input.timeline.sites.filter((s) => s.first_detection?.sample === 'ID9_d0');
    expect(carried.length).toBeGreaterThan(0);
    const r = report(input);
    for (const s of r.sites.filter((x) => carried.some((c) => c.gene === x.gene && c.protein === x.protein)))
      expect(s.first_detected, `${s.gene} ${s.protein}`).toBe('2026-01-05');
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) expect(f.first_detected, f.label).toBe('2026-01-05');
  });
});

/** The polyline of each charted site (its points as drawn), by the site's label. */
const siteLines = (svg: string): Record<string, string[]> =>
  Object.fromEntries(
    [...svg.matchAll(/<g class="series site" data-site="([^"]+)">(?:<polyline points="([^"]*)")?/g)].map((m) => [
      m[1],
      m[2] ? m[2].split(' ') : [],
    ]),
  );

describe('report chart: a draw whose identity check is discordant', () => {
  it("is a labelled cross, not joined into any site's line", () => {
    const r = report(swappedMiddle(19));
    const svg = chartSvg(r);
    const lines = siteLines(svg);
    expect(Object.keys(lines).length).toBeGreaterThan(0);
    // Three draws, the middle one swapped: each line joins the first and the last only.
    for (const [site, pts] of Object.entries(lines)) expect(pts.length, site).toBe(2);
    const crosses = [...svg.matchAll(/<g class="pt swapped" data-sample="([^"]+)" data-identity="discordant">/g)].map((m) => m[1]);
    expect(crosses).toEqual(Object.keys(lines).map(() => 'ID9_d1'));
    expect(svg).toMatch(/<g class="annot swap">.*?>identity discordant<\/text><title>Draw ID9_d1 2025-09-01: identity discordant/);
    expect(chartDescription(r)).toContain('draw ID9_d1 2025-09-01: identity discordant');
    expect(chartLegend(r)).toContain('identity discordant');
  });

  it("draws the median LoD line through the patient's own draws only", () => {
    const r = report(swappedMiddle(19));
    // The swapped tube was sequenced: its sites have LoDs, which the line must not pass through.
    expect(r.sites.some((s) => s.points.some((p) => p.sample === 'ID9_d1' && p.lod !== null))).toBe(true);
    const lod = /<polyline class="lod" points="([^"]*)"/.exec(chartSvg(r));
    expect(lod?.[1].split(' ')).toHaveLength(2);
  });

  it("leaves a swapped last draw's tumour fraction out of the tumour-fraction line", () => {
    const r = report(withSwappedDraw(swappedMiddle(19), 2));
    const last = r.draws[2];
    expect(last.tumour_fraction?.estimate).toBeGreaterThan(0);
    const svg = chartSvg(r);
    // Of the kept draws only ID9_d0 has a tumour fraction above 0 (ID9_d1 has no read): a line of one point.
    const line = /<g class="series tf"><polyline points="([^"]*)"/.exec(svg);
    expect(line?.[1].split(' ')).toEqual([expect.stringMatching(/^[\d.]+,[\d.]+$/)]);
    expect(svg).toContain('<g class="pt tf-pt swapped" data-sample="ID9_d2" data-identity="discordant">');
  });
});

describe('cohort index: a draw whose identity check is discordant', () => {
  it('reads the last tumour fraction at the last kept draw and names the swapped last draw', () => {
    const r = report(withSwappedDraw(swappedMiddle(19), 2));
    const row = cohortRow(r);
    expect(row.last_draw).toBe('2025-09-01');
    expect(row.last_tumour_fraction).toBe(r.draws[1].tumour_fraction?.estimate ?? null);
    expect(row.last_tumour_fraction).not.toBe(r.draws[2].tumour_fraction?.estimate);
    expect(row.last_draw_left_out).toBe('2026-01-05');
    expect(row.draws).toBe(3);
    expect(row.draws_left_out).toBe(1);
    const index = renderIndexPage(buildCohort([r], FIXTURE_META));
    expect(index).toContain('2026-01-05 left out: identity discordant');
  });

  it('counts draws below the LoD over kept draws only', () => {
    const r = report(swappedMiddle(19));
    // The swapped middle tube has no read at any site.
    expect(r.draws[1].sites_below_lod).toBe(r.draws[1].sites_total);
    expect(cohortRow(r).draws_below_lod).toBe(0);
    const cohort = buildCohort([r], FIXTURE_META);
    expect(cohort.summary.draws_below_lod).toBe(0);
    expect(cohort.summary.draws_left_out).toBe(1);
    expect(cohortRow(r).last_draw_left_out).toBeUndefined();
  });
});
