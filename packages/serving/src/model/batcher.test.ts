import { describe, expect, it } from 'vitest';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { createPredictBatcher } from './batcher.js';
import { ModelThreadExitedError } from './thread-classifier.js';

describe('createPredictBatcher', () => {
  it('answers concurrent requests from one predict call, each with its own emails in order', async () => {
    const classifier = createFakeClassifier();
    const batcher = createPredictBatcher(256);
    const [a, b, c] = await Promise.all([
      batcher.predict(classifier, [{ id: 'a1', body: 'invoice' }, { id: 'a2', body: 'hello' }]),
      batcher.predict(classifier, [{ id: 'b1', body: 'password' }]),
      batcher.predict(classifier, [{ id: 'c1', body: 'invoice' }]),
    ]);
    expect(classifier.calls).toBe(1);
    expect(a.map((p) => p.id)).toEqual(['a1', 'a2']);
    expect(b.map((p) => [p.id, p.route.queue])).toEqual([['b1', 'technical']]);
    expect(c.map((p) => p.id)).toEqual(['c1']);
  });

  it('never puts more than the cap into one call, and never splits a request', async () => {
    const classifier = createFakeClassifier();
    const batcher = createPredictBatcher(3);
    const out = await Promise.all([
      batcher.predict(classifier, [{ body: '1' }, { body: '2' }]),
      batcher.predict(classifier, [{ body: '3' }, { body: '4' }]),
      batcher.predict(classifier, [{ body: '5' }]),
    ]);
    expect(out.map((r) => r.length)).toEqual([2, 2, 1]);
    expect(classifier.calls).toBe(2);
  });

  it('retries each request alone when the shared call fails, so one bad email fails only its request', async () => {
    const classifier = createFakeClassifier();
    const predict = classifier.predict.bind(classifier);
    classifier.predict = async (emails) => {
      if (emails.some((e) => e.body === 'poison')) throw new Error('bad input');
      return predict(emails);
    };
    const batcher = createPredictBatcher(256);
    const results = await Promise.allSettled([
      batcher.predict(classifier, [{ body: 'invoice' }]),
      batcher.predict(classifier, [{ body: 'poison' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('does not retry email by email a shared call whose model thread exited (the email that ended it would end each replacement)', async () => {
    const classifier = createFakeClassifier();
    let calls = 0;
    classifier.predict = async () => {
      calls += 1;
      throw new ModelThreadExitedError('The model thread exited (7).');
    };
    const batcher = createPredictBatcher(256);
    const results = await Promise.allSettled([batcher.predict(classifier, [{ body: 'invoice' }]), batcher.predict(classifier, [{ body: 'poison' }])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
  });
});
