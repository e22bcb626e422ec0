import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSqliteStore } from '../store/sqlite-store.js';
import { json, jsonRequest, testAppBuilder } from '../test-support/harness.js';
import { classify, closedAt } from '../test-support/route-helpers.js';

const build = testAppBuilder();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-shared-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('two servers on one SQLite store', () => {
  it("takes feedback sent to one server for the prediction another answered a moment ago, still in that server's buffer", async () => {
    const file = path.join(dir, 'shared.db');
    // Server A commits its predictions 200 ms after its answers (a server under load, or a longer --prediction-buffer-ms).
    const a = await build({ store: createSqliteStore({ file, bufferMs: 200 }) });
    const b = await build({ store: createSqliteStore({ file }) });
    // Both warm (their first request compiles what a request runs), so that B answers well within A's 200 ms.
    await classify(a.app, [{ id: 'warm-a', body: 'warm up' }]);
    expect((await b.app.request('/v1/feedback', jsonRequest({ emailId: 'warm-b', labels: { queue: 'technical' }, closedAt }))).status).toBe(202);
    const [p] = await classify(a.app, [{ id: 'mail-a1', body: 'invoice please' }]);
    const res = await b.app.request('/v1/feedback', jsonRequest({ predictionId: p.predictionId, labels: { queue: 'technical' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ emailId: 'mail-a1', predictionId: p.predictionId, matched: true });
  });

  it('answers 404 at once for an id that is not recent, and says when a recent one was still not found', async () => {
    const store = createSqliteStore({ file: path.join(dir, 'alone.db') });
    const reads = vi.spyOn(store, 'getPrediction');
    const { app } = await build({ store });
    const old = '01890a5d-ac96-774b-bcce-b302099a8057'; // a UUIDv7 of 2023
    const oldRes = await app.request('/v1/feedback', jsonRequest({ predictionId: old, labels: { queue: 'technical' }, closedAt }));
    expect(oldRes.status).toBe(404);
    expect((await json(oldRes)).detail).not.toMatch(/ms ago/);
    // Looked for once: nothing says an id of 2023 is still being stored.
    expect(reads).toHaveBeenCalledTimes(1);
    const hex = Date.now().toString(16).padStart(12, '0');
    const recent = `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000000`;
    const recentRes = await app.request('/v1/feedback', jsonRequest({ predictionId: recent, labels: { queue: 'technical' }, closedAt }));
    expect(recentRes.status).toBe(404);
    expect(reads).toHaveBeenCalledTimes(8);
    expect((await json(recentRes)).detail).toMatch(/It was made \d+ ms ago and was looked for until 630 ms after this request came: if another server sharing this store answered it, that server has not stored it yet/);
  });
});
