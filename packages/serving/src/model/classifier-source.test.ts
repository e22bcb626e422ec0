import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { NoChampionError } from '../errors.js';
import { createFakeClassifier, type FakeClassifier } from '../test-support/fake-classifier.js';
import { createClassifierSource, createStaticClassifierSource, REGISTRY_UNREADABLE_LOG_MS, registryTarget, withoutPaths, type ModelTarget, type SourceEvent } from './classifier-source.js';

function registryLike(initial: string) {
  let champion = initial;
  const loaded: FakeClassifier[] = [];
  const broken = new Set<string>();
  return {
    setChampion: (id: string) => (champion = id),
    breakModel: (id: string) => broken.add(id),
    loaded,
    resolve: async (): Promise<ModelTarget> => ({ id: champion, dir: `/models/${champion}` }),
    load: async (t: ModelTarget) => {
      if (broken.has(t.id)) throw new Error(`manifest of ${t.id} is invalid`);
      const c = createFakeClassifier({ modelId: t.id, delayMs: 5 });
      loaded.push(c);
      return c;
    },
  };
}

describe('createClassifierSource', () => {
  it('loads, verifies and swaps, releasing the old model only after its in-flight requests', async () => {
    const reg = registryLike('m1');
    const source = createClassifierSource(reg);
    await source.reload();
    const lease = source.acquire();
    expect(lease.classifier.modelId).toBe('m1');
    reg.setChampion('m2');
    const outcome = await source.reload();
    expect(outcome).toEqual({ changed: true, loaded: true, modelId: 'm2', previousModelId: 'm1' });
    expect(source.current()?.modelId).toBe('m2');
    expect(reg.loaded[0].released).toBe(false); // still leased
    lease.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(reg.loaded[0].released).toBe(true);
    await source.close();
    expect(reg.loaded[1].released).toBe(true);
    // Closed: said so, not that no model was loaded yet.
    expect(() => source.acquire()).toThrow(expect.objectContaining({ code: 'MODEL_NOT_READY', message: 'The server is shutting down: it classifies no more requests.' }));
  });

  it('loads nothing once closed: a reload asked after close is refused, and one that was loading releases what it loaded', async () => {
    const reg = registryLike('m1');
    let loading: (() => void) | undefined;
    const source = createClassifierSource({
      resolve: reg.resolve,
      load: async (t) => {
        // m2 loads until the test lets it finish, after close has begun.
        if (t.id === 'm2') await new Promise<void>((resolve) => (loading = resolve));
        return reg.load(t);
      },
    });
    await source.reload();
    reg.setChampion('m2');
    const during = source.reload();
    await new Promise((r) => setTimeout(r, 0));
    const closing = source.close();
    loading?.();
    expect(await during).toEqual({ changed: false, modelId: 'm1', previousModelId: 'm1' });
    await closing;
    expect(reg.loaded.map((c) => [c.modelId, c.released])).toEqual([['m1', true], ['m2', true]]);
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    expect(reg.loaded).toHaveLength(2);
  });

  it('does not swap in a model whose champion changed while it loaded; the next reload loads the champion', async () => {
    const reg = registryLike('m1');
    let failReads = false;
    const source = createClassifierSource({
      resolve: async () => {
        if (failReads) throw new Error('registry.json is being replaced');
        return reg.resolve();
      },
      load: async (t) => {
        const c = await reg.load(t);
        // Rejected while it loads: m3 is the champion by the time m2 is verified.
        if (t.id === 'm2') reg.setChampion('m3');
        // The registry cannot be read again once m4 is loaded: the swap goes ahead.
        if (t.id === 'm4') failReads = true;
        return c;
      },
    });
    await source.reload();
    reg.setChampion('m2');
    expect(await source.reload()).toEqual({ changed: false, modelId: 'm1', previousModelId: 'm1', championChanged: 'm2' });
    expect(source.current()?.modelId).toBe('m1');
    expect(reg.loaded.map((c) => [c.modelId, c.released])).toEqual([['m1', false], ['m2', true]]);
    expect(await source.reload()).toEqual({ changed: true, loaded: true, modelId: 'm3', previousModelId: 'm1' });
    reg.setChampion('m4');
    expect(await source.reload()).toEqual({ changed: true, loaded: true, modelId: 'm4', previousModelId: 'm3' });
    await source.close();
  });

  it('does nothing when the champion is unchanged unless forced', async () => {
    const reg = registryLike('m1');
    const source = createClassifierSource(reg);
    await source.reload();
    expect((await source.reload()).changed).toBe(false);
    // A forced reload opens a fresh session of the same model: loaded, but no other model, no reload counted.
    expect(await source.reload({ force: true })).toMatchObject({ changed: false, loaded: true, modelId: 'm1', previousModelId: 'm1' });
    expect(reg.loaded).toHaveLength(2);
    expect(source.status().reloads).toBe(0);
    await source.close();
  });

  it('a forced reload of a static source keeps serving its classifier instead of releasing it under its requests', async () => {
    const classifier = createFakeClassifier();
    const source = createStaticClassifierSource(classifier);
    await source.reload();
    // No session can be opened afresh: the one classifier stays served, and unreleased.
    expect(await source.reload({ force: true })).toEqual({ changed: false, modelId: 'fake-1', previousModelId: 'fake-1' });
    await new Promise((r) => setTimeout(r, 0));
    expect(classifier.released).toBe(false);
    const lease = source.acquire();
    await expect(lease.classifier.predict([{ subject: 'invoice' }])).resolves.toHaveLength(1);
    lease.release();
    await source.close();
    expect(classifier.released).toBe(true);
  });

  it('keeps the old model serving when the new one fails to load, and reports it', async () => {
    const reg = registryLike('m1');
    const events: string[] = [];
    const logged: unknown[][] = [];
    const source = createClassifierSource({ ...reg, logger: { info: () => undefined, warn: () => undefined, error: (...line) => logged.push(line) } });
    source.onEvent((e) => events.push(e.kind));
    await source.reload();
    reg.setChampion('bad');
    reg.breakModel('bad');
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(source.current()?.modelId).toBe('m1');
    expect(source.status()).toMatchObject({ modelId: 'm1', failedReloads: 1, lastReloadError: { modelId: 'bad', message: 'manifest of bad is invalid' } });
    expect(events).toEqual(['loaded', 'load_failed']);
    expect(logged).toEqual([['model load failed; the previous model keeps serving', { modelId: 'bad', detail: 'manifest of bad is invalid' }]]);
    await source.close();
  });

  it('clears a failed load once its model is no longer the champion: rolled back to the model served, or to none', async () => {
    for (const after of ['m1', undefined]) {
      let champion: string | undefined = 'm1';
      const reg = registryLike('m1');
      const events: SourceEvent[] = [];
      const source = createClassifierSource({ ...reg, resolve: async () => (champion === undefined ? undefined : { id: champion, dir: `/models/${champion}` }) });
      source.onEvent((e) => events.push(e));
      await source.reload();
      champion = 'bad';
      reg.breakModel('bad');
      await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
      champion = after;
      await source.reload();
      expect(source.status().lastReloadError, String(after)).toBeUndefined();
      expect(events.filter((e) => e.kind === 'load_failure_over'), String(after)).toEqual([{ kind: 'load_failure_over', modelId: 'm1', failedModelId: 'bad' }]);
      expect(source.current()?.modelId).toBe('m1');
      await source.close();
    }
  });

  it('leaves a failed first load to its caller: thrown, not also logged', async () => {
    const reg = registryLike('bad');
    reg.breakModel('bad');
    const logged: unknown[][] = [];
    const source = createClassifierSource({ ...reg, logger: { info: () => undefined, warn: () => undefined, error: (...line) => logged.push(line) } });
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(source.status()).toMatchObject({ failedReloads: 1, lastReloadError: { modelId: 'bad' } });
    expect(logged).toEqual([]);
    await source.close();
  });

  it('says a first load without a champion as the registry code start uses (REGISTRY_NOT_APPROVED), not as a model that failed to load', async () => {
    const source = createClassifierSource({ resolve: async () => undefined, load: async (t) => createFakeClassifier({ modelId: t.id }) });
    const error = await source.reload().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoChampionError);
    expect(error).toMatchObject({ code: 'REGISTRY_NOT_APPROVED', message: 'There is no model to serve (no champion in the registry).' });
    await source.close();
  });

  it('takes a champion the registry refuses (a tampered artifact) as its failed load: reported once, not retried every poll', async () => {
    let champion = 'm1';
    let artifactDirCalls = 0;
    const registry = {
      champion: async () => ({ id: champion }),
      artifactDir: async (id: string) => {
        artifactDirCalls++;
        if (id === 'tampered') throw Object.assign(new Error(`model "${id}": manifest.json was changed after registration`), { code: 'REGISTRY_ARTIFACT_TAMPERED' });
        return `/models/${id}`;
      },
    } as unknown as Parameters<typeof registryTarget>[0];
    const source = createClassifierSource({ resolve: registryTarget(registry), load: async (t) => createFakeClassifier({ modelId: t.id }), verify: async () => undefined });
    await source.reload();
    champion = 'tampered';
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: expect.stringContaining('Loading model tampered failed: model "tampered": manifest.json was changed') });
    for (let i = 0; i < 3; i++) expect(await source.reload()).toMatchObject({ changed: false, modelId: 'm1', skippedFailed: 'tampered' });
    expect(source.status()).toMatchObject({ modelId: 'm1', failedReloads: 1, lastReloadError: { modelId: 'tampered' } });
    expect(artifactDirCalls).toBe(5);
    await source.close();
  });

  it('logs who approved the champion it loads, when, why and its gate, and warns of one approved over a failed gate', async () => {
    let champion: Record<string, unknown> = { id: 'm1', statusChangedBy: 'anna', statusChangedAt: '2026-12-01T09:00:00.000Z', statusNote: 'beats m0', gate: { pass: true } };
    const registry = { champion: async () => champion, artifactDir: async (id: string) => `/models/${id}` } as unknown as Parameters<typeof registryTarget>[0];
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const logger = {
      info: (event: string, fields?: Record<string, unknown>) => void lines.push(['info', event, fields]),
      warn: (event: string, fields?: Record<string, unknown>) => void lines.push(['warn', event, fields]),
      error: () => undefined,
    };
    const source = createClassifierSource({ resolve: registryTarget(registry), load: async (t) => createFakeClassifier({ modelId: t.id }), verify: async () => undefined, logger });
    await source.reload();
    expect(lines).toEqual([['info', 'model loaded', { modelId: 'm1', previousModelId: undefined, approvedBy: 'anna', approvedAt: '2026-12-01T09:00:00.000Z', approvalNote: 'beats m0', gate: 'passed' }]]);
    lines.length = 0;
    champion = { id: 'm2', statusChangedBy: 'bob', statusChangedAt: '2026-12-02T09:00:00.000Z', statusNote: 'hotfix', gate: { pass: false } };
    await source.reload();
    const approval = { approvedBy: 'bob', approvedAt: '2026-12-02T09:00:00.000Z', approvalNote: 'hotfix', gate: 'failed' };
    expect(lines).toEqual([
      ['info', 'model loaded', { modelId: 'm2', previousModelId: 'm1', ...approval }],
      ['warn', 'the model loaded was approved over its failed gate (registry approve --force): watch its live quality', { modelId: 'm2', ...approval }],
    ]);
    lines.length = 0;
    // Never compared: said as such, without a warning.
    champion = { id: 'm3' };
    await source.reload();
    expect(lines).toEqual([['info', 'model loaded', { modelId: 'm3', previousModelId: 'm2', gate: 'none' }]]);
    await source.close();
  });

  it('says a registry.json that cannot be read at the first load with the registry\'s code, not as a model that failed to load', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'mailroute-source-registry-'));
    try {
      // Cut short (a full disk, a copy interrupted): the registry says which file and why, under its own code.
      await writeFile(path.join(home, 'registry.json'), '{"schemaVersion": 1, "champion": ');
      const logged: string[] = [];
      const logger = { info: () => undefined, warn: () => undefined, error: (event: string) => void logged.push(event) };
      const source = createClassifierSource({ resolve: registryTarget(createLocalRegistry({ home })), load: async (t) => createFakeClassifier({ modelId: t.id }), verify: async () => undefined, logger });
      const error = (await source.reload().catch((e: unknown) => e)) as Error & { code?: string };
      expect(error).toMatchObject({ code: 'REGISTRY_INDEX_INVALID', message: expect.stringMatching(/registry\.json: not JSON \(/) });
      expect(error.message).not.toContain('model ?');
      // No model failed to load: counted apart (the registry_unreadable event), not among the failed loads.
      expect(source.status()).toMatchObject({ failedReloads: 0, lastReloadError: { message: expect.stringMatching(/^registry\.json: not JSON/) } });
      // Another failure to find what to serve names no model either.
      const other = createClassifierSource({ resolve: () => Promise.reject(new Error('EACCES: permission denied')), load: async (t) => createFakeClassifier({ modelId: t.id }) });
      await expect(other.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED', message: 'Finding the model to serve failed: EACCES: permission denied' });
      expect(logged).toEqual([]); // a first load's failure is the caller's to report
      await source.close();
      await other.close();
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('says when a reload last failed to read the registry, as when it failed to load a model', async () => {
    let broken = false;
    let now = Date.parse('2026-12-04T01:00:00.000Z');
    const source = createClassifierSource({
      resolve: async () => (broken ? Promise.reject(new Error('registry.json: Unexpected end of JSON input')) : { id: 'm1', dir: '/models/m1' }),
      load: async (t) => createFakeClassifier({ modelId: t.id }),
      clock: { now: () => now },
    });
    await source.reload();
    broken = true;
    now += 5_000;
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(source.status()).toMatchObject({ modelId: 'm1', failedReloads: 0, lastReloadAt: '2026-12-04T01:00:05.000Z', lastReloadError: { at: '2026-12-04T01:00:05.000Z' } });
    await source.close();
  });

  it('counts an unreadable registry apart from failed loads, logs it when it starts, then every few minutes with a count, and when it is readable again', async () => {
    let broken = false;
    let now = Date.parse('2026-12-04T01:00:00.000Z');
    const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
    const events: SourceEvent[] = [];
    const source = createClassifierSource({
      resolve: async () => (broken ? Promise.reject(new Error('/srv/home/registry.json: not JSON (Unexpected end of JSON input)')) : { id: 'm1', dir: '/models/m1' }),
      load: async (t) => createFakeClassifier({ modelId: t.id }),
      clock: { now: () => now },
      logger: { info: at('info'), warn: at('warn'), error: at('error') },
    });
    source.onEvent((e) => events.push(e));
    await source.reload();
    lines.length = 0;
    broken = true;
    // Polls every 5 s for 11 minutes.
    const polls = (11 * 60_000) / 5_000;
    for (let i = 0; i < polls; i++) {
      now += 5_000;
      await source.reload().catch(() => undefined);
    }
    expect(events.filter((e) => e.kind === 'load_failed')).toEqual([]);
    expect(events.filter((e) => e.kind === 'registry_unreadable')).toHaveLength(polls);
    expect(source.status()).toMatchObject({ modelId: 'm1', failedReloads: 0, lastReloadError: { message: 'registry.json: not JSON (Unexpected end of JSON input)' } });
    expect(source.status().lastReloadError?.modelId).toBeUndefined();
    const detail = '/srv/home/registry.json: not JSON (Unexpected end of JSON input)';
    expect(lines).toEqual([
      ['error', 'the registry could not be read; the loaded model keeps serving', { detail, logAgainMinutes: REGISTRY_UNREADABLE_LOG_MS / 60_000 }],
      ['error', 'the registry still cannot be read; the loaded model keeps serving', { detail, failedReads: 61, since: '2026-12-04T01:00:05.000Z' }],
      ['error', 'the registry still cannot be read; the loaded model keeps serving', { detail, failedReads: 121, since: '2026-12-04T01:00:05.000Z' }],
    ]);
    lines.length = 0;
    broken = false;
    now += 5_000;
    expect(await source.reload()).toMatchObject({ changed: false, modelId: 'm1' });
    expect(lines).toEqual([['info', 'the registry is readable again', { failedReads: polls, since: '2026-12-04T01:00:05.000Z', unreadableSeconds: 660 }]]);
    expect(source.status()).toMatchObject({ failedReloads: 0, lastReloadError: undefined });
    // Said once: the next polls say nothing; a new spell of it is logged from its start again.
    await source.reload();
    broken = true;
    await source.reload().catch(() => undefined);
    expect(lines.map(([, message]) => message)).toEqual(['the registry is readable again', 'the registry could not be read; the loaded model keeps serving']);
    await source.close();
  });

  it('does not retry a failed champion on every poll; a forced reload or a new champion does', async () => {
    const reg = registryLike('m1');
    let unreadable = false;
    const resolve = () => (unreadable ? Promise.reject(new Error('registry.json is being replaced')) : reg.resolve());
    const source = createClassifierSource({ ...reg, resolve, load: async (t) => (t.id === 'bad' ? Promise.reject(new Error(`/srv/home/models/${t.id}/model.onnx: sha256 mismatch`)) : reg.load(t)) });
    await source.reload();
    reg.setChampion('bad');
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    // The public status names the file, not where it lives.
    expect(source.status().lastReloadError?.message).toBe('model.onnx: sha256 mismatch');
    // A poll that cannot read the registry in between does not make the failed champion one to try again.
    unreadable = true;
    await expect(source.reload()).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    unreadable = false;
    const tried = source.status().lastReloadAt;
    for (let i = 0; i < 3; i++) expect(await source.reload()).toMatchObject({ changed: false, skippedFailed: 'bad' }); // polls
    // Readable again: the failed champion's error is the one shown again, not the registry's.
    expect(source.status()).toMatchObject({ failedReloads: 1, lastReloadAt: tried, reloads: 0, lastReloadError: { modelId: 'bad', message: 'model.onnx: sha256 mismatch' } });
    // A folder named with blanks (the account's owner) is cut too, and prose with a slash is left alone.
    expect(withoutPaths('model.onnx in /home/Anna Müller/.mailroute/models/bad does not match its sha256')).toBe('model.onnx in bad does not match its sha256');
    expect(withoutPaths("open 'C:\\Users\\Anna Müller\\Bank Projects\\models\\bad\\manifest.json'")).toBe("open 'manifest.json'");
    expect(withoutPaths('missing and/or damaged at /srv/models/bad/model.onnx')).toBe('missing and/or damaged at model.onnx');
    // Names of five words, a path after a colon or in a file: URL; and the artifact's own folder, whatever its parents are called.
    expect(withoutPaths('missing from /home/Anna Maria von der Heide/.mailroute/models/bad')).toBe('missing from bad');
    expect(withoutPaths('at path:/home/anna/.mailroute/models/bad/model.onnx and file:///home/anna/x/model.onnx')).toBe('at path:model.onnx and file://model.onnx');
    expect(withoutPaths("open '/home/anna.o'brien/.mailroute/models/bad/model.onnx'", "/home/anna.o'brien/.mailroute/models/bad")).toBe("open 'bad/model.onnx'");
    await expect(source.reload({ force: true })).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect(source.status().failedReloads).toBe(2);
    reg.setChampion('m2');
    expect(await source.reload()).toMatchObject({ changed: true, modelId: 'm2' });
    expect(source.status()).toMatchObject({ reloads: 1, lastReloadError: undefined });
    await source.close();
  });

  it('rejects a model whose canary prediction is outside its taxonomy, and releases it', async () => {
    const bad = createFakeClassifier({ modelId: 'odd' });
    Object.assign(bad, { tasks: [{ name: 'queue', labels: ['only-this'] }] });
    const good = createFakeClassifier({ modelId: 'good' });
    let next = good;
    const source = createClassifierSource({ resolve: async () => ({ id: next.modelId, dir: '' }), load: async () => next });
    await source.reload();
    next = bad;
    await expect(source.reload()).rejects.toThrow(/outside task queue/);
    expect(bad.released).toBe(true);
    expect(source.current()?.modelId).toBe('good');
    await source.close();
  });

  it('polls the registry and swaps during a stream of requests with none failing', async () => {
    const reg = registryLike('m1');
    const source = createClassifierSource(reg);
    await source.reload();
    source.startPolling(10);
    const failures: unknown[] = [];
    const seen = new Set<string>();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const lease = source.acquire();
        try {
          const [p] = await lease.classifier.predict([{ body: 'invoice' }]);
          seen.add(p.modelId);
        } catch (error) {
          failures.push(error);
        } finally {
          lease.release();
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (const id of ['m2', 'm3', 'm4']) {
      reg.setChampion(id);
      await new Promise((r) => setTimeout(r, 60));
    }
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
    await source.close();
    expect(reg.loaded.every((c) => c.released)).toBe(true);
  });
});

describe("the served champion's files in the registry", () => {
  it('says once when a file of the model served is gone (a restart would fail), and once when it is back; the model serves on', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-files-'));
    const dir = path.join(root, 'm1');
    await mkdir(dir);
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ files: { 'model.onnx': 'a'.repeat(64) } }));
    await writeFile(path.join(dir, 'model.onnx'), 'onnx');
    const registry = { champion: async () => ({ id: 'm1' }), artifactDir: async () => dir } as unknown as Parameters<typeof registryTarget>[0];
    const lines: Array<[string, string]> = [];
    const logger = { info: (e: string) => void lines.push(['info', e]), warn: (e: string) => void lines.push(['warn', e]), error: (e: string) => void lines.push(['error', e]) };
    const source = createClassifierSource({ resolve: registryTarget(registry, { checkFiles: true }), load: async (t) => createFakeClassifier({ modelId: t.id }), verify: async () => undefined, logger });
    const events: SourceEvent[] = [];
    source.onEvent((e) => events.push(e));
    await source.reload();
    await rm(path.join(dir, 'model.onnx'));
    for (let i = 0; i < 3; i++) expect(await source.reload()).toMatchObject({ changed: false, modelId: 'm1' });
    expect(lines.filter(([level]) => level === 'error').map(([, e]) => e)).toEqual([expect.stringContaining("the served champion's files in the registry no longer load")]);
    expect(events.filter((e) => e.kind === 'champion_files')).toEqual([{ kind: 'champion_files', broken: true, modelId: 'm1', message: expect.stringContaining('model.onnx is missing from m1') }]);
    expect(source.current()?.modelId).toBe('m1');
    await writeFile(path.join(dir, 'model.onnx'), 'onnx');
    await source.reload();
    expect(events.filter((e) => e.kind === 'champion_files').map((e) => (e as { broken: boolean }).broken)).toEqual([true, false]);
    expect(lines.at(-1)).toEqual(['info', "the served champion's files in the registry load again"]);
    await source.close();
    await rm(root, { recursive: true, force: true });
  });
});
