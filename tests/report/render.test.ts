import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { safeFileStem } from '../../src/report/html/escape.js';
import { pct, pValue } from '../../src/report/html/format.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import { reportFiles, writeReportDir } from '../../src/report/write-report.js';
import { fixturePatient } from './fixture.js';

describe('patient page', () => {
  it('is a pure function of the JSON: same JSON → same bytes, and a JSON round trip changes nothing', () => {
    const r = fixturePatient();
    const a = renderPatientPage(r);
    const b = renderPatientPage(JSON.parse(JSON.stringify(r)));
    expect(b).toBe(a);
  });

  it('makes no network reference: no http(s) URL except the SVG namespace, no script, no external src', () => {
    const html = renderPatientPage(fixturePatient());
    const urls = html.match(/https?:\/\/[^"' )]+/g) ?? [];
    expect(urls.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes user-supplied IDs everywhere (patient, sample, BAM path)', () => {
    const evil = `P"1'<script>alert(1)</script>&`;
    const r = fixturePatient(evil);
    r.draws[0].bam = '<img src=x onerror=alert(2)>.bam';
    const html = renderPatientPage(r);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('P&quot;1&#39;&lt;script&gt;alert(1)&lt;/script&gt;&amp;');
  });

  it('draws one marker per site per draw, and the LoD and tumour-fraction lines', () => {
    const html = renderPatientPage(fixturePatient());
    expect(html.match(/<g class="pt" data-sample=/g)?.length).toBe(12); // 3 sites × 4 draws, counted by hand
    expect(html.match(/class="pt tf-pt"/g)?.length).toBe(4);
    expect(html).toContain('class="lod"');
    expect(html).toMatch(/<title id="vaf-title">/);
    expect(html).toMatch(/<desc id="vaf-desc">[^<]*ESR1 D538G: 2025-01-10 0 % \(not detected\)/);
  });

  it('shows the group badge, every rule with pass/fail and its source, drugs with as_of, and the disclaimer', () => {
    const html = renderPatientPage(fixturePatient());
    expect(html).toContain('data-group="oligoprogression_targetable">Oligoprogression, targetable resistance</span>');
    expect(html).toContain('<td class="pass">pass</td><td class="src">PADA-1</td>');
    expect(html).toContain('<td class="fail">fail</td><td class="src">policy parameter</td>');
    expect(html).toContain('elacestrant, camizestrant');
    expect(html).toContain('2026-11-27');
    expect(html).toContain('Research decision support');
    expect(html).toContain('break-inside:avoid');
    expect(html).toContain('@page{size:A4');
  });
});

describe('formatting', () => {
  it('formats fractions as percentages with fixed rules', () => {
    expect(pct(0.0123)).toBe('1.23 %');
    expect(pct(0.00047)).toBe('0.047 %');
    expect(pct(0.5)).toBe('50 %');
    expect(pct(null)).toBe('–');
    expect(pValue(3.2e-7)).toBe('3.2e-7');
    expect(pValue(0.0123)).toBe('0.012');
  });

  it('makes safe, distinct file names from IDs', () => {
    expect(safeFileStem('PT-01')).toBe('PT-01');
    const a = safeFileStem('a/b');
    const b = safeFileStem('a:b');
    expect(a).toMatch(/^a_b-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(safeFileStem('../x')).not.toContain('/');
  });
});

describe('report directory', () => {
  const made: string[] = [];
  const tmp = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it('writes index + one HTML and JSON per patient, and replaces an earlier report', () => {
    const dir = tmp('ot-report-');
    const out = join(dir, 'report');
    const { files } = reportFiles([fixturePatient('B'), fixturePatient('A')], '0.1.0');
    writeReportDir(out, files);
    expect(readdirSync(out).sort()).toEqual(['A.html', 'A.json', 'B.html', 'B.json', 'index.html', 'index.json']);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.patients.map((p: { patient: string }) => p.patient)).toEqual(['A', 'B']);
    expect(index.patients[0].key_mutation).toBe('ESR1 p.D538G');
    writeReportDir(out, reportFiles([fixturePatient('C')], '0.1.0').files);
    expect(readdirSync(out).sort()).toEqual(['C.html', 'C.json', 'index.html', 'index.json']);
    expect(readdirSync(dir)).toEqual(['report']); // no temp or old directory left behind
  });

  it('refuses to replace a directory that is not a report', () => {
    const dir = tmp('ot-report-');
    writeReportDir(join(dir, 'x'), new Map([['a.txt', 'x']]));
    const other = tmp('ot-other-');
    writeFileSync(join(other, 'thesis.docx'), 'precious');
    expect(() => writeReportDir(other, reportFiles([fixturePatient()], '0.1.0').files)).toThrow(/not an oligotrack report/);
  });
});
