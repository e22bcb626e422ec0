import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLocalRegistry } from '@mailroute/model';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalServing, DB_FILE } from './local-serving.js';
import { writeFixtureModel } from './test-support/fixture-model.js';

let root: string | undefined;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('createLocalServing', () => {
  it('answers before a prediction commits, then logs and counts a record that fails to commit', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-local-'));
    const home = path.join(root, 'home');
    const artifact = path.join(root, 'artifact');
    await writeFixtureModel(artifact, 'm1');
    const registry = createLocalRegistry({ home });
    await registry.approve((await registry.register(artifact)).id);
    const errors: string[] = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (message: string) => void errors.push(message) };
    const serving = await createLocalServing({ home, pollSeconds: 0, logger, predictionBufferMs: 20 });
    try {
      // From now on every insert into predictions fails in the writer thread's transaction.
      const other = new Database(path.join(home, DB_FILE));
      other.exec("CREATE TRIGGER refuse BEFORE INSERT ON predictions BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
      other.close();
      const res = await serving.app.request('/v1/classify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [{ id: 'crm-1', body: 'Bitte übertragen Sie mein Depot.' }] }),
      });
      expect(res.status).toBe(200);
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual(['prediction_write_failed']);
      const metrics = await (await serving.app.request('/metrics')).text();
      expect(metrics).toMatch(/^mailroute_store_write_failures_total 1$/m);
    } finally {
      await serving.close();
    }
  });

  it('rolls back to the previous Approved model when the champion is rejected, and keeps the last one serving when none is left', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-rollback-'));
    try {
      const home = path.join(dir, 'home');
      const registry = createLocalRegistry({ home });
      for (const id of ['m-old', 'm-new']) {
        await writeFixtureModel(path.join(dir, id), id);
        await registry.approve((await registry.register(path.join(dir, id))).id);
      }
      const warnings: string[] = [];
      const logger = { info: () => undefined, warn: (message: string) => void warnings.push(message), error: () => undefined };
      const serving = await createLocalServing({ home, pollSeconds: 0, logger });
      const served = async () => ((await (await serving.app.request('/v1/model')).json()) as { modelId: string; registry: { status: string } | null });
      const reload = async () => (await serving.app.request('/v1/admin/reload', { method: 'POST' })).json() as Promise<{ modelId: string; changed: boolean; note?: string }>;
      try {
        expect((await served()).modelId).toBe('m-new');
        await registry.reject('m-new', { note: 'misroutes complaints' });
        expect(await reload()).toMatchObject({ changed: true, modelId: 'm-old' });
        expect((await served()).modelId).toBe('m-old');
        await registry.reject('m-old');
        for (let i = 0; i < 3; i++) {
          const outcome = await reload();
          expect(outcome).toMatchObject({ changed: false, modelId: 'm-old' });
          expect(outcome.note).toContain('no champion');
        }
        expect(await served()).toMatchObject({ modelId: 'm-old', registry: { status: 'Rejected' } });
        expect(warnings.filter((w) => w.includes('no champion'))).toHaveLength(1); // said once, not every poll
        // A champion onnxruntime cannot load: the public answer names the file, not the server's paths.
        const broken = path.join(dir, 'm-broken');
        await writeFixtureModel(broken, 'm-broken');
        const manifestFile = path.join(broken, 'manifest.json');
        const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
        await writeFile(path.join(broken, 'model.onnx'), 'not an onnx model');
        manifest.files['model.onnx'] = createHash('sha256').update('not an onnx model').digest('hex');
        await writeFile(manifestFile, JSON.stringify(manifest));
        await registry.approve((await registry.register(broken)).id);
        const failed = await serving.app.request('/v1/admin/reload?force=true', { method: 'POST' });
        expect(failed.status).toBe(500);
        const problem = (await failed.json()) as { code: string; detail: string };
        expect(problem.code).toBe('MODEL_LOAD_FAILED');
        expect(problem.detail).toContain('m-broken');
        expect(problem.detail).not.toContain(dir);
        expect((await served()).modelId).toBe('m-old');
      } finally {
        await serving.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
