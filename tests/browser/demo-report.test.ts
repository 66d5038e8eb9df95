import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticTrackDir } from '../../src/bench/report-bench.js';
import { buildReport } from '../../src/report/build-report.js';
import { IN_CI, requireTools } from '../helpers/requires.js';

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
  // PIK3CA emerges, but the tumour level rests on one nadir draw (26 alt reads): even at the demo's
  // between-draw CV of 10% a 2-fold rise is not ruled out (upper bound 2.03), so diffuse progression
  // cannot be excluded and the group is indeterminate, with the emergence reported.
  'DEMO-05': { group: 'indeterminate', label: 'Indeterminate', points: 3 * 3 },
  'DEMO-06': { group: 'indeterminate', label: 'Indeterminate', points: 2 * 3 },
  'DEMO-07': { group: 'no_progression', label: 'No progression', points: 2 * 3 },
};

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Watch {
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** A page that records console errors, page errors, dialogs and every non-file:// request (and blocks it). */
async function watchedPage(browser: Browser): Promise<{ page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
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
  return { page, watch };
}

describe.skipIf(!requireTools('chromium'))('demo report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const r = spawnSync(process.execPath, [CLI, 'demo', '--out', DEMO_OUT], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`demo failed (${r.status}): ${r.stderr}`);
    expect(r.stdout.trim()).toBe(join(DEMO_OUT, 'report', 'index.html'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('index lists every demo patient with its group and links to its page', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', 'index.html')).href);
    for (const [patient, e] of Object.entries(EXPECTED)) {
      const row = page.locator(`tr[data-patient="${patient}"]`);
      await expect(row.locator('[data-group]').getAttribute('data-group')).resolves.toBe(e.group);
      await expect(row.locator('a').getAttribute('href')).resolves.toBe(`${patient}.html`);
    }
    await page.screenshot({ path: join(SHOTS, 'index.png'), fullPage: true });
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([]);
    await page.context().close();
  });

  it.each(Object.keys(EXPECTED))('%s: group badge, chart points, no console error, no request', async (patient) => {
    const e = EXPECTED[patient];
    const { page, watch } = await watchedPage(browser);
    await page.goto(pathToFileURL(join(DEMO_OUT, 'report', `${patient}.html`)).href);
    const badge = page.locator('#group .badge');
    await expect(badge.getAttribute('data-group')).resolves.toBe(e.group);
    await expect(badge.textContent()).resolves.toBe(e.label);
    const chart = page.locator('#chart svg');
    await expect(chart.count()).resolves.toBe(1);
    const points = chart.locator('g.pt');
    await expect(points.count()).resolves.toBe(e.points);
    // Every point is rendered inside the chart's box (not at NaN or off-canvas).
    const box = (await chart.boundingBox())!;
    for (const b of await points.evaluateAll((els) => els.map((el) => (el as SVGGraphicsElement).getBoundingClientRect().toJSON()))) {
      expect(b.width).toBeGreaterThan(0);
      expect(b.x).toBeGreaterThanOrEqual(box.x);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width);
      expect(b.y).toBeGreaterThanOrEqual(box.y);
      expect(b.y + b.height).toBeLessThanOrEqual(box.y + box.height);
    }
    // Text alternative for the chart.
    await expect(chart.getAttribute('role')).resolves.toBe('img');
    await expect(chart.locator('desc').textContent()).resolves.toMatch(/plasma draw/);
    await page.screenshot({ path: join(SHOTS, `${patient}.png`), fullPage: true });
    if (patient === 'DEMO-04') {
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SHOTS, `${patient}-print.png`), fullPage: true });
    }
    await page.context().close();
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.requests).toEqual([]);
  });

  it('a patient ID with <script> and quotes renders as text, runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ot-xss-'));
    const evil = `P"1'<script>alert("xss")</script><img src=x onerror=alert(2)>`;
    writeSyntheticTrackDir(dir, 1, 3, 3, () => evil);
    const { patients } = buildReport({ inDir: dir, outDir: join(dir, 'report') });
    expect(patients[0].patient).toBe(evil);
    const { page, watch } = await watchedPage(browser);
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
    await page.context().close();
    rmSync(dir, { recursive: true, force: true });
  });
});
