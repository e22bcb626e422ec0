import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier } from '@mailroute/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_EMAILS, writeFixtureModel } from '../test-support/fixture-model.js';
import { loadClassifierInThread, pickThread } from './thread-classifier.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-thread-'));
  await writeFixtureModel(path.join(root, 'm1'), 'm1');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const emails = FIXTURE_EMAILS;

describe('a model on its own worker thread', () => {
  it('predicts what the same model predicts on this thread, then ends with release', async () => {
    const local = await Classifier.load(path.join(root, 'm1'));
    const threaded = await loadClassifierInThread(path.join(root, 'm1'));
    try {
      expect(threaded.modelId).toBe('m1');
      expect(threaded.tasks).toEqual(local.tasks);
      expect(threaded.manifest.modelId).toBe('m1');
      const [mine, theirs] = await Promise.all([local.predict(emails), threaded.predict(emails)]);
      // Same ONNX session options and the same assembly: the same answers, field for field.
      expect(theirs).toHaveLength(3);
      expect(theirs).toEqual(mine);
      expect(theirs[0].id).toBe('a');
    } finally {
      await local.release();
    }
    const pending = threaded.predict(emails.slice(0, 1));
    await threaded.release();
    await expect(pending).resolves.toHaveLength(1); // sent before release: answered first
    await expect(threaded.predict(emails)).rejects.toThrow(/released/);
  }, 30_000);

  it('keeps light traffic on the first thread and spills over when it holds too many emails', () => {
    const pool = [3, 0, 0].map((n, i) => ({ i, load: () => n, alive: () => true, loaded: () => true }));
    expect(pickThread(pool, 4).i).toBe(0);
    expect(pickThread(pool, 3).i).toBe(1);
    const busy = [9, 5, 7].map((n, i) => ({ i, load: () => n, alive: () => true, loaded: () => true }));
    expect(pickThread(busy, 4).i).toBe(1);
  });

  it('spreads big concurrent batches over a pool of threads with the same answers', async () => {
    const single = await loadClassifierInThread(path.join(root, 'm1'));
    const pool = await loadClassifierInThread(path.join(root, 'm1'), { threads: 2 });
    try {
      const big = Array.from({ length: 100 }, (_, i) => emails[i % 3]);
      const expected = await single.predict(big);
      // 6 x 100 emails: more than one thread may hold, so both threads work.
      const answers = await Promise.all(Array.from({ length: 6 }, () => pool.predict(big)));
      for (const answer of answers) expect(answer.map((p) => p.tasks.queue.label)).toEqual(expected.map((p) => p.tasks.queue.label));
    } finally {
      await Promise.all([single.release(), pool.release()]);
    }
  }, 30_000);

  it('merges batches that wait for a busy thread and gives each caller its own rows back', async () => {
    const local = await Classifier.load(path.join(root, 'm1'));
    const threaded = await loadClassifierInThread(path.join(root, 'm1'));
    try {
      const calls = Array.from({ length: 12 }, (_, i) => emails.slice(i % 3, (i % 3) + 1 + (i % 2)));
      const [expected, answers] = await Promise.all([Promise.all(calls.map((c) => local.predict(c))), Promise.all(calls.map((c) => threaded.predict(c)))]);
      expect(answers).toEqual(expected);
    } finally {
      await Promise.all([local.release(), threaded.release()]);
    }
  }, 30_000);

  it('replaces a thread that exits while serving: its batch fails, the next ones are answered', async () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
    const workerUrl = new URL('../test-support/exiting-thread.worker.mjs', import.meta.url);
    const threaded = await loadClassifierInThread(path.join(root, 'm1'), { logger, workerUrl });
    try {
      const before = await threaded.predict(emails);
      await expect(threaded.predict([{ ...emails[0], id: 'exit-thread' }])).rejects.toThrow(/model thread exited \(7\)/);
      // Sent at once, while the new thread still loads: they wait for it.
      const after = await Promise.all([threaded.predict(emails), threaded.predict(emails.slice(1))]);
      expect(after[0]).toEqual(before);
      expect(after[1]).toEqual(before.slice(1));
      expect(lines).toContain('error a model thread exited; starting a new one on the same model');
      expect(lines).toContain('info the new model thread is ready');
      // And again: each thread that exits is replaced.
      await expect(threaded.predict([{ ...emails[1], id: 'exit-thread' }])).rejects.toThrow(/exited/);
      await expect(threaded.predict(emails)).resolves.toEqual(before);
    } finally {
      await threaded.release();
    }
    await expect(threaded.predict(emails)).rejects.toThrow(/released/);
  }, 30_000);

  it('sends batches to a live thread, never to one that has ended', () => {
    const pool = [
      { i: 0, load: () => 0, alive: () => false, loaded: () => false },
      { i: 1, load: () => 9, alive: () => true, loaded: () => true },
      { i: 2, load: () => 5, alive: () => true, loaded: () => true },
    ];
    expect(pickThread(pool, 4).i).toBe(2);
    expect(pickThread(pool, 6).i).toBe(2);
    expect(pickThread(pool, 10).i).toBe(1);
    expect(pickThread([pool[0]], 4).i).toBe(0);
  });

  it('sends batches to a loaded thread before one still loading (a replacement), which would hold them until its model is loaded', () => {
    const loading = { i: 0, load: () => 0, alive: () => true, loaded: () => false };
    const idle = { i: 1, load: () => 0, alive: () => true, loaded: () => true };
    const busy = { i: 2, load: () => 200, alive: () => true, loaded: () => true };
    expect(pickThread([loading, idle], 4).i).toBe(1);
    // Even a loaded thread over the spill answers sooner than a load.
    expect(pickThread([loading, busy], 4).i).toBe(2);
    // With none loaded, the batch waits for the one loading, not for one that has ended.
    expect(pickThread([{ ...idle, alive: () => false, loaded: () => false }, loading], 4).i).toBe(0);
  });

  it('answers from the other thread while the replacement of one that exited still loads', async () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
    const workerUrl = new URL('../test-support/exiting-thread.worker.mjs', import.meta.url);
    const threaded = await loadClassifierInThread(path.join(root, 'm1'), { threads: 2, logger, workerUrl });
    try {
      const before = await threaded.predict(emails);
      // Light traffic is on the first thread: it exits, and its replacement starts loading.
      await expect(threaded.predict([{ ...emails[0], id: 'exit-thread' }])).rejects.toThrow(/exited/);
      await expect(threaded.predict(emails)).resolves.toEqual(before);
      expect(lines).not.toContain('info the new model thread is ready');
    } finally {
      await threaded.release();
    }
  }, 30_000);

  it('refuses a tampered artifact with the loader error and its code', async () => {
    const dir = path.join(root, 'bad');
    await writeFixtureModel(dir, 'bad');
    await appendFile(path.join(dir, 'model.onnx'), Buffer.from([0]));
    await expect(loadClassifierInThread(dir)).rejects.toMatchObject({ code: expect.stringMatching(/^ARTIFACT_/) });
    await expect(loadClassifierInThread(path.join(root, 'missing'))).rejects.toMatchObject({ code: expect.stringMatching(/^ARTIFACT_/) });
  }, 30_000);
});
