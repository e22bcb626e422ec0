import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startNodeServer } from '../adapters/node-server.js';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { buildTestApp } from '../test-support/harness.js';
import { slowRequestMessage, slowRequestRetryAfterSeconds, stalledBodyMessage } from './request-timeout.js';

/** Sends `head` + `body` on a raw socket and never more; resolves with the answer once the server closes the connection. */
function stalled(port: number, request: string): Promise<{ status: string; headers: string; problem: { code: string; detail: string } }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.once('error', reject);
    socket.once('close', () => {
      const [head, body] = answer.split('\r\n\r\n');
      resolve({ status: head.split('\r\n')[0], headers: head.toLowerCase(), problem: JSON.parse(body) });
    });
  });
}

describe('a request whose body stops arriving', () => {
  it('is told how much of its body came of how much it declared, within how long, and what to do', async () => {
    const serving = await buildTestApp({ noAuth: true, limits: { requestTimeoutMs: 300 } });
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const head = 'POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';
      const declared = await stalled(own.port, `${head}Content-Length: 1000\r\n\r\n{"emails":`);
      // The client's doing, not the server's: 408, not 503, and no Retry-After (sending the same again would stall again).
      expect(declared.status).toBe('HTTP/1.1 408 Request Timeout');
      expect(declared.headers).not.toContain('retry-after');
      expect(declared.headers).toContain('connection: close');
      expect(declared.headers).toContain('content-type: application/problem+json');
      expect(declared.problem.code).toBe('REQUEST_TIMEOUT');
      expect(declared.problem.detail).toContain('stopped arriving');
      expect(declared.problem.detail).toContain('10 of the 1000 bytes its Content-Length declares came within 300 ms');
      expect(declared.problem.detail).toContain('--timeout-ms of mailroute serve');
      const chunked = await stalled(own.port, `${head}Transfer-Encoding: chunked\r\n\r\n6\r\n{"emai\r\n`);
      expect([chunked.status, chunked.problem.code]).toEqual(['HTTP/1.1 408 Request Timeout', 'REQUEST_TIMEOUT']);
      expect(chunked.headers).toContain('connection: close');
      expect(chunked.problem.detail).toContain('the chunked body did not end (with its last, zero-length chunk) within 300 ms');
      // On a connection that answered a request before, the socket's count holds that request too: not given.
      const healthz = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
      const kept = await new Promise<string>((resolve) => {
        const socket = net.connect(own.port, '127.0.0.1', () => socket.write(healthz));
        let answer = '';
        socket.on('data', (chunk: Buffer) => {
          if (answer === '') socket.write(`${head}Content-Length: 1000\r\n\r\n{"emails":`);
          answer += chunk.toString('utf8');
        });
        socket.once('close', () => resolve(answer));
      });
      expect(kept).toContain('not all of the 1000 bytes its Content-Length declares came within 300 ms');
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('a request whose body came but whose answer is slow', () => {
  it('stays a 503, the slow model being the server\'s doing, whose Retry-After is no 1 s and whose detail names the timeout', async () => {
    const serving = await buildTestApp({ noAuth: true, classifier: createFakeClassifier({ delayMs: 600 }), limits: { requestTimeoutMs: 150 } });
    const own = await startNodeServer({ serving, host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${own.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails: [{ id: 'a', subject: 'Rechnung', body: 'Wo ist meine Rechnung?' }] }) });
      expect(res.status).toBe(503);
      // One slow email is as slow the second time: a CRM told 1 s would send it again and again.
      expect(res.headers.get('retry-after')).toBe('5');
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code).toBe('REQUEST_TIMEOUT');
      expect(problem.detail).toContain('The request took longer than 150 ms, the server\'s request timeout');
      expect(problem.detail).toContain('wait the Retry-After seconds (5)');
    } finally {
      await own.close();
    }
  }, 30_000);

  it('answers a single slow email without a Retry-After of 1, through the app too; the concurrency cap keeps its 1 s', async () => {
    const classifier = createFakeClassifier();
    let open!: () => void;
    classifier.hold = new Promise<void>((resolve) => (open = resolve));
    const serving = await buildTestApp({ noAuth: true, classifier, limits: { requestTimeoutMs: 40, maxConcurrent: 1 } });
    try {
      const send = () => serving.app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emails: [{ id: 'a', body: 'invoice' }] }) });
      const slow = await send();
      expect([slow.status, slow.headers.get('retry-after')]).toEqual([503, '5']);
      // The timed-out request still holds the only slot: sent again at once, the same email is refused as over the cap.
      const again = await send();
      expect([again.status, again.headers.get('retry-after'), ((await again.json()) as { code: string }).code]).toEqual([503, '1', 'OVERLOADED']);
    } finally {
      open();
      await serving.close();
    }
  });
});

describe('stalledBodyMessage', () => {
  it('says what came when it is known, and that not all came when it is not', () => {
    expect(stalledBodyMessage({ timeoutMs: 10_000, declared: 1000, received: 0 })).toContain('0 of the 1000 bytes its Content-Length declares came within 10000 ms');
    const unknown = stalledBodyMessage({ timeoutMs: 10_000, declared: 1000 });
    expect(unknown).toContain('not all of the 1000 bytes its Content-Length declares came within 10000 ms');
    expect(unknown).toContain('UTF-8 bytes, not characters');
  });
});

describe('slowRequestMessage', () => {
  it('names the timeout, says that sending it again at once would take as long, and on classify to split a big batch', () => {
    expect(slowRequestMessage('classify', 10_000)).toBe(
      "The request took longer than 10000 ms, the server's request timeout, and was answered without its result. Sent again at once, it would most likely take as long: wait the Retry-After seconds (10) before sending it again. Send a big batch of emails split into smaller requests; an email that alone takes this long will time out again.",
    );
    expect(slowRequestMessage('feedback', 10_000)).toBe(
      "The request took longer than 10000 ms, the server's request timeout, and was answered without its result. Sent again at once, it would most likely take as long: wait the Retry-After seconds (10) before sending it again.",
    );
  });
});

describe('slowRequestRetryAfterSeconds', () => {
  it('is the timeout in whole seconds, at least 5', () => {
    expect([150, 5_000, 10_000, 10_001, 27_000].map(slowRequestRetryAfterSeconds)).toEqual([5, 5, 10, 11, 27]);
  });
});
