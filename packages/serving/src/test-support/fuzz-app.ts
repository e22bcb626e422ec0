import path from 'node:path';
import { Classifier } from '@mailroute/model';
import { createApp, type AppOptions, type ServingApp } from '../app.js';
import { createApiKeyAuth } from '../auth/api-keys.js';
import { createStaticClassifierSource } from '../model/classifier-source.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { writeFixtureModel } from './fixture-model.js';
import { KEYS, testKeys, type Loose } from './harness.js';

/** The generated feedback's clock: its dates lie in the 400 days before this and up to 5 minutes after. */
export const FUZZ_NOW = Date.parse('2026-11-30T12:00:00Z');

/**
 * The app the fuzz tests send generated requests to: the real fixture model (ONNX, its cleaning and featurizer,
 * written under `root`), so generated text runs the whole path, an in-memory SQLite store, the test keys and a
 * fixed clock; with the ids of predictions made for `emails`, for feedback to quote.
 */
export async function buildFuzzApp(root: string, emails: readonly object[], options: Partial<AppOptions> = {}): Promise<{ serving: ServingApp; predictionIds: string[] }> {
  await writeFixtureModel(path.join(root, 'm1'), 'm1');
  const source = createStaticClassifierSource(await Classifier.load(path.join(root, 'm1')));
  await source.reload();
  const serving = createApp({
    classifierSource: source,
    store: createSqliteStore({ file: ':memory:' }),
    auth: createApiKeyAuth(testKeys()),
    clock: { now: () => FUZZ_NOW },
    ...options,
    limits: { feedbackRetentionDays: 400, ...options.limits },
  });
  const res = await serving.app.request('/v1/classify', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.all}` },
    body: JSON.stringify({ emails }),
  });
  const predictionIds = ((await res.json()) as Loose).predictions.map((p: { predictionId: string }) => p.predictionId);
  return { serving, predictionIds };
}
