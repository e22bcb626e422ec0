import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coverageWords } from './coverage-words.js';
import { evaluatePredictions } from './evaluate.js';
import { reportPictures, slug } from './pictures.js';
import { renderSvg, svgToPng } from './png.js';
import { evaluationHtml } from './report-html.js';
import { evaluationMarkdown } from './report-text.js';
import { confusionHeatmapSvg, supportOrder } from './svg-confusion.js';
import { coverageCurveSvg, placeLabel, reliabilityDiagramSvg } from './svg-charts.js';
import { calibration, coverageCurve } from './scores.js';
import { cellColour, textColour, textWidth } from './svg-common.js';
import { computeTaskMetrics } from './task-metrics.js';
import { syntheticPredictionLines } from './synthetic.js';
import { writeEvaluationReport } from './write-report.js';

const intents = Array.from({ length: 77 }, (_, i) => `intent_${String(i).padStart(2, '0')}`);
const lines = syntheticPredictionLines({ n: 1500, seed: 11, tasks: { queue: ['payments', 'cards', 'loans', 'fraud'], intent: intents }, meta: { language: ['de', 'en'] } });
const report = evaluatePredictions(lines, { modelId: 'demo', dataset: 'synthetic' });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('pictures', () => {
  it('draws a 77-label heatmap, most frequent label first, every label named', () => {
    const intent = report.tasks.find((t) => t.task === 'intent');
    expect(intent).toBeDefined();
    if (!intent) return;
    const order = supportOrder(intent.metrics);
    const supports = order.map((i) => intent.metrics.perClass[i].support);
    expect(supports).toEqual([...supports].sort((a, b) => b - a));
    const svg = confusionHeatmapSvg(intent.metrics);
    for (const label of intent.metrics.labels) expect(svg).toContain(`>${label}<`);
    expect(svg).toContain('most frequent first');
    // Small matrices carry counts; large ones do not (they would be unreadable).
    expect(confusionHeatmapSvg(report.tasks[0].metrics)).toMatch(/fill="#fff">\d+</);
  });

  it('never cuts two long labels to one text: labels that differ only past the cut keep their ends', () => {
    const labels = ['Zahlungsverkehr / SEPA-Überweisung / Rückruf', 'Zahlungsverkehr / SEPA-Überweisung / Gutschrift', 'Depot / Wertpapierübertrag / eingehend', 'Depot / Wertpapierübertrag / ausgehend', 'Jahressteuerbescheinigung_und_Erträgnisaufstellung', 'Karten'];
    const m = evaluatePredictions(syntheticPredictionLines({ n: 300, seed: 3, tasks: { topic: labels } })).tasks[0].metrics;
    const svg = confusionHeatmapSvg(m);
    const rows = [...svg.matchAll(/text-anchor="end" fill="#222">([^<]*) \(\d+\)</g)].map((x) => x[1]);
    const columns = [...svg.matchAll(/text-anchor="start" fill="#222" transform="rotate\(-90 [^"]*\)">([^<]*)</g)].map((x) => x[1]);
    for (const texts of [rows, columns]) {
      expect(texts).toHaveLength(labels.length);
      expect(new Set(texts).size).toBe(labels.length);
      for (const t of texts) expect(t.length).toBeLessThanOrEqual(32);
    }
    // Cut in the middle where the ends tell them apart; a label no other clashes with is cut at its end, as before.
    expect(columns).toContain('Zahlungsverke…rweisung / Rückruf');
    expect(columns).toContain('Zahlungsverke…isung / Gutschrift');
    expect(columns).toContain('Depot / Wertpapierübertrag / au…');
    expect(columns).toContain('Jahressteuerbescheinigung_und_E…');
    expect(columns).toContain('Karten');
  });

  it('never cuts an emoji in half where it cuts a label, at its end or in its middle (half of one shows as �)', () => {
    const emoji = '\u{1f600}';
    const labels = [`${'x'.repeat(30)}${emoji}end`, `${'a'.repeat(12)}${emoji}${'b'.repeat(30)}1`, `${'a'.repeat(12)}${emoji}${'b'.repeat(30)}2`, `${'c'.repeat(30)}${emoji}${'d'.repeat(17)}`, `${'c'.repeat(30)}${emoji}${'e'.repeat(17)}`];
    const svg = confusionHeatmapSvg(computeTaskMetrics(labels, labels));
    expect(svg).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(svg).toContain(`${'x'.repeat(30)}…`);
    expect(svg).toContain(`${'a'.repeat(12)}…${'b'.repeat(17)}1`);
    expect(svg).toContain(`${'c'.repeat(13)}…${'d'.repeat(17)}`);
  });

  it('names picture files so that no task overwrites another, and keeps letters such as ä', () => {
    const two = evaluatePredictions([
      { truth: { queue: 'a', Queue: 'b', Geschäft: 'x' }, prediction: { queue: { label: 'a' }, Queue: { label: 'b' }, Geschäft: { label: 'x' } } },
    ]);
    expect(reportPictures(two).map((p) => p.name)).toEqual(['queue-confusion', 'queue-2-confusion', 'geschäft-confusion']);
  });

  it('names the pictures of a task with a long name in a file name the file system takes (255 bytes), two alike numbered', async () => {
    const long = 'Geschäftsbereich der Anfrage '.repeat(12);
    const r = evaluatePredictions([{ truth: { [`${long}1`]: 'a', [`${long}2`]: 'b' }, prediction: { [`${long}1`]: { label: 'a' }, [`${long}2`]: { label: 'b' } } }]);
    const names = reportPictures(r).map((p) => p.name);
    expect(names).toEqual(['geschäftsbereich-der-anfrage-geschäftsbereich-de-confusion', 'geschäftsbereich-der-anfrage-geschäftsbereich-de-2-confusion']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-eval-long-'));
    dirs.push(dir);
    await writeEvaluationReport(dir, r, { png: false });
    expect(readdirSync(path.join(dir, 'pictures')).sort()).toEqual(names.map((n) => `${n}.svg`).sort());
  });

  it('labels every threshold point beside its own point, names those with no room, and marks the model\'s own threshold', () => {
    // Confidences bunched so that several round thresholds land on nearly the same point.
    const conf = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0.99 : 0.55 + (i % 10) / 100));
    const curve = coverageCurve(conf, conf.map((c, i) => i % 7 !== 0));
    const svg = coverageCurveSvg(curve, 'coverage', { coverage: 0.75, precision: 0.9, threshold: 0.6 }, coverageWords({ queueTask: 'queue' }, 'queue'));
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*text-anchor="(start|end)"[^>]*>(t=[\d., ]+)</g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), anchor: m[3], text: m[4] }));
    // Each round threshold is on the chart: in a label beside a point, or named in the key under it.
    const key = [...svg.matchAll(/<text x="98"[^>]*>([^<]*)</g)].map((m) => m[1]).join(' ');
    for (const p of curve.atThresholds.filter((q) => q.routed > 0)) {
      const t = `${p.threshold}`;
      const inLabel = labels.some((l) => l.text.slice(2).split(', ').includes(t));
      expect(inLabel || key.includes(`t=${t}`) || key.includes(`, ${t}`), `t=${t}`).toBe(true);
    }
    // Every label sits next to a point of its own (within 10 px across, 17 px down or 8 px up), and no two overlap.
    for (const l of labels) expect(circles.some((c) => Math.abs(Math.abs(l.x - c.x) - 8) <= 1.01 && (Math.abs(l.y - c.y - 17) < 0.01 || Math.abs(l.y - c.y + 8) < 0.01 || Math.abs(l.y - c.y - 4) < 0.01))).toBe(true);
    const boxes = labels.map((l) => {
      const w = textWidth(l.text, 12, true);
      return { x0: l.anchor === 'start' ? l.x : l.x - w, x1: l.anchor === 'start' ? l.x + w : l.x, y0: l.y - 12, y1: l.y + 3 };
    });
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1).toBe(false);
    // Thresholds that route the same emails share one point and one label, not two labels on one point.
    expect(labels.map((l) => l.text)).toContain('t=0.5, 0.3, 0');
    // The model's own point: a diamond of its own, labelled, and said in the key.
    expect(svg).toContain('data-marker="model"');
    expect(svg).toMatch(/>model t=0\.6</);
    expect(svg).toContain("the model&#39;s threshold t=0.6: 75.0% routed at precision 90.0%".replace('&#39;', "'"));
  });

  it("draws a round threshold under the model's own point once, as the model's, and keeps labels off the target line and nearer their own point", () => {
    // Every email answered at t=0 and at the model's threshold 0: one point, the diamond, labelled `model t=0`.
    const conf = Array.from({ length: 200 }, (_, i) => 0.2 + (i % 80) / 100);
    const correct = conf.map((c, i) => c > 0.5 || i % 3 === 0);
    const curve = coverageCurve(conf, correct);
    const all = curve.atThresholds.find((p) => p.threshold === 0);
    expect(all?.coverage).toBe(1);
    const svg = coverageCurveSvg(curve, 'coverage', { coverage: 1, precision: all?.precision ?? 0, threshold: 0 }, coverageWords({ queueTask: 'queue' }, 'queue'), { targetPrecision: 0.9 });
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const diamond = /data-marker="model" d="M([\d.]+),([\d.]+)/.exec(svg);
    const [mx, my] = [Number(diamond?.[1]), Number(diamond?.[2]) + 7];
    expect(circles.some((c) => Math.abs(c.x - mx) < 4 && Math.abs(c.y - my) < 4)).toBe(false);
    expect(svg).not.toMatch(/>t=[\d., ]*\b0</);
    expect(svg).toMatch(/>model t=0</);
    // No label box crosses the dashed target line.
    const lineY = Number(/data-marker="target" x1="[\d.]+" y1="([\d.]+)"/.exec(svg)?.[1]);
    for (const m of svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" font-size="12" font-weight="bold"/g)) {
      const y = Number(m[1]);
      expect(y - 12 > lineY + 1 || y + 3 < lineY - 1, `label at y=${y}, line at ${lineY}`).toBe(true);
    }
  });

  it('places a label nowhere nearer another point than its own', () => {
    const bounds = { x0: 0, y0: 0, x1: 500, y1: 500 };
    // The first place (right, below) would sit right under a point 17 px below: the next is taken.
    expect(placeLabel(100, 100, 30, [], bounds, [{ x: 100, y: 100 }, { x: 120, y: 118 }])).toEqual({ x: 107, y: 92, anchor: 'start' });
    expect(placeLabel(100, 100, 30, [], bounds)).toEqual({ x: 107, y: 117, anchor: 'start' });
    // QA: `t=0.7` under-left of its point sat right under the t=0.8 point (31 px left of it, 13 px up): its edge is
    // nearer its own point, its middle nearer the other's. With byMiddle no place is left here: named under the chart.
    const crowded = [{ x: 100, y: 100 }, { x: 69, y: 87 }];
    const taken = [{ x0: 105, y0: 80, x1: 160, y1: 125 }];
    expect(placeLabel(100, 100, 40, taken, bounds, crowded)).toEqual({ x: 93, y: 117, anchor: 'end' });
    expect(placeLabel(100, 100, 40, taken, bounds, crowded, true)).toBeUndefined();
    expect(placeLabel(100, 100, 40, taken, bounds, [{ x: 100, y: 100 }], true)).toEqual({ x: 93, y: 117, anchor: 'end' });
  });

  it('keeps the legend inside the picture for a matrix of two labels', () => {
    const two = evaluatePredictions(syntheticPredictionLines({ n: 50, seed: 3, tasks: { area: ['retail', 'wealth'] } })).tasks[0].metrics;
    const svg = confusionHeatmapSvg(two);
    const height = Number(/<svg[^>]*height="(\d+)"/.exec(svg)?.[1]);
    const lowest = Math.max(...[...svg.matchAll(/<text[^>]* y="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(lowest).toBeLessThan(height);
    expect(svg).toContain('red: confused');
  });

  it('keeps the axis caption of a matrix of one label clear of the legend, and says "1 label"', () => {
    const one = evaluatePredictions(Array.from({ length: 5 }, () => ({ truth: { area: 'retail' }, prediction: { area: { label: 'retail' } } }))).tasks[0].metrics;
    const svg = confusionHeatmapSvg(one);
    const caption = /<text x="([\d.]+)" y="[\d.]+" font-size="14" text-anchor="middle" fill="#111">predicted label</.exec(svg);
    const legend = /<text x="([\d.]+)" y="[\d.]+" font-size="12" fill="#222">share of row</.exec(svg);
    expect(caption).not.toBeNull();
    expect(legend).not.toBeNull();
    // The caption is centred under the matrix: its right end lies left of the legend.
    expect(Number(caption?.[1]) + textWidth('predicted label', 14) / 2).toBeLessThan(Number(legend?.[1]));
    expect(svg).toContain('>row; 1 label.<');
    expect(svg).not.toContain('1 labels');
  });

  it('shows the whole subtitle of a matrix of three labels, on two lines, in the SVG and the PNG', () => {
    const three = evaluatePredictions(syntheticPredictionLines({ n: 80, seed: 5, tasks: { business_area: ['brokerage', 'wealth_management', 'savings'] } })).tasks[0].metrics;
    const svg = confusionHeatmapSvg(three, { title: 'Confusion matrix: business_area' });
    const [, width, height] = (/<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg) ?? []).map(Number);
    const lines = [...svg.matchAll(/<text x="20" y="(\d+)" font-size="13" fill="#444">([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2] }));
    expect(lines.map((l) => l.text)).toEqual([
      'Emails of each true label (row) predicted as each label (column), coloured by their share of the',
      'row; 3 labels, most frequent first.',
    ]);
    for (const line of lines) expect(20 + textWidth(line.text, 13)).toBeLessThanOrEqual(width - 20);
    // Drawn as the PNG is, on a canvas 600 px wider than the picture: nothing lies beyond the picture's edge.
    const wider = svg.replace(`width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`, `width="${width + 600}" height="${height}" viewBox="0 0 ${width + 600} ${height}"`);
    expect(wider).not.toBe(svg);
    // (`pixels` copies the image at each read: read it once.)
    const drawn = renderSvg(wider, 1);
    const pixels = drawn.pixels;
    let rightmost = -1;
    for (let y = 0; y < drawn.height; y++) for (let x = 0; x < drawn.width; x++) if (pixels[(y * drawn.width + x) * 4] < 200) rightmost = Math.max(rightmost, x);
    expect(rightmost).toBeGreaterThan(0);
    expect(rightmost).toBeLessThan(width - 10);
    // The column labels (rotated, above the matrix) start below the subtitle's second line and its descenders.
    const bare = renderSvg(svg.replace(/<text x="20" y="\d+" font-size="13" fill="#444">[^<]*<\/text>/g, ''), 1);
    const barePixels = bare.pixels;
    let highest = Infinity;
    for (let y = 40; y < bare.height && highest === Infinity; y++) {
      for (let x = 0; x < bare.width; x++) if (barePixels[(y * bare.width + x) * 4] < 200) highest = y;
    }
    expect(highest).toBeGreaterThan(lines[1].y + 4);
  });

  it('draws text with the bundled font where the machine has none (a slim container), as it does with the system fonts', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40"><text x="10" y="28" font-size="20" font-family="DejaVu Sans" font-weight="bold">Depotübertrag 12</text></svg>';
    const inked = (systemFonts: boolean) => {
      const { pixels } = renderSvg(svg, 1, { systemFonts });
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) dark++;
      return dark;
    };
    const bare = inked(false);
    expect(bare).toBeGreaterThan(200);
    // The same glyphs either way: the bundled font is the one used, not a system font of the same name.
    expect(Math.abs(bare - inked(true))).toBeLessThanOrEqual(bare * 0.02);
  });

  it('makes room for wide row and column labels (capitals), by their measured width', () => {
    const labels = ['W'.repeat(30), 'MMMMMMMMMMMMMMMMMMMM', 'ok'];
    const wide = evaluatePredictions(syntheticPredictionLines({ n: 90, seed: 7, tasks: { queue: labels } })).tasks[0].metrics;
    const svg = confusionHeatmapSvg(wide);
    const [, left, top] = (/<rect x="(\d+)" y="(\d+)" width="\d+" height="\d+" fill="none" stroke="#888"\/>/.exec(svg) ?? []).map(Number);
    const lastSubtitle = Math.max(...[...svg.matchAll(/<text x="20" y="(\d+)" font-size="13" fill="#444">/g)].map((m) => Number(m[1])));
    for (const [i, label] of wide.labels.entries()) {
      // A row label ends 6 px left of the matrix and starts right of the axis caption (x 16, about 10 px wide).
      expect(left - 6 - textWidth(`${label} (${wide.perClass[i].support})`, 13), label).toBeGreaterThanOrEqual(30);
      // A column label, rotated, ends 6 px above it and starts below the subtitle.
      expect(top - 6 - textWidth(label, 13), label).toBeGreaterThan(lastSubtitle + 4);
    }
  });

  it("writes the reliability diagram's bin counts so that none runs into another or the axis title, whatever --bins", () => {
    // 3000 emails, most of them confident: counts of 4 digits beside counts of 1.
    const conf = Array.from({ length: 3000 }, (_, i) => (i < 1800 ? 0.995 : ((i * 7919) % 1000) / 1000));
    const cal = (bins: number) => calibration(conf, conf.map((c, i) => i % 5 !== 0 || c > 0.9), bins);
    const axisTitle = (svg: string) => Number(/<text x="[\d.]+" y="([\d.]+)"[^>]*>confidence of the predicted label</.exec(svg)?.[1]);
    for (const bins of [10, 20, 40, 43]) {
      const c = cal(bins);
      const svg = reliabilityDiagramSvg(c);
      const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)" font-size="11" text-anchor="(middle|start)" fill="#333"( transform="[^"]*")?>(\d+)</g)].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
        up: m[4] !== undefined,
        text: m[5],
      }));
      // Every non-empty bin's count, once.
      expect(labels.map((l) => l.text), `bins ${bins}`).toEqual(c.bins.filter((b) => b.count > 0).map((b) => String(b.count)));
      // As boxes: across, the text's width by its baseline; up (rotated), its height of about 9 px beside the line it runs up.
      const boxes = labels.map((l) => {
        const w = textWidth(l.text, 11);
        return l.up ? { x0: l.x - 9, x1: l.x + 1, y0: l.y - w, y1: l.y } : { x0: l.x - w / 2, x1: l.x + w / 2, y0: l.y - 9, y1: l.y };
      });
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) expect(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1, `bins ${bins}: ${labels[i].text}`).toBe(false);
        expect(a.y0, `bins ${bins}`).toBeGreaterThan(axisTitle(svg) + 4);
      }
    }
    // Too many bins to write a count in each: none is written, and the picture says where the counts are.
    const many = reliabilityDiagramSvg(cal(100));
    expect(many).not.toMatch(/font-size="11" text-anchor="(middle|start)" fill="#333"[^>]*>\d+</);
    expect(many).toContain('Too many bins to write each one&#39;s count: metrics.json holds them.');
    const height = Number(/<svg[^>]* height="([\d.]+)"/.exec(many)?.[1]);
    const lowest = Math.max(...[...many.matchAll(/<text[^>]* y="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(lowest).toBeLessThan(height - 4);
  });

  it('names `other` in quotes in the routing task\'s coverage chart (SVG and PNG), not in Markdown backticks', () => {
    const curve = coverageCurve([0.9, 0.8, 0.7], [true, true, false]);
    const svg = coverageCurveSvg(curve, 'Precision vs. coverage: queue', undefined, coverageWords({ queueTask: 'queue' }, 'queue', ['tax', 'other']));
    expect(svg).toContain('the rest, and mail predicted &quot;other&quot; (no queue) at any threshold, goes to manual triage. 3 emails.');
    expect(svg).not.toContain('`');
    expect(svgToPng(svg).length).toBeGreaterThan(0);
  });

  it('says so when the routing task routes no email at any threshold, on the whole precision axis', () => {
    // Every email predicted `other`: none has a queue to go to.
    const conf = [0.4, 0.6, 0.8, 0.95];
    const curve = coverageCurve(conf, [true, false, true, true], { eligible: conf.map(() => false) });
    expect(curve.points).toEqual([]);
    const svg = coverageCurveSvg(curve, 'coverage', { coverage: 0, precision: null, threshold: 0.5 }, coverageWords({ queueTask: 'queue' }, 'queue', ['cards', 'other']));
    expect(svg).toContain('No email is routed automatically at any threshold.');
    const yLabels = [...svg.matchAll(/<text x="72" y="[\d.]+"[^>]*text-anchor="end"[^>]*>([\d.]+)</g)].map((m) => m[1]);
    expect(yLabels[0]).toBe('0.0');
    expect(yLabels).toContain('1.0');
    expect(svg).not.toContain('d=""');
    expect(() => svgToPng(svg, 1)).not.toThrow();
  });

  it('widens the reliability and coverage charts to a long title, and keeps their width for a short one', () => {
    const { calibration, coverage } = report.tasks[0];
    if (!calibration || !coverage) throw new Error('the synthetic report has calibration and coverage');
    const title = `Reliability diagram: ${'customer_segment_of_the_private_banking_division_'.repeat(2)}`;
    const width = (svg: string) => Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    expect(width(reliabilityDiagramSvg(calibration))).toBe(720);
    expect(width(reliabilityDiagramSvg(calibration, title))).toBeGreaterThanOrEqual(20 + textWidth(title, 18, true) + 20);
    expect(width(coverageCurveSvg(coverage))).toBe(680);
    expect(width(coverageCurveSvg(coverage, title))).toBeGreaterThanOrEqual(20 + textWidth(title, 18, true) + 20);
  });

  it('widens a matrix picture to its title', () => {
    const two = evaluatePredictions(syntheticPredictionLines({ n: 50, seed: 3, tasks: { area: ['retail', 'wealth'] } })).tasks[0].metrics;
    const title = `Confusion matrix: ${'customer_segment_of_the_private_banking_division_'.repeat(2)}`;
    const width = (svg: string) => Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    expect(width(confusionHeatmapSvg(two))).toBe(780);
    expect(width(confusionHeatmapSvg(two, { title }))).toBeGreaterThanOrEqual(20 + textWidth(title, 18, true) + 20);
  });

  it('says "routed" and manual triage only of the routing task, in report.md, report.html and the charts; the other tasks answer or abstain', async () => {
    const tasks = { queue: ['payments', 'cards', 'loans'], business_area: ['retail', 'wealth'], topic: ['card_lost', 'transfer', 'fees'] };
    const routed = evaluatePredictions(syntheticPredictionLines({ n: 300, seed: 5, tasks }), { routing: { queueTask: 'queue', abstainTasks: ['queue', 'business_area'] } });
    expect(routed.routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue', 'business_area'] });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-eval-words-'));
    dirs.push(dir);
    await writeEvaluationReport(dir, routed, { png: false });
    const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
    const section = (text: string, from: string, to: string | undefined) => text.slice(text.indexOf(from), to === undefined ? undefined : text.indexOf(to));
    const md = read('report.md');
    const html = read('report.html');
    // The routing task routes only what its route sends to a queue: not what business_area's abstention sends to manual triage.
    const queueMd = section(md, '## queue', '## business_area');
    expect(queueMd).toContain('Abstention threshold (route automatically when confidence >= threshold and no `business_area` abstains):');
    expect(queueMd).toContain('| threshold | routed automatically | precision of routed |');
    const queueHtml = section(html, 'data-task="queue"', 'data-task="business_area"');
    expect(queueHtml).toContain('<th scope="col">routed automatically</th><th scope="col">precision of routed</th>');
    expect(queueHtml).toContain('<th scope="col">threshold (least confident email routed)</th>');
    const queueSvg = read('pictures/queue-coverage.svg');
    for (const words of ['is routed automatically;', 'the rest, and mail on which &quot;business_area&quot; abstains at any threshold, goes to manual triage. 300 emails.', 'share of mail routed automatically (coverage)', 'precision of routed mail']) {
      expect(queueSvg).toContain(words);
      expect(queueHtml).toContain(words);
    }
    // A task whose abstention sends the email to manual triage (business_area here) answers; it routes nothing.
    // A task that only flags its abstention (topic) says so.
    const ends: Record<string, [string, string | undefined, string]> = {
      business_area: ['## business_area', '## topic', 'below it the task abstains and the email goes to manual triage'],
      topic: ['## topic', '## How to read', 'below it the task abstains, which is only flagged'],
    };
    for (const [task, [from, to, below]] of Object.entries(ends)) {
      const taskMd = section(md, from, to);
      const taskHtml = section(html, `data-task="${task}"`, task === 'topic' ? 'id="reading"' : 'data-task="topic"');
      const svg = read(`pictures/${slug(task)}-coverage.svg`);
      expect(taskMd).toContain(`Abstention threshold (answer automatically when confidence >= threshold; ${below}`);
      expect(taskMd).toContain('| threshold | answered automatically | precision of answered |');
      expect(taskHtml).toContain('<th scope="col">answered automatically</th><th scope="col">precision of answered</th>');
      expect(taskHtml).toContain('<th scope="col">threshold (least confident email answered)</th>');
      for (const words of ['is answered automatically;', `${below}. 300 emails.`, 'share of mail answered automatically (coverage)', 'precision of answered mail']) {
        expect(svg, task).toContain(words);
        expect(taskHtml, task).toContain(words);
      }
      for (const text of [taskMd, taskHtml, svg]) expect(text, task).not.toMatch(/routed|route automatically/);
    }
    expect(section(md, '## topic', '## How to read')).not.toContain('manual triage');
    // Without the model's routing (a predictions file), no task is said to route: not even one named queue.
    const unknown = evaluatePredictions(syntheticPredictionLines({ n: 300, seed: 5, tasks }));
    expect(unknown.routing).toBeUndefined();
    const pictures = reportPictures(unknown);
    for (const text of [evaluationMarkdown(unknown).slice(0, evaluationMarkdown(unknown).indexOf('## How to read')), evaluationHtml(unknown, pictures).split('id="reading"')[0], ...pictures.map((p) => p.svg)]) {
      expect(text).not.toMatch(/routed|route automatically|manual triage/);
    }
    expect(pictures.find((p) => p.name === 'queue-coverage')?.svg).toContain('Mail with confidence at or above the threshold t is answered automatically;</text>');
    expect(evaluationMarkdown(unknown)).toContain('Abstention threshold (answer automatically when confidence >= threshold, else abstain):');
  });

  it('draws and writes labels and task names holding control characters (blanks in the SVG, as in Markdown)', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => {
      const t = i % 3 === 0 ? 'pay\u0001ments' : i % 3 === 1 ? 'ca\u001b[31mrds' : 'loans';
      const p = i % 4 === 0 ? 'loans' : t;
      return { truth: { 'queue\u0007': t }, prediction: { 'queue\u0007': { label: p, scores: { [p]: 0.7 } } } };
    });
    const odd = evaluatePredictions(lines);
    const pictures = reportPictures(odd);
    expect(pictures.map((p) => p.kind)).toEqual(['confusion', 'reliability', 'coverage']);
    for (const p of pictures) {
      // eslint-disable-next-line no-control-regex -- control characters are what must not be there
      expect(p.svg, p.name).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      expect(() => svgToPng(p.svg, 1), p.name).not.toThrow();
    }
    expect(pictures[0].svg).toContain('>pay ments (4)<');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-eval-controls-'));
    dirs.push(dir);
    await writeEvaluationReport(dir, odd);
    // eslint-disable-next-line no-control-regex -- control characters are what must not be there
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('renders every picture to a PNG', () => {
    const pictures = reportPictures(report);
    expect(pictures.map((p) => p.name).sort()).toEqual(
      ['intent-confusion', 'intent-coverage', 'intent-reliability', 'queue-confusion', 'queue-coverage', 'queue-reliability'].sort(),
    );
    const png = svgToPng(pictures[0].svg, 1);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // Width from the IHDR chunk: the picture is a real raster, not a stub.
    expect(png.readUInt32BE(16)).toBeGreaterThan(500);
  });

  it('writes the report directory with a self-contained HTML page', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-eval-'));
    dirs.push(dir);
    await writeEvaluationReport(dir, report, { png: false });
    expect(readdirSync(dir).sort()).toEqual(['metrics.json', 'metrics.schema.json', 'model-card.md', 'pictures', 'report.html', 'report.md', 'report.txt']);
    const schema = JSON.parse(readFileSync(path.join(dir, 'metrics.schema.json'), 'utf8')) as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'tasks', 'lines']));
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toBe(evaluationHtml(report, reportPictures(report)));
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html.match(/<svg /g)).toHaveLength(6);
    // report.md shows each task's pictures from its pictures/ folder: every link names a file written there.
    const links = [...readFileSync(path.join(dir, 'report.md'), 'utf8').matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)].map((m) => m[2]);
    expect(links).toHaveLength(6);
    expect(links).toContain('pictures/queue-confusion.svg');
    for (const link of links) expect(readdirSync(path.join(dir, 'pictures'))).toContain(path.basename(link));
    // Elsewhere (a CI summary, a pull-request comment) the Markdown has no pictures to link.
    expect(evaluationMarkdown(report)).not.toContain('](pictures/');
  });
});

/** The WCAG 2 contrast ratio of two colours (`#rrggbb` or `rgb(r,g,b)`). */
function contrast(fg: string, bg: string): number {
  const lum = (c: string) => {
    const [r, g, b] = (c.startsWith('#') ? [c.slice(1, 3), c.slice(3, 5), c.slice(5, 7)].map((h) => parseInt(h.length === 2 ? h : 'ff', 16)) : (c.match(/\d+/g) ?? []).map(Number)).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

describe('what the pictures say of themselves (a service lead\'s review)', () => {
  it('names at its foot the model, data, emails and date it was measured on, also as the picture\'s desc', () => {
    const dated = { ...report, createdAt: '2026-12-04T20:00:00.000Z' };
    const [first] = reportPictures(dated);
    const n = dated.tasks[0].metrics.n;
    expect(first.svg).toContain(`<desc>model demo · data synthetic · ${n} emails · 2026-12-04</desc>`);
    expect(first.svg).toMatch(new RegExp(`<text [^>]*>model demo · data synthetic · ${n} emails · 2026-12-04</text></svg>$`));
    // Without a model or data name: what there is.
    expect(reportPictures(evaluatePredictions(lines))[0].svg).toContain(`<desc>${n} emails</desc>`);
  });

  it('writes the counts that fit in a large matrix\'s cells, says the order of equal supports and decodes low shares', () => {
    // 40 of each of 30 labels, each confused once with the next: counts of 1 fit an 11 px cell, 39 does not.
    const labels = Array.from({ length: 30 }, (_, i) => `label_${String(i).padStart(2, '0')}`);
    const metrics = computeTaskMetrics(
      labels.flatMap((l) => Array.from({ length: 40 }, () => l)),
      labels.flatMap((l, i) => Array.from({ length: 40 }, (_, k) => (k === 0 ? labels[(i + 1) % 30] : l))),
      { labels },
    );
    const svg = confusionHeatmapSvg(metrics);
    const cellCounts = [...svg.matchAll(/text-anchor="middle" fill="#[0-9a-f]+">(\d+)<\/text>/g)].map((m) => m[1]);
    expect(cellCounts.filter((c) => c === '1')).toHaveLength(30);
    // The subtitle's lines as one text.
    const words = [...svg.matchAll(/<text x="20" y="\d+" font-size="13" fill="#444">([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(words).toContain('30 labels, in label order.');
    expect(words).toContain('Counts are written in the cells where they fit.');
    expect(svg).toContain('>0.02</text>');
    expect(svg).toContain('square-root scale');
    // A matrix of unequal supports still says most frequent first.
    expect(confusionHeatmapSvg(report.tasks[0].metrics)).toMatch(/labels, most frequent\s|most frequent first/);
  });

  it('marks reliability bins too thin to judge (dashed, a hollow dot) and says how many emails the MCE rests on', () => {
    const thin = calibration([0.95, 0.96, 0.25], [true, true, false], 10);
    const svg = reliabilityDiagramSvg(thin, 'Reliability diagram: queue');
    expect(svg).toContain('Dashed, hollow dot: bins of fewer than 20 emails, too few to judge.');
    expect(svg.match(/data-thin="true"/g)).toHaveLength(2);
    expect(svg).toMatch(/MCE [0-9.]+ \(in a bin of 1 email\)/);
    const thick = calibration(Array.from({ length: 40 }, () => 0.9), Array.from({ length: 40 }, (_, i) => i < 36), 10);
    expect(reliabilityDiagramSvg(thick)).not.toContain('Dashed');
  });

  it('draws every marker at 3:1 or more against white, a thin bin by its dashed outline and hollow dot, not faded (WCAG 1.4.11)', () => {
    const svg = reliabilityDiagramSvg(calibration([0.95, 0.96, 0.25, ...Array.from({ length: 30 }, () => 0.85)], [true, true, false, ...Array.from({ length: 30 }, (_, i) => i < 25)], 10));
    // Nothing that carries a figure is faded: the 0.15 fill of a thin bar only tells it from an empty bin, its outline carries it.
    expect(svg).not.toContain('stroke-opacity');
    for (const [mark, opacity] of svg.matchAll(/<[^>]*fill-opacity="([\d.]+)"[^>]*>/g)) expect(opacity === '0.85' || /stroke="#4a7fb5" stroke-width="1\.5" stroke-dasharray/.test(mark), mark).toBe(true);
    const thinBars = [...svg.matchAll(/<rect [^>]*data-thin="true"\/>/g)].map((m) => m[0]);
    expect(thinBars).toHaveLength(2);
    for (const bar of thinBars) expect(bar).toMatch(/stroke="#4a7fb5" stroke-width="1\.5" stroke-dasharray="4 3"/);
    expect(svg.match(/<circle [^>]*r="3\.5" fill="#fff" stroke="#d62728"/g)).toHaveLength(3);
    expect(svg).toContain('>under 20 emails</text>');
    // The bars under the axes, after their `count` title and before the key (its squares 14 px wide).
    const counts = [...svg.slice(svg.indexOf('>count</text>')).matchAll(/<rect x="[\d.]+" y="[\d.]+" width="(?!14")[\d.]+" height="[\d.]+" fill="(#[0-9a-f]+)"\/>/g)].map((m) => m[1]);
    expect(counts).toHaveLength(10);
    expect(new Set(counts)).toEqual(new Set(['#767676']));
    const curve = coverageCurve([0.99, 0.9, 0.8, 0.7, 0.6], [true, true, true, false, true]);
    const chart = coverageCurveSvg(curve, 'Precision vs. coverage: queue', { coverage: 0.6, precision: 1, threshold: 0.8 });
    const dots = [...chart.matchAll(/<circle [^>]*r="4\.5" fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(dots.length).toBeGreaterThan(1);
    expect(new Set(dots)).toEqual(new Set(['#b35a00']));
    // Each marker colour against the white ground: round thresholds 4.80, counts 4.54, bars 4.20, dots and gaps 5.02.
    for (const colour of ['#b35a00', '#767676', '#4a7fb5', '#d62728']) expect(contrast(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(3);
  });

  it('marks the target precision on the coverage chart and says where a zoomed precision axis starts', () => {
    const curve = coverageCurve([0.99, 0.9, 0.8, 0.7, 0.6], [true, true, true, false, true]);
    const svg = coverageCurveSvg(curve, 'Precision vs. coverage: queue', { coverage: 0.6, precision: 1, threshold: 0.8 }, coverageWords(undefined, 'queue'), { targetPrecision: 0.9 });
    expect(svg).toContain('data-marker="target"');
    expect(svg).toContain('the precision its threshold was chosen for: 90.0%');
    expect(svg).toMatch(/precision of answered mail \(axis from 0\.[0-9]\)/);
    expect(coverageCurveSvg(curve)).not.toContain('data-marker="target"');
  });

  it('writes cell counts in the colour that reads best on each cell', () => {
    for (const diagonal of [false, true]) {
      for (const v of [0.02, 0.2, 0.3, 0.35, 0.4, 0.5, 0.7, 1]) {
        const bg = cellColour(v, diagonal);
        const chosen = textColour(v, diagonal);
        const other = chosen === '#fff' ? '#222222' : '#ffffff';
        expect(contrast(chosen === '#fff' ? '#ffffff' : '#222222', bg), `${v} ${diagonal}`).toBeGreaterThanOrEqual(contrast(other, bg));
      }
    }
  });
});
