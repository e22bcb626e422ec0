import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { buildTestApp, KEYS } from '../test-support/harness.js';
import { startNodeServer } from './node-server.js';

describe('a client that closes its connection before the answer', () => {
  it('is counted and logged as 499, not as the 200 it never received', async () => {
    const lines: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const logger = { info: (message: string, fields?: Record<string, unknown>) => void lines.push({ message, fields }), warn: () => undefined, error: () => undefined };
    const serving = await buildTestApp({ classifier: createFakeClassifier({ delayMs: 300 }), logger, accessLog: true });
    const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const { port } = new URL(server.url);
      const body = JSON.stringify({ emails: [{ id: 'gone-1', body: 'invoice please' }] });
      // A CRM whose timeout is shorter than the model's answer: it sends the request and hangs up at once.
      const socket = net.connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.all}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      // A client that waits gets its 200, counted as such.
      const waited = await fetch(`${server.url}/v1/classify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/json' },
        body: JSON.stringify({ emails: [{ id: 'waited-1', body: 'invoice please' }] }),
      });
      expect(waited.status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.all}` } })).text();
      expect(metrics).toContain('mailroute_http_requests_total{method="POST",route="/v1/classify",status="499"} 1');
      expect(metrics).toContain('mailroute_http_requests_total{method="POST",route="/v1/classify",status="200"} 1');
      expect(lines.filter((l) => l.message === 'request' && l.fields?.route === '/v1/classify').map((l) => l.fields?.status).sort()).toEqual([200, 499]);
      // The predictions of the classify whose client went away are not kept (the serving README says so).
      const stored = await serving.context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
      expect(stored.map((p) => p.prediction.emailId)).toEqual(['waited-1']);
    } finally {
      await server.close();
    }
  });
});
