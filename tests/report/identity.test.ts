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
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import type { PatientReport } from '../../src/report/types.js';
import type { BetweenDrawPrior } from '../../src/timeline/longitudinal/types.js';
import { swappedMiddle, withSwappedDraw } from '../classify/swapped-draw.js';

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

  it('at the last draw: the findings are marked and have no trend, never "single draw"', () => {
    const r = report(withSwappedDraw(swappedMiddle(19), 2));
    expect(r.draws.map((d) => d.identity === 'discordant')).toEqual([false, false, true]);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.map((f) => f.trend)).toEqual(r.findings.map(() => ''));
    const findings = section(renderPatientPage(r), 'findings');
    expect(findings.slice(0, findings.indexOf('</h2>'))).toContain('data-identity="discordant"');
    expect(findings).not.toContain('single draw');
  });
});
