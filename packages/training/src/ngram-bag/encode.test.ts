import { featurizeHashed, HashedNgramsParamsSchema } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { countExamples, documentFrequencies, idfTable } from './encode.js';

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
