import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingApp } from '../app.js';
import { testAppBuilder } from '../test-support/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the docs page browser test: ${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium)`);

const build = testAppBuilder();
const ORIGIN = 'http://docs.test';

/** Opens /docs in `page`, every request answered by `app.request` (no server, no socket), and waits for it to load. */
async function openDocs(page: Page, app: ServingApp['app']): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => problems.push(m.text()));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const res = await app.request(url.pathname + url.search);
    await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
  });
  await page.goto(`${ORIGIN}/docs`);
  await page.locator('#ops:not([aria-busy])').waitFor();
  return problems;
}

describe.skipIf(!hasChromium)('the docs page in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('runs under its Content-Security-Policy, with a heading per operation and disclosures that name it', async () => {
    const { app } = await build();
    const page = await browser.newPage();
    const problems = await openDocs(page, app);
    expect(problems).toEqual([]);
    const operations = await page.locator('section.op').count();
    expect(operations).toBeGreaterThanOrEqual(13);
    await expect(page.getByRole('status').textContent()).resolves.toBe(`Loaded ${operations} operations.`);
    expect(await page.getByRole('main').count()).toBe(1);
    const headings = await page.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(headings).toHaveLength(operations + 1);
    expect(headings).toEqual(expect.arrayContaining(['POST /v1/classify', 'GET /v1/quality', 'Schemas']));
    // What a screen reader reads for the disclosures, and what is seen: the short word alone.
    const summary = page.locator('section.op', { has: page.getByRole('heading', { name: 'POST /v1/feedback' }) }).locator('summary');
    expect(await summary.allTextContents()).toEqual(['request body of POST /v1/feedback', 'responses of POST /v1/feedback']);
    const hidden = await summary.locator('.vh').evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect()).map((r) => r.width <= 1 && r.height <= 1));
    expect(hidden).toEqual([true, true]);
    await page.close();
  }, 60_000);

  it('at 320 px wide, every disclosure open, nothing scrolls sideways (WCAG 1.4.10)', async () => {
    const { app } = await build();
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await openDocs(page, app);
    await page.$$eval('details', (all) => all.forEach((d) => d.setAttribute('open', '')));
    const widths = {
      page: await page.$eval('html', (html) => html.scrollWidth),
      widestPre: Math.max(...(await page.$$eval('pre', (pres) => pres.map((p) => p.scrollWidth - p.clientWidth)))),
    };
    expect(widths).toEqual({ page: 320, widestPre: 0 });
    await page.close();
  }, 60_000);
});
