import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { confidenceOf, formatPredictionLines, parsePredictionLines, predictionLineChunks, tasksOf, type PredictionLine } from './prediction-line.js';

const line = (id: string): PredictionLine => ({
  id,
  truth: { queue: null },
  prediction: { queue: { label: 'tax', scores: { tax: 0.9, payments: 0.1 }, confidence: 0.9, abstained: false } },
  meta: { language: 'de', bank: null },
});

describe('formatPredictionLines', () => {
  it('checks lines against the schema unless told they came out of it: then the same text, without the check', () => {
    const nfd = 'Depot\u00fcbertrag'.normalize('NFD');
    const raw = { id: 'a', truth: { topic: nfd }, prediction: { topic: { label: nfd, scores: { [nfd]: 0.8, other: 0.2 } } } } as unknown as PredictionLine;
    // Unchecked, a line is written as it is given; checked, as the schema reads it (labels composed, NFC).
    expect(formatPredictionLines([raw], { parsed: true })).toContain(nfd);
    const checked = formatPredictionLines([raw]);
    expect(checked).not.toContain(nfd);
    const lines = parsePredictionLines(checked);
    expect(formatPredictionLines(lines, { parsed: true })).toBe(checked);
    expect(() => formatPredictionLines([{ ...raw, extra: 1 } as unknown as PredictionLine])).toThrow();
  });
});

describe('tasksOf', () => {
  it("orders the tasks with a truth as the predictions name them (the model's order), then those none predicts", () => {
    const p = { label: 'x', confidence: 0.9 };
    const lines: PredictionLine[] = [
      // Live feedback whose first case confirmed the newest task only.
      { truth: { urgency: 'high' }, prediction: { queue: p, topic: p, urgency: p } },
      { truth: { topic: 'sepa', legacy: 'y' }, prediction: { queue: p, topic: p, urgency: p } },
      { truth: { queue: 'tax' }, prediction: { queue: p, topic: p, urgency: p } },
    ];
    expect(tasksOf(lines)).toEqual(['queue', 'topic', 'urgency', 'legacy']);
    expect(evaluatePredictions(lines.map((l) => ({ ...l, truth: Object.fromEntries(Object.entries(l.truth).filter(([t]) => t !== 'legacy')) }))).tasks.map((t) => t.task)).toEqual(['queue', 'topic', 'urgency']);
  });
});

describe('parsePredictionLines', () => {
  it('says a line without "prediction" is not a prediction line, and how to evaluate emails', () => {
    expect(() => parsePredictionLines('{"id":"a1","subject":"Depot","body":"Hallo"}\n', 'emails.jsonl')).toThrow(
      /^emails\.jsonl:1: not a prediction line: it has no "prediction" .* mailroute evaluate --model <id> --data <file>$/,
    );
    // A line with a prediction but a bad one still gets the schema's own message and path.
    expect(() => parsePredictionLines('{"prediction":{"queue":{"label":""}}}', 'p.jsonl')).toThrow(/^p\.jsonl:1: a label is not empty at prediction\.queue\.label$/);
  });
});

describe('a line that is not JSON', () => {
  const refusal = (text: string) => {
    try {
      parsePredictionLines(text, 'preds.jsonl');
    } catch (error) {
      return (error as Error).message;
    }
    return 'read';
  };

  it('is named with its column, counted on the line as it is, and the reason when it quotes nothing of the line', () => {
    const good = '{"id":"a","truth":{},"prediction":{"q":{"label":"x"}}}';
    expect(refusal(`${good}\n{"id":"b","truth":`)).toBe('preds.jsonl:2, column 19: not JSON (Unexpected end of JSON input)');
    // Blanks before the line count: the column is where an editor shows it.
    expect(refusal(`${good}\n  {"id":"b",}`)).toBe('preds.jsonl:2, column 13: not JSON (Expected double-quoted property name in JSON)');
    expect(refusal('{"id":"a"} {"id":"b"}')).toBe('preds.jsonl:1, column 12: not JSON (Unexpected non-whitespace character after JSON)');
    // V8's reason quotes the line (an email's text, perhaps): left out, the column saying where.
    expect(refusal('{"id":"a","note":Sehr geehrte Frau Beispiel}')).toBe('preds.jsonl:1, column 18: not JSON');
  });
});

describe('task and label names that are Object members', () => {
  it('refuses the key __proto__, naming the file, the line and where (as a training config refuses it as a task name), never dropping it silently', () => {
    const cases: Array<[string, string]> = [
      ['{"truth":{"__proto__":"a"},"prediction":{"q":{"label":"a"}}}', 'truth.__proto__'],
      ['{"truth":{"q":"a"},"prediction":{"q":{"label":"a"},"__proto__":{"label":"a"}}}', 'prediction.__proto__'],
      ['{"truth":{"q":"a"},"prediction":{"q":{"label":"a","scores":{"a":0.9,"__proto__":0.1}}}}', 'prediction.q.scores.__proto__'],
      ['{"truth":{"q":"a"},"prediction":{"q":{"label":"a"}},"meta":{"__proto__":"de"}}', 'meta.__proto__'],
    ];
    for (const [json, at] of cases) {
      const text = `{"truth":{"q":"a"},"prediction":{"q":{"label":"a"}}}\n${json}\n`;
      expect(() => parsePredictionLines(text, 'preds.jsonl'), at).toThrow(`preds.jsonl:2: "__proto__" at ${at} cannot name a task, a label or a meta key`);
    }
  });

  it('reads a task named constructor, and labels named toString, like any other: a line without them has none', () => {
    const text = [
      '{"truth":{"constructor":"b","q":"x"},"prediction":{"constructor":{"label":"b","scores":{"b":0.9,"c":0.1}},"q":{"label":"x"}}}',
      '{"truth":{"q":"toString"},"prediction":{"q":{"label":"toString","scores":{"x":0.7,"y":0.3}}},"meta":{"language":"de"}}',
    ].join('\n');
    const lines = parsePredictionLines(text, 'preds.jsonl');
    expect(lines[1].truth.constructor).toBeUndefined();
    expect(lines[1].prediction.constructor).toBeUndefined();
    // `toString` has no score: the top score is its confidence, not Object's toString.
    expect(confidenceOf(lines[1].prediction.q)).toBeCloseTo(0.7, 9);
    const report = evaluatePredictions(lines);
    const ctor = report.tasks.find((t) => t.task === 'constructor');
    expect(ctor?.metrics.n).toBe(1);
    expect(ctor?.skipped).toEqual({ noTruth: 1, noPrediction: 0 });
    expect(report.exactMatch).toBeCloseTo(1, 9);
    expect(parsePredictionLines(formatPredictionLines(lines))).toEqual(lines);
  });
});

describe('predictionLineChunks', () => {
  it('turns lines into JSONL chunks, taking each line only when its chunk is written', () => {
    let taken = 0;
    function* lines() {
      for (let i = 1; i <= 5; i++) {
        taken++;
        yield line(String(i));
      }
    }
    const chunks = predictionLineChunks(lines(), 2);
    const first = chunks.next();
    expect(taken).toBe(2);
    expect((first.value as string).split('\n')).toHaveLength(3);
    const rest = [...chunks];
    expect(taken).toBe(5);
    const all = [first.value as string, ...rest].join('');
    expect(all.trimEnd().split('\n').map((l) => JSON.parse(l).id)).toEqual(['1', '2', '3', '4', '5']);
    expect(rest.map((c) => c.split('\n').length - 1)).toEqual([2, 1]);
  });
});

describe('parsePredictionLines', () => {
  it('reads labels written decomposed (NFD) as the composed ones, so a right prediction is not counted wrong', () => {
    const nfc = 'Depot\u00fcbertrag';
    const nfd = nfc.normalize('NFD');
    const text = `${JSON.stringify({ truth: { topic: nfd }, prediction: { topic: { label: nfc, scores: { [nfd]: 0.8, other: 0.2 } } } })}\n${JSON.stringify({ truth: { topic: nfc }, prediction: { topic: { label: nfd } } })}\n`;
    const [a, b] = parsePredictionLines(text);
    expect(a.truth.topic).toBe(nfc);
    expect(a.prediction.topic.label).toBe(nfc);
    expect(Object.keys(a.prediction.topic.scores ?? {})).toEqual([nfc, 'other']);
    expect(b.prediction.topic.label).toBe(nfc);
    const [topic] = evaluatePredictions([a, b]).tasks;
    expect(topic.metrics.accuracy).toBeCloseTo(1, 9);
  });

  it('reads a label with blanks around it (a CRM export\'s cell, which training trims) as the label, so it is no class of its own', () => {
    const text = [
      { truth: { queue: 'account_management ' }, prediction: { queue: { label: 'account_management', scores: { ' account_management': 0.7, payments: 0.3 } } } },
      { truth: { queue: 'account_management' }, prediction: { queue: { label: '\taccount_management ' } } },
      { truth: { queue: ' payments' }, prediction: { queue: { label: 'account_management' } } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const lines = parsePredictionLines(text);
    expect(lines.map((l) => [l.truth.queue, l.prediction.queue.label])).toEqual([
      ['account_management', 'account_management'],
      ['account_management', 'account_management'],
      ['payments', 'account_management'],
    ]);
    expect(Object.keys(lines[0].prediction.queue.scores ?? {})).toEqual(['account_management', 'payments']);
    const [queue] = evaluatePredictions(lines).tasks;
    expect(queue.metrics.accuracy).toBeCloseTo(2 / 3, 9);
    expect(queue.metrics.labels).toEqual(['account_management', 'payments']);
    // Scores naming one label with and without a blank are one label named twice; blanks alone are an empty label.
    const line = (scores: Record<string, number>) => JSON.stringify({ truth: { queue: 'a' }, prediction: { queue: { label: 'a', scores } } });
    expect(() => parsePredictionLines(line({ a: 0.5, 'a ': 0.5 }), 'p.jsonl')).toThrow('p.jsonl:1: the scores name the label "a" twice');
    expect(() => parsePredictionLines('{"truth":{"q":" "},"prediction":{"q":{"label":"a"}}}', 'p.jsonl')).toThrow('p.jsonl:1: a truth label is not empty (null when unknown) at truth.q');
  });

  it('refuses scores that name one label twice, written differently, rather than keep one score of the two', () => {
    const nfc = 'Depot\u00fcbertrag';
    const line = (scores: Record<string, number>) => JSON.stringify({ truth: { topic: nfc }, prediction: { topic: { label: nfc, scores } } });
    expect(() => parsePredictionLines(line({ [nfc]: 0.2, [nfc.normalize('NFD')]: 0.7 }), 'p.jsonl')).toThrow(
      `p.jsonl:1: the scores name the label "${nfc}" twice, written differently (labels are read in Unicode NFC, without variation selectors and without blanks around them, which makes them one) at prediction.topic.scores: give it one score`,
    );
    expect(() => parsePredictionLines(line({ '\u26a0 urgent': 0.5, '\u26a0\ufe0f urgent': 0.5 }), 'p.jsonl')).toThrow('p.jsonl:1: the scores name the label "\u26a0 urgent" twice');
  });

  it('refuses a label of variation selectors only, which reads as empty, as it refuses an empty one', () => {
    const ok = '{"truth":{"q":"a"},"prediction":{"q":{"label":"a"}}}';
    const cases: Array<[string, string]> = [
      ['{"truth":{"q":"a"},"prediction":{"q":{"label":"\ufe0f"}}}', 'a label is not empty at prediction.q.label'],
      ['{"truth":{"q":"\ufe0e\ufe0f"},"prediction":{"q":{"label":"a"}}}', 'a truth label is not empty (null when unknown) at truth.q'],
      ['{"truth":{"q":"a"},"prediction":{"q":{"label":"a","scores":{"a":0.5,"\ufe0f":0.5}}}}', 'a scored label is not empty: "\ufe0f" at prediction.q.scores'],
      ['{"truth":{"q":"a"},"prediction":{"q":{"label":"a","scores":{"a":0.5,"":0.5}}}}', 'a scored label is not empty: "" at prediction.q.scores'],
    ];
    for (const [json, message] of cases) expect(() => parsePredictionLines(`${ok}\n${json}\n`, 'p.jsonl'), json).toThrow(`p.jsonl:2: ${message}`);
  });
});
