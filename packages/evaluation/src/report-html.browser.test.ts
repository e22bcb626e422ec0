import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonHtml } from './compare-html.js';
import { comparePredictions } from './compare.js';
import { evaluatePredictions } from './evaluate.js';
import { applyGate } from './gate.js';
import { comparisonMarkdown } from './report-text.js';
import { evaluationHtml } from './report-html.js';
import { reportPictures } from './pictures.js';
import { syntheticPredictionLines } from './synthetic.js';
import { writeEvaluationReport } from './write-report.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the HTML report browser test: ${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium)`);

describe.skipIf(!hasChromium)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  const lines = syntheticPredictionLines({ n: 800, seed: 4, tasks: { queue: ['payments', 'cards', 'loans'], topic: ['a', 'b', 'c', 'd', 'e', 'f'] }, meta: { language: ['de', 'en'] } });
  const report = evaluatePredictions(lines, { modelId: 'browser-test-model', dataset: 'synthetic' });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-html-'));
    await writeEvaluationReport(dir, report, { png: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders offline with the pictures and the key numbers', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${path.join(dir, 'report.html')}`);
    expect(await page.title()).toBe('Evaluation of browser-test-model on synthetic');
    // Every picture is drawn with a real size.
    const sizes = await page.$$eval('figure.pic svg', (svgs) => svgs.map((s) => s.getBoundingClientRect().width));
    expect(sizes).toHaveLength(6);
    for (const w of sizes) expect(w).toBeGreaterThan(200);
    for (const t of report.tasks) {
      const shown = await page.textContent(`[data-metric="${t.task}.macro_f1"]`);
      expect(shown).toBe(t.metrics.macro.f1.toFixed(4));
      expect(await page.textContent(`[data-metric="${t.task}.accuracy"]`)).toBe(t.metrics.accuracy.toFixed(4));
    }
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain('Most confused pairs');
    expect(body).toContain('weighted avg');
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('prints each heading with what follows it, each picture and table whole, without the collapsed scikit-learn block', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${path.join(dir, 'report.html')}`);
    await page.emulateMedia({ media: 'print' });
    const computed = (selector: string, property: 'breakAfter' | 'breakInside' | 'display') =>
      page.$$eval(selector, (elements, p) => elements.map((e) => e.ownerDocument.defaultView?.getComputedStyle(e)[p]), property);
    const style = {
      headings: await computed('h2, h3, p.caption', 'breakAfter'),
      blocks: await computed('figure.pic, table, p.operating', 'breakInside'),
      details: await computed('details', 'display'),
    };
    // Before, a heading such as "Confusion matrix" could end a page, its picture starting the next.
    expect(style.headings.length).toBeGreaterThan(10);
    expect(new Set(style.headings)).toEqual(new Set(['avoid']));
    expect(new Set(style.blocks)).toEqual(new Set(['avoid']));
    expect(new Set(style.details)).toEqual(new Set(['none']));
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // On screen the page is as it was.
    await page.emulateMedia({ media: 'screen' });
    expect(new Set(await computed('h3', 'breakAfter'))).toEqual(new Set(['auto']));
    await page.close();
  }, 60_000);

  it('fits a phone\'s width: the page does not scroll sideways, wide tables and pictures scroll in their own box, task names stay whole', async () => {
    const tasks = { business_area: ['brokerage', 'savings', 'wealth_management'], queue: ['payments_transfers', 'onboarding_kyc', 'securities_transfers', 'complaints'] };
    const phone = evaluatePredictions(syntheticPredictionLines({ n: 300, seed: 6, tasks }), { modelId: 'ngram-bag-20261204-201648-706794', dataset: 'demo.csv (test split)' });
    const file = path.join(dir, 'phone.html');
    writeFileSync(file, evaluationHtml(phone, reportPictures(phone)));
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`file://${file}`);
    const widths = await page.$eval('html', (e) => ({ page: e.scrollWidth, view: e.ownerDocument.defaultView?.innerWidth ?? 0 }));
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    // The summary's task names: one line each, not `busi / ness / _are / a`.
    const names = await page.$$eval('main > div.scroll:first-of-type tbody th[scope=row]', (cells) =>
      cells.map((td) => {
        const range = td.ownerDocument.createRange();
        range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    );
    expect(names).toEqual([1, 1]);
    // A picture shrinks to 3/4 of its size at most (legible), then its box scrolls.
    const picture = await page.$eval('figure.pic', (f) => ({ box: f.getBoundingClientRect().width, svg: f.querySelector('svg')?.getBoundingClientRect().width ?? 0 }));
    expect(picture.svg).toBeGreaterThan(picture.box);
    await page.close();
  }, 60_000);

  it("shows gate.html offline on a phone: no sideways page, the picture drawn, each table's task names whole", async () => {
    const tasks = { business_area: ['brokerage', 'savings', 'wealth_management'], queue: ['payments_transfers', 'onboarding_kyc', 'securities_transfers', 'complaints'] };
    const champion = syntheticPredictionLines({ n: 300, seed: 8, tasks, skill: 0.85 });
    const challenger = syntheticPredictionLines({ n: 300, seed: 9, tasks, skill: 0.8 }).map((l, i) => ({ ...l, id: champion[i].id, truth: champion[i].truth }));
    const comparison = comparePredictions(challenger, champion, { bootstrap: { resamples: 100, seed: 1 } });
    const gate = applyGate(comparison);
    const names = { challenger: 'ngram-bag-20261207-160437-644b5a', champion: 'ngram-bag-20261207-160409-57741b' };
    const file = path.join(dir, 'gate.html');
    writeFileSync(file, await comparisonHtml(comparisonMarkdown(comparison, gate, names), comparison, gate, 'synthetic'));
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    expect(await page.title()).toBe(`Gate: ${gate.pass ? 'PASS' : 'FAIL'} — ${names.challenger} vs ${names.champion}`);
    const widths = await page.$eval('html', (e) => ({ page: e.scrollWidth, view: e.ownerDocument.defaultView?.innerWidth ?? 0 }));
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    expect(await page.$eval('figure.pic svg', (s) => s.getBoundingClientRect().width)).toBeGreaterThan(200);
    // Each table's first column: one line per task or label name (a word without blanks), not `busi / ness / _are / a`.
    const lines = await page.$$eval('div.scroll > table tbody td:first-child', (cells) =>
      cells
        .filter((td) => !/\s/.test(td.textContent ?? ''))
        .map((td) => {
          const range = td.ownerDocument.createRange();
          range.selectNodeContents(td);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
    );
    expect(lines.length).toBeGreaterThan(4);
    expect(new Set(lines)).toEqual(new Set([1]));
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('at 200% zoom (a 1280 px screen: 640 CSS px) shows each picture whole, down to 3/4 of its size, and keeps a wide table\'s first column in view', async () => {
    const page = await browser.newPage({ viewport: { width: 640, height: 800 } });
    await page.goto(`file://${path.join(dir, 'report.html')}`);
    const pictures = await page.$$eval('figure.pic', (figures) =>
      figures.map((f) => {
        const svg = f.querySelector('svg');
        return { box: f.clientWidth, scrolls: f.scrollWidth > f.clientWidth, drawn: svg?.getBoundingClientRect().width ?? 0, own: Number(svg?.getAttribute('width')) };
      }),
    );
    expect(pictures).toHaveLength(6);
    for (const p of pictures) {
      // Before, under 720 px each picture kept its full size and was clipped at the box's edge.
      expect(p.drawn).toBeGreaterThanOrEqual(p.own * 0.75 - 0.5);
      if (p.own * 0.75 <= p.box) expect(p.scrolls).toBe(false);
    }
    // The summary is wider than the page: scrolled sideways, its task names stay at the box's left edge.
    const summary = await page.$eval('main > div.scroll:first-of-type', (box) => {
      box.scrollLeft = 200;
      const name = box.querySelector('tbody th[scope=row]')?.getBoundingClientRect().left ?? -1;
      return { scrolled: box.scrollLeft, name, left: box.getBoundingClientRect().left };
    });
    expect(summary.scrolled).toBeGreaterThan(0);
    expect(Math.abs(summary.name - summary.left)).toBeLessThanOrEqual(1);
    await page.close();
  }, 60_000);

  it('wraps a long label without spaces in its cell, keeping every table and its figures on the page', async () => {
    const long = `queue_${'x'.repeat(114)}`;
    const labelled = syntheticPredictionLines({ n: 200, seed: 5, tasks: { queue: ['payments', 'cards', long] } });
    const file = path.join(dir, 'long-label.html');
    writeFileSync(file, evaluationHtml(evaluatePredictions(labelled), []));
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`file://${file}`);
    const edges = {
      main: await page.$eval('main', (e) => e.getBoundingClientRect().right),
      tables: await page.$$eval('main table', (tables) => tables.map((t) => t.getBoundingClientRect().right)),
      // Lines each figure takes: one, not a number broken to fit.
      lines: await page.$$eval('td.n', (cells) =>
        cells.map((td) => {
          const range = td.ownerDocument.createRange();
          range.selectNodeContents(td);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
      ),
    };
    expect(edges.tables.length).toBeGreaterThan(3);
    for (const right of edges.tables) expect(right).toBeLessThanOrEqual(edges.main + 0.5);
    expect(new Set(edges.lines)).toEqual(new Set([1]));
    await page.close();
  }, 60_000);
});
