/**
 * The server under test for bench/serving.ts, in its own process so the load generator does not share its
 * event loop. argv: mode (`mailroute` | `constant` | `app`), home, model threads (mailroute; default: the
 * server's default). `app` is mailroute's app and store with a classifier that answers a constant (the champion's
 * tasks, its first label each): the HTTP, validation, store and answer work without cleaning, featurizing or ONNX.
 * Prints `LISTENING <url>`; on SIGTERM prints one JSON line with its peak memory and exits.
 */
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { classifierTasks, createLocalRegistry, readManifest, type EmailClassifier, type EmailPrediction } from '@mailroute/model';
import { createApp, createLocalServing, createSqliteStore, createStaticClassifierSource, loadAuth, startNodeServer, type ServingApp } from '@mailroute/serving';

/** The champion's tasks answered with a constant, in the shape the model answers (three labels in `top`). */
async function constantClassifier(home: string): Promise<EmailClassifier> {
  const registry = createLocalRegistry({ home });
  const manifest = await readManifest(await registry.artifactDir((await registry.champion())!.id));
  const tasks = classifierTasks(manifest);
  const answer = (id: string | undefined): EmailPrediction => ({
    ...(id === undefined ? {} : { id }),
    modelId: manifest.modelId,
    tasks: Object.fromEntries(tasks.map((t) => [t.name, { label: t.labels[0], confidence: 0.9, top: t.labels.slice(0, 3).map((label, i) => ({ label, score: i === 0 ? 0.9 : 0.05 })), abstained: false }])),
    route: { queue: tasks.find((t) => t.name === 'queue')?.labels[0] ?? 'manual_triage', reason: 'confident' },
  });
  return { modelId: manifest.modelId, tasks, predict: async (emails) => emails.map((e) => answer(e.id)), release: async () => undefined };
}

const [mode, home, threads] = process.argv.slice(2);
let close: () => Promise<void>;
if (mode === 'constant') {
  // The framework's ceiling: a plain Hono route on the same Node adapter answering a constant.
  const app = new Hono();
  const constant = { modelId: 'constant', predictions: [] };
  app.post('/v1/classify', (c) => c.json(constant));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`LISTENING http://127.0.0.1:${port}\n`);
  close = () => new Promise((resolve) => server.close(() => resolve()));
} else if (mode === 'app') {
  const source = createStaticClassifierSource(await constantClassifier(home));
  await source.reload();
  const store = createSqliteStore({ file: path.join(home, 'app-only.db') });
  const serving: ServingApp = createApp({ classifierSource: source, store, auth: loadAuth(undefined), limits: { maxConcurrent: 1024 } });
  const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
  process.stdout.write(`LISTENING ${server.url}\n`);
  close = () => server.close();
} else {
  const serving = await createLocalServing({ home, pollSeconds: 0, limits: { maxConcurrent: 1024 }, ...(threads === undefined ? {} : { modelThreads: Number(threads) }) });
  const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
  process.stdout.write(`LISTENING ${server.url}\n`);
  close = () => server.close();
}
process.once('SIGTERM', () => {
  void close().finally(() => {
    process.stdout.write(`${JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
    process.exit(0);
  });
});
