import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BETWEEN_DRAW_CV } from '../../src/cli/demo.js';
import { writeSyntheticTrackDir } from '../../src/bench/report-bench.js';
import { buildReport } from '../../src/report/build-report.js';
import { CHROMIUM_FLAGS } from '../../src/report/pdf.js';
import { ESR1_NOTE } from '../../src/report/html/groups.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import type { SiteSeries } from '../../src/report/types.js';
import { requireTools } from '../helpers/requires.js';
import { fixturePatient } from '../report/fixture.js';
import { horizontalOverflow, overlappingMarkers, overlappingText, tops } from './layout.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const ARTIFACTS = resolve('test-artifacts');
const DEMO_OUT = join(ARTIFACTS, 'browser-demo');
const SHOTS = join(ARTIFACTS, 'screenshots');

/**
 * The demo cohort as designed in test-data/demo/README.md: the group each patient must get at its
 * latest assessment, and the points its chart must draw (sites with a true VAF > 0 in some draw ×
 * draws). Written from the design, not read from the code under test.
 */
const EXPECTED: Record<string, { group: string; label: string; points: number }> = {
  'DEMO-01': { group: 'true_oligoprogression', label: 'True oligoprogression', points: 2 * 4 },
  'DEMO-02': { group: 'widespread_progression', label: 'Widespread progression', points: 2 * 3 },
  'DEMO-03': { group: 'widespread_progression', label: 'Widespread progression', points: 2 * 4 },
  'DEMO-04': { group: 'oligoprogression_targetable', label: 'Oligoprogression, targetable resistance', points: 4 * 5 },
  // PIK3CA H1047R emerges on fulvestrant: a new actionable finding whose drugs (alpelisib,
  // capivasertib) differ from the current therapy. The tumour level rests on one nadir draw, so a
  // 2-fold rise is not ruled out (upper bound ≈ 2.0): the group stays targetable, with "diffuse
  // progression not excluded" stated, as the precedence of the policy says.
  'DEMO-05': { group: 'oligoprogression_targetable', label: 'Oligoprogression, targetable resistance', points: 3 * 3 },
  'DEMO-06': { group: 'indeterminate', label: 'Indeterminate', points: 2 * 3 },
  'DEMO-07': { group: 'no_progression', label: 'No progression', points: 2 * 3 },
};

/** What a clinician must read in each headline sentence (the design's "why"), in words and dates. */
const REASON: Record<string, RegExp> = {
  'DEMO-01': /^2 progressing lesions \(bone\), no diffuse progression in ctDNA/,
  'DEMO-02': /^7 progressing lesions \(bone, liver, lung\): more than the 5 that define oligoprogression\.$/,
  'DEMO-03':
    /^Only 2 progressing lesions \(bone, node\), but ctDNA shows diffuse progression: the tumour fraction rose [\d.]+-fold from its nadir \(\d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d/,
  'DEMO-04':
    /^1 progressing lesion \(bone\) with ESR1 p\.D538G rising on 2025-06-10 and ESR1 p\.E380Q newly emerged on 2025-06-10 in plasma/,
  'DEMO-05':
    /^2 progressing lesions \(liver\) with PIK3CA p\.H1047R newly emerged on 2025-05-19 in plasma, and diffuse progression in ctDNA neither shown nor ruled out\./,
  'DEMO-06':
    /^3 progressing lesions \(bone, node\), but ctDNA cannot decide: no ctDNA draw in the window \(60 days before to 28 days after the scan: 2025-06-05 to 2025-09-01\); last draw 2025-03-24, 133 days before the scan/,
  'DEMO-07': /^No progressing lesion on the scan of 2025-06-30\.$/,
};

const ORDER = ['headline', 'findings', 'chart', 'evidence', 'rules', 'methods'];

interface Watch {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** A page that records console errors, page errors, dialogs and every non-file:// request (and blocks it). */
async function watchedPage(
  browser: Browser,
  width = 1100,
  o: { javaScriptEnabled?: boolean } = {},
): Promise<{ page: Page; watch: Watch; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: o.javaScriptEnabled ?? true });
  const watch: Watch = { consoleErrors: [], requests: [], dialogs: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    watch.requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) watch.requests.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.consoleErrors.push(String(e)));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, watch, context };
}

/** Layout checks shared by every page and width: no sideways scroll, no overlapping text or markers. */
async function expectCleanLayout(page: Page, what: string): Promise<void> {
  expect(await horizontalOverflow(page), `${what}: sideways scroll`).toBeLessThanOrEqual(0);
  expect(await overlappingText(page), `${what}: overlapping text`).toEqual([]);
  expect(await overlappingMarkers(page), `${what}: overlapping markers`).toEqual([]);
}

/** The text of a PDF page (or all pages), whitespace collapsed so wrapped lines read as one. */
const pdftext = (file: string, page?: number) =>
  spawnSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), file, '-'], { encoding: 'utf8' }).stdout.replace(
    /\s+/g,
    ' ',
  );
const pdfPages = (file: string) => Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout)![1]);

describe.skipIf(!requireTools('chromium', 'pdftotext', 'pdfinfo'))('demo report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const r = spawnSync(process.execPath, [CLI, 'demo', '--out-dir', DEMO_OUT], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`demo failed (${r.status}): ${r.stderr}`);
    expect(r.stdout.trim()).toBe(join(DEMO_OUT, 'report', 'index.html'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the layout probes find what they look for: sideways scroll, overlapping text (HTML and SVG), overlapping markers', async () => {
    const { page, context } = await watchedPage(browser, 800);
    await page.setContent(
      '<div style="position:relative;width:1200px;height:40px"><span style="position:absolute;left:0;top:0">overlapping</span>' +
        '<span style="position:absolute;left:12px;top:3px">text here</span></div><p>apart</p>' +
        '<figure id="chart"><svg width="200" height="60"><g class="pt"><circle cx="10" cy="10" r="5"/></g><g class="pt"><circle cx="16" cy="10" r="5"/></g>' +
        '<g class="pt"><circle cx="60" cy="10" r="5"/></g><text x="100" y="30">label one</text><text x="104" y="33">label two</text><title>never drawn</title></svg></figure>',
    );
    expect(await horizontalOverflow(page)).toBeGreaterThan(0);
    expect(await overlappingText(page)).toEqual([
      { a: 'overlapping', b: 'text here' },
      { a: 'label one', b: 'label two' },
    ]);
    expect(await overlappingMarkers(page)).toHaveLength(1);
    await context.close();
  });

  it('index lists every demo patient with its group and what decided it, and links to its page', async () => {
    const { page, watch, context } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'index.html')).href);
    for (const [patient, e] of Object.entries(EXPECTED)) {
      const row = page.locator(`tr[data-patient="${patient}"]`);
      await expect(row.locator('[data-group]').getAttribute('data-group')).resolves.toBe(e.group);
      await expect(row.locator('a').getAttribute('href')).resolves.toBe(`${patient}.html`);
    }
    // The deciding finding, one notation: DEMO-06's is the missing draw, never its highest-VAF site.
    await expect(page.locator('tr[data-patient="DEMO-04"] td').nth(2).textContent()).resolves.toMatch(
      /^ESR1 p\.D538G rising on 2025-06-10; ESR1 p\.E380Q newly emerged/,
    );
    await expect(page.locator('tr[data-patient="DEMO-06"] td').nth(2).textContent()).resolves.toMatch(
      /^no ctDNA draw in the window \(60 days before to 28 days after the scan/,
    );
    await expect(page.locator('#summary').textContent()).resolves.toMatch(/Plasma draws25.*median 3 \(3–5\)/);
    await page.screenshot({ path: join(SHOTS, 'index.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]); // a wrong CSP hash would log "Refused to execute inline script"
    expect(watch.requests).toEqual([]);
    await context.close();
  });

  it('index: columns sort both ways and the group filter hides the other groups', async () => {
    const { page, watch, context } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'index.html')).href);
    const visible = () =>
      page.locator('#patients-table tbody tr:visible').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-patient')));
    const tf = async () =>
      page
        .locator('#patients-table tbody tr')
        .evaluateAll((rows) => rows.map((r) => Number((r as HTMLTableRowElement).cells[4].getAttribute('data-sort'))));
    await page.locator('th', { hasText: 'last tumour fraction' }).locator('button').click();
    const up = await tf();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.locator('th', { hasText: 'last tumour fraction' }).locator('button').click();
    const down = await tf();
    expect(down).toEqual([...up].reverse());
    await page.selectOption('#group-filter', 'widespread_progression');
    expect((await visible()).sort()).toEqual(['DEMO-02', 'DEMO-03']);
    await expect(page.locator('#shown-count').textContent()).resolves.toBe('2 of 7 patients shown');
    await page.selectOption('#group-filter', '');
    expect(await visible()).toHaveLength(7);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
  });

  it('index without script: the complete table in patient order, no dead controls', async () => {
    const { page, context } = await watchedPage(browser, 1100, { javaScriptEnabled: false });
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'index.html')).href);
    const rows = await page.locator('#patients-table tbody tr:visible').evaluateAll((r) => r.map((x) => x.getAttribute('data-patient')));
    expect(rows).toEqual(Object.keys(EXPECTED));
    await expect(page.locator('#controls').isVisible()).resolves.toBe(false);
    await context.close();
  });

  it.each([800, 1280])('index at %i px: no sideways scroll, no overlapping text', async (width) => {
    const { page, context } = await watchedPage(browser, width);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'index.html')).href);
    await expectCleanLayout(page, `index ${width}`);
    await context.close();
  });

  it.each(Object.keys(EXPECTED))(
    '%s: group, reason in dates, reading order, chart, clean layout at 800 and 1280 px and in print',
    async (patient) => {
      const e = EXPECTED[patient];
      for (const width of [800, 1280]) {
        const { page, watch, context } = await watchedPage(browser, width);
        await page.goto(pathToFileURL(join(DEMO_OUT, 'report', `${patient}.html`)).href);
        const badge = page.locator('#headline .badge');
        await expect(badge.getAttribute('data-group')).resolves.toBe(e.group);
        await expect(badge.textContent()).resolves.toBe(e.label);
        const reason = (await page.locator('#reason').textContent())!;
        expect(reason).toMatch(REASON[patient]);
        expect(await page.locator('#headline').textContent()).not.toMatch(/DEMO-0\d-D\d/);
        // Reading order on screen: each section below the one before.
        const y = await tops(page, ORDER);
        for (let i = 1; i < y.length; i++) expect(y[i]!, `${ORDER[i]} below ${ORDER[i - 1]}`).toBeGreaterThan(y[i - 1]!);
        await expect(page.locator('#rules').getAttribute('open')).resolves.toBeNull(); // collapsed on screen
        const chart = page.locator('#chart svg.chart');
        await expect(chart.count()).resolves.toBe(1);
        const points = chart.locator('g.pt');
        await expect(points.count()).resolves.toBe(e.points);
        const box = (await chart.boundingBox())!;
        for (const b of await points.evaluateAll((els) => els.map((el) => (el as SVGGraphicsElement).getBoundingClientRect().toJSON()))) {
          expect(b.width).toBeGreaterThan(0);
          expect(b.x).toBeGreaterThanOrEqual(box.x);
          expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
          expect(b.y).toBeGreaterThanOrEqual(box.y);
          expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height);
        }
        await expect(chart.getAttribute('role')).resolves.toBe('img');
        await expect(chart.locator('desc').textContent()).resolves.toMatch(/plasma draw/);
        await expectCleanLayout(page, `${patient} ${width}`);
        await page.screenshot({ path: join(SHOTS, `${patient}-${width}.png`), fullPage: true });
        if (width === 800) {
          // Print: A4 is 794 CSS px wide; the rules are open and must not overlap either.
          await page.setViewportSize({ width: 794, height: 1123 });
          await page.emulateMedia({ media: 'print' });
          await expect(page.locator('#rules table').isVisible()).resolves.toBe(true);
          await expectCleanLayout(page, `${patient} print`);
          await page.screenshot({ path: join(SHOTS, `${patient}-print.png`), fullPage: true });
        }
        await context.close();
        expect(watch.consoleErrors).toEqual([]);
        expect(watch.requests).toEqual([]);
      }
    },
  );

  it('DEMO-04: both ESR1 findings marked as deciding, their four drugs listed once, ESR1 trial text beside them', async () => {
    const { page, context } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'DEMO-04.html')).href);
    const rows = page.locator('#findings tbody tr');
    await expect(rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-finding')))).resolves.toEqual([
      'ESR1 p.D538G',
      'ESR1 p.E380Q',
      'PIK3CA p.E545K',
      'TP53 p.R175H',
    ]);
    await expect(page.locator('#findings tr.drove').count()).resolves.toBe(2);
    await expect(page.locator('#findings td[rowspan="2"] li').count()).resolves.toBe(4);
    await expect(
      page
        .locator('#findings')
        .textContent()
        .then((t) => t!.match(/elacestrant/g)?.length),
    ).resolves.toBe(1);
    await expect(page.locator('#findings tr[data-finding="ESR1 p.D538G"]').textContent()).resolves.toContain('2025-04-08');
    await expect(page.locator('#therapies').textContent()).resolves.toContain(ESR1_NOTE);
    await context.close();
  });

  it('DEMO-05: PIK3CA decided the group (diffuse progression not excluded, said so), the liver progression is flagged visceral, no ESR1 text anywhere', async () => {
    const { page, context } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'DEMO-05.html')).href);
    await expect(page.locator('#findings tr.drove').getAttribute('data-finding')).resolves.toBe('PIK3CA p.H1047R');
    await expect(page.locator('#headline .flag').allTextContents()).resolves.toEqual(['visceral']);
    const body = (await page.locator('body').textContent())!;
    expect(body).not.toContain(ESR1_NOTE);
    expect(body).not.toMatch(/as ESR1 in PADA-1/);
    await context.close();
  });

  it('a 100-site panel: the chart draws the top sites, the table all; still no sideways scroll or overlap at 800 px', async () => {
    const r = fixturePatient('WIDE-PANEL');
    const base = r.sites[0];
    r.sites = Array.from({ length: 100 }, (_, i): SiteSeries => ({
      ...base,
      gene: `GENE${i}`,
      protein: `p.R${100 + i}H`,
      pos: 1000 + i,
      points: base.points.map((p, k) => ({
        ...p,
        alt_count: 5 + ((i * 7 + k * 3) % 60),
        vaf: (5 + ((i * 7 + k * 3) % 60)) / 2500,
        call: 'detected',
      })),
    }));
    const dir = mkdtempSync(join(tmpdir(), 'ot-wide-'));
    writeFileSync(join(dir, 'WIDE-PANEL.html'), renderPatientPage(r));
    const { page, context } = await watchedPage(browser, 800);
    await page.goto(pathToFileURL(join(dir, 'WIDE-PANEL.html')).href);
    await expect(page.locator('#chart g.series.site').count()).resolves.toBe(8);
    await expect(page.locator('#evidence tbody td[rowspan]').count()).resolves.toBe(100);
    await expectCleanLayout(page, 'wide panel 800');
    await page.screenshot({ path: join(SHOTS, 'wide-panel-800.png'), fullPage: false });
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a patient ID with <script> and quotes renders as text, runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ot-xss-'));
    const evil = `P"1'<script>alert("xss")</script><img src=x onerror=alert(2)></style>`;
    writeSyntheticTrackDir(dir, 1, 3, 3, () => evil);
    const { patients } = await buildReport({ inDir: dir, outDir: join(dir, 'report') });
    expect(patients[0].patient).toBe(evil);
    const { page, watch, context } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(dir, 'report', 'index.html')).href);
    const link = page.locator('tbody a');
    await expect(link.textContent()).resolves.toBe(evil);
    const href = (await link.getAttribute('href'))!;
    await page.goto(new URL(href, page.url()).href);
    await expect(page.locator('h1 .patient-id').textContent()).resolves.toBe(evil);
    await expect(page.locator('script').count()).resolves.toBe(0);
    await expect(page.locator('main img').count()).resolves.toBe(0);
    await page.screenshot({ path: join(SHOTS, 'escaped-id.png'), clip: { x: 0, y: 0, width: 1100, height: 300 } });
    expect(watch.dialogs).toEqual([]);
    expect(watch.requests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('PDF', () => {
    const input = join(DEMO_OUT, 'input');
    const pdfRun = join(ARTIFACTS, 'pdf-run');

    beforeAll(() => {
      // run --pdf on the demo inputs: the counts cache is reused, the report is printed.
      rmSync(pdfRun, { recursive: true, force: true });
      mkdirSync(pdfRun, { recursive: true });
      for (const f of readdirSync(join(DEMO_OUT, 'counts'))) {
        mkdirSync(join(pdfRun, 'counts'), { recursive: true });
        writeFileSync(join(pdfRun, 'counts', f), readFileSync(join(DEMO_OUT, 'counts', f)));
      }
      const r = spawnSync(
        process.execPath,
        [
          CLI,
          'run',
          '--samplesheet',
          join(input, 'samplesheet.csv'),
          '--clinical',
          join(input, 'clinical.csv'),
          '--imaging',
          join(input, 'imaging.csv'),
          '--sites',
          join(input, 'sites.tsv'),
          '--out-dir',
          pdfRun,
          '--pdf',
          '--between-draw-prior',
          String(DEMO_BETWEEN_DRAW_CV),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`run --pdf failed (${r.status}): ${r.stderr}`);
    });

    it('run --pdf writes one A4 PDF per patient and one for the cohort', () => {
      const pdfs = readdirSync(join(pdfRun, 'report'))
        .filter((f) => f.endsWith('.pdf'))
        .sort();
      expect(pdfs).toEqual([...Object.keys(EXPECTED).map((p) => `${p}.pdf`), 'index.pdf'].sort());
      const info = spawnSync('pdfinfo', [join(pdfRun, 'report', 'DEMO-04.pdf')], { encoding: 'utf8' }).stdout;
      expect(info).toMatch(/Page size:\s+594\.96 x 841\.92 pts \(A4\)/);
      expect(pdftext(join(pdfRun, 'report', 'index.pdf'))).toContain('Cohort summary');
    });

    it.each(Object.keys(EXPECTED))(
      '%s.pdf: header and footer on every page; page 1 has the group, why, the findings with drugs and the whole chart',
      (patient) => {
        const file = join(pdfRun, 'report', `${patient}.pdf`);
        const n = pdfPages(file);
        expect(n).toBeGreaterThanOrEqual(1);
        const first = pdftext(file, 1);
        for (let p = 1; p <= n; p++) {
          const text = pdftext(file, p);
          expect(text, `page ${p}`).toContain(`Patient ${patient} · ctDNA tumour-board report`);
          expect(text, `page ${p}`).toMatch(/Report date 2025-08-04 · data cut-off 2025-\d\d-\d\d/);
          expect(text, `page ${p}`).toMatch(/oligotrack \S+ · policy sha256 [0-9a-f]{12}/);
          expect(text, `page ${p}`).toContain(`page ${p} of ${n}`);
        }
        expect(first).toContain(EXPECTED[patient].label);
        expect(first).toMatch(new RegExp(REASON[patient].source.replace(/^\^/, '').replace(/\$$/, '')));
        expect(first).toContain('Findings at the last draw');
        // The chart whole on page 1: its first text (panel title) and its last (legend) on that page.
        expect(first).toContain('ctDNA over time');
        expect(first).toContain('Tumour fraction');
        expect(first).toContain('Collection date');
        expect(first).toContain('no read carried the variant at that draw');
        if (patient === 'DEMO-04')
          for (const drug of ['elacestrant', 'imlunestrant', 'camizestrant', 'alpelisib']) expect(first).toContain(drug);
        // The rules print expanded.
        expect(pdftext(file)).toContain('Diffuse progression in ctDNA');
      },
    );

    it('report --pdf twice: byte-identical PDFs dated by --report-date', () => {
      const args = (out: string) => [
        CLI,
        'report',
        '--in',
        pdfRun,
        '--out-dir',
        out,
        '--clinical',
        join(input, 'clinical.csv'),
        '--imaging',
        join(input, 'imaging.csv'),
        '--pdf',
        '--report-date',
        '2025-09-01',
        '--patient',
        'DEMO-04',
      ];
      const a = join(ARTIFACTS, 'pdf-a');
      const b = join(ARTIFACTS, 'pdf-b');
      for (const out of [a, b]) {
        const r = spawnSync(process.execPath, args(out), { encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      }
      for (const f of ['DEMO-04.pdf', 'index.pdf']) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
      expect(spawnSync('pdfinfo', [join(a, 'DEMO-04.pdf')], { encoding: 'utf8' }).stdout).toMatch(
        /CreationDate:\s+Mon Sep\s+1 00:00:00 2025 UTC/,
      );
      expect(pdftext(join(a, 'DEMO-04.pdf'), 1)).toContain('Report date 2025-09-01');
    });
  });
});
