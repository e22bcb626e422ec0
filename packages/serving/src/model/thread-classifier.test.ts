import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier } from '@mailroute/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_EMAILS, writeFixtureModel } from '../test-support/fixture-model.js';
import { createPredictBatcher } from './batcher.js';
import { loadClassifierInThread, pickThread } from './thread-classifier.js';
import { respawnDelayMs, type RespawnPolicy, type RespawnTimers } from './thread-health.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-thread-'));
  await writeFixtureModel(path.join(root, 'm1'), 'm1');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const emails = FIXTURE_EMAILS;

/** Runs an ES module script (TypeScript imports allowed) in a Node process of its own. */
async function runNode(script: string): Promise<{ stdout: string; code: number }> {
  const file = path.join(root, `script-${Date.now()}.mts`);
  await writeFile(file, script);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' }, timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ stdout: stdout + stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 });
    });
  });
}

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
    // No wait between replacements here (the waits of a thread that keeps exiting are tested below).
    const respawn = { baseDelayMs: 0, maxDelayMs: 0, resetAfterMs: 60_000 };
    const threaded = await loadClassifierInThread(path.join(root, 'm1'), { logger, workerUrl, respawn });
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

  /** A classifier on the test thread that exits on `exit-thread` and throws on `throw-in-thread`, replaced at once. */
  const endingThreads = (onThreadFailure?: (event: string) => void) =>
    loadClassifierInThread(path.join(root, 'm1'), { workerUrl: new URL('../test-support/exiting-thread.worker.mjs', import.meta.url), respawn: { baseDelayMs: 0, maxDelayMs: 0, resetAfterMs: 60_000 }, onThreadFailure });

  it.each(['exit-thread', 'throw-in-thread'])('sends a batch that waited behind the one a thread ended on (%s), never sent to it, to the replacement', async (ending) => {
    const threaded = await endingThreads();
    try {
      const before = await threaded.predict(emails);
      // In one turn: the first goes to the thread and ends it; the second waits for the thread's answer.
      const [ended, waited] = await Promise.allSettled([threaded.predict([{ ...emails[0], id: ending }]), threaded.predict(emails)]);
      expect(ended.status).toBe('rejected');
      expect(waited).toEqual({ status: 'fulfilled', value: before });
    } finally {
      await threaded.release();
    }
  }, 30_000);

  it('takes an uncaught error in the thread as its exit: the shared batch it held fails once, not email by email', async () => {
    const failures: string[] = [];
    const threaded = await endingThreads((e) => failures.push(e));
    const batcher = createPredictBatcher(256);
    try {
      // One shared call holds both requests; the thread throws on it.
      const shared = await Promise.allSettled([batcher.predict(threaded, [{ ...emails[0], id: 'throw-in-thread' }]), batcher.predict(threaded, emails)]);
      expect(shared.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(shared[0]).toMatchObject({ reason: expect.objectContaining({ name: 'ModelThreadExitedError', message: 'boom in the model thread' }) });
      expect(failures).toEqual(['exited']);
    } finally {
      await threaded.release();
    }
  }, 30_000);

  it('keeps the process alive for a batch sent while a replacement thread loads', async () => {
    // In a process of its own: the batch must hold the process open until it is answered.
    const script = [
      `import { loadClassifierInThread } from ${JSON.stringify(new URL('./thread-classifier.ts', import.meta.url).href)};`,
      `const threaded = await loadClassifierInThread(${JSON.stringify(path.join(root, 'm1'))}, { workerUrl: new URL(${JSON.stringify(new URL('../test-support/exiting-thread.worker.mjs', import.meta.url).href)}) });`,
      "await threaded.predict([{ id: 'exit-thread', body: 'x' }]).catch(() => undefined);",
      "const answered = await threaded.predict([{ id: 'a', body: 'Bitte um Rückruf.' }]);",
      'console.log(`answered ${answered.length}`);',
      'await threaded.release();',
    ].join('\n');
    const { stdout, code } = await runNode(script);
    expect(stdout).toContain('answered 1');
    expect(code).toBe(0);
  }, 60_000);

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

describe('model threads that exit and cannot be replaced, or keep exiting', () => {
  const exitingUrl = new URL('../test-support/exiting-thread.worker.mjs', import.meta.url);
  const recorder = () => {
    const lines: string[] = [];
    const events: string[] = [];
    const logger = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
    return { lines, events, logger, onThreadFailure: (e: string) => events.push(e) };
  };
  /** Timers the test fires by hand, on a clock it sets. */
  const fakeTimers = () => {
    const waits: { ms: number; run: () => void; cleared: boolean }[] = [];
    let now = 0;
    const timers: RespawnTimers = {
      now: () => now,
      setTimeout: (run, ms) => {
        const w = { ms, run, cleared: false };
        waits.push(w);
        return w;
      },
      clearTimeout: (w) => void ((w as { cleared: boolean }).cleared = true),
    };
    return { timers, waits, advance: (ms: number) => void (now += ms) };
  };
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setImmediate(r));
  };

  it('is not ready once the only thread exited and its replacement failed to load, and reports it', async () => {
    const dir = path.join(root, 'deleted');
    await cp(path.join(root, 'm1'), dir, { recursive: true });
    const r = recorder();
    const t = fakeTimers();
    const threaded = await loadClassifierInThread(dir, { workerUrl: exitingUrl, logger: r.logger, onThreadFailure: r.onThreadFailure, timers: t.timers });
    try {
      expect(threaded.health()).toEqual({ ready: true });
      await rm(dir, { recursive: true, force: true }); // the artifact is gone after the server started
      await expect(threaded.predict([{ ...emails[0], id: 'exit-thread' }])).rejects.toThrow(/exited \(7\)/);
      await until(() => r.events.length === 2);
      expect(r.events).toEqual(['exited', 'replacement_failed']);
      expect(r.lines).toContain('error the new model thread failed to load; trying again after a wait');
      const health = threaded.health();
      expect(health.ready).toBe(false);
      expect(health.detail).toMatch(/^No model thread is loaded \(the replacement of model thread 0 failed to load: /);
      await expect(threaded.predict(emails)).rejects.toThrow();
    } finally {
      await threaded.release();
    }
  }, 30_000);

  /**
   * A single-thread classifier on its own copy of the artifact, whose thread then exits while the artifact
   * is moved away (briefly unreadable): the replacement that starts at once fails to load. `restore` moves
   * the artifact back.
   */
  const failedReplacement = async (name: string, respawn?: RespawnPolicy) => {
    const dir = path.join(root, name);
    const away = `${dir}-away`;
    await cp(path.join(root, 'm1'), dir, { recursive: true });
    const r = recorder();
    const t = fakeTimers();
    const threaded = await loadClassifierInThread(dir, { workerUrl: exitingUrl, logger: r.logger, onThreadFailure: r.onThreadFailure, timers: t.timers, respawn });
    const before = await threaded.predict(emails);
    await rename(dir, away);
    await expect(threaded.predict([{ ...emails[0], id: 'exit-thread' }])).rejects.toThrow(/exited \(7\)/);
    await until(() => r.events.length === 2);
    return { ...r, ...t, threaded, before, restore: () => rename(away, dir) };
  };

  it('tries a replacement that failed to load again after each wait, longer each time, until one loads and serves', async () => {
    const f = await failedReplacement('unreadable', { baseDelayMs: 100, maxDelayMs: 150, resetAfterMs: 10_000 });
    try {
      // The first replacement started at once and failed: the second failure in a row waits 100 ms.
      expect(f.waits.map((w) => w.ms)).toEqual([100]);
      expect(f.threaded.health().ready).toBe(false);
      f.waits[0].run(); // still unreadable: fails again, and waits longer (200 ms, capped at 150)
      await until(() => f.events.length === 3);
      expect(f.events).toEqual(['exited', 'replacement_failed', 'replacement_failed']);
      expect(f.waits.map((w) => w.ms)).toEqual([100, 150]);
      expect(f.threaded.health().ready).toBe(false);
      await f.restore(); // readable again: the next try loads
      f.waits[1].run();
      await expect(f.threaded.predict(emails)).resolves.toEqual(f.before);
      expect(f.threaded.health()).toEqual({ ready: true });
      expect(f.lines).toContain('info the new model thread is ready');
      expect(f.waits).toHaveLength(2);
      expect(f.events).toHaveLength(3);
    } finally {
      await f.threaded.release();
    }
  }, 60_000);

  it('starts no thread after release while a failed replacement waits to be tried again', async () => {
    const f = await failedReplacement('released-wait');
    expect(f.waits.map((w) => w.ms)).toEqual([250]);
    await f.restore();
    await f.threaded.release();
    expect(f.waits[0].cleared).toBe(true);
    f.waits[0].run(); // a timer that fired anyway starts nothing: the slot still holds the replacement that failed
    await expect(f.threaded.predict(emails)).rejects.toMatchObject({ code: expect.stringMatching(/^ARTIFACT_/) });
    expect(f.threaded.health().ready).toBe(false);
    expect(f.lines).not.toContain('info the new model thread is ready');
  }, 30_000);

  it('stays ready while another thread serves, and still reports the replacement that failed', async () => {
    const dir = path.join(root, 'deleted-2');
    await cp(path.join(root, 'm1'), dir, { recursive: true });
    const r = recorder();
    const t = fakeTimers();
    const threaded = await loadClassifierInThread(dir, { threads: 2, workerUrl: exitingUrl, logger: r.logger, onThreadFailure: r.onThreadFailure, timers: t.timers });
    try {
      const before = await threaded.predict(emails);
      await rm(dir, { recursive: true, force: true });
      await expect(threaded.predict([{ ...emails[0], id: 'exit-thread' }])).rejects.toThrow(/exited/);
      await until(() => r.events.length === 2);
      expect(r.events).toEqual(['exited', 'replacement_failed']);
      expect(threaded.health()).toEqual({ ready: true });
      await expect(threaded.predict(emails)).resolves.toEqual(before);
    } finally {
      await threaded.release();
    }
  }, 30_000);

  it('waits longer before each replacement of a thread that keeps exiting, and starts over once one served long enough', async () => {
    const r = recorder();
    const t = fakeTimers();
    const policy = { baseDelayMs: 100, maxDelayMs: 250, resetAfterMs: 10_000 };
    const threaded = await loadClassifierInThread(path.join(root, 'm1'), { workerUrl: exitingUrl, timers: t.timers, respawn: policy, onThreadFailure: r.onThreadFailure });
    const crash = () => expect(threaded.predict([{ ...emails[0], id: 'exit-thread' }])).rejects.toThrow(/exited/);
    try {
      const before = await threaded.predict(emails);
      await crash(); // first exit: replaced at once, no wait
      expect(t.waits).toHaveLength(0);
      await expect(threaded.predict(emails)).resolves.toEqual(before);
      await crash(); // second in a row: 100 ms
      expect(t.waits.map((w) => w.ms)).toEqual([100]);
      // No thread until the wait is over: not ready, and a batch fails at once instead of spinning a thread.
      expect(threaded.health().ready).toBe(false);
      await expect(threaded.predict(emails)).rejects.toThrow(/exited/);
      t.waits[0].run();
      await expect(threaded.predict(emails)).resolves.toEqual(before);
      expect(threaded.health()).toEqual({ ready: true });
      await crash(); // third: 200 ms
      t.waits[1].run();
      await expect(threaded.predict(emails)).resolves.toEqual(before);
      await crash(); // fourth: 400 ms, capped at 250
      expect(t.waits.map((w) => w.ms)).toEqual([100, 200, 250]);
      t.waits[2].run();
      await expect(threaded.predict(emails)).resolves.toEqual(before);
      t.advance(10_000); // this one served long enough: the next exit is a first one again
      await crash();
      expect(t.waits).toHaveLength(3);
      await expect(threaded.predict(emails)).resolves.toEqual(before);
      await crash();
      expect(t.waits.map((w) => w.ms)).toEqual([100, 200, 250, 100]);
      expect(r.events).toEqual(['exited', 'exited', 'exited', 'exited', 'exited', 'exited']);
    } finally {
      await threaded.release();
    }
    expect(t.waits[3].cleared).toBe(true); // released during a wait: no thread starts after it
  }, 60_000);

  it('doubles the wait from the second exit in a row up to the cap', () => {
    const policy = { baseDelayMs: 250, maxDelayMs: 30_000, resetAfterMs: 60_000 };
    expect([1, 2, 3, 4, 5, 8, 9, 1000].map((n) => respawnDelayMs(n, policy))).toEqual([0, 250, 500, 1000, 2000, 16_000, 30_000, 30_000]);
  });
});
