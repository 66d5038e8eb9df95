import { it } from 'vitest';
import { chromium } from 'playwright-core';
it('preview', async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const p = await b.newPage({ viewport: { width: 1050, height: 900 } });
  await p.goto('file:///tmp/g_scratch/demo/report/DEMO-04.html');
  await p.locator('#chart').screenshot({ path: '/tmp/g_scratch/d4chart.png' });
  await p.locator('#evidence').screenshot({ path: '/tmp/g_scratch/d4ev.png' });
  await p.locator('#actionable').screenshot({ path: '/tmp/g_scratch/d4act.png' });
  await p.goto('file:///tmp/g_scratch/demo/report/index.html');
  await p.screenshot({ path: '/tmp/g_scratch/idx.png', fullPage: true });
  await b.close();
});
