import { UNSPLIT_MULTIPART_WARNING } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from '../test-support/harness.js';
import { closedAt } from '../test-support/route-helpers.js';

const build = testAppBuilder();

describe('SageMaker contract and .eml', () => {
  it('POST /invocations answers like /v1/classify and 415 for other content types', async () => {
    const { app } = await build();
    const ok = await app.request('/invocations', jsonRequest({ emails: [{ id: 's', body: 'invoice' }] }));
    expect(ok.status).toBe(200);
    expect((await json(ok)).predictions[0]).toMatchObject({ id: 's', route: { queue: 'billing' } });
    const csv = await app.request('/invocations', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' }));
    expect(csv.status).toBe(415);
    expect(csv.headers.get('content-type')).toBe('application/problem+json');
    // An Accept it cannot answer is 406, but only to a caller with a key: without one, 401 first, as on every route.
    const accepts = (key?: string) => app.request('/invocations', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/csv', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: '{"emails":[{"body":"x"}]}' });
    expect((await accepts()).status).toBe(401);
    expect((await accepts(KEYS.all)).status).toBe(406);
  });

  it('POST /v1/classify/eml parses a raw message', async () => {
    const { app } = await build();
    const eml = ['From: Kim Muster <kim@example.org>', 'To: service@example.com', 'Subject: Invoice missing', 'Message-ID: <abc@example.org>', 'Content-Type: text/plain; charset=utf-8', '', 'Where is my invoice?', ''].join('\r\n');
    const res = await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    expect(res.status).toBe(200);
    expect((await json(res)).predictions[0]).toMatchObject({ id: 'abc@example.org', route: { queue: 'billing' } });
    const named = await app.request('/v1/classify/eml?id=crm-77', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    expect((await json(named)).predictions[0].id).toBe('crm-77');
    // UTF-8 percent-encoding is decoded; an id encoded as Latin-1 (%FC for ü) is refused, not stored as its raw text.
    const umlaut = await app.request('/v1/classify/eml?id=K%C3%BCndigung-42', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    expect((await json(umlaut)).predictions[0].id).toBe('Kündigung-42');
    const latin1 = await app.request('/v1/classify/eml?id=K%FCndigung-42', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    expect(latin1.status).toBe(400);
    expect((await json(latin1)).issues).toEqual([expect.objectContaining({ path: ['id'], code: 'invalid_encoding', message: expect.stringContaining('"%FC"') })]);
    // The router decodes a parameter's name too: ?i%64= is ?id=, checked as it is (found by the API fuzz test).
    const encodedName = await app.request('/v1/classify/eml?i%64=K%FCndigung-42', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    expect(encodedName.status).toBe(400);
    const wrongType = await app.request('/v1/classify/eml', jsonRequest({ emails: [] }));
    expect(wrongType.status).toBe(415);
  });

  it('POST /v1/classify/eml refuses a JSON body (a classify request sent to the wrong route), saying where to post it', async () => {
    const { app } = await build();
    const post = (body: string) => app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body }));
    for (const body of [JSON.stringify({ emails: [{ id: 'a', subject: 'Invoice', body: 'Where is my invoice?' }] }), '\ufeff \r\n[{"subject": "Invoice"}]', '{}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      const problem = await json(res);
      expect(problem).toMatchObject({ code: 'REQUEST_INVALID', issues: [{ path: [], message: 'JSON, not message/rfc822', code: 'invalid_eml' }] });
      expect(problem.detail).toContain('post JSON ({"emails": [...]}) to /v1/classify');
    }
    // Not JSON: read as a message, as before (a header field's name may start with a brace).
    expect((await post('{X-Odd}: 1\r\nSubject: Invoice\r\n\r\nWhere is my invoice?\r\n')).status).toBe(200);
  });

  it('POST /v1/classify/eml decodes an 8-bit part in the charset it declares, not as UTF-8', async () => {
    const { app, context } = await build({ storeText: (t) => t });
    const head = ['From: kim@example.org', 'Subject: invoice', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '', ''].join('\r\n');
    const body = Buffer.concat([Buffer.from(head, 'ascii'), Buffer.from('Meine \u00dcberweisung \u00fcber 500 Euro, Gr\u00fc\u00dfe', 'latin1')]);
    const res = await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body }));
    expect(res.status).toBe(200);
    const stored = await context.store.getPrediction((await json(res)).predictions[0].predictionId);
    expect(stored?.text?.trimEnd()).toBe('invoice\nMeine Überweisung über 500 Euro, Grüße');
    const blank = await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: ' \r\n ' }));
    expect(blank.status).toBe(400);
  });

  it('POST /v1/classify/eml reads an 8-bit body without a charset as Windows-1252, and says why text of a wrong declared charset is lost', async () => {
    const { app, context } = await build({ storeText: (t) => t });
    const post = (body: Buffer) => app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body }));
    const bare = Buffer.from(['From: a@b.example', 'Subject: K\xfcndigung meines Kontos', 'Message-ID: <l1@x>', '', 'Hiermit k\xfcndige ich mein Girokonto ... Gr\xfc\xdfe', ''].join('\r\n'), 'latin1');
    const res = await post(bare);
    expect(res.status).toBe(200);
    const answer = await json(res);
    expect(answer.warnings).toBeUndefined();
    const stored = await context.store.getPrediction(answer.predictions[0].predictionId);
    expect(stored?.text?.trimEnd()).toBe('Kündigung meines Kontos\nHiermit kündige ich mein Girokonto ... Grüße');
    // Latin-1 bytes labelled UTF-8, and nothing of UTF-8 in them: read as Windows-1252, and said so.
    const latin = Buffer.from(['Subject: x', 'Message-ID: <l4@x>', 'Content-Type: text/plain; charset=utf-8', '', 'Gr\xfc\xdfe aus K\xf6ln', ''].join('\r\n'), 'latin1');
    const latinAnswer = await json(await post(latin));
    expect(latinAnswer.warnings).toEqual([expect.stringContaining('labelled as UTF-8 whose bytes are mostly not UTF-8')]);
    expect((await context.store.getPrediction(latinAnswer.predictions[0].predictionId))?.text).toContain('Grüße aus Köln');
    // UTF-8 with a stray byte stays UTF-8: that byte is lost to U+FFFD, and the answer says why.
    const wrong = Buffer.concat([Buffer.from('Subject: x\r\nMessage-ID: <l2@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße aus Köln ', 'utf8'), Buffer.from([0xe9, 0x0d, 0x0a])]);
    const warned = await json(await post(wrong));
    expect(warned.warnings).toEqual([expect.stringMatching(/^1 email\(s\) \(l2@x\) hold U\+FFFD replacement characters: the raw email holds bytes that are not valid in the charset it declares/)]);
    expect(warned.warnings[0]).not.toContain('before it was sent');
    // A charset no decoder knows is read as UTF-8 when the part mostly is: a stray byte there is said to be why.
    const unknown = Buffer.concat([Buffer.from('Subject: x\r\nMessage-ID: <l3@x>\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nGrüße aus Köln ', 'utf8'), Buffer.from([0xe9, 0x0d, 0x0a])]);
    const unknownAnswer = await json(await post(unknown));
    expect(unknownAnswer.warnings).toEqual([expect.stringContaining('a charset no decoder knows (charset=x-unknown), read as UTF-8 for being mostly UTF-8')]);
  });

  it('POST /v1/classify/eml warns when the email has no id (no Message-ID, no ?id=): feedback must quote the predictionId', async () => {
    const { app } = await build();
    const eml = ['From: kim@example.org', 'Subject: invoice', '', 'Where is my invoice?', ''].join('\r\n');
    const post = (query: string) => app.request(`/v1/classify/eml${query}`, authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    const anonymous = await json(await post(''));
    expect(anonymous.predictions[0].id).toBeUndefined();
    expect(anonymous.warnings).toEqual([expect.stringMatching(/^The email has no id: it has no Message-ID header \(or an empty one, <>\) and no \?id= was given\. Feedback for it must quote the predictionId/)]);
    // An empty Message-ID names no email either, and the warning's words cover it.
    const empty = await json(await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: `Message-ID: <>\r\n${eml}` })));
    expect(empty.predictions[0].id).toBeUndefined();
    expect(empty.warnings).toEqual(anonymous.warnings);
    const named = await json(await post('?id=crm-9'));
    expect(named.predictions[0].id).toBe('crm-9');
    expect(named.warnings).toBeUndefined();
    // An id sent under another name is not read: the answer says so, with the name meant, beside the missing id.
    const misnamed = await json(await post('?ID=crm-9&emailId=crm-9'));
    expect(misnamed.predictions[0].id).toBeUndefined();
    expect(misnamed.warnings).toEqual([
      expect.stringMatching(/^The email has no id/),
      'Query parameters mailroute does not read were ignored: ID (did you mean id?), emailId (did you mean id?). This route reads ?id= only.',
    ]);
    expect((await json(await post('?id=crm-9&source=crm'))).warnings).toEqual([expect.stringMatching(/ignored: source\. /)]);
  });

  it('POST /v1/classify/eml says in a warning what of the message the parser could not read (a multipart with no boundary to be found)', async () => {
    const { app } = await build();
    // A `--b` line neither closed nor followed by a part's header field is no boundary to split at.
    const eml = ['From: kim@example.org', 'Subject: invoice', 'Message-ID: <u1@x>', 'Content-Type: multipart/mixed', '', '--b', '', 'Where is my invoice?', ''].join('\r\n');
    const answer = await json(await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml })));
    expect(answer.predictions[0].id).toBe('u1@x');
    expect(answer.warnings).toEqual([UNSPLIT_MULTIPART_WARNING]);
  });

  it('POST /v1/classify/eml does not cut a Message-ID longer than an email id: the email has no id, a warning says to send ?id=', async () => {
    const { app } = await build();
    const messageId = `${'m'.repeat(230)}@bank.example`;
    const eml = ['From: kim@example.org', 'Subject: invoice', `Message-ID: <${messageId}>`, '', 'Where is my invoice?', ''].join('\r\n');
    const post = (query: string) => app.request(`/v1/classify/eml${query}`, authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    const answer = await json(await post(''));
    expect(answer.predictions[0].id).toBeUndefined();
    expect(answer.warnings).toEqual([expect.stringMatching(/^The email has no id: its Message-ID has 243 characters, over the 200 an email id may have, so it was not used \(not cut.*Send \?id= with the CRM id/)]);
    // Feedback names it by its predictionId; the Message-ID itself is over the limit feedback's emailId has too.
    const byPrediction = await app.request('/v1/feedback', jsonRequest({ predictionId: answer.predictions[0].predictionId, labels: { queue: 'billing' }, closedAt }));
    expect(await json(byPrediction)).toMatchObject({ matched: true });
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: messageId, labels: { queue: 'billing' }, closedAt }))).status).toBe(400);
    const named = await json(await post('?id=crm-10'));
    expect(named.predictions[0].id).toBe('crm-10');
    expect(named.warnings).toBeUndefined();
  });

  it('POST /v1/classify/eml refuses a body with no header lines (invalid_eml), and still reads a message after an mbox From line', async () => {
    const { app } = await build();
    const post = (body: string) => app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body }));
    for (const text of ['hello world this is not an email', 'hello world\r\n\r\nSubject: x']) {
      const res = await post(text);
      expect(res.status).toBe(400);
      const problem = await json(res);
      expect(problem.detail).toContain('it has no header lines');
      expect(problem.issues[0].code).toBe('invalid_eml');
    }
    const mbox = await post(['From kim@example.org Mon Nov  3 10:15:00 2025', 'From: kim@example.org', 'Subject: invoice', '', 'Where is my invoice?', ''].join('\n'));
    expect(mbox.status).toBe(200);
  });

  it('POST /v1/classify/eml says which of the parser limits a message is over', async () => {
    const { app } = await build();
    const body = `Subject: x\r\n\r\n${'\n'.repeat(30_000)}`;
    const res = await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body }));
    expect(res.status).toBe(400);
    expect((await json(res)).detail).toBe('The body is not a parsable RFC 822 email: the message has 30002 lines, over the limit of 20000.');
  });
});
