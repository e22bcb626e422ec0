import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier, createLocalRegistry } from '@mailroute/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { FIXTURE_EMAILS, writeFixtureModel } from '../test-support/fixture-model.js';
import { createLocalModelSource, DEFAULT_INLINE_CHARS, splitBySize, textOver } from './local-model.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-local-model-'));
  await writeFixtureModel(path.join(root, 'm1'), 'm1');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const emails = FIXTURE_EMAILS;

describe('splitBySize', () => {
  it('scores small batches on the inline classifier and larger ones on the threaded one, and releases both', async () => {
    const inline = createFakeClassifier();
    const threaded = createFakeClassifier();
    const split = splitBySize(inline, threaded, 2);
    await split.predict(emails.slice(0, 2));
    expect([inline.calls, threaded.calls]).toEqual([1, 0]);
    await split.predict(emails);
    expect([inline.calls, threaded.calls]).toEqual([1, 1]);
    await split.release();
    expect([inline.released, threaded.released]).toEqual([true, true]);
  });

  it('sends a batch whose text is over the budget to the threaded classifier, however few its emails', async () => {
    const inline = createFakeClassifier();
    const threaded = createFakeClassifier();
    const split = splitBySize(inline, threaded, 32);
    // A newsletter's HTML alone is over the budget; so are short emails that together are.
    await split.predict([{ id: 'news', subject: 'Newsletter', html: `<p>${'Marktbericht '.repeat(DEFAULT_INLINE_CHARS / 10)}</p>` }]);
    expect([inline.calls, threaded.calls]).toEqual([0, 1]);
    const half = 'x'.repeat(DEFAULT_INLINE_CHARS / 2);
    await split.predict([{ subject: half }, { body: half }, { body: 'one more' }]);
    expect([inline.calls, threaded.calls]).toEqual([0, 2]);
    // At the budget, and a small email, stay inline.
    await split.predict([{ subject: half, body: half }]);
    await split.predict(emails.slice(0, 1));
    expect([inline.calls, threaded.calls]).toEqual([2, 2]);
    expect(textOver([{ subject: 'a', body: 'bc', html: 'd' }], 3)).toBe(true);
    expect(textOver([{ subject: 'a', body: 'bc', html: 'd' }], 4)).toBe(false);
  });

  it('is as ready as its threaded classifier (a big batch would fail when the threads cannot serve)', () => {
    let ready = true;
    const threaded = Object.assign(createFakeClassifier(), { health: () => ({ ready, detail: ready ? undefined : 'no thread' }) });
    const split = splitBySize(createFakeClassifier(), threaded, 2);
    expect(split.health()).toEqual({ ready: true, detail: undefined });
    ready = false;
    expect(split.health()).toEqual({ ready: false, detail: 'no thread' });
    expect(splitBySize(createFakeClassifier(), createFakeClassifier(), 2).health()).toEqual({ ready: true });
  });
});

describe('createLocalModelSource with model threads and inline small batches', () => {
  it('answers small and big batches as the model does on this thread', async () => {
    const { source } = createLocalModelSource({ modelDir: path.join(root, 'm1'), threads: 1, inlineEmails: 2 });
    const local = await Classifier.load(path.join(root, 'm1'));
    try {
      await source.reload();
      const lease = source.acquire();
      const big = Array.from({ length: 40 }, (_, i) => emails[i % 3]);
      try {
        expect(await lease.classifier.predict(emails.slice(0, 1))).toEqual(await local.predict(emails.slice(0, 1)));
        expect(await lease.classifier.predict(big)).toEqual(await local.predict(big));
      } finally {
        lease.release();
      }
    } finally {
      await local.release();
      await source.close();
    }
  }, 30_000);

  it("refuses a model whose threads cannot score, though the request thread's session can (the canary is checked on both)", async () => {
    const threadWorkerUrl = new URL('../test-support/unscoring-thread.worker.mjs', import.meta.url);
    const { source } = createLocalModelSource({ modelDir: path.join(root, 'm1'), threads: 1, inlineEmails: 2, threadWorkerUrl });
    try {
      await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringMatching(/model thread exited \(9\)/) });
      expect(source.current()).toBeUndefined();
    } finally {
      await source.close();
    }
  }, 30_000);
});

describe('createLocalModelSource training shares', () => {
  it("gives a registered model's training shares from its registry manifest without loading it; an unknown id has none", async () => {
    const home = path.join(root, 'home-shares');
    await writeFixtureModel(path.join(root, 'm2'), 'm2');
    const registry = createLocalRegistry({ home });
    const { id } = await registry.register(path.join(root, 'm2'));
    const { source, trainingDistribution } = createLocalModelSource({ registry, threads: 0 });
    try {
      // The fixture's manifest counts 30 payments and 70 kyc.
      const shares = await trainingDistribution(id);
      expect(shares?.queue.payments).toBeCloseTo(0.3, 12);
      expect(shares?.queue.kyc).toBeCloseTo(0.7, 12);
      expect(source.current()).toBeUndefined();
      expect(await trainingDistribution('no-such-model')).toBeUndefined();
    } finally {
      await source.close();
    }
  });
});
