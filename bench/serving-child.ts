/**
 * The server under test for bench/serving.ts, in its own process so the load generator does not share its
 * event loop. argv: mode (`mailroute` | `constant`), home, model threads (mailroute; default: the
 * server's default). Prints `LISTENING <url>`; on SIGTERM prints one JSON line with its peak memory and exits.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createLocalServing, startNodeServer } from '@mailroute/serving';

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
