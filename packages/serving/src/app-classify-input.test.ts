import { describe, expect, it } from 'vitest';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from './test-support/harness.js';
import { invoiceEmail } from './test-support/route-helpers.js';
import { createFakeClassifier } from './test-support/fake-classifier.js';

const build = testAppBuilder();

describe('POST /v1/classify', () => {
  it('documents 403 on every operation: a server run without keys refuses requests naming another host on any route', async () => {
    const { app } = await build();
    const spec = await json(app.request('/openapi.json'));
    const missing: string[] = [];
    for (const [route, operations] of Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(operations)) if (!operation.responses['403']) missing.push(`${method} ${route}`);
    }
    expect(missing).toEqual([]);
  });

  it('routes each answer by the model that made it (an endpoint whose variants answer the chunks of one request)', async () => {
    const classifier = createFakeClassifier();
    const predict = classifier.predict.bind(classifier);
    // Two variants answer alternately; each routes out-of-office replies to a queue of its own.
    classifier.predict = async (emails) => (await predict(emails)).map((p, i) => ({ ...p, modelId: i % 2 === 0 ? 'variant-a' : 'variant-b' }));
    const queues: Record<string, string> = { 'variant-a': 'auto_a', 'variant-b': 'auto_b' };
    classifier.routingFor = (id) => ({ queueTask: 'queue', abstainTasks: ['queue'], thresholds: {}, automatedQueues: { auto_reply: queues[id] } });
    const { app } = await build({ classifier });
    const reply = { subject: 'Automatic reply: Your invoice', body: 'I am out of the office.' };
    const { predictions } = await json(await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'a', ...reply }, { id: 'b', ...reply }] })));
    expect(predictions.map((p: { modelId: string; route: { queue: string } }) => [p.modelId, p.route.queue])).toEqual([
      ['variant-a', 'auto_a'],
      ['variant-b', 'auto_b'],
    ]);
  });

  it('names the fields it does not read, with the field probably meant, and classifies without them', async () => {
    const { app, context } = await build({ storeText: (t: string) => t });
    const res = await app.request(
      '/v1/classify',
      jsonRequest({ emails: [{ id: 'typo', subjekt: 'Depotübertrag', body: 'invoice', Received_At: '2026-11-30T10:00:00Z', to: 'service@bank.example' }, { id: 'ok', body: 'invoice' }], extra: 1 }),
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.predictions.map((p: { id: string }) => p.id)).toEqual(['typo', 'ok']);
    expect(body.warnings).toEqual([
      'Fields mailroute does not read were ignored, in emails: subjekt (did you mean subject?), Received_At (did you mean receivedAt?), to; beside emails: extra. ' +
        "An email's fields are id, subject, body, html, from, bank, receivedAt, autoSubmitted, attachmentNames, metadata; anything else can go in metadata (flat string, number, boolean or null values).",
    ]);
    // Dropped before classification and storage: the stored text has only the body.
    expect((await context.store.findPredictionByEmail('typo'))?.text).toBe('invoice');
    // A long name is cut, and a long list counted.
    const many = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`${'x'.repeat(50)}${i}`, 1]));
    const cut = await json(app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice', ...many }] })));
    expect(cut.warnings[0]).toMatch(new RegExp(`^Fields mailroute does not read were ignored, in emails: ${'x'.repeat(40)}…, .* and 2 more\\. `));
  });

  it('takes attachment names (a list of strings, null as absent) and refuses another kind with its path', async () => {
    const { app } = await build();
    const ok = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'f', body: 'invoice', attachmentNames: ['Rechnung_2026.pdf'] }, { id: 'n', body: 'invoice', attachmentNames: null }] })));
    expect(ok.predictions.map((p: { id: string }) => p.id)).toEqual(['f', 'n']);
    expect(ok.warnings).toBeUndefined();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice', attachmentNames: 'Rechnung.pdf' }] }));
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ code: 'REQUEST_INVALID', issues: [{ path: ['emails', 0, 'attachmentNames'] }] });
  });

  it('names the fields it does not read when it refuses a request: Subject and Body (PascalCase) are not an email with no text', async () => {
    const { app } = await build();
    const refused = async (path: string, body: unknown) => {
      const res = await app.request(path, jsonRequest(body));
      expect(res.status, path).toBe(400);
      return (await json(res)).detail as string;
    };
    expect(await refused('/v1/classify', { emails: [{ id: 'p', Subject: 'Invoice', Body: 'where is it' }] })).toBe(
      "The request does not match the schema: emails[0]: an email needs subject, body or html: this one has none of them (null counts as absent). It holds fields that are not read, in emails: Subject (did you mean subject?), Body (did you mean body?); an email's fields are id, subject, body, html, from, bank, receivedAt, autoSubmitted, attachmentNames, metadata.",
    );
    expect(await refused('/invocations', { email: [{ subject: 'Invoice' }] })).toMatch(/ It holds fields that are not read, beside emails: email \(did you mean emails\?\); /);
    // Nothing unread, nothing added.
    expect(await refused('/v1/classify', { emails: [{ id: 'p' }] })).toBe('The request does not match the schema: emails[0]: an email needs subject, body or html: this one has none of them (null counts as absent).');
  });

  it('warns when an email has no text to classify', async () => {
    const { app } = await build();
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'blank', subject: ' ' }, invoiceEmail] })));
    expect(body.predictions).toHaveLength(2);
    expect(body.warnings).toEqual(['1 email(s) (blank) had no text left to classify after cleaning (see noText): their labels are guesses, so every task abstains and they go to manual triage.']);
    expect(body.predictions[0].noText).toBe(true);
    expect((await json(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] })))).warnings).toBeUndefined();
  });

  it('warns about email ids repeated in a batch, naming them, and classifies every copy', async () => {
    const { app, context } = await build();
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'a', subject: 'one' }, { id: 'b', subject: 'two' }, { id: 'a', subject: 'three' }, { subject: 'no id' }, { subject: 'no id either' }] })));
    expect(body.predictions).toHaveLength(5);
    expect(body.warnings).toEqual(["Email ids repeated in this batch: a. Each copy was classified and stored; feedback by emailId joins the last copy's prediction only."]);
    expect((await context.store.findPredictionByEmail('a'))?.predictionId).toBe(body.predictions[2].predictionId);
    expect((await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'a', subject: 'one' }, { id: 'c', subject: 'two' }] })))).warnings).toBeUndefined();
  });

  it('refuses an email with none of subject, body and html (400 naming it), and classifies one whose fields clean to nothing with noText', async () => {
    const { app, context } = await build();
    for (const empty of [{ id: 'x' }, { id: 'x', subject: null, body: null, html: null, from: 'kim@example.org' }]) {
      const res = await app.request('/v1/classify', jsonRequest({ emails: [empty] }));
      expect(res.status).toBe(400);
      const problem = await json(res);
      expect(problem.code).toBe('REQUEST_INVALID');
      expect(problem.issues[0].path).toEqual(['emails', 0]);
      expect(problem.issues[0].message).toContain('An email needs subject, body or html');
    }
    const second = await json(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { id: 'x' }] })));
    expect(second.issues[0].path).toEqual(['emails', 1]);
    expect(await context.store.findPredictionByEmail('x')).toBeUndefined();
    const cleanedAway = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'e', body: '' }, { id: 'm', html: '<p> </p>' }] })));
    expect(cleanedAway.predictions.map((p: { noText?: boolean }) => p.noText)).toEqual([true, true]);
  });

  it('refuses nested metadata with a message that says which values are allowed, and takes flat values', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'm', subject: 'Depot', metadata: { a: { b: 1 }, list: [1], ok: 'x' } }] }));
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.issues.map((i: { path: unknown; message: string }) => [i.path, i.message])).toEqual([
      [['emails', 0, 'metadata', 'a'], 'metadata values must be a string, number, boolean or null; metadata.a is an object'],
      [['emails', 0, 'metadata', 'list'], 'metadata values must be a string, number, boolean or null; metadata.list is an array'],
    ]);
    const flat = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'm', subject: 'Depot', metadata: { s: 'x', n: 1, b: true, z: null } }] }));
    expect(flat.status).toBe(200);
  });

  it('treats a __proto__ key as any other: named as unread in an email or beside emails, refused nested in metadata', async () => {
    const { app } = await build();
    // Written as text: JSON.parse makes __proto__ an own key, which zod leaves out of its output.
    const nested = await app.request('/v1/classify', jsonRequest('{"emails":[{"id":"p","subject":"Depot","metadata":{"__proto__":{"x":1}}}]}'));
    expect(nested.status).toBe(400);
    expect((await json(nested)).issues).toEqual([
      { path: ['emails', 0, 'metadata', '__proto__'], message: 'metadata values must be a string, number, boolean or null; metadata.__proto__ is an object', code: 'invalid_union' },
    ]);
    const flat = await app.request('/v1/classify', jsonRequest('{"emails":[{"id":"p","subject":"Depot","metadata":{"__proto__":"x"}}]}'));
    expect((await json(flat)).warnings).toBeUndefined();
    const unread = await json(app.request('/v1/classify', jsonRequest('{"emails":[{"id":"p","subject":"Depot","__proto__":{"subject":"x"}}],"__proto__":1}')));
    expect(unread.warnings).toEqual([expect.stringMatching(/^Fields mailroute does not read were ignored, in emails: __proto__; beside emails: __proto__\. /)]);
  });

  it('refuses a JSON body that is not UTF-8 (415, where), and warns about text mangled before it was sent', async () => {
    const { app } = await build();
    // `Grüße` in windows-1252: the ü and ß are single bytes that are not UTF-8.
    const before = '{"emails":[{"id":"cp","subject":"Rechnung","body":"Gr';
    const latin = Buffer.concat([Buffer.from(before), Buffer.from([0xfc, 0xdf]), Buffer.from('e"}]}')]);
    for (const path of ['/v1/classify', '/invocations']) {
      const refused = await app.request(path, authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json' }, body: latin }));
      expect(refused.status).toBe(415);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      const problem = await json(refused);
      expect(problem.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(problem.detail).toMatch(new RegExp(`^The body is not UTF-8 at byte ${before.length} \\(0xFC\\)`));
    }
    const feedback = await app.request('/v1/feedback', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xe4, 0x7d]) }));
    expect(feedback.status).toBe(415);
    // UTF-16 is named by its byte-order mark.
    const utf16 = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from('\uFEFF{"emails":[]}', 'utf16le') }));
    expect((await json(utf16)).detail).toBe('The body is not UTF-8 at byte 0 (0xFF), as JSON must be (UTF-16, by its byte-order mark): send it encoded as UTF-8.');
    const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...'{}'].map((ch) => Buffer.from([ch.charCodeAt(0), 0, 0, 0]))]);
    const refused32 = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json' }, body: utf32 }));
    expect((await json(refused32)).detail).toContain('(UTF-32, by its byte-order mark)');
    // U+FFFD sent as UTF-8: the text was mangled before it came; classified, with a warning.
    const body = JSON.stringify({ emails: [{ id: 'cp', subject: 'Rechnung', body: 'Gr\uFFFD\uFFFDe' }] });
    const res = await json(app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json' }, body })));
    expect(res.predictions).toHaveLength(1);
    expect(res.warnings).toEqual([expect.stringMatching(/^1 email\(s\) \(cp\) hold U\+FFFD replacement characters: their text was decoded from bytes that were not UTF-8 before it was sent/)]);
  });
});
