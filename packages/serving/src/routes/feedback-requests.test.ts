import { describe, expect, it } from 'vitest';
import type { ServingApp } from '../app.js';
import { authed, json, jsonRequest, KEYS, testAppBuilder } from '../test-support/harness.js';
import { classify, closedAt, closedDay } from '../test-support/route-helpers.js';

const build = testAppBuilder();

describe('POST /v1/feedback', () => {
  it('records feedback by prediction id with 202, idempotently per email', async () => {
    const { app, context } = await build();
    const [p] = await classify(app, [{ id: 'mail-1', body: 'invoice please' }]);
    const first = await app.request('/v1/feedback', jsonRequest({ predictionId: p.predictionId, labels: { queue: 'technical' }, closedAt }));
    expect(first.status).toBe(202);
    expect(await json(first)).toEqual({ emailId: 'mail-1', predictionId: p.predictionId, status: 'recorded', matched: true, recordedTasks: ['queue'] });
    const again = await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: 'billing', topic: 'invoice' }, closedAt }));
    expect(again.status).toBe(202);
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs).toHaveLength(1);
    expect(pairs[0].feedback?.labels).toEqual({ queue: 'billing', topic: 'invoice' });
  });

  it('warns when the case closed before its email was received (beyond the 5 minutes of clock skew), and records it as sent', async () => {
    // The email's receivedAt is kept with its text (--store-text).
    const { app, context } = await build({ storeText: true });
    const received = `${closedDay}T10:00:00+01:00`;
    await classify(app, [{ id: 'early-1', body: 'invoice please', receivedAt: received }]);
    const early = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'early-1', labels: { queue: 'billing' }, closedAt: `${closedDay}T08:00:00Z` })));
    expect(early).toMatchObject({ status: 'recorded', matched: true });
    expect(early.warnings).toEqual([`closedAt ${closedDay}T08:00:00.000Z is before the email was received (its receivedAt ${closedDay}T09:00:00.000Z, as /v1/classify got it): the feedback is recorded as sent, but check the dates and time zone the CRM sends.`]);
    expect((await context.store.listPairs({ since: '2000-01-01T00:00:00Z' }))[0].feedback?.closedAt).toBe(`${closedDay}T08:00:00.000Z`);
    // Within the skew, or after it: no warning.
    for (const at of [`${closedDay}T08:56:00Z`, `${closedDay}T12:00:00Z`]) {
      expect((await json(app.request('/v1/feedback', jsonRequest({ emailId: 'early-1', labels: { queue: 'billing' }, closedAt: at })))).warnings, at).toBeUndefined();
    }
  });

  it('says of an unmatched feedback that closed before the stored one that the stored one is kept, not that it was recorded', async () => {
    const { app } = await build();
    const send = (queue: string, at: string) => json(app.request('/v1/feedback', jsonRequest({ emailId: 'nope-1', labels: { queue }, closedAt: at })));
    const first = await send('billing', `${closedDay}T12:00:00Z`);
    expect(first).toMatchObject({ status: 'recorded', matched: false });
    expect(first.warnings[0]).toMatch(/^No prediction of email "nope-1" is stored here: the feedback is recorded, and counts once a prediction of that email is \(check the emailId/);
    const late = await send('technical', `${closedDay}T11:00:00Z`);
    expect(late).toMatchObject({ status: 'superseded', matched: false });
    expect(late.warnings[0]).toMatch(/^No prediction of email "nope-1" is stored here: the feedback stored for it, which closed later, is kept \(check the emailId/);
  });

  it('POST /v1/classify and /invocations warn about query parameters, which they do not read (?id= is the .eml route\'s)', async () => {
    const { app } = await build();
    const body = { emails: [{ id: 'crm-1', body: 'invoice please' }] };
    for (const route of ['/v1/classify', '/invocations']) {
      const plain = await json(await app.request(route, jsonRequest(body)));
      expect(plain.warnings).toBeUndefined();
      const queried = await json(await app.request(`${route}?id=crm-2&source=crm`, jsonRequest(body)));
      expect(queried.predictions[0].id).toBe('crm-1');
      expect(queried.warnings).toEqual([
        "Query parameters mailroute does not read were ignored: id, source. This route reads no query parameters: each email's id goes in its id field of the JSON body (?id= is read by /v1/classify/eml only).",
      ]);
    }
  });

  it('says what is wrong with an empty or long id, and how to send an email that has none', async () => {
    const { app } = await build();
    const issue = async (res: Response | Promise<Response>) => (await json(res)).issues[0] as { path: unknown[]; message: string };
    // A CRM that writes a missing id as "" is told to leave it out or send null, as it would be for null.
    expect(await issue(app.request('/v1/classify', jsonRequest({ emails: [{ id: '', body: 'invoice' }] })))).toMatchObject({
      path: ['emails', 0, 'id'],
      message: 'an id is empty: leave it out, or send null, when there is none',
    });
    expect((await issue(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'x'.repeat(201), body: 'invoice' }] })))).message).toBe('an id has at most 200 characters: this one has 201');
    // A numeric CRM id is told to be sent as a string, in classify and in feedback.
    expect((await issue(app.request('/v1/classify', jsonRequest({ emails: [{ id: 4711, body: 'invoice' }] })))).message).toBe('an id is a string: send 4711 as "4711"');
    expect(await issue(app.request('/v1/feedback', jsonRequest({ emailId: 4711, labels: { queue: 'billing' }, closedAt })))).toMatchObject({ path: ['emailId'], message: 'an id is a string: send 4711 as "4711"' });
    expect((await issue(app.request('/v1/feedback', jsonRequest({ emailId: '', labels: { queue: 'billing' }, closedAt })))).path).toEqual(['emailId']);
    // A time as epoch milliseconds (as many CRMs store it) is told the string to send, in feedback and in an email.
    const ms = Date.parse('2026-11-29T10:00:00Z');
    expect(await issue(app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: 'billing' }, closedAt: ms })))).toMatchObject({
      path: ['closedAt'],
      message: expect.stringMatching(new RegExp(`^a date-time is a string \\(ISO 8601 .*\\), not a number: as epoch milliseconds, ${ms} is "2026-11-29T10:00:00\\.000Z"$`)),
    });
    // In an email (whose receivedAt the classifier does not read) it is left out, and the warning says so.
    expect((await json(app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice', receivedAt: ms }] })))).warnings[0]).toMatch(/not a number: as epoch milliseconds/);
    // Unix seconds are said to be seconds, not read as milliseconds into January 1970.
    expect((await issue(app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: 'billing' }, closedAt: 1796529600 })))).message).toMatch(
      /not a number: 1796529600 looks like Unix seconds, which is "2026-12-06T04:00:00\.000Z" \(as epoch milliseconds it would be 1970-01-21T\S+\); send that ISO 8601 string$/,
    );
    // An empty label, or one only blanks, and a long one are told what to send, not zod's "Too small".
    for (const label of ['', '  ']) {
      expect(await issue(app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: label }, closedAt })))).toMatchObject({
        path: ['labels', 'queue'],
        message: 'a label is empty: send the label the person confirmed for the task, such as "tax_documents", or leave the task out',
      });
    }
    expect((await issue(app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue: 'q'.repeat(201) }, closedAt })))).message).toBe('a label has at most 200 characters: this one has 201');
    const eml = ['Subject: invoice', '', 'Where is my invoice?', ''].join('\r\n');
    for (const query of ['?id=', '?id=%20%20']) {
      const res = await app.request(`/v1/classify/eml${query}`, authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
      expect(await issue(res)).toMatchObject({ path: ['id'], message: 'id is empty: give a value, or leave the parameter out' });
    }
  });

  it('refuses an id of blanks alone as it refuses "", in classify and feedback', async () => {
    const { app } = await build();
    for (const blank of ['  ', '\t', ' \u00a0 ']) {
      const res = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: blank, body: 'invoice' }] })));
      expect(res.issues, JSON.stringify(blank)).toEqual([expect.objectContaining({ path: ['emails', 0, 'id'], message: 'an id is empty: leave it out, or send null, when there is none' })]);
      const feedback = await json(app.request('/v1/feedback', jsonRequest({ emailId: blank, labels: { queue: 'billing' }, closedAt })));
      expect(feedback.issues).toEqual([expect.objectContaining({ path: ['emailId'], message: 'an id is empty: leave it out, or send null, when there is none' })]);
    }
  });

  it('trims an id padded by its CRM (a CHAR field), so that feedback naming it unpadded, or padded otherwise, joins its prediction', async () => {
    const { app, context } = await build();
    const [p] = await classify(app, [{ id: 'CRM-4711      ', body: 'invoice please' }]);
    expect(p.id).toBe('CRM-4711');
    expect((await context.store.getPrediction(p.predictionId))?.emailId).toBe('CRM-4711');
    const unpadded = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'CRM-4711', labels: { queue: 'billing' }, closedAt })));
    expect(unpadded).toMatchObject({ emailId: 'CRM-4711', predictionId: p.predictionId, matched: true, status: 'recorded' });
    expect(unpadded.warnings).toBeUndefined();
    // Feedback's emailId is trimmed alike; with a predictionId it must name the same email, and does.
    const padded = await json(app.request('/v1/feedback', jsonRequest({ emailId: ' CRM-4711\t', predictionId: p.predictionId, labels: { queue: 'billing' }, closedAt })));
    expect(padded).toMatchObject({ emailId: 'CRM-4711', predictionId: p.predictionId, matched: true });
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs).toHaveLength(1);
    expect(pairs[0].feedback?.labels).toEqual({ queue: 'billing' });
    // The .eml route's ?id= too.
    const eml = ['Subject: invoice', '', 'Where is my invoice?', ''].join('\r\n');
    const named = await json(app.request('/v1/classify/eml?id=%20CRM-4712%20', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml })));
    expect(named.predictions[0].id).toBe('CRM-4712');
  });

  it('refuses an email id with a lone surrogate in classify and feedback: stored, it would never join its feedback', async () => {
    const { app } = await build();
    const lone = 'sur\udc00';
    const classified = await app.request('/v1/classify', jsonRequest({ emails: [{ id: lone, body: 'invoice please' }] }));
    expect(classified.status).toBe(400);
    expect((await json(classified)).issues[0]).toMatchObject({ path: ['emails', 0, 'id'], message: expect.stringContaining('lone UTF-16 surrogate') });
    const feedback = await app.request('/v1/feedback', jsonRequest({ emailId: lone, labels: { queue: 'billing' }, closedAt }));
    expect(feedback.status).toBe(400);
    expect((await json(feedback)).issues[0]).toMatchObject({ path: ['emailId'], message: expect.stringContaining('lone UTF-16 surrogate') });
    // A pair (an emoji) is valid Unicode and joins as any id does.
    await classify(app, [{ id: 'pair\ud83d\ude00', body: 'invoice please' }]);
    expect(await json(app.request('/v1/feedback', jsonRequest({ emailId: 'pair\ud83d\ude00', labels: { queue: 'billing' }, closedAt })))).toMatchObject({ matched: true });
  });

  it('finds a prediction by its predictionId in upper case, as the UUID it is', async () => {
    const { app } = await build();
    const [p] = await classify(app, [{ id: 'mail-u', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionId: p.predictionId.toUpperCase(), labels: { queue: 'billing' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ emailId: 'mail-u', predictionId: p.predictionId, matched: true });
  });

  it('names the fields it does not read in its warning, with the field probably meant, as /v1/classify does', async () => {
    const { app } = await build();
    const [p] = await classify(app, [{ id: 'mail-w', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-w', predictionID: p.predictionId, comment: 'x', labels: { queue: 'billing' }, closedAt }));
    expect(res.status).toBe(202);
    const unread = "Fields mailroute does not read were ignored: predictionID (did you mean predictionId?), comment. A feedback's fields are predictionId, emailId, labels, closedAt.";
    expect(await json(res)).toMatchObject({ matched: true, warnings: [unread], warning: unread });
    const unmatched = await json(app.request('/v1/feedback', jsonRequest(`{"emailId":"nobody","labels":{"queue":"billing"},"closedAt":"${closedAt}","__proto__":{}}`)));
    // `warnings`, an array as classify's; `warning` (deprecated) the same joined, as it was answered before.
    expect(unmatched.warnings).toEqual([expect.stringMatching(/^No prediction of email "nobody" is stored here: /), expect.stringMatching(/^Fields mailroute does not read were ignored: __proto__\. /)]);
    expect(unmatched.warning).toBe(unmatched.warnings.join(' '));
    expect(unmatched.warning).toMatch(/^No prediction of email "nobody" is stored here: .* Fields mailroute does not read were ignored: __proto__\. /);
    const clean = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'mail-w', labels: { queue: 'billing' }, closedAt })));
    expect(clean.warning).toBeUndefined();
    expect(clean.warnings).toBeUndefined();
    // A task named __proto__ is unknown, as any other: left out and named, the queue's label recorded.
    const task = await app.request('/v1/feedback', jsonRequest(`{"emailId":"mail-w","labels":{"queue":"billing","__proto__":"x"},"closedAt":"${closedAt}"}`));
    expect(task.status).toBe(202);
    const answer = (await json(task)) as { ignored: Record<string, string>; recordedTasks: string[] };
    expect(answer.recordedTasks).toEqual(['queue']);
    expect(Object.entries(answer.ignored)).toEqual([['__proto__', "not one of the model's tasks (queue, topic)"]]);
    // Alone too: zod's output leaves the key out, but the feedback named a task, so it is not "no label": nothing to record.
    const alone = await app.request('/v1/feedback', jsonRequest(`{"emailId":"mail-w","labels":{"__proto__":"x"},"closedAt":"${closedAt}"}`));
    expect(alone.status).toBe(422);
    expect(await json(alone)).toMatchObject({ code: 'LABEL_NOT_IN_TAXONOMY', detail: expect.stringMatching(/^Nothing to record: "__proto__": not one of the model's tasks/) });
    const none = await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-w', labels: {}, closedAt }));
    expect(none.status).toBe(400);
    expect((await json(none)).issues).toEqual([{ path: ['labels'], message: 'at least one task label is required', code: 'custom' }]);
  });

  it('names a misspelt id field when the feedback is refused for having no id', async () => {
    const { app } = await build();
    const [p] = await classify(app, [{ id: 'mail-t', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionID: p.predictionId, labels: { queue: 'billing' }, closedAt }));
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.issues[0]).toMatchObject({ path: ['predictionId'], message: 'predictionId or emailId is required' });
    expect(problem.detail).toBe(
      "The request does not match the schema: predictionId or emailId is required. It holds fields that are not read: predictionID (did you mean predictionId?); a feedback's fields are predictionId, emailId, labels, closedAt.",
    );
    // A bad classify body names its unread fields as classify's, never as a feedback's.
    const bad = await json(app.request('/v1/classify', jsonRequest({ emails: [], predictionID: 'x' })));
    expect(bad.detail).toMatch(/^The request does not match the schema: .+\. It holds fields that are not read, beside emails: predictionID; an email's fields are /);
    expect(bad.detail).not.toContain("a feedback's fields");
  });

  it('tells a body sent as a JSON array what to send instead, in feedback and classify', async () => {
    const { app } = await build();
    const issue = async (path: string, body: unknown) => (await json(app.request(path, jsonRequest(body)))).issues[0] as { path: unknown[]; message: string };
    expect(await issue('/v1/feedback', [{ emailId: 'a', labels: { queue: 'billing' }, closedAt }])).toEqual({
      path: [],
      message: 'The body is a JSON array; send one feedback, an object {predictionId or emailId, labels, closedAt}: send one request per email',
      code: 'invalid_type',
    });
    expect((await issue('/v1/classify', [{ subject: 'invoice' }])).message).toBe('The body is a JSON array; send an object whose emails array holds the emails: {"emails": [...]}');
    // So are the other bodies that are not an object, and the detail (all a client's log may show) says it too.
    expect((await issue('/v1/feedback', 42)).message).toBe('The body is a JSON number; send one feedback, an object {predictionId or emailId, labels, closedAt}: send one request per email');
    for (const [body, kind] of [[null, 'null'], ['"hi"', 'a JSON string'], [true, 'a JSON boolean']] as const) {
      const detail = (await json(app.request('/v1/classify', jsonRequest(body)))).detail;
      expect(detail).toBe(`The request does not match the schema: the body is ${kind}; send an object whose emails array holds the emails: {"emails": [...]}.`);
    }
  });

  it('tells feedback labels sent in another shape (a list of pairs, a number) what the labels are', async () => {
    const { app } = await build();
    const refused = async (labels: unknown) => {
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-l', labels, closedAt }));
      expect(res.status).toBe(400);
      return (await json(res)) as { detail: string; issues: { path: unknown[]; message: string }[] };
    };
    const list = await refused([{ task: 'queue', label: 'billing' }]);
    expect(list.issues[0]).toMatchObject({ path: ['labels'], message: 'labels is an object of the confirmed label per task, such as {"queue": "tax_documents", "topic": "freistellungsauftrag"}, not an array' });
    expect(list.detail).not.toContain('record');
    expect((await refused('billing')).issues[0].message).toBe('labels is an object of the confirmed label per task, such as {"queue": "tax_documents", "topic": "freistellungsauftrag"}');
    expect((await refused({ queue: 5 })).issues[0]).toMatchObject({ path: ['labels', 'queue'], message: 'a label is a string, such as "tax_documents"' });
    // An empty label keeps its own message (the string's length check, not its type).
    expect((await refused({ queue: '' })).issues[0].message).not.toContain('a label is a string');
    // Left out, they are required, as before.
    const missing = await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-l', closedAt }));
    expect((await json(missing)).detail).toContain('labels is required');
  });

  it('names the first schema issue in the detail, the place and what is wrong, and how many more there are', async () => {
    const { app } = await build();
    const detail = async (path: string, body: unknown) => (await json(app.request(path, jsonRequest(body)))).detail as string;
    expect(await detail('/v1/classify', { emails: [{ id: 'x'.repeat(300), subject: 'invoice' }] })).toBe('The request does not match the schema: emails[0].id: an id has at most 200 characters: this one has 300.');
    expect(await detail('/v1/classify', {})).toBe('The request does not match the schema: emails is required.');
    expect(await detail('/v1/feedback', { emailId: 'crm-1', labels: { queue: 'billing' } })).toBe('The request does not match the schema: closedAt is required.');
    expect(await detail('/v1/feedback', { emailId: 7, labels: 'billing' })).toMatch(/^The request does not match the schema: emailId: .+ \(and 2 more in issues\)\.$/);
    const quality = await json(app.request('/v1/quality?hours=abc', authed()));
    expect(quality.detail).toBe('The request does not match the schema: hours must be a plain decimal number of hours, such as 24 or 1.5, not "abc".');
  });

  it('reads a null predictionId or emailId as absent, as /v1/classify reads null fields', async () => {
    const { app } = await build();
    await classify(app, [{ id: 'mail-n', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionId: null, emailId: 'mail-n', labels: { queue: 'billing' }, closedAt }));
    expect(res.status).toBe(202);
    const neither = await app.request('/v1/feedback', jsonRequest({ predictionId: null, emailId: null, labels: { queue: 'billing' }, closedAt }));
    expect(neither.status).toBe(400);
    expect(JSON.stringify(await json(neither))).toContain('predictionId or emailId is required');
  });

  it('stores closedAt in UTC, keeps the correction that closed last, and refuses a case closed in the future', async () => {
    const { app, context } = await build();
    expect((await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'late', body: 'invoice' }] }))).status).toBe(200);
    const post = (labels: Record<string, string>, at: string) => app.request('/v1/feedback', jsonRequest({ emailId: 'late', labels, closedAt: at }));
    expect((await post({ queue: 'billing' }, `${closedDay}T11:00:00+01:00`)).status).toBe(202);
    const stale = await post({ queue: 'technical' }, `${closedDay}T09:30:00Z`); // closed earlier, arrived later
    expect(stale.status).toBe(202);
    expect((await json(stale)).status).toBe('superseded');
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback).toMatchObject({ labels: { queue: 'billing' }, closedAt: `${closedDay}T10:00:00.000Z` });
    const future = await post({ queue: 'billing' }, new Date(Date.now() + 3_600_000).toISOString());
    expect(future.status).toBe(400);
    const problem = await json(future);
    expect(problem.issues[0]).toMatchObject({ path: ['closedAt'], code: 'future' });
    // The detail says how far ahead is allowed and the server's time, so a CRM with a fast clock sees it is one.
    expect(problem.detail).toMatch(/^closedAt \S+ is more than 5 minutes ahead of the server's clock \(now \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
  });

  it("reads a closedAt without a zone in the server's time zone; without one, allows it the 14 hours a zone can be ahead of UTC", async () => {
    // 23:30 UTC: 00:30 of the next day in Berlin, where the CRM sends the day the case closed.
    const now = Date.parse('2026-12-04T23:30:00Z');
    const stored = async (context: ServingApp['context']) => (await context.store.listPairs({ since: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' }))[0].feedback?.closedAt;
    const utc = await build({ clock: { now: () => now } });
    await classify(utc.app, [{ id: 'day', body: 'invoice' }]);
    const day = await utc.app.request('/v1/feedback', jsonRequest({ emailId: 'day', labels: { queue: 'billing' }, closedAt: '2026-12-05' }));
    expect(day.status).toBe(202);
    expect(await stored(utc.context)).toBe('2026-12-05T00:00:00.000Z');
    // Read as UTC for want of a zone, and said so, with what to set: a CRM's local time would be stored hours off.
    const guessed = await json(day);
    expect(guessed.warnings).toEqual([expect.stringMatching(/^closedAt 2026-12-05 has no zone and this server has no time zone set, so it was read as UTC \(2026-12-05T00:00:00\.000Z\)\. If the CRM sends its local time, set the server's time zone to the CRM's, such as Europe\/Berlin \(mailroute serve --time-zone, or MAILROUTE_TIME_ZONE; .*\), or send closedAt with its offset/)]);
    expect(guessed.warning).toBe(guessed.warnings[0]);
    // A time that names its zone is still held to 5 minutes.
    const ahead = await utc.app.request('/v1/feedback', jsonRequest({ emailId: 'day', labels: { queue: 'billing' }, closedAt: '2026-12-05T00:00:00Z' }));
    expect((await json(ahead)).issues[0]).toMatchObject({ path: ['closedAt'], code: 'future' });
    const tooFar = await json(await utc.app.request('/v1/feedback', jsonRequest({ emailId: 'day', labels: { queue: 'billing' }, closedAt: '2026-12-05 14:00' })));
    expect(tooFar.detail).toContain('is more than 14 hours (the most a time zone is ahead of UTC) and 5 minutes ahead of the server');

    const berlin = await build({ clock: { now: () => now }, timeZone: 'Europe/Berlin' });
    await classify(berlin.app, [{ id: 'local', body: 'invoice' }]);
    const post = (at: string) => berlin.app.request('/v1/feedback', jsonRequest({ emailId: 'local', labels: { queue: 'billing' }, closedAt: at }));
    const local = await post('2026-12-05 00:20:00');
    expect(local.status).toBe(202);
    expect(await stored(berlin.context)).toBe('2026-12-04T23:20:00.000Z');
    expect(await json(local)).not.toHaveProperty('warnings');
    // In the hours a change of daylight saving time skips or repeats, read as classify reads receivedAt, and said so
    // (refused, the labels a person confirmed were lost for an hour's ambiguity). Each later than the one before, so recorded.
    await classify(berlin.app, [{ id: 'dst', body: 'invoice' }]);
    const dst = (at: string) => json(berlin.app.request('/v1/feedback', jsonRequest({ emailId: 'dst', labels: { queue: 'billing' }, closedAt: at })));
    const storedDst = async () => (await berlin.context.store.listPairs({ since: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' })).find((p) => p.prediction.emailId === 'dst')?.feedback?.closedAt;
    // Spring's skipped hour: moved forward by the gap (read at the offset before the change: 03:30 on the clocks after it).
    const skipped = await dst('Sun, 29 Mar 2026 02:30:00');
    expect(skipped).toMatchObject({ status: 'recorded' });
    expect(await storedDst()).toBe('2026-03-29T01:30:00.000Z');
    expect(skipped.warnings).toEqual([
      "closedAt Sun, 29 Mar 2026 02:30:00 has no zone and never happens in the server's time zone Europe/Berlin (the clocks skip it): it was read as 2026-03-29T02:30:00+01:00 (2026-03-29T01:30:00.000Z), moved forward by the gap as calendar software reads it. Send closedAt with its offset if the CRM meant another time.",
    ]);
    // Autumn's repeated hour: its first occurrence, with the offset of the second to send.
    const twice = await dst('2026-10-25 02:10:00');
    expect(twice).toMatchObject({ status: 'recorded' });
    expect(await storedDst()).toBe('2026-10-25T00:10:00.000Z');
    expect(twice.warnings).toEqual([
      "closedAt 2026-10-25 02:10:00 has no zone and happens twice in the server's time zone Europe/Berlin (the clocks go back then): it was read as its first occurrence, 2026-10-25T02:10:00+02:00 (2026-10-25T00:10:00.000Z). If the case closed in the second, send 2026-10-25T02:10:00+01:00.",
    ]);
    const second = await dst('2026-10-25T02:10:00+01:00');
    expect([second.status, second.warnings]).toEqual(['recorded', undefined]);
    expect(await storedDst()).toBe('2026-10-25T01:10:00.000Z');
    await expect(build({ timeZone: 'Europe/Berlinn' })).rejects.toThrow('not a time zone this runtime knows: "Europe/Berlinn"');
  });

  it('refuses a closedAt older than the retention, which the store would delete at once, and says why', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { app, context } = await build({ clock: { now: () => now }, limits: { feedbackRetentionDays: 400 } });
    await classify(app, [{ id: 'old', body: 'invoice' }]);
    const post = (at: string) => app.request('/v1/feedback', jsonRequest({ emailId: 'old', labels: { queue: 'billing' }, closedAt: at }));
    const epoch = await post('1970-01-01T00:00:00Z');
    expect(epoch.status).toBe(400);
    expect(epoch.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(epoch);
    expect(problem).toMatchObject({ code: 'REQUEST_INVALID', issues: [{ path: ['closedAt'], code: 'too_old' }] });
    expect(problem.detail).toContain('more than 400 days ago');
    expect(problem.detail).toContain('1970-01-01 is what an unset date often becomes');
    const past = await post('2025-10-26T12:00:00Z'); // 401 days before now
    expect(past.status).toBe(400);
    expect((await json(past)).detail).not.toContain('unset date');
    expect((await post('2025-10-28T12:00:00+02:00')).status).toBe(202); // 399 days (and a bit) before now
    expect((await context.store.listPairs({ since: '2000-01-01T00:00:00Z' }))[0].feedback?.closedAt).toBe('2025-10-28T10:00:00.000Z');
  });

  it('takes the retention from the store when the limits name none (an app built on createSqliteStore: 400 days)', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { app } = await build({ clock: { now: () => now } });
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'old', labels: { queue: 'billing' }, closedAt: '2025-10-26T12:00:00Z' }));
    expect(res.status).toBe(400);
    expect((await json(res)).detail).toContain('more than 400 days ago');
  });

  it('says a retention of one day in the singular (--retention-days 1)', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { app } = await build({ clock: { now: () => now }, limits: { feedbackRetentionDays: 1 } });
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'day', labels: { queue: 'billing' }, closedAt: '2026-11-29' }));
    expect((await json(res)).detail).toMatch(/^closedAt 2026-11-29T00:00:00.000Z is more than 1 day ago: feedback is kept 1 day from the case's closedAt/);
  });

  it('takes closedAt without a zone (UTC) or as an RFC 2822 date, stores it as ISO 8601 UTC, and names the forms when refusing one', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'z1', body: 'invoice' }, { id: 'z2', body: 'invoice' }]);
    // A day a month before the tests run (a fixed one would pass the retention one day), in each form a CRM may send:
    // 2026-11-03T10:15:00, Tue, 3 Nov 2026 10:15:00 +0100, 03.11.2026.
    const day = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const [year, month, dayOfMonth] = day.split('-');
    const [weekday, , monthName] = new Date(`${day}T00:00:00Z`).toUTCString().split(' ');
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'z1', labels: { queue: 'billing' }, closedAt: `${day}T10:15:00` }))).status).toBe(202);
    const rfc2822 = `${weekday} ${Number(dayOfMonth)} ${monthName} ${year} 10:15:00 +0100`;
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'z2', labels: { queue: 'billing' }, closedAt: rfc2822 }))).status, rfc2822).toBe(202);
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    const closed = Object.fromEntries(pairs.map((p) => [p.prediction.emailId, p.feedback?.closedAt]));
    expect(closed).toEqual({ z1: `${day}T10:15:00.000Z`, z2: `${day}T09:15:00.000Z` });
    const bad = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'z1', labels: { queue: 'billing' }, closedAt: `${dayOfMonth}.${month}.${year}` })));
    expect(bad.status).toBe(400);
    expect(bad.issues[0].path).toEqual(['closedAt']);
    expect(bad.issues[0].message).toMatch(/ISO 8601.*RFC 2822/);
  });
});
