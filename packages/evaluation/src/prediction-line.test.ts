import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.js';
import { parsePredictionLines, predictionLineChunks, type PredictionLine } from './prediction-line.js';

const line = (id: string): PredictionLine => ({
  id,
  truth: { queue: null },
  prediction: { queue: { label: 'tax', scores: { tax: 0.9, payments: 0.1 }, confidence: 0.9, abstained: false } },
  meta: { language: 'de', bank: null },
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
});
