import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp, KEYS } from '../test-support/harness.js';
import { startNodeServer } from './node-server.js';

/** Sends raw bytes, resolves with the whole answer as text once the server closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const requestIdOf = (answer: string) => /\r\nx-request-id: ([^\r]+)\r\n/i.exec(answer)?.[1];

describe('answers the Node server gives before the app reads the request', () => {
  it('are counted in /metrics and logged as refusals, with the id each answer carries', async () => {
    const refusals: Array<Record<string, unknown>> = [];
    const logger = { info: () => undefined, warn: (message: string, fields?: Record<string, unknown>) => void (message === 'request refused' && refusals.push(fields ?? {})), error: () => undefined };
    const serving = await buildTestApp({ logger });
    const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const answers = [
        // No fetch Request can be made of it: a backslash in the path.
        await raw(server.port, 'GET /v1\\classify HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
        // Node cannot parse it.
        await raw(server.port, 'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n'),
        // Headers over Node's limit.
        await raw(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      ];
      expect(answers.map((a) => a.split('\r\n')[0])).toEqual(['HTTP/1.1 400 Bad Request', 'HTTP/1.1 400 Bad Request', 'HTTP/1.1 431 Request Header Fields Too Large']);
      const ids = answers.map(requestIdOf);
      expect(refusals.map((r) => [r.requestId, r.route, r.method, r.status, r.code])).toEqual([
        [ids[0], 'unread_request', 'unknown', 400, 'REQUEST_INVALID'],
        [ids[1], 'unread_request', 'unknown', 400, 'REQUEST_INVALID'],
        [ids[2], 'unread_request', 'unknown', 431, 'REQUEST_INVALID'],
      ]);
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.all}` } })).text();
      expect(metrics).toContain('mailroute_http_requests_total{method="unknown",route="unread_request",status="400"} 2');
      expect(metrics).toContain('mailroute_http_requests_total{method="unknown",route="unread_request",status="431"} 1');
      expect(metrics).toContain('mailroute_problem_responses_total{code="REQUEST_INVALID",route="unread_request"} 3');
    } finally {
      await server.close();
    }
  });

  it('log a fault before the app answers (its fetch throwing) as request failed, rate-limited as the app\'s are', async () => {
    const failures: Array<Record<string, unknown>> = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (message: string, fields?: Record<string, unknown>) => void (message === 'request failed' && failures.push(fields ?? {})) };
    const serving = await buildTestApp({ logger });
    serving.app.fetch = () => {
      throw new Error('fetch broke');
    };
    const server = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await raw(server.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
      expect(answers.every((a) => a.startsWith('HTTP/1.1 500 '))).toBe(true);
      // At most 10 a minute for the route and code, each with the id its answer carries.
      expect(failures).toHaveLength(10);
      expect(failures[0]).toMatchObject({ requestId: requestIdOf(answers[0]), route: 'unread_request', method: 'unknown', status: 500, code: 'INTERNAL', error: 'Error: fetch broke' });
    } finally {
      await server.close();
    }
  });
});
