import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { safeFileStem } from '../../src/report/html/escape.js';
import { pct, pValue } from '../../src/report/html/format.js';
import { ESR1_NOTE, GROUP_MEANING } from '../../src/report/html/groups.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import { cssString } from '../../src/report/html/print-header.js';
import { reportFiles, writeReportDir } from '../../src/report/write-report.js';
import { fixturePatient } from './fixture.js';

/** The text of the element with this id (tags stripped), for assertions on one section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  expect(start, id).toBeGreaterThan(0);
  const tag = html.lastIndexOf('<', start);
  const name = /^<(\w+)/.exec(html.slice(tag))![1];
  const end = html.indexOf(`</${name}>`, start);
  return html.slice(tag, end + name.length + 3);
}

/** Text with tags removed (date spans and the like), for assertions on what is read. */
const text = (html: string) => html.replace(/<span class="date">([^<]*)<\/span>/g, '$1');

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

  it('escapes user-supplied IDs everywhere (patient, sample, BAM path), also in the print header CSS', () => {
    const evil = `P"1'<script>alert(1)</script>&\\</style><b>`;
    const r = fixturePatient(evil);
    r.draws[0].bam = '<img src=x onerror=alert(2)>.bam';
    const html = renderPatientPage(r);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('P&quot;1&#39;&lt;script&gt;alert(1)&lt;/script&gt;&amp;');
    // Exactly the two stylesheets close: the ID in the @page header cannot end a <style>.
    expect(html.match(/<\/style>/g)?.length).toBe(2);
    expect(html).not.toContain('<b>');
  });

  it('writes CSS strings with only a safe ASCII set literal', () => {
    expect(cssString('DEMO-04 · 2025')).toBe('"DEMO-04 \\b7  2025"');
    expect(cssString('a"b\\c</style>\n')).toBe('"a\\22 b\\5c c\\3c /style\\3e \\a "');
  });

  it('draws one marker per site per draw, and the LoD and tumour-fraction lines', () => {
    const html = renderPatientPage(fixturePatient());
    expect(html.match(/<g class="pt" data-sample=/g)?.length).toBe(12); // 3 sites × 4 draws, counted by hand
    expect(html.match(/class="pt tf-pt"/g)?.length).toBe(4);
    expect(html).toContain('class="lod"');
    expect(html).toMatch(/<title id="vaf-title">/);
    expect(html).toMatch(/<desc id="vaf-desc">[^<]*ESR1 p\.D538G: 2025-01-10 0 % \(not detected\)/);
  });

  it('orders the page as a clinician reads it: headline, findings, chart, therapies, evidence, rules, methods', () => {
    const html = renderPatientPage(fixturePatient());
    const at = ['headline', 'findings', 'chart', 'therapies', 'evidence', 'rules', 'methods'].map((id) => html.indexOf(`id="${id}"`));
    for (const i of at) expect(i).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('headline: group, one sentence with dates, progressing sites, draw-to-scan, the tumour fraction from its nadir', () => {
    const h = text(section(renderPatientPage(fixturePatient()), 'headline'));
    expect(h).toContain('data-group="oligoprogression_targetable">Oligoprogression, targetable resistance</span>');
    expect(h).toContain(
      '2 progressing lesions (bone, node) with ESR1 p.D538G newly emerged on 2025-05-14 in plasma, and no diffuse progression in ctDNA (tumour fraction 1.5-fold from its nadir).',
    );
    expect(h).toContain('Progressing: <strong>bone, node</strong>');
    expect(h).toContain('Draw to scan: <strong>4 days before the scan</strong>');
    expect(h).toContain('Tumour fraction: 1.5-fold from its nadir 2025-05-14 (0.8 %) to 2025-07-16 (1.2 %), p = 0.2');
    expect(h).not.toMatch(/PT-01-D\d/); // dates, never sample IDs
    expect(h).not.toContain('PADA-1'); // the ESR1 trials belong beside the ESR1 drugs
  });

  it('names the peak draw as such when the draw compared with the nadir is not the latest', () => {
    const r = fixturePatient();
    const a = r.assessments[1];
    a.tumour_fraction_change = {
      fold: 1.5,
      p_value: 0.2,
      nadir_date: '2025-03-12',
      compared_date: '2025-05-14',
      compared_is_peak: true,
      latest_date: '2025-07-16',
    };
    const h = text(section(renderPatientPage(r), 'headline'));
    expect(h).toContain(
      'from its nadir 2025-03-12 (1 %) to the peak draw of the window 2025-05-14 (0.8 %), p = 0.2; latest draw 2025-07-16 (1.2 %)',
    );
  });

  it('flags visceral and CNS progression in the headline', () => {
    const r = fixturePatient();
    Object.assign(r.imaging[1], { sites: ['liver', 'brain'], visceral: true, cns: true });
    const h = text(section(renderPatientPage(r), 'headline'));
    expect(h).toContain('<span class="flag">visceral</span> <span class="flag">CNS</span>');
    expect(h).toContain('2 progressing lesions (liver, brain)');
  });

  it('findings: one row per finding, drugs once per gene, the deciding finding marked, flags shown', () => {
    const f = text(section(renderPatientPage(fixturePatient()), 'findings'));
    expect(f.match(/<tr[^>]*data-finding=/g)?.length).toBe(3);
    expect(f.match(/elacestrant/g)?.length).toBe(1);
    expect(f).toMatch(/<tr class="drove" data-finding="ESR1 p\.D538G">.*decided the group/);
    expect(f.match(/decided the group/g)?.length).toBe(1);
    expect(f).toContain('possible clonal haematopoiesis: white-cell sequencing recommended');
    expect(f).toContain('1.6 %<br><span class="muted">1.5–1.8 %</span>');
    expect(f).toContain('rising</span><br><span class="muted">newly emerged 2025-05-14</span>');
  });

  it("spans a gene's drugs over all its findings (two ESR1 variants, four drugs listed once)", () => {
    const r = fixturePatient();
    r.findings.splice(1, 0, { ...r.findings[0], key: 'chr6:152011697:G>C', protein: 'p.E380Q', label: 'ESR1 p.E380Q', drove_group: true });
    r.therapies[0].findings.push('ESR1 p.E380Q');
    const f = section(renderPatientPage(r), 'findings');
    expect(f).toContain('<td rowspan="2"><ul class="drugs"><li>elacestrant</li><li>camizestrant</li></ul></td>');
    expect(f.match(/elacestrant/g)?.length).toBe(1);
  });

  it('explains evidence levels in words and shows the ESR1 trial text only for an ESR1 finding', () => {
    const r = fixturePatient();
    const t = section(renderPatientPage(r), 'therapies');
    expect(t).toContain('OncoKB level 1 (not re-checked): an FDA-recognised biomarker');
    expect(t).toContain('“not re-checked”: the level is as the actionability table records it');
    expect(t).toContain(ESR1_NOTE);
    r.findings = r.findings.filter((x) => x.gene !== 'ESR1');
    r.therapies = r.therapies.filter((g) => g.gene !== 'ESR1');
    expect(renderPatientPage(r)).not.toContain(ESR1_NOTE);
    for (const meaning of Object.values(GROUP_MEANING)) expect(meaning).not.toMatch(/ESR1|PADA|SERENA/);
  });

  it('rules: collapsed <details>, plain names with the identifier small, met / not met / not evaluated, never pass/fail', () => {
    const html = renderPatientPage(fixturePatient());
    const rules = section(html, 'rules');
    expect(rules).toMatch(/^<details id="rules" class="card">/);
    expect(rules).toContain('<strong>Diffuse progression in ctDNA</strong><br><span class="id">rule3_molecular_progression</span>');
    expect(rules).toContain('<span class="met">met</span>');
    expect(rules).toContain('<span class="notmet">not met</span>');
    expect(rules).toContain('→ Oligoprogression, targetable resistance');
    expect(rules).not.toMatch(/>(pass|fail)</);
    expect(html).toContain('details.card::details-content{content-visibility:visible;display:contents}');
  });

  it("prints the report date, data cut-off, version and policy hash on screen and in every printed page's margins", () => {
    const html = renderPatientPage(fixturePatient());
    expect(html).toContain('<dd data-meta="report-date">2025-07-30</dd>');
    expect(html).toContain('<dd data-meta="data-cutoff">2025-07-20</dd>');
    expect(html).toContain('sha256 ab12cd34ef56');
    expect(html).toContain('@top-right{content:"Report date 2025-07-30 \\b7  data cut-off 2025-07-20"');
    expect(html).toContain('@bottom-left{content:"oligotrack 0.1.0 \\b7  policy sha256 ab12cd34ef56');
    expect(html).toContain('@bottom-right{content:"page " counter(page) " of " counter(pages)');
    expect(html).toContain('docs/guides/reading-the-report.md');
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

  it('writes index + one HTML and JSON per patient, and replaces an earlier report', async () => {
    const dir = tmp('ot-report-');
    const out = join(dir, 'report');
    const { files } = reportFiles([fixturePatient('B'), fixturePatient('A')]);
    await writeReportDir(out, files);
    expect(readdirSync(out).sort()).toEqual(['A.html', 'A.json', 'B.html', 'B.json', 'index.html', 'index.json']);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.patients.map((p: { patient: string }) => p.patient)).toEqual(['A', 'B']);
    expect(index.patients[0].decided_by).toBe('ESR1 p.D538G newly emerged on 2025-05-14');
    await writeReportDir(out, reportFiles([fixturePatient('C')]).files);
    expect(readdirSync(out).sort()).toEqual(['C.html', 'C.json', 'index.html', 'index.json']);
    expect(readdirSync(dir)).toEqual(['report']); // no temp or old directory left behind
  });

  it('leaves no directory behind when a finishing step (the PDFs) fails', async () => {
    const dir = tmp('ot-report-');
    await expect(
      writeReportDir(join(dir, 'r'), reportFiles([fixturePatient()]).files, async () => Promise.reject(new Error('printer on fire'))),
    ).rejects.toThrow('printer on fire');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to replace a directory that is not a report', async () => {
    const dir = tmp('ot-report-');
    await writeReportDir(join(dir, 'x'), new Map([['a.txt', 'x']]));
    const other = tmp('ot-other-');
    writeFileSync(join(other, 'thesis.docx'), 'precious');
    await expect(writeReportDir(other, reportFiles([fixturePatient()]).files)).rejects.toThrow(/not an oligotrack report/);
  });
});
