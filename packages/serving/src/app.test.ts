import { describe, expect, it } from 'vitest';
import { createFakeClassifier } from './test-support/fake-classifier.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from './test-support/harness.js';
import { StoreError } from './errors.js';
import { htmlToText, type Email } from '@mailroute/preprocess';
import { createSqliteStore } from './store/sqlite-store.js';
import { SAGEMAKER_BODY_LIMIT } from './http/limits.js';

const invoiceEmail = { id: 'e-1', subject: 'Invoice missing', body: 'Where is my invoice for October?' };
const vagueEmail = { id: 'e-2', subject: 'Hello', body: 'Just a question.' };

const build = testAppBuilder();


/** A fake classifier that keeps the emails it was given (what the route passed on after its limits). */
function recordingClassifier() {
  const classifier = createFakeClassifier();
  const seen: Email[] = [];
  const predict = classifier.predict.bind(classifier);
  classifier.predict = async (emails) => {
    seen.push(...emails);
    return predict(emails);
  };
  return { classifier, seen };
}

describe('POST /v1/classify', () => {
  it('answers per email, in order, with ids, tasks, route, model id and prediction id', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, vagueEmail] }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.modelId).toBe('fake-1');
    expect(body.predictions.map((p: { id: string }) => p.id)).toEqual(['e-1', 'e-2']);
    expect(body.predictions[0].tasks.queue).toMatchObject({ label: 'billing', abstained: false });
    expect(body.predictions[0].route).toEqual({ queue: 'billing', reason: 'confident' });
    expect(body.predictions[1].route).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    expect(body.predictions[0].predictionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.predictions[0].predictionId).not.toBe(body.predictions[1].predictionId);
  });

  it('stores a prediction record without the text by default', async () => {
    const { app, context } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    const { predictions } = await json(res);
    const record = await context.store.getPrediction(predictions[0].predictionId);
    expect(record).toMatchObject({ emailId: 'e-1', modelId: 'fake-1', labels: { queue: 'billing', topic: 'invoice' }, queue: 'billing' });
    expect(record?.text).toBeUndefined();
  });

  it('stores masked text only when configured', async () => {
    const { app, context } = await build({ storeText: (t) => t.replaceAll(/\d+/g, '#') });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'x', body: 'invoice 12345' }] }));
    const { predictions } = await json(res);
    expect((await context.store.getPrediction(predictions[0].predictionId))?.text).toBe('invoice #');
  });

  it('with storeText: true keeps the text only after PII masking', async () => {
    const { app, context } = await build({ storeText: true });
    const body = 'Sehr geehrte Frau Schneider, bitte überweisen Sie an DE89 3704 0044 0532 0130 00, Rückfragen an kim.muster@example.org, Musterstraße 12, 10115 Berlin';
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'pii', subject: 'invoice', body }] }));
    const { predictions } = await json(res);
    const text = (await context.store.getPrediction(predictions[0].predictionId))?.text ?? '';
    expect(text).toContain('invoice');
    expect(text).not.toMatch(/DE89|0532|kim\.muster@example\.org|Schneider|Musterstraße|Berlin/);
    expect(text).toContain('Frau [NAME]');
  });

  it('with storeText: true masks text whose numbers and names are split by no-break and zero-width spaces', async () => {
    const { app, context } = await build({ storeText: true });
    const body = 'Tel +49\u00a0171\u00a01234567\nIBAN DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000\nMit freundlichen Grüßen\nAnna\u00a0Schmidt\nMusterstraße\u00a012, 10115\u00a0Berlin';
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'nbsp', subject: 'Kunden-ID:\u200b12345678', body }] }));
    const { predictions } = await json(res);
    const text = (await context.store.getPrediction(predictions[0].predictionId))?.text ?? '';
    expect(text).toBe('Kunden-ID:[ACCOUNT]\n\nTel [PHONE]\nIBAN [IBAN]\nMit freundlichen Grüßen\n[NAME]\n[ADDRESS]');
  });

  it('with storeText: true masks an HTML-only email as text, entities and tags read', async () => {
    const { app, context } = await build({ storeText: true });
    const html = '<p>Viele Gr&uuml;&szlig;e<br>Max Mustermann<br>Musterstra&szlig;e 12, 10115 Berlin<br>Tel. +49 30 1234567</p>';
    // The same markup in the plain-text body (a CRM that put the HTML email there) is read the same way.
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'h1', subject: 'invoice', html }, { id: 'h2', subject: 'invoice', body: html }] }));
    const { predictions } = await json(res);
    for (const p of predictions) {
      const text = (await context.store.getPrediction(p.predictionId))?.text ?? '';
      expect(text).toContain('Viele Grüße');
      expect(text).toContain('[NAME]');
      expect(text).toContain('[ADDRESS]');
      expect(text).not.toMatch(/Mustermann|Musterstra|Berlin|1234567|<p>|&uuml;/);
    }
  });

  it('truncates long text and says so', async () => {
    const { app } = await build({ limits: { maxTextChars: 100 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'long', body: `invoice ${'x'.repeat(500)}` }, invoiceEmail] }));
    const body = await json(res);
    expect(body.predictions[0].truncated).toBe(true);
    expect(body.predictions[1].truncated).toBeUndefined();
    expect(body.warnings[0]).toContain('1 email(s) (long)');
    // Emails without an id are named by their place in the request; past five, the rest are counted.
    const many = await json(app.request('/v1/classify', jsonRequest({ emails: [...Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, body: 'x'.repeat(200) })), { body: 'y'.repeat(200) }] })));
    expect(many.warnings[0]).toBe('7 email(s) (m0, m1, m2, m3, m4 and 2 more) had text over 100 characters; it was cut before classification.');
    const anonymous = await json(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { body: 'y'.repeat(200) }] })));
    expect(anonymous.warnings[0]).toMatch(/^1 email\(s\) \(emails\[1\]\) had text over/);
  });

  it('says apart text over the limit and clean text longer than the model reads, each with a warning of its own', async () => {
    // A model that reads 200 characters of clean text, as ngram-bag's featurizer reads its maxChars.
    const classifier = createFakeClassifier();
    const predict = classifier.predict.bind(classifier);
    classifier.predict = async (emails) => (await predict(emails)).map((p, i) => ((emails[i].body ?? '').length > 200 ? { ...p, truncated: true } : p));
    const { app } = await build({ classifier, limits: { maxTextChars: 1000 } });
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'long', body: `invoice ${'x'.repeat(1500)}` }, { id: 'mid', body: `invoice ${'y'.repeat(500)}` }, invoiceEmail] })));
    expect(body.predictions.map((p: { truncated?: boolean }) => p.truncated)).toEqual([true, true, undefined]);
    expect(body.warnings).toEqual([
      '1 email(s) (long) had text over 1000 characters; it was cut before classification.',
      "1 email(s) (mid) had more text after cleaning than the model reads (its featurizer's maxChars, in the manifest); only the first part was classified.",
    ]);
  });

  it('limits an HTML body by its visible text, not its markup: a long <style> block (Outlook) does not cut the text away', async () => {
    const { classifier, seen } = recordingClassifier();
    const { app } = await build({ classifier, limits: { maxTextChars: 1000 } });
    const outlook = `<html><head><style>${'p.MsoNormal{margin:0cm;font-size:11pt}\n'.repeat(100)}</style></head><body><p>Where is my invoice?</p></body></html>`;
    const long = `<p>${'invoice text '.repeat(300)}</p>`;
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'outlook', html: outlook }, { id: 'long', html: long }] })));
    // 4,000 characters of markup around 20 of text: nothing to cut, the email is classified as sent.
    expect(body.predictions[0].truncated).toBeUndefined();
    expect(seen[0].html).toBe(outlook);
    // 3,900 characters of text: cut to about the limit of text, not of markup.
    expect(body.predictions[1].truncated).toBe(true);
    const kept = htmlToText(seen[1].html ?? '').length;
    expect(kept).toBeGreaterThan(950);
    expect(kept).toBeLessThanOrEqual(1000);
  });

  it('cuts an Outlook HTML body whose text is over the limit too by its text: its <style> block is kept whole, not cut to no text', async () => {
    const { classifier, seen } = recordingClassifier();
    const { app } = await build({ classifier, limits: { maxTextChars: 1000 } });
    const outlook = `<html><head><style>${'p.MsoNormal{margin:0cm;font-size:11pt}\n'.repeat(100)}</style></head><body><p>${'invoice text '.repeat(300)}</p></body></html>`;
    // The same markup in the plain-text body (a CRM that put the HTML email there) is cut the same way.
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'outlook', html: outlook }, { id: 'in-body', body: outlook }] })));
    for (const [i, field] of [[0, 'html'], [1, 'body']] as const) {
      expect(body.predictions[i].truncated).toBe(true);
      expect(body.predictions[i].noText).toBeUndefined();
      const kept = htmlToText(seen[i][field] ?? '').length;
      expect(kept).toBeGreaterThan(950);
      expect(kept).toBeLessThanOrEqual(1000);
    }
  });

  it('takes null as an absent field and a long subject as text to cut, not as a failed batch', async () => {
    const { app } = await build({ limits: { maxTextChars: 3000 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'n', subject: 'invoice', body: null, html: null, bank: null, receivedAt: null }, { id: 'long', subject: `invoice ${'x'.repeat(4000)}` }] }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.predictions.map((p: { id: string }) => p.id)).toEqual(['n', 'long']);
    expect(body.predictions[1].truncated).toBe(true);
    const spec = await json(app.request('/openapi.json'));
    expect(spec.components.schemas.Email.properties.body.anyOf ?? spec.components.schemas.Email.properties.body.type).toBeDefined();
  });

  it('documents 403 on every operation: a server run without keys refuses requests naming another host on any route', async () => {
    const { app } = await build();
    const spec = await json(app.request('/openapi.json'));
    const missing: string[] = [];
    for (const [route, operations] of Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(operations)) if (!operation.responses['403']) missing.push(`${method} ${route}`);
    }
    expect(missing).toEqual([]);
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
        "An email's fields are id, subject, body, html, from, bank, receivedAt, metadata; anything else can go in metadata (flat string, number, boolean or null values).",
    ]);
    // Dropped before classification and storage: the stored text has only the body.
    expect((await context.store.findPredictionByEmail('typo'))?.text).toBe('invoice');
    // A long name is cut, and a long list counted.
    const many = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`${'x'.repeat(50)}${i}`, 1]));
    const cut = await json(app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice', ...many }] })));
    expect(cut.warnings[0]).toMatch(new RegExp(`^Fields mailroute does not read were ignored, in emails: ${'x'.repeat(40)}…, .* and 2 more\\. `));
  });

  it('names the fields it does not read when it refuses a request: Subject and Body (PascalCase) are not an email with no text', async () => {
    const { app } = await build();
    const refused = async (path: string, body: unknown) => {
      const res = await app.request(path, jsonRequest(body));
      expect(res.status, path).toBe(400);
      return (await json(res)).detail as string;
    };
    expect(await refused('/v1/classify', { emails: [{ id: 'p', Subject: 'Invoice', Body: 'where is it' }] })).toBe(
      "The request does not match the schema: emails[0]: an email needs subject, body or html: this one has none of them (null counts as absent). It holds fields that are not read, in emails: Subject (did you mean subject?), Body (did you mean body?); an email's fields are id, subject, body, html, from, bank, receivedAt, metadata.",
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
    expect((await json(eml)).detail).toMatch(/^The body is 2000 bytes \(2 KB\), over the limit of 1000 bytes \(1 KB\): send a smaller message or raise the limit/);
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
    expect(await (await app.request('/metrics')).text()).toMatch(/^mailroute_inflight_requests 0$/m);
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
    expect(logged).toEqual([
      { message: 'request failed', fields: { route: '/v1/quality', code: 'STORE_FAILED', error: 'StoreError: SQLite read failed.', cause: 'Error: SQLITE_CORRUPT: database disk image is malformed' } },
    ]);
  });
});

describe('auth and limits', () => {
  it('401 without a key, 401 with a wrong key, 403 without the scope', async () => {
    const { app } = await build();
    const none = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, null));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mailroute"');
    expect((await json(none)).code).toBe('UNAUTHENTICATED');
    const wrong = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, 'mr_wrong'));
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).detail).toBe("The API key is not valid: it is none of this server's keys (a rotated key stops working); ask the server's operator for a valid one.");
    const basic = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${KEYS.all}` }, body: '{}' });
    expect((await json(basic)).detail).toBe('The Authorization scheme must be Bearer, not Basic (Authorization: Bearer <key>).');
    const longType = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': `text/${'x'.repeat(5000)}` }, body: '{}' }));
    expect(longType.status).toBe(415);
    expect((await json(longType)).detail.length).toBeLessThan(200);
    const latin1 = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: '{}' }));
    expect(latin1.status).toBe(415);
    expect((await json(latin1)).detail).toContain('JSON must be UTF-8, not iso-8859-1');
    // Every charset parameter, its whole value: a blank in quotes, a second parameter or a second word do not slip through.
    for (const type of ['application/json; charset=" latin1"', 'application/json; charset=utf-8;charset=latin1', 'application/json; charset=utf-8 latin1', 'application/json; charset=""']) {
      const res = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
      expect(res.status, type).toBe(415);
      expect((await json(res)).detail, type).toMatch(/^JSON must be UTF-8, not /);
    }
    const utf8 = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; charset="UTF-8"' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(utf8.status).toBe(200);
    // ASCII is UTF-8 (the bytes are checked either way).
    const ascii = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json; charset=US-ASCII' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(ascii.status).toBe(200);
    // Blanks around ';' and '=' (RFC 9110 allows them; the body validator does not) are read as JSON.
    const spaced = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json ; charset = utf-8' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(spaced.status).toBe(200);
    expect((await json(spaced)).predictions[0].route.queue).toBe('billing');
    // An empty parameter, which the body validator would refuse with a bare "Unsupported Media Type", is refused with a way out.
    const empty = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json;' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(empty.status).toBe(415);
    expect((await json(empty)).detail).toMatch(/^Content-Type must be written application\/json or application\/json; charset=utf-8/);
    const gzip = await app.request('/v1/classify', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: JSON.stringify({ emails: [invoiceEmail] }) }));
    expect(gzip.status).toBe(415);
    expect((await json(gzip)).detail).toContain('Content-Encoding gzip is not supported');
    const noToken = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer' }, body: '{}' });
    expect((await json(noToken)).detail).toBe('An API key is required (Authorization: Bearer <key>).');
    const scope = await app.request('/v1/feedback', jsonRequest({ emailId: 'e', labels: { queue: 'billing' }, closedAt: '2026-11-29T10:00:00Z' }, KEYS.classify));
    expect(scope.status).toBe(403);
    expect(await json(scope)).toMatchObject({ code: 'FORBIDDEN', detail: 'The API key "classify" lacks the "feedback" scope this route needs (it has classify): use a key with feedback, or ask the server\'s operator to add it.' });
    const admin = await app.request('/v1/admin/reload', authed(KEYS.classify, { method: 'POST' }));
    expect(admin.status).toBe(403);
  });

  it('accepts the key in x-api-key too', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEYS.classify }, body: JSON.stringify({ emails: [invoiceEmail] }) });
    expect(res.status).toBe(200);
    // With both headers, Authorization names the caller (behind API Gateway it is the verified token).
    const both = await app.request('/v1/admin/reload', { method: 'POST', headers: { authorization: `Bearer ${KEYS.classify}`, 'x-api-key': KEYS.all } });
    expect(both.status).toBe(403);
    // A bare token in Authorization (API Gateway's authorizer takes one) is the key, and wins over x-api-key too.
    const bare = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: KEYS.classify }, body: JSON.stringify({ emails: [invoiceEmail] }) });
    expect(bare.status).toBe(200);
    const bareBoth = await app.request('/v1/admin/reload', { method: 'POST', headers: { authorization: KEYS.classify, 'x-api-key': KEYS.all } });
    expect(bareBoth.status).toBe(403);
    // Another scheme carries no key of ours (a SigV4-signed call through an IAM-authorised gateway): x-api-key does.
    const signed = await app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=x/20261130/eu-central-1/execute-api/aws4_request, SignedHeaders=host, Signature=00', 'x-api-key': KEYS.classify }, body: JSON.stringify({ emails: [invoiceEmail] }) });
    expect(signed.status).toBe(200);
  });

  it('429 with Retry-After past the key rate limit', async () => {
    let now = 1_000_000;
    const { app } = await build({ clock: { now: () => now } });
    const send = () => app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }, KEYS.slow));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await json(limited)).toMatchObject({
      code: 'RATE_LIMITED',
      detail: 'Rate limit of 1/s (a burst of 2) exceeded for this key: retry after Retry-After seconds, or send more emails per request (up to 256): the limit counts requests.',
    });
    now += 1500;
    expect((await send()).status).toBe(200);
  });

  it('503 with Retry-After beyond the concurrency cap', async () => {
    const { app } = await build({ classifier: createFakeClassifier({ delayMs: 50 }), limits: { maxConcurrent: 2 } });
    const results = await Promise.all([1, 2, 3, 4].map(() => app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503]);
    const refused = results.find((r) => r.status === 503);
    expect(refused?.headers.get('retry-after')).toBe('1');
    expect((await json(refused as Response)).code).toBe('OVERLOADED');
  });

  it('feedback has its own concurrency cap: classify at its cap does not turn it away', async () => {
    const { app } = await build({ classifier: createFakeClassifier({ delayMs: 100 }), limits: { maxConcurrent: 2 } });
    const first = await json(await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] })));
    const busy = [1, 2, 3].map(() => app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] })));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the classify requests hold both slots now
    const feedback = await app.request('/v1/feedback', jsonRequest({ predictionId: first.predictions[0].predictionId, labels: { queue: 'billing' }, closedAt: '2026-11-29T10:00:00Z' }));
    expect(feedback.status).toBe(202);
    expect((await Promise.all(busy)).map((r) => r.status).sort()).toEqual([200, 200, 503]);
  });

  it('503 when a request runs past the timeout, and the prediction the caller never saw is not stored', async () => {
    const { app, context } = await build({ classifier: createFakeClassifier({ delayMs: 200 }), limits: { requestTimeoutMs: 20 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ code: 'REQUEST_TIMEOUT', detail: expect.stringMatching(/^The request took longer than 20 ms, the server's request timeout: retry it after Retry-After, and a big batch /) });
    await new Promise((r) => setTimeout(r, 300)); // the classifier finishes after the answer
    expect(await context.store.listPairs({ since: '2000-01-01T00:00:00Z' })).toEqual([]);
    expect(await (await app.request('/metrics')).text()).not.toMatch(/mailroute_predictions_total\{/);
  });

  it('503 when the deadline passes while an awaited store commits: the predictions are stored, as the README says, but not counted as answered', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    // Awaited as DynamoDB behind the Lambda is (or SQLite with --prediction-buffer-ms 0), and slow for once.
    const savePredictions: typeof store.savePredictions = async (records) => {
      await new Promise((r) => setTimeout(r, 200));
      return store.savePredictions(records);
    };
    const slow = { ...store, queuePredictions: undefined, savePredictions };
    const { app } = await build({ store: slow, limits: { requestTimeoutMs: 20 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    expect((await json(res)).code).toBe('REQUEST_TIMEOUT');
    await new Promise((r) => setTimeout(r, 300)); // the save commits after the answer
    expect((await store.findPredictionByEmail(invoiceEmail.id))?.emailId).toBe(invoiceEmail.id);
    expect(await (await app.request('/metrics')).text()).not.toMatch(/mailroute_predictions_total\{/);
  });

  it('404 problem for an unknown route', async () => {
    const { app } = await build();
    const res = await app.request('/v2/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await json(res)).code).toBe('NOT_FOUND');
    // Counted, under one route label (a scan of paths must show, without a series per path).
    await app.request('/wp-login.php');
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain('mailroute_http_requests_total{method="GET",route="unmatched",status="404"} 2');
    expect(metrics).not.toContain('wp-login');
    // No guarded request yet, and the in-flight gauge already reads 0 (an alert on it sees data).
    expect(metrics).toMatch(/^mailroute_inflight_requests 0$/m);
  });

  it('405 with Allow for a known route asked with another method, before any body check', async () => {
    const { app } = await build();
    const get = await app.request('/v1/classify');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(get.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(get)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', allow: ['POST', 'OPTIONS'] });
    const put = await app.request('/v1/feedback', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(put.status).toBe(405);
    const post = await app.request('/healthz', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await app.request('/healthz', { method: 'HEAD' })).status).toBe(200);
    expect((await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }))).status).toBe(200);
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/status="405"/);
    // Counted under the route asked for, not as unmatched.
    expect(metrics).toContain('mailroute_http_requests_total{method="GET",route="/v1/classify",status="405"} 1');
    expect(metrics).not.toMatch(/route="unmatched",status="405"/);
  });
});
