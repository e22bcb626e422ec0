import { describe, expect, it } from 'vitest';
import { createFakeClassifier } from './test-support/fake-classifier.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from './test-support/harness.js';
import { invoiceEmail } from './test-support/route-helpers.js';
import { StoreError } from './errors.js';
import { createSqliteStore } from './store/sqlite-store.js';
import { SAGEMAKER_BODY_LIMIT } from './http/limits.js';

const build = testAppBuilder();

describe('POST /v1/classify', () => {
  it('rejects an empty batch and one over the limit with 400 and the issue path', async () => {
    const { app } = await build({ limits: { maxBatch: 2 } });
    for (const emails of [[], [invoiceEmail, invoiceEmail, invoiceEmail]]) {
      const res = await app.request('/v1/classify', jsonRequest({ emails }));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = await json(res);
      expect(problem.code).toBe('REQUEST_INVALID');
      expect(problem.issues[0].path).toEqual(['emails']);
      expect(problem.issues[0].message).toMatch(emails.length === 0 ? /^Send at least one email/ : /^At most 2 emails per request: split the batch/);
    }
  });

  it('reports the path of a bad field', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { id: 'y', receivedAt: 'yesterday' }] }));
    expect(res.status).toBe(400);
    expect((await json(res)).issues[0].path).toEqual(['emails', 1, 'receivedAt']);
  });

  it('refuses a receivedAt on a day its month does not have (no silent roll-over into March)', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { id: 'feb', subject: 'invoice', receivedAt: '2025-02-30T10:15:00Z' }] }));
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.code).toBe('REQUEST_INVALID');
    expect(problem.issues[0].path).toEqual(['emails', 1, 'receivedAt']);
  });

  it('takes receivedAt in the forms training reads (ISO 8601 without a zone, RFC 2822), and names them when refusing one', async () => {
    const { app } = await build();
    const forms = ['2025-11-03T10:15:00', 'Mon, 3 Nov 2025 10:15:00 +0100', '2025-11-03', '2025-11-03T10:15:00Z', '2025-11-03T10:15:00.123+01:00'];
    const res = await app.request('/v1/classify', jsonRequest({ emails: forms.map((receivedAt, i) => ({ id: `d${i}`, subject: 'invoice', receivedAt })) }));
    expect(res.status).toBe(200);
    const bad = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'y', subject: 'invoice', receivedAt: '03.11.2025' }] })));
    expect(bad.issues[0]).toMatchObject({ path: ['emails', 0, 'receivedAt'] });
    expect(bad.issues[0].message).toContain('ISO 8601');
    expect(bad.issues[0].message).toContain('RFC 2822');
    // The common ISO form is checked by its shape first, and still by its value: month 13 is no date.
    const month13 = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'z', subject: 'invoice', receivedAt: '2025-13-03T10:15:00Z' }] }));
    expect(month13.status).toBe(400);
  });

  it('says where malformed JSON breaks, without quoting it, and that an empty body is empty', async () => {
    const { app } = await build();
    const broken = await json(app.request('/v1/classify', jsonRequest('{"emails": [}')));
    expect(broken).toMatchObject({ status: 400, code: 'REQUEST_INVALID', detail: 'Malformed JSON in request body at line 1, column 13 (character 13 of 13): an unexpected character.' });
    const secret = await json(app.request('/v1/feedback', jsonRequest('{"emailId": "Kündigung Erika Muster\n", "labels": {}')));
    expect(secret.detail).toMatch(/^Malformed JSON in request body at line 1, column 36 /); // the raw line break in the string
    expect(JSON.stringify(secret)).not.toContain('Erika');
    for (const body of ['', '  \n']) {
      const empty = await json(app.request('/v1/classify', jsonRequest(body)));
      expect(empty).toMatchObject({ status: 400, code: 'REQUEST_INVALID', detail: 'The body is empty: send a JSON object.' });
      // One issue code for an empty body, on JSON routes and on /v1/classify/eml alike.
      expect(empty.issues).toEqual([{ path: [], message: 'empty body', code: 'empty' }]);
    }
    expect((await json(app.request('/v1/classify', jsonRequest('{"emails": [')))).issues[0].code).toBe('invalid_json');
    const eml = await json(app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: ' ' })));
    expect(eml.issues).toEqual([{ path: [], message: 'empty body', code: 'empty' }]);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', jsonRequest('{"emails": ['));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await json(res)).code).toBe('REQUEST_INVALID');
  });

  it('answers a wrong content type with 415', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }));
    expect(res.status).toBe(415);
    expect((await json(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over the limit with 413, and a refused body keeps no concurrency slot', async () => {
    const { app } = await build({ limits: { maxBodyBytes: 1000, maxConcurrent: 2 } });
    const big = JSON.stringify({ emails: [{ body: 'y'.repeat(2000) }] });
    for (let i = 0; i < 3; i++) {
      // Declared (refused before the body is read) and undeclared (counted as it is read).
      const init = jsonRequest(big);
      const res = await app.request('/v1/classify', i === 2 ? init : { ...init, headers: { ...(init.headers as Record<string, string>), 'content-length': String(big.length) } });
      expect(res.status).toBe(413);
      const problem = await json(res);
      expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
      // The limit, the size when it was declared, and what to do: split the batch or raise the limit.
      const size = i === 2 ? 'over the limit of 1000 bytes (1 KB)' : `${big.length} bytes (2 KB), over the limit of 1000 bytes (1 KB)`;
      expect(problem.detail).toBe(
        `The body is ${size}: split the batch into smaller requests or raise the limit with --max-body-bytes of mailroute serve (the server's maxBodyBytes setting) up to 6 MB, SageMaker's limit.`,
      );
    }
    const eml = await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822', 'content-length': '2000' }, body: `Subject: x\r\n\r\n${'y'.repeat(1988)}` }));
    expect((await json(eml)).detail).toMatch(/^The body is 2000 bytes \(2 KB\), over the limit of 1000 bytes \(1 KB\): send a smaller message \(attachments are never read, only their file names: send each attachment's MIME headers with its content left out\) or raise the limit/);
    // A feedback has no batch to split.
    const feedback = await app.request('/v1/feedback', { ...jsonRequest(big), headers: { ...(jsonRequest(big).headers as Record<string, string>), 'content-length': String(big.length) } });
    expect((await json(feedback)).detail).toMatch(/^The body is \d+ bytes \(2 KB\), over the limit of 1000 bytes \(1 KB\): a feedback is one small object \(predictionId or emailId, labels, closedAt\): send only those fields or raise the limit/);
    const ceiling = await build({ limits: { maxBodyBytes: 6 * 1024 * 1024 } });
    const huge = await ceiling.app.request('/v1/classify', { ...jsonRequest('{}'), headers: { ...(jsonRequest('{}').headers as Record<string, string>), 'content-length': String(7 * 1024 * 1024) } });
    expect((await json(huge)).detail).toBe(
      "The body is 7340032 bytes (7 MB), over the limit of 6291456 bytes (6 MB): split the batch into smaller requests (6 MB, SageMaker's limit, is the most a server takes).",
    );
    // A SageMaker container (serve --sagemaker) has no knob to name: its 6 MB is InvokeEndpoint's.
    const container = await build({ limits: { maxBodyBytes: 6 * 1024 * 1024, bodyLimitSetting: SAGEMAKER_BODY_LIMIT } });
    const onEndpoint = await container.app.request('/v1/classify', { ...jsonRequest('{}'), headers: { ...(jsonRequest('{}').headers as Record<string, string>), 'content-length': String(7 * 1024 * 1024) } });
    expect((await json(onEndpoint)).detail).toBe(
      "The body is 7340032 bytes (7 MB), over the limit of 6291456 bytes (6 MB): split the batch into smaller requests (6 MB, SageMaker's fixed limit per invocation, is the most a server takes).",
    );
    expect((await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))).status).toBe(200);
    expect(await (await app.request('/metrics', authed())).text()).toMatch(/^mailroute_inflight_requests 0$/m);
  });

  it('never leaks a stack trace or email text in a 500', async () => {
    const { app } = await build({ classifier: createFakeClassifier({ fail: true }) });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'my secret IBAN DE89370400440532013000' }] }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).code).toBe('INTERNAL');
    expect(text).not.toMatch(/secret|IBAN|DE89|at .*\.ts|session exploded/);
  });

  it('logs a 500 STORE_FAILED with its cause, as it logs a 500 INTERNAL (the answer says no more than "SQLite read failed.")', async () => {
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (message: string, fields?: Record<string, unknown>) => void logged.push({ message, fields }) };
    const store = createSqliteStore({ file: ':memory:' });
    const failing = { ...store, listPairs: async () => Promise.reject(new StoreError('SQLite read failed.', {}, { cause: new Error('SQLITE_CORRUPT: database disk image is malformed') })) };
    const { app } = await build({ store: failing, logger });
    const res = await app.request('/v1/quality', authed());
    expect(res.status).toBe(500);
    expect((await json(res)).code).toBe('STORE_FAILED');
    // With the id the answer carries in x-request-id, to find the line from a CRM's report of the 500.
    expect(logged).toEqual([
      {
        message: 'request failed',
        fields: { requestId: res.headers.get('x-request-id'), route: '/v1/quality', code: 'STORE_FAILED', error: 'StoreError: SQLite read failed.', cause: 'Error: SQLITE_CORRUPT: database disk image is malformed' },
      },
    ]);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
