import { featurizeHashed, HashedNgramsParamsSchema } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { documentFrequencies, idfTable } from './encode.js';

describe('documentFrequencies and idfTable', () => {
  const params = HashedNgramsParamsSchema.parse({ buckets: 1024, wordNgrams: 1, charNgrams: [0, 0] });
  const example = (text: string) => ({ text, meta: [], labels: {} });

  it('counts each bucket once per example, however often the example repeats it', () => {
    const df = documentFrequencies([example('depot depot bitte'), example('depot'), example('sparplan')], params);
    const [depot, bitte] = featurizeHashed('depot bitte', [], params);
    const [sparplan] = featurizeHashed('sparplan', [], params);
    expect([df[depot], df[bitte], df[sparplan]]).toEqual([2, 1, 1]);
    expect(df.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('is scikit-learn smooth IDF, the largest value for unused buckets', () => {
    const idf = idfTable(Float64Array.of(3, 1, 0, 2), 3);
    expect(idf[0]).toBeCloseTo(Math.log(4 / 4) + 1, 6);
    expect(idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(idf[2]).toBeCloseTo(Math.log(4 / 1) + 1, 6);
    expect(idf[3]).toBeCloseTo(Math.log(4 / 3) + 1, 6);
  });
});
