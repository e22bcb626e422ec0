import { featurizeHashed, HashedNgramsParamsSchema } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { classWeightsFor, countExamples, documentFrequencies, encodeExamples, idfTable, type TaskSpec } from './encode.js';
import type { EncodedExample } from './net.js';

describe('documentFrequencies and idfTable', () => {
  const params = HashedNgramsParamsSchema.parse({ buckets: 1024, wordNgrams: 1, charNgrams: [0, 0] });
  const example = (text: string) => ({ text, meta: [], labels: {} });

  it('counts each bucket once per example, however often the example repeats it', () => {
    const df = documentFrequencies(countExamples([example('depot depot bitte'), example('depot'), example('sparplan')], params), params.buckets);
    const [depot, bitte] = featurizeHashed('depot bitte', [], params);
    const [sparplan] = featurizeHashed('sparplan', [], params);
    expect([df[depot], df[bitte], df[sparplan]]).toEqual([2, 1, 1]);
    expect(df.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('counts a bucket once per text when several of its n-grams, words and chars alike, land in it', () => {
    const small = HashedNgramsParamsSchema.parse({ buckets: 16, wordNgrams: 1, charNgrams: [3, 3] });
    const raw = Array.from(featurizeHashed('depotübertrag', [], small));
    // 1 word + 15 char trigrams in 16 buckets: some bucket is hit twice (the case under test).
    expect(new Set(raw).size).toBeLessThan(raw.length);
    const df = documentFrequencies(countExamples([example('depotübertrag'), example('depotübertrag')], small), 16);
    for (const id of new Set(raw)) expect(df[id]).toBe(2);
    expect(df.reduce((a, b) => a + b, 0)).toBe(2 * new Set(raw).size);
  });

  it('is scikit-learn smooth IDF, the largest value for unused buckets', () => {
    const idf = idfTable(Float64Array.of(3, 1, 0, 2), 3);
    expect(idf[0]).toBeCloseTo(Math.log(4 / 4) + 1, 6);
    expect(idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(idf[2]).toBeCloseTo(Math.log(4 / 1) + 1, 6);
    expect(idf[3]).toBeCloseTo(Math.log(4 / 3) + 1, 6);
  });
});

describe('classWeightsFor', () => {
  // Task 1 of two: 6 emails of label 0, 2 of label 1, none of label 2; one email without the label (-1).
  const task: TaskSpec = { name: 'queue', labels: ['a', 'b', 'c'] };
  const examples: EncodedExample[] = [0, 0, 0, 0, 0, 0, 1, 1, -1].map((y) => ({ ids: new Int32Array(0), weights: new Float32Array(0), labels: Int32Array.from([0, y]) }));
  const weights = (mode: 'none' | 'balanced' | 'sqrt') => Array.from(classWeightsFor(task, 1, examples, mode));

  it('weighs each label by n / (k * count), its square root, or 1; an unseen label 1, unlabelled emails not counted', () => {
    const balanced = [8 / (3 * 6), 8 / (3 * 2), 1];
    weights('balanced').forEach((w, c) => expect(w).toBeCloseTo(balanced[c], 12));
    weights('sqrt').forEach((w, c) => expect(w).toBeCloseTo(Math.sqrt(balanced[c]), 12));
    expect(weights('none')).toEqual([1, 1, 1]);
  });

  it("takes a task's own class weights over the mode, and refuses a list of the wrong length", () => {
    expect(Array.from(classWeightsFor({ ...task, classWeights: [1, 2, 3] }, 1, examples, 'sqrt'))).toEqual([1, 2, 3]);
    expect(() => classWeightsFor({ ...task, classWeights: [1, 2] }, 1, examples, 'sqrt')).toThrow(/2 class weights for 3 labels/);
  });
});

describe('encodeExamples', () => {
  const params = HashedNgramsParamsSchema.parse({ buckets: 256, wordNgrams: 1, charNgrams: [0, 0] });
  const tasks: TaskSpec[] = [{ name: 'q', labels: ['a', 'b'] }];
  const encode = (y: number | null | undefined) => {
    const labels: Record<string, number | null> = y === undefined ? {} : { q: y };
    const examples = [{ text: 'hallo welt', meta: [], labels }];
    return encodeExamples(examples, countExamples(examples, params), tasks, params)[0].labels[0];
  };

  it('takes an integer label index of the task, and -1 for a missing label', () => {
    expect([encode(0), encode(1), encode(null), encode(undefined)]).toEqual([0, 1, -1, -1]);
  });

  // The Int32Array the index is stored in would read NaN and -0.5 as 0, 1.7 and 2^32 + 1 as 1. A missing label is
  // null, not -1.
  it.each([NaN, 1.7, -0.5, 2 ** 32 + 1, 2, -1])('refuses the label index %s', (y) => {
    expect(() => encode(y)).toThrow(expect.objectContaining({ code: 'TRAINER_INPUT_INVALID', message: `label index ${y} out of range for task q (an integer from 0 to 1)` }));
  });
});
