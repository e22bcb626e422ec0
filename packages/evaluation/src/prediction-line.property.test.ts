import { normalizeLabel } from '@mailroute/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PredictionFileError } from './errors.js';
import { parsePredictionLines } from './prediction-line.js';

/**
 * Property test of reading prediction lines (`evaluate --predictions`, `compare`): generated files of valid lines,
 * some broken in the ways a hand-made or truncated file is (not JSON, wrong types, unknown keys, empty labels,
 * scores and confidences out of range, `__proto__` keys), with names that are Object members, unicode in NFD, emoji
 * with variation selectors, long and blank labels. Each file must read as the lines say, or be refused with a
 * PredictionFileError naming the file and the first bad line: never another error, never a line read wrong.
 * Seed fixed; MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen it.
 */
const runs = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 300);
const seed = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);

const nameArb = fc.oneof(
  fc.constantFrom('queue', 'topic', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'Depotübertrag', 'Depotu\u0308bertrag', '⚠\uFE0F urgent', 'a|b', '<script>', ' '),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  fc.constant('x'.repeat(500)),
);
/** A label: a name that stays non-empty once read (in NFC, without variation selectors, trimmed); a blank one is refused. */
const labelArb = fc.oneof(nameArb, fc.constantFrom(' account_management', 'account_management \t')).filter((name) => normalizeLabel(name) !== '');
const probabilityArb = fc.double({ min: 0, max: 1, noNaN: true });

/** A line as `mailroute predict` writes it (its JSON value); every label a name that stays non-empty in NFC. */
const validLineArb = fc.record(
  {
    id: fc.string({ maxLength: 6 }),
    modelId: fc.string({ minLength: 1, maxLength: 6 }),
    truth: fc.dictionary(nameArb, fc.option(labelArb, { nil: null }), { maxKeys: 3 }),
    prediction: fc.dictionary(
      nameArb,
      fc.record(
        { label: labelArb, scores: fc.dictionary(labelArb, probabilityArb, { maxKeys: 4 }), confidence: probabilityArb, abstained: fc.boolean() },
        { requiredKeys: ['label'] },
      ),
      { maxKeys: 3 },
    ),
    meta: fc.dictionary(nameArb, fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 }),
  },
  { requiredKeys: ['prediction'] },
);

type Json = Record<string, unknown>;

/**
 * Ways to break a valid line, each giving the JSON text of a line that must be refused. A path names an object
 * of the line, as [key, key]: the last task's prediction is ['prediction', <task>].
 */
const breakArb: fc.Arbitrary<(line: Json) => string> = fc.oneof(
  fc.constantFrom(
    (l: Json) => JSON.stringify(l).slice(0, -1),
    () => '[1, 2]',
    () => '"a string"',
    () => 'null',
    () => '42',
    (l: Json) => JSON.stringify({ ...l, truht: {} }),
    (l: Json) => JSON.stringify({ ...l, prediction: [] }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', confidnce: 0.5 } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: '' } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 7 } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: {} } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: null } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', scores: { a: 1.5 } } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', scores: { a: -0.1 } } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', scores: { a: '0.5' } } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', scores: [0.5] } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', confidence: 2 } } }),
    (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', abstained: 'no' } } }),
    (l: Json) => JSON.stringify({ ...l, truth: { q: '' } }),
    (l: Json) => JSON.stringify({ ...l, truth: { q: 3 } }),
    (l: Json) => JSON.stringify({ ...l, truth: ['a'] }),
    (l: Json) => JSON.stringify({ ...l, id: 5 }),
    (l: Json) => JSON.stringify({ ...l, modelId: '' }),
    (l: Json) => JSON.stringify({ ...l, meta: { k: { nested: true } } }),
    (l: Json) => JSON.stringify({ ...l, meta: { k: [1] } }),
  ),
  // A label that is only variation selectors or blanks is empty once read (labels are read without them).
  fc.constantFrom('\uFE0F', '\uFE0E\uFE0F', ' ', ' \uFE0F\t').chain((vs) =>
    fc.constantFrom(
      (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: vs } } }),
      (l: Json) => JSON.stringify({ ...l, truth: { q: vs }, prediction: { q: { label: 'a' } } }),
      (l: Json) => JSON.stringify({ ...l, prediction: { q: { label: 'a', scores: { [vs]: 0.5 } } } }),
    ),
  ),
  // One label scored twice, written differently: read as labels are, one score would replace the other.
  fc.constantFrom(['Depot\u00fcbertrag', 'Depotu\u0308bertrag'], ['\u26a0 urgent', '\u26a0\ufe0f urgent'], ['account_management', 'account_management ']).map(
    ([a, b]) =>
      (l: Json) =>
        JSON.stringify({ ...l, prediction: { q: { label: 'a', scores: { [a]: 0.2, [b]: 0.7 } } } }),
  ),
  // `__proto__` as a key of the line or of one of its records: a placeholder key renamed in the text.
  fc.constantFrom<Array<string>>([], ['truth'], ['prediction'], ['meta'], ['prediction', 'q', 'scores']).map((path) => (l: Json) => {
    const copy = structuredClone({ ...l, prediction: { ...(l.prediction as Json), q: { label: 'a', scores: { a: 0.5 } } }, truth: l.truth ?? {}, meta: l.meta ?? {} });
    let at: Json = copy;
    for (const key of path) at = at[key] as Json;
    at.PROTO_KEY = path.length === 0 ? {} : 0.5;
    return JSON.stringify(copy).replace('"PROTO_KEY"', '"__proto__"');
  }),
);

/** Whether a task's scores name one label twice, written differently (composed and decomposed): a line refused. */
function scoresTwice(value: Json): boolean {
  return Object.values(value.prediction as Record<string, { scores?: Json }>).some((p) => {
    const keys = Object.keys(p.scores ?? {});
    return new Set(keys.map(normalizeLabel)).size < keys.length;
  });
}

/** A file's lines: each valid (its JSON value) or broken (its text), with blank lines, CRLF and a BOM-less mix. */
const fileArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: validLineArb.map((value) => ({ value: scoresTwice(value as Json) ? undefined : (value as Json), text: JSON.stringify(value) })) },
    { weight: 1, arbitrary: fc.tuple(validLineArb, breakArb).map(([value, broken]) => ({ value: undefined, text: broken(value as Json) })) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', '\r').map((text) => ({ value: null, text })) },
  ),
  { minLength: 0, maxLength: 8 },
);

const norm = (record: Record<string, unknown> | undefined, f: (v: never) => unknown) =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, f(v as never)]));

/** What reading a valid line gives: labels (truth, label, the keys of scores) in NFC without variation selectors, trimmed. */
function expected(value: Json): Json {
  const prediction = norm(value.prediction as Json, (p: Json) => ({
    ...p,
    label: normalizeLabel(p.label as string),
    ...(p.scores ? { scores: Object.fromEntries(Object.entries(p.scores as Json).map(([k, s]) => [normalizeLabel(k), s])) } : {}),
  }));
  return {
    ...value,
    truth: norm(value.truth as Json | undefined, (t: string | null) => (t === null ? null : normalizeLabel(t))),
    prediction,
  };
}

describe('parsePredictionLines on generated files', () => {
  it('reads each valid line as written (labels in NFC), or refuses the file naming its first bad line', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const text = file.map((l) => l.text).join(fc.sample(fc.constantFrom('\n', '\r\n'), { numRuns: 1, seed: file.length })[0]);
        const firstBad = file.findIndex((l) => l.value === undefined);
        const valid = file.filter((l) => l.value);
        let lines;
        try {
          lines = parsePredictionLines(text, 'preds.jsonl');
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(PredictionFileError);
          const message = (error as Error).message;
          // A line that is not JSON is named with the column where it breaks, as the data reader names one.
          if (firstBad >= 0) expect(message).toMatch(new RegExp(`^preds\\.jsonl:${firstBad + 1}(, column \\d+)?: `));
          else expect(message).toBe('preds.jsonl: no prediction lines');
          return;
        }
        expect(firstBad, `line ${firstBad + 1} was read: ${file[firstBad]?.text}`).toBe(-1);
        expect(lines.map((l) => JSON.parse(JSON.stringify(l)))).toEqual(valid.map((l) => JSON.parse(JSON.stringify(expected(l.value as Json)))));
        for (const l of lines) {
          const labels = [...Object.values(l.truth), ...Object.values(l.prediction).flatMap((p) => [p.label, ...Object.keys(p.scores ?? {})])];
          for (const label of labels) if (label !== null) expect(label).not.toBe('');
        }
      }),
      { numRuns: runs, seed },
    );
  });
});
