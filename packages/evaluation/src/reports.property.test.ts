import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePredictions } from './compare.js';
import { evaluatePredictions } from './evaluate.js';
import { applyGate } from './gate.js';
import { modelCardMarkdown } from './model-card.js';
import { reportPictures } from './pictures.js';
import type { PredictionLine } from './prediction-line.js';
import { evaluationHtml } from './report-html.js';
import { comparisonMarkdown, evaluationMarkdown, evaluationText } from './report-text.js';

/**
 * Property test of every report form (report.txt, report.md, the model card, report.html, the SVG pictures and the
 * gate summary) on generated reports whose task names, labels, meta keys and values, ids, model ids, data set names
 * and routing are hostile: HTML tags, quotes, `&`, `|`, backslashes, backticks, emphasis, line breaks, control
 * characters, right-to-left and wide characters. Whatever the names, each form is made, nothing from the data becomes
 * markup, and no name splits a table cell or ends a line. Seed fixed; MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen it.
 */
const runs = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 40);
const seed = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);

/** Pieces of names; `zz` marks what comes from the data: `<zz>`, `"zz=` and a line starting `zz` must never show raw. */
const FRAGMENTS = ['<zz>', '</zz>', '"zz=1', "'", '&', '&amp;', '|', '\\', '\\|', '`', '*', '_', '~~', '[l](u)', '#', '\nzz', '\r\nzz', '\u2028zz', '\u0000', '\u0007', '\u0085', '\u202ezz', '漢字', 'Ü', '\u{1f600}', 'l'.repeat(28), ' ', 'a', 'b', 'x'];
const nameArb = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 5 }).map((parts) => `q${parts.join('')}`);
/** A label long enough for a picture to cut (at 32 characters), with an emoji near the cut. */
const longLabelArb = fc.tuple(fc.integer({ min: 26, max: 34 }), fc.nat(12)).map(([a, b]) => `${'l'.repeat(a)}\u{1f600}${'r'.repeat(b)}`);

const caseArb = fc.record({
  tasks: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 2 }),
  labels: fc.uniqueArray(fc.oneof(nameArb, longLabelArb), { minLength: 2, maxLength: 4 }),
  metaKey: nameArb,
  metaValues: fc.uniqueArray(nameArb, { minLength: 2, maxLength: 3 }),
  rows: fc.array(fc.record({ truth: fc.nat(), predicted: fc.nat(), confidence: fc.double({ min: 0, max: 1, noNaN: true }), meta: fc.nat(), id: fc.nat(5) }), { minLength: 2, maxLength: 25 }),
  modelId: nameArb,
  champion: nameArb,
  dataset: nameArb,
  routing: fc.boolean(),
});

function linesOf(c: Case): PredictionLine[] {
  return c.rows.map((r, i) => ({
    id: `${c.labels[r.id % c.labels.length]}${r.id}`,
    truth: Object.fromEntries(c.tasks.map((t, k) => [t, c.labels[(r.truth + k) % c.labels.length]])),
    prediction: Object.fromEntries(
      c.tasks.map((t, k) => [t, { label: c.labels[(r.predicted + k) % c.labels.length], confidence: r.confidence, abstained: r.confidence < 0.5 || i === 0 }]),
    ),
    meta: { [c.metaKey]: c.metaValues[r.meta % c.metaValues.length] },
  }));
}
type Case = {
  tasks: string[];
  labels: string[];
  metaKey: string;
  metaValues: string[];
  rows: Array<{ truth: number; predicted: number; confidence: number; meta: number; id: number }>;
  modelId: string;
  champion: string;
  dataset: string;
  routing: boolean;
};

/** Half an emoji (a surrogate without its pair), which a file's UTF-8 holds as �: a name cut in the wrong place. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A line of Markdown as its inline markup reads it: the text outside code spans, escapes (`\|`) left out (or each
 * read as `escaped`, so that text on its two sides is not read as one), where markup from the data would act; and
 * whether a code span is left open. Inside a code span a backslash is text.
 */
function bare(line: string, escaped = ''): { text: string; open: boolean } {
  let text = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && /[!-/:-@[-`{-~]/.test(line[i + 1] ?? '')) {
      i++;
      text += escaped;
    } else if (line[i] === '`') {
      const end = line.indexOf('`', i + 1);
      if (end < 0) return { text, open: true };
      i = end;
    } else text += line[i];
  }
  return { text, open: false };
}

function expectSafeMarkdown(form: string, md: string): void {
  expect(md, `${form}: half an emoji`).not.toMatch(LONE_SURROGATE);
  const lines = md.split('\n');
  for (const line of lines) {
    expect(line.startsWith('zz'), `${form}: a name's line break ends the line: ${line}`).toBe(false);
    // eslint-disable-next-line no-control-regex -- control characters are what is looked for
    expect(line, `${form}: a carriage return or control character`).not.toMatch(/[\r\u0000-\u0008\u000b-\u001f\u0085\u2028]/);
    const { text, open } = bare(line);
    // A backtick that no other pairs with would open a code span over the rest of the line.
    expect(open, `${form}: an unpaired backtick: ${line}`).toBe(false);
    expect(text, `${form}: markup from the data: ${line}`).not.toMatch(/<\/?zz/);
    // The data's `&amp;` stays that text (`\&amp;`), and a plain `&` needs no entity: no `&amp;` outside a code span.
    expect(bare(line, '\u0001').text, `${form}: an entity read from the data, or a plain & as one: ${line}`).not.toContain('&amp;');
  }
  // Every row of a table has the cells of its header.
  let cells: number | undefined;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      cells = undefined;
      continue;
    }
    const n = line.replace(/\\[!-/:-@[-`{-~]/g, '').split('|').length;
    cells ??= n;
    expect(n, `${form}: a row with other cells than its header: ${line}`).toBe(cells);
  }
}

function expectSafeXml(form: string, text: string): void {
  expect(text, `${form}: half an emoji`).not.toMatch(LONE_SURROGATE);
  expect(text, `${form}: a tag from the data`).not.toMatch(/<\/?zz/);
  expect(text, `${form}: a quote from the data`).not.toContain('"zz');
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  expect(text, `${form}: a character XML does not allow`).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  expect(text, `${form}: an & that is no entity`).not.toMatch(/&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)/i);
}

describe('reports of hostile names', () => {
  it('makes every form, with nothing from the data as markup, no split cell and no broken line', () => {
    fc.assert(
      fc.property(caseArb, (c: Case) => {
        const lines = linesOf(c);
        const routing = c.routing ? { queueTask: c.tasks[0], abstainTasks: c.tasks } : undefined;
        const report = evaluatePredictions(lines, {
          modelId: c.modelId,
          dataset: c.dataset,
          ...(routing ? { routing, thresholds: Object.fromEntries(c.tasks.map((t) => [t, 0.5])) } : {}),
          warnings: [`rows of ${c.dataset}`],
        });
        evaluationText(report);
        expectSafeMarkdown('report.md', evaluationMarkdown(report));
        expectSafeMarkdown('model card', modelCardMarkdown(report, { trainingData: c.dataset, training: { trainedAt: c.champion } }));
        // The registry's and run record's values (a run id, who decided, when) are as hostile as the data's.
        const registry = { version: 1, status: 'Approved', registeredAt: c.dataset, decidedBy: c.champion, decidedAt: c.metaKey, champion: true, readAt: c.dataset } as const;
        expectSafeMarkdown('model card with its provenance', modelCardMarkdown(report, { provenance: { runId: c.modelId, gitCommit: c.champion, registry } }));
        const pictures = reportPictures(report);
        expect(new Set(pictures.map((p) => p.name)).size).toBe(pictures.length);
        for (const p of pictures) expect(Buffer.byteLength(`${p.name}.png`)).toBeLessThanOrEqual(255);
        for (const p of pictures) expectSafeXml(p.name, p.svg);
        expectSafeXml('report.html', evaluationHtml(report, pictures));
        // Joined by position: compare refuses ids that repeat (the report warns of them, naming them).
        const unnamed = lines.map(({ id: _id, ...line }) => line);
        const comparison = comparePredictions(unnamed, unnamed, { bootstrap: { resamples: 10, seed: 1 } });
        const gate = applyGate(comparison, { tasks: [...c.tasks, c.metaKey] });
        expectSafeMarkdown('gate summary', comparisonMarkdown(comparison, gate, { challenger: c.modelId, champion: c.champion }, [`of ${c.champion}`]));
      }),
      { numRuns: runs, seed },
    );
  }, 60_000);
});
