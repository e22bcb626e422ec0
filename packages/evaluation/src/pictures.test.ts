import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { reportPictures } from './pictures.js';
import { svgToPng } from './png.js';
import { evaluationHtml } from './report-html.js';
import { confusionHeatmapSvg, supportOrder } from './svg-confusion.js';
import { coverageCurveSvg } from './svg-charts.js';
import { coverageCurve } from './scores.js';
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

  it('names picture files so that no task overwrites another, and keeps letters such as ä', () => {
    const two = evaluatePredictions([
      { truth: { queue: 'a', Queue: 'b', Geschäft: 'x' }, prediction: { queue: { label: 'a' }, Queue: { label: 'b' }, Geschäft: { label: 'x' } } },
    ]);
    expect(reportPictures(two).map((p) => p.name)).toEqual(['queue-confusion', 'queue-2-confusion', 'geschäft-confusion']);
  });

  it('labels each threshold point at its own point on the coverage curve, or not at all where labels would collide', () => {
    // Confidences bunched so that several round thresholds land on nearly the same point.
    const conf = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0.99 : 0.55 + (i % 10) / 100));
    const curve = coverageCurve(conf, conf.map((c, i) => i % 7 !== 0));
    const svg = coverageCurveSvg(curve, 'coverage');
    const circles = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>t=[\d.]+</g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length).toBeLessThanOrEqual(circles.length);
    // Every label sits 16 px under a point of its own, 6 px to its side: never shifted under a neighbour's.
    for (const l of labels) expect(circles.some((c) => Math.abs(l.y - c.y - 16) < 0.01 && Math.abs(Math.abs(l.x - c.x) - 6) < 0.01)).toBe(true);
  });

  it('keeps the legend inside the picture for a matrix of two labels', () => {
    const two = evaluatePredictions(syntheticPredictionLines({ n: 50, seed: 3, tasks: { area: ['retail', 'wealth'] } })).tasks[0].metrics;
    const svg = confusionHeatmapSvg(two);
    const height = Number(/<svg[^>]*height="(\d+)"/.exec(svg)?.[1]);
    const lowest = Math.max(...[...svg.matchAll(/<text[^>]* y="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(lowest).toBeLessThan(height);
    expect(svg).toContain('red: confused');
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
  });
});
