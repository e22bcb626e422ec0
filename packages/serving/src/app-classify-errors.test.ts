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
    // A receivedAt of a type no CRM writes a date in (a boolean, an object) is still a 400; strings and numbers are left out (below).
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { id: 'y', subject: 'invoice', receivedAt: true }] }));
    expect(res.status).toBe(400);
    expect((await json(res)).issues[0].path).toEqual(['emails', 1, 'receivedAt']);
  });

  it('leaves out a receivedAt on a day its month does not have (no silent roll-over into March), saying so', async () => {
    const { app, context } = await build({ storeText: true });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { id: 'feb', subject: 'invoice', receivedAt: '2025-02-30T10:15:00Z' }] }));
    expect(res.status).toBe(200);
    const answer = await json(res);
    expect(answer.warnings).toEqual([expect.stringMatching(/^receivedAt "2025-02-30T10:15:00Z" of emails\[1\] \(id "feb"\) was not read and was left out: Invalid date-time: use ISO 8601/)]);
    expect(await context.store.getPrediction(answer.predictions[1].predictionId)).not.toHaveProperty('receivedAt');
  });

  it('takes receivedAt in the forms training reads (ISO 8601 without a zone, RFC 2822), and names them when leaving another out', async () => {
    const { app } = await build();
    const forms = ['2025-11-03T10:15:00', 'Mon, 3 Nov 2025 10:15:00 +0100', '2025-11-03', '2025-11-03T10:15:00Z', '2025-11-03T10:15:00.123+01:00'];
    const res = await app.request('/v1/classify', jsonRequest({ emails: forms.map((receivedAt, i) => ({ id: `d${i}`, subject: 'invoice', receivedAt })) }));
    expect(res.status).toBe(200);
    expect((await json(res)).warnings).toBeUndefined();
    const bad = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'y', subject: 'invoice', receivedAt: '03.11.2025' }] })));
    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings[0]).toContain('receivedAt "03.11.2025" of emails[0] (id "y")');
    expect(bad.warnings[0]).toContain('ISO 8601');
    expect(bad.warnings[0]).toContain('RFC 2822');
    // The common ISO form is checked by its shape first, and still by its value: month 13 is no date.
    const month13 = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'z', subject: 'invoice', receivedAt: '2025-13-03T10:15:00Z' }] })));
    expect(month13.warnings).toEqual([expect.stringContaining('receivedAt "2025-13-03T10:15:00Z" of emails[0] (id "z") was not read')]);
  });

  it('classifies a batch with an unreadable receivedAt, leaving it out of that email with a warning that says what was sent, why and what to send', async () => {
    const { app, context } = await build({ storeText: true });
    const unreadable = ['06.12.2026 09:30', '', '  ', 1796549400000, 1796549400, '/Date(1796549400000)/', '20261206T093000Z', '2026-12-06T09:30:00 CET', '12/06/2026', 'x'.repeat(101)];
    for (const receivedAt of unreadable) {
      const emails = [
        { id: 'a', subject: 'invoice', receivedAt: '2026-12-06T09:30:00Z' },
        { id: 'b', subject: 'invoice', receivedAt },
        { id: 'c', subject: 'invoice', bank: '', from: '' },
      ];
      const res = await app.request('/v1/classify', jsonRequest({ emails }));
      expect(res.status, String(receivedAt)).toBe(200);
      const answer = await json(res);
      expect(answer.predictions.map((p: { id: string }) => p.id)).toEqual(['a', 'b', 'c']);
      expect(answer.warnings, String(receivedAt)).toHaveLength(1);
      const [warning] = answer.warnings;
      expect(warning).toMatch(/ of emails\[1\] \(id "b"\) was not read and was left out: .*\. The email was classified without it/);
      if (typeof receivedAt === 'number') expect(warning).toContain(`receivedAt ${receivedAt} of`);
      else expect(warning).toContain(`receivedAt ${JSON.stringify(receivedAt.length > 40 ? `${receivedAt.slice(0, 40)}…` : receivedAt)} of`);
      expect(await context.store.getPrediction(answer.predictions[0].predictionId)).toMatchObject({ receivedAt: '2026-12-06T09:30:00Z' });
      expect(await context.store.getPrediction(answer.predictions[1].predictionId)).not.toHaveProperty('receivedAt');
    }
    const say = async (receivedAt: unknown) => (await json(app.request('/v1/classify', jsonRequest({ emails: [{ subject: 'invoice', receivedAt }] })))).warnings[0];
    // The messages a refusal gave: epoch milliseconds and Unix seconds are said as the ISO string to send.
    expect(await say(1796549400000)).toBe(
      'receivedAt 1796549400000 of emails[0] was not read and was left out: a date-time is a string (ISO 8601 (2025-11-03, 2025-11-03T10:15:00Z, 2025-11-03T10:15:00+01:00; without a zone, in the server\'s --time-zone, else UTC) or an RFC 2822 Date header (Mon, 3 Nov 2025 10:15:00 +0100; without a zone, in the server\'s --time-zone, else UTC)), not a number: as epoch milliseconds, 1796549400000 is "2026-12-06T09:30:00.000Z". The email was classified without it (receivedAt is not read to classify).',
    );
    expect(await say(1796549400)).toContain('1796549400 looks like Unix seconds, which is "2026-12-06T09:30:00.000Z"');
    expect(await say('')).toContain('a date-time is empty: leave receivedAt out, or send null, when there is none');
    expect(await say('x'.repeat(101))).toContain('a date-time has at most 100 characters: this one has 101');
    // Many are said one by one up to five, the rest in one more warning.
    const many = await json(app.request('/v1/classify', jsonRequest({ emails: Array.from({ length: 8 }, (_, i) => ({ id: `m${i}`, subject: 'invoice', receivedAt: '06.12.2026' })) })));
    expect(many.predictions).toHaveLength(8);
    expect(many.warnings).toHaveLength(6);
    expect(many.warnings[5]).toBe('receivedAt of 3 more email(s) (emails[5] (id "m5"), emails[6] (id "m6"), emails[7] (id "m7")) could not be read either and was left out; they were classified without it.');
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
        fields: { requestId: res.headers.get('x-request-id'), method: 'GET', route: '/v1/quality', status: 500, code: 'STORE_FAILED', error: 'StoreError: SQLite read failed.', cause: 'Error: SQLITE_CORRUPT: database disk image is malformed' },
      },
    ]);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
