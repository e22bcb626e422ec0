import { describe, expect, it } from 'vitest';
import { NgramBagParamsSchema } from './params.js';

describe('NgramBagParamsSchema', () => {
  it('defaults IDF, the loss and the refit to the plain model', () => {
    expect(NgramBagParamsSchema.parse({})).toMatchObject({ idf: false, loss: 'softmax', refit: false });
    expect(NgramBagParamsSchema.parse({ idf: true, loss: 'squared-hinge', refit: true })).toMatchObject({ idf: true, loss: 'squared-hinge', refit: true });
  });

  it.each([{ idf: 'yes' }, { idf: 1 }, { loss: 'hinge' }, { loss: 'SOFTMAX' }, { refit: 'true' }, { refit: 0 }])('refuses %j', (bad) => {
    expect(NgramBagParamsSchema.safeParse(bad).success).toBe(false);
  });
});
