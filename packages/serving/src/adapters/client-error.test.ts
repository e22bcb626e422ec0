import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../test-support/harness.js';
import { answerClientError } from './client-error.js';
import { startNodeServer, type RunningServer } from './node-server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startNodeServer({ serving: await buildTestApp({ noAuth: true }), host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
});

/** Sends `parts` on a raw socket (`end`: then half-closes it) and collects all the server writes until it closes. */
async function rawExchange(parts: string[], end: boolean): Promise<string> {
  const socket = net.connect(server.port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (const part of parts) {
    socket.write(part);
    // Each part is read on its own, as a client's separate writes are.
    await new Promise((r) => setTimeout(r, 30));
  }
  if (end) socket.end();
  await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000))]);
  socket.destroy();
  return answer;
}

/** The last HTTP answer in `raw`: its status line, headers and parsed JSON body. */
function lastAnswer(raw: string): { status: string; headers: string; body: Record<string, unknown> } {
  const start = Math.max(...[...raw.matchAll(/HTTP\/1\.1 \d{3} /g)].map((m) => m.index));
  const [head, body] = raw.slice(start).split('\r\n\r\n');
  const [status, ...headers] = head.split('\r\n');
  return { status, headers: headers.join('\n').toLowerCase(), body: JSON.parse(body) as Record<string, unknown> };
}

describe('a request Node cannot parse, on a real server', () => {
  it('is answered with a problem document (REQUEST_INVALID), not a bare 400, for bad header bytes', async () => {
    const raw = await rawExchange(['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\u0001b\r\n\r\n'], false);
    const { status, headers, body } = lastAnswer(raw);
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect(headers).toContain('content-type: application/problem+json');
    expect(headers).toContain('connection: close');
    // The headers every answer of the app carries.
    expect(headers).toContain('x-content-type-options: nosniff');
    expect(headers).toContain('cache-control: no-store');
    // An id as every error answer has, though no request could be read to take the caller's from.
    expect(headers).toMatch(/^x-request-id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m);
    expect(body).toMatchObject({ status: 400, code: 'REQUEST_INVALID', title: 'Bad Request' });
    expect(body.detail).toMatch(/malformed, or cut off/);
  });

  it('answers the same to a client that half-closes its socket in the middle of its headers', async () => {
    const raw = await rawExchange(['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Cut'], true);
    expect(lastAnswer(raw).body).toMatchObject({ status: 400, code: 'REQUEST_INVALID' });
  });

  it('answers a bad request that follows an answered one on a keep-alive connection', async () => {
    const raw = await rawExchange(['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n'], false);
    expect(raw.startsWith('HTTP/1.1 200 ')).toBe(true);
    expect(lastAnswer(raw).body).toMatchObject({ status: 400, code: 'REQUEST_INVALID' });
  });

  it('answers a request whose Content-Length is smaller than its body (characters counted, not bytes), then closes', async () => {
    const body = '{"emails":[{"subject":"Überweisung"}]}';
    // The rest of the body, read as the next request, is no request: the first one is still answered.
    const raw = await rawExchange([`POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length - 10}\r\n\r\n${body}`], false);
    const { status, headers, body: answer } = lastAnswer(raw);
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect(headers).toContain('connection: close');
    expect(answer).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining("before the JSON is complete: send all of it (a Content-Length counts the body's UTF-8 bytes, not its characters)") });
  });

  it('answers a chunked body whose chunk size is not hexadecimal, where it closed the connection without a word', async () => {
    const head = 'POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (const body of ['zz\r\n{}\r\n0\r\n\r\n', '2\r\n{}\r\nzz\r\n']) {
      const { status, headers, body: answer } = lastAnswer(await rawExchange([head, body], false));
      expect(status).toBe('HTTP/1.1 400 Bad Request');
      expect(headers).toContain('connection: close');
      expect(answer).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining('chunked encoding') });
    }
  });

  it('answers chunk extensions over the limit 413, after the head was read', async () => {
    const head = 'POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const { status, body } = lastAnswer(await rawExchange([head, `2;${'x'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`], false));
    expect(status).toBe('HTTP/1.1 413 Payload Too Large');
    expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a body sent with a transfer coding besides chunked (415), which it read as its coded bytes', async () => {
    const head = 'POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n';
    const { status, body } = lastAnswer(await rawExchange([head, '2\r\n{}\r\n0\r\n\r\n'], true));
    expect(status).toBe('HTTP/1.1 415 Unsupported Media Type');
    expect(body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: expect.stringContaining('Transfer-Encoding gzip, chunked is not supported') });
  });

  it('answers an HTTP/1.1 request without a Host header with a problem document, where Node answered an empty 400', async () => {
    const { status, headers, body } = lastAnswer(await rawExchange(['GET /healthz HTTP/1.1\r\n\r\n'], false));
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect(headers).toContain('content-type: application/problem+json');
    expect(headers).toContain('x-content-type-options: nosniff');
    expect(headers).toContain('connection: close');
    expect(body).toMatchObject({ status: 400, code: 'REQUEST_INVALID', detail: expect.stringContaining('Host header') });
    // HTTP/1.0 needs none.
    expect((await rawExchange(['GET /healthz HTTP/1.0\r\n\r\n'], false)).split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });

  it('answers an Expect other than 100-continue 417 with a problem document, where Node answered an empty one', async () => {
    const raw = await rawExchange(['POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'], false);
    const { status, headers, body } = lastAnswer(raw);
    expect(status).toBe('HTTP/1.1 417 Expectation Failed');
    expect(headers).toContain('content-type: application/problem+json');
    expect(headers).toMatch(/^x-request-id: [0-9a-f-]{36}$/m);
    expect(body).toMatchObject({ status: 417, code: 'REQUEST_INVALID', title: 'Expectation Failed', detail: expect.stringContaining('Expect: 200-ok') });
  });

  it('still serves well-formed requests', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('answerClientError', () => {
  const parseError = Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_HEADER_TOKEN' });

  it('destroys, without writing, a socket the client reset', () => {
    const socket = new PassThrough();
    answerClientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), socket);
    expect(socket.destroyed).toBe(true);
    expect(socket.read()).toBeNull();
  });

  it('destroys a socket that can no longer be written', () => {
    const socket = new PassThrough();
    socket.destroy();
    answerClientError(parseError, socket);
    expect(socket.destroyed).toBe(true);
  });

  it('keeps Node statuses for headers too large (431) and too slow (408)', async () => {
    for (const [code, status] of [['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large'], ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout']] as const) {
      const socket = new PassThrough();
      const written: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => written.push(chunk));
      answerClientError(Object.assign(new Error(code), { code }), socket);
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      expect(Buffer.concat(written).toString('latin1').split('\r\n')[0]).toBe(status);
    }
  });
});
