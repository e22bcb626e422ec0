import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, KEYS } from '../test-support/harness.js';
import { startNodeServer, type RunningServer } from './node-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startNodeServer({ serving: await buildTestApp({ limits: { maxBodyBytes: 1000 } }), host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

const BODY = JSON.stringify({ emails: [{ id: 'crm-1', subject: 'invoice' }] });

/** Sends a request's head with Expect: 100-continue and waits for the first answer; `body` is sent only after a 100 Continue. */
function expecting(headers: string, body: string): Promise<{ first: string; answer: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(`POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n${headers}\r\n`));
    let answer = '';
    let first = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (first === '') {
        first = answer.split('\r\n')[0];
        if (first === 'HTTP/1.1 100 Continue') socket.write(body);
      }
      if (/\r\n\r\n\{.*\}$/s.test(answer)) {
        socket.end();
        resolve({ first, answer: answer.toLowerCase() });
      }
    });
    socket.once('error', reject);
  });
}

describe('Expect: 100-continue', () => {
  const json = `Content-Type: application/json\r\nAuthorization: Bearer ${KEYS.all}\r\n`;

  it('answers a body over the limit 413 before it is sent, without a 100 Continue, and closes the connection', async () => {
    const { first, answer } = await expecting(`${json}Content-Length: 5000\r\n`, 'x'.repeat(5000));
    expect(first).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer).toContain('connection: close');
    expect(answer).toContain('"code":"payload_too_large"');
  });

  it('answers a request without a valid key 401 before its body is sent', async () => {
    const { first } = await expecting(`Content-Type: application/json\r\nContent-Length: ${BODY.length}\r\n`, BODY);
    expect(first).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('says 100 Continue to one the app reads, classifies it and keeps the connection', async () => {
    const { first, answer } = await expecting(`${json}Content-Length: ${Buffer.byteLength(BODY)}\r\n`, BODY);
    expect(first).toBe('HTTP/1.1 100 Continue');
    expect(answer).toContain('http/1.1 200 ok');
    expect(answer).not.toContain('connection: close');
  });
});
