import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { classifierTasks, type ModelRegistry } from '@mailroute/model';
import { UNSPLIT_MULTIPART_WARNING } from '@mailroute/preprocess';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ServingApp } from '../app.js';
import { createClassifierSource } from '../model/classifier-source.js';
import { createFakeClassifier } from '../test-support/fake-classifier.js';
import { writeFixtureModel } from '../test-support/fixture-model.js';
import { PROBLEM_CODES } from '../errors.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { noPredictionsWarning } from './quality.js';
import { authed, buildTestApp, json, jsonRequest, KEYS, testAppBuilder } from '../test-support/harness.js';

const build = testAppBuilder();

async function classify(app: ServingApp['app'], emails: unknown[]) {
  const res = await app.request('/v1/classify', jsonRequest({ emails }));
  expect(res.status).toBe(200);
  return (await json(res)).predictions as Array<{ id: string; predictionId: string }>;
}

const closedAt = '2026-11-29T10:00:00Z';
/** An ISO time `minutesAgo` minutes before now. */
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
/** Prediction ids of predictions stored directly (ids are UUIDs, as /v1/classify makes them). */
const P_OTHER = '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d9e';
const P_O = '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d9f';

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
    expect((await issue(app.request('/v1/classify', jsonRequest({ emails: [{ body: 'invoice', receivedAt: ms }] })))).message).toMatch(/not a number: as epoch milliseconds/);
    const eml = ['Subject: invoice', '', 'Where is my invoice?', ''].join('\r\n');
    const res = await app.request('/v1/classify/eml?id=', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: eml }));
    expect(await issue(res)).toMatchObject({ path: ['id'], message: 'id is empty: give a value, or leave the parameter out' });
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
    expect(await json(res)).toMatchObject({
      matched: true,
      warning: "Fields mailroute does not read were ignored: predictionID (did you mean predictionId?), comment. A feedback's fields are predictionId, emailId, labels, closedAt.",
    });
    const unmatched = await json(app.request('/v1/feedback', jsonRequest('{"emailId":"nobody","labels":{"queue":"billing"},"closedAt":"2026-11-29T10:00:00Z","__proto__":{}}')));
    expect(unmatched.warning).toMatch(/^No prediction of email "nobody" is stored here: .* Fields mailroute does not read were ignored: __proto__\. /);
    const clean = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'mail-w', labels: { queue: 'billing' }, closedAt })));
    expect(clean.warning).toBeUndefined();
    // A task named __proto__ is unknown, as any other.
    const task = await app.request('/v1/feedback', jsonRequest('{"emailId":"mail-w","labels":{"queue":"billing","__proto__":"x"},"closedAt":"2026-11-29T10:00:00Z"}'));
    expect(task.status).toBe(422);
    expect((await json(task)).detail).toMatch(/^Task "__proto__" is not one of the model's tasks/);
    // Alone too: zod's output leaves the key out, but the feedback named a task, so it is not "no label".
    const alone = await app.request('/v1/feedback', jsonRequest('{"emailId":"mail-w","labels":{"__proto__":"x"},"closedAt":"2026-11-29T10:00:00Z"}'));
    expect(alone.status).toBe(422);
    expect(await json(alone)).toMatchObject({ code: 'LABEL_NOT_IN_TAXONOMY', detail: expect.stringMatching(/^Task "__proto__" is not one of the model's tasks/) });
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
    expect((await post({ queue: 'billing' }, '2026-11-29T11:00:00+01:00')).status).toBe(202);
    const stale = await post({ queue: 'technical' }, '2026-11-29T09:30:00Z'); // closed earlier, arrived later
    expect(stale.status).toBe(202);
    expect((await json(stale)).status).toBe('superseded');
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback).toMatchObject({ labels: { queue: 'billing' }, closedAt: '2026-11-29T10:00:00.000Z' });
    const future = await post({ queue: 'billing' }, new Date(Date.now() + 3_600_000).toISOString());
    expect(future.status).toBe(400);
    const problem = await json(future);
    expect(problem.issues[0]).toMatchObject({ path: ['closedAt'], code: 'future' });
    // The detail says how far ahead is allowed and the server's time, so a CRM with a fast clock sees it is one.
    expect(problem.detail).toMatch(/^closedAt \S+ is more than 5 minutes ahead of the server's clock \(now \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
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

  it('says a retention of one day in the singular (the SageMaker container keeps feedback one day)', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const { app } = await build({ clock: { now: () => now }, limits: { feedbackRetentionDays: 1 } });
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'day', labels: { queue: 'billing' }, closedAt: '2026-11-29' }));
    expect((await json(res)).detail).toMatch(/^closedAt 2026-11-29T00:00:00.000Z is more than 1 day ago: feedback is kept 1 day from the case's closedAt/);
  });

  it('takes closedAt without a zone (UTC) or as an RFC 2822 date, stores it as ISO 8601 UTC, and names the forms when refusing one', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'z1', body: 'invoice' }, { id: 'z2', body: 'invoice' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'z1', labels: { queue: 'billing' }, closedAt: '2025-11-03T10:15:00' }))).status).toBe(202);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'z2', labels: { queue: 'billing' }, closedAt: 'Mon, 3 Nov 2025 10:15:00 +0100' }))).status).toBe(202);
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    const closed = Object.fromEntries(pairs.map((p) => [p.prediction.emailId, p.feedback?.closedAt]));
    expect(closed).toEqual({ z1: '2025-11-03T10:15:00.000Z', z2: '2025-11-03T09:15:00.000Z' });
    const bad = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'z1', labels: { queue: 'billing' }, closedAt: '03.11.2025' })));
    expect(bad.status).toBe(400);
    expect(bad.issues[0].path).toEqual(['closedAt']);
    expect(bad.issues[0].message).toMatch(/ISO 8601.*RFC 2822/);
  });

  it('takes a label under an old name the training config renamed, and stores it as sent (scoring maps it)', async () => {
    const classifier = createFakeClassifier();
    const aliased = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, aliases: { rechnung: 'payments', payments: 'billing' } } : t)) };
    const { app, context } = await build({ classifier: aliased });
    expect((await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'old-name', body: 'invoice' }] }))).status).toBe(200);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'old-name', labels: { queue: 'rechnung', topic: 'invoice' }, closedAt }));
    expect(res.status).toBe(202);
    expect((await json(res)).readAs).toEqual({ queue: `"rechnung" is read as "billing": the model's training config renames or merges it` });
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'rechnung', topic: 'invoice' });
    const quality = await json(app.request('/v1/quality?hours=1', authed()));
    expect(quality.tasks.queue).toMatchObject({ withFeedback: 1, unmappable: 0 });
    const unknown = await app.request('/v1/feedback', jsonRequest({ emailId: 'old-name', labels: { queue: 'lottery' }, closedAt }));
    expect(unknown.status).toBe(422);
  });

  it('takes a label training merged into other for being rare as other: says so, stores it as sent, scores it against other', async () => {
    const fake = createFakeClassifier();
    // The tasks as a manifest that records `inheritance` among the topic labels merged into other makes them.
    const tasks = classifierTasks({ tasks: fake.tasks.map((t) => (t.name === 'topic' ? { ...t, mergedIntoOther: ['inheritance'] } : t)) });
    const classifier = Object.assign(fake, { tasks });
    const { app, context } = await build({ classifier });
    // The fake model says other for the first, invoice for the second.
    const [p] = await classify(app, [{ id: 'inh1', body: 'estate of my late father' }, { id: 'inh2', body: 'invoice for the estate' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'inh1', labels: { queue: 'general', topic: 'inheritance' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({
      emailId: 'inh1',
      predictionId: p.predictionId,
      status: 'recorded',
      matched: true,
      readAs: { topic: '"inheritance" is read as "other": the model had too few examples of it when trained (under the task\'s minCount), so training merged it into other' },
      recordedTasks: ['queue', 'topic'],
    });
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs.find((pair) => pair.prediction.emailId === 'inh1')?.feedback?.labels).toEqual({ queue: 'general', topic: 'inheritance' });
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'inh2', labels: { topic: 'inheritance' }, closedAt }))).status).toBe(202);
    // Scored against other: right for the prediction other, wrong for invoice.
    const quality = await json(app.request('/v1/quality?hours=1', authed()));
    expect(quality.tasks.topic).toMatchObject({ withFeedback: 2, unmappable: 0 });
    expect(quality.tasks.topic.accuracy).toBeCloseTo(0.5, 9);
    // A misspelt one is named as the label probably meant, and as merged.
    const typo = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'inh1', labels: { topic: 'inheritence' }, closedAt })));
    expect(typo.detail).toBe('Label "inheritence" is not in the taxonomy of task "topic" (did you mean inheritance, merged into other in training?).');
  });

  it('takes a label written decomposed (NFD, as some CRMs export ü) as the composed label, and stores it composed', async () => {
    const classifier = createFakeClassifier();
    const umlaut = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: [...t.labels, 'Depot\u00fcbertrag'] } : t)) };
    const { app, context } = await build({ classifier: umlaut });
    await classify(app, [{ id: 'nfd', body: 'Depot bitte übertragen' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'nfd', labels: { queue: 'Depotu\u0308bertrag' }, closedAt }));
    expect(res.status).toBe(202);
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels.queue).toBe('Depot\u00fcbertrag');
  });

  it("names an old label the training config renamed or merged as the one probably meant (a CRM sending its old names mistypes those too)", async () => {
    const classifier = createFakeClassifier();
    const aliased = { ...classifier, tasks: classifier.tasks.map((t) => (t.name === 'queue' ? { ...t, aliases: { rechnung: 'payments', payments: 'billing', kyc: 'technical' } } : t)) };
    const { app } = await build({ classifier: aliased });
    const detail = async (label: string) => {
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: label }, closedAt }));
      expect(res.status).toBe(422);
      return (await json(res)).detail as string;
    };
    expect(await detail('KYC')).toBe('Label "KYC" is not in the taxonomy of task "queue" (did you mean kyc, an old name of technical?).');
    expect(await detail('Rechnungen')).toContain('(did you mean rechnung, an old name of billing?)');
    // A current label stays the guess where it is as close.
    expect(await detail('Billing')).toContain('(did you mean billing?)');
  });

  it('422 with the valid labels for a label outside the taxonomy', async () => {
    const { app } = await build();
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'lottery' }, closedAt }));
    expect(res.status).toBe(422);
    const problem = await json(res);
    expect(problem.code).toBe('LABEL_NOT_IN_TAXONOMY');
    expect(problem.validLabels).toEqual({ queue: ['billing', 'technical', 'general'] });
    const task = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { mood: 'happy' }, closedAt }));
    expect(task.status).toBe(422);
    expect(Object.keys((await json(task)).validLabels)).toEqual(['queue', 'topic']);
    // Names of Object's own members are tasks like any other unknown one, not a crash.
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const own = await app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'billing', [name]: 'x' }, closedAt }));
      expect(own.status).toBe(422);
      expect((await json(own)).detail).toBe(`Task "${name}" is not one of the model's tasks; its tasks are queue, topic.`);
    }
  });

  it('names the task or label probably meant, and the valid task names, for one outside the taxonomy', async () => {
    const { app } = await build();
    const task = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queu: 'billing' }, closedAt })));
    expect(task).toMatchObject({ status: 422, code: 'LABEL_NOT_IN_TAXONOMY', detail: `Task "queu" is not one of the model's tasks (did you mean queue?); its tasks are queue, topic.` });
    const label = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { queue: 'biling' }, closedAt })));
    expect(label.detail).toBe('Label "biling" is not in the taxonomy of task "queue" (did you mean billing?).');
    const long = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'm', labels: { ['q'.repeat(5000)]: 'billing' }, closedAt })));
    expect(long.detail).toBe(`Task "${'q'.repeat(80)}…" is not one of the model's tasks; its tasks are queue, topic.`);
  });

  it('leaves out a retired label and records the others; 422 when every label is retired', async () => {
    const fake = createFakeClassifier();
    const classifier = Object.assign(fake, { tasks: fake.tasks.map((t) => (t.name === 'topic' ? { ...t, retired: ['paper_statements'] } : t)) });
    const { app, context } = await build({ classifier });
    await classify(app, [{ id: 'r1', body: 'invoice please' }]);
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'r1', labels: { queue: 'billing', topic: 'paper_statements' }, closedAt }));
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ status: 'recorded', ignored: { topic: '"paper_statements" is a retired label' } });
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'billing' });
    const only = await app.request('/v1/feedback', jsonRequest({ emailId: 'r1', labels: { topic: 'paper_statements' }, closedAt }));
    expect(only.status).toBe(422);
    expect((await json(only)).detail).toMatch(/^Every label is retired \(topic: "paper_statements" is a retired label\)/);
  });

  it('checks a label the served model lacks against the model that made the prediction (after a swap or a rollback)', async () => {
    // The prediction came from another registered model whose queue taxonomy has `kyc`, which the served one lacks.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-feedback-model-'));
    await writeFixtureModel(dir, 'other-model');
    const registry = { artifactDir: async () => dir } as unknown as ModelRegistry;
    const { app, context } = await build({ registry });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_OTHER, emailId: 'e-other', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    const res = await app.request('/v1/feedback', jsonRequest({ predictionId: P_OTHER, labels: { queue: 'kyc' }, closedAt }));
    expect(res.status).toBe(202);
    // The served model's own emails are still checked against its own labels.
    const [mine] = await classify(app, [{ id: 'e-mine', body: 'invoice' }]);
    expect((await app.request('/v1/feedback', jsonRequest({ predictionId: mine.predictionId, labels: { queue: 'kyc' }, closedAt }))).status).toBe(422);
    // Without a registry to ask, as before: 422.
    const bare = await build();
    await bare.context.store.savePredictions([{ predictionId: P_OTHER, emailId: 'e-other', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    expect((await bare.app.request('/v1/feedback', jsonRequest({ predictionId: P_OTHER, labels: { queue: 'kyc' }, closedAt }))).status).toBe(422);
  });

  it("asks again for another model's tasks after a failed read (a throttled registry is not remembered)", async () => {
    let calls = 0;
    const modelTasks = async () => {
      calls += 1;
      if (calls === 1) throw new Error('SlowDown');
      return [{ name: 'queue', labels: ['kyc'] }];
    };
    const { app, context } = await build({ modelTasks });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_O, emailId: 'e-o', modelId: 'other-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    const post = () => app.request('/v1/feedback', jsonRequest({ predictionId: P_O, labels: { queue: 'kyc' }, closedAt }));
    expect((await post()).status).toBe(422);
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(202);
    expect(calls).toBe(2);
  });

  it("asks the registry once for a model it does not hold (deleted): REGISTRY_NOT_FOUND is remembered", async () => {
    let calls = 0;
    const modelTasks = async () => {
      calls += 1;
      throw Object.assign(new Error('no such model'), { code: 'REGISTRY_NOT_FOUND' });
    };
    const { app, context } = await build({ modelTasks });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    await context.store.savePredictions([{ predictionId: P_O, emailId: 'e-o', modelId: 'deleted-model', createdAt, labels: { queue: 'kyc' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'kyc', latencyMs: 1 }]);
    for (let i = 0; i < 3; i++) expect((await app.request('/v1/quality?model=all', authed())).status).toBe(200);
    expect(calls).toBe(1);
  });

  it('records feedback for an email with no stored prediction, and says it matched none (matched: false, a warning)', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'known', body: 'invoice' }]);
    const known = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'known', labels: { queue: 'billing' }, closedAt })));
    expect(known).toMatchObject({ status: 'recorded', matched: true });
    expect(known.warning).toBeUndefined();
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'unknwn', labels: { queue: 'billing' }, closedAt }));
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body).toMatchObject({ emailId: 'unknwn', status: 'recorded', matched: false });
    expect(body.warning).toContain('No prediction of email "unknwn"');
    // Still stored: a prediction of that email saved later joins it.
    await classify(app, [{ id: 'unknwn', body: 'invoice' }]);
    const pairs = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pairs.find((p) => p.prediction.emailId === 'unknwn')?.feedback?.labels).toEqual({ queue: 'billing' });
  });

  it('merges a later feedback per task (a queue-only correction keeps the confirmed topic in /v1/quality), ignores an older one, and commits each before its 202', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-feedback-merge-'));
    const file = path.join(dir, 'mailroute.db');
    // A file store: its writes go through the writer thread, as `mailroute serve` runs it.
    const serving = await buildTestApp({ store: createSqliteStore({ file, retentionDays: 0 }) });
    onTestFinished(async () => {
      await serving.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const { app } = serving;
    await classify(app, [{ id: 'qa-1', body: 'invoice please' }]); // predicted billing / invoice
    const [t1, t0, t2] = [at(30), at(25), at(20)];
    const post = async (labels: Record<string, string>, closed: string) => {
      const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'qa-1', labels, closedAt: closed }));
      expect(res.status).toBe(202);
      // Committed before the 202: another connection to the file reads it now.
      const other = new Database(file, { readonly: true });
      const row = other.prepare('SELECT labels, closed_at FROM feedback WHERE email_id = ?').get('qa-1') as { labels: string; closed_at: string };
      other.close();
      return { body: await json(res), stored: { labels: JSON.parse(row.labels) as Record<string, string>, closedAt: row.closed_at } };
    };
    const quality = async () => (await json(app.request('/v1/quality?hours=1', authed()))).tasks;

    const first = await post({ queue: 'billing', topic: 'invoice' }, t1);
    expect(first.body).toMatchObject({ status: 'recorded', recordedTasks: ['queue', 'topic'] });
    expect((await quality()).topic).toMatchObject({ withFeedback: 1, accuracy: 1 });

    // The CRM corrects the queue alone, later: the topic confirmed before stays.
    const correction = await post({ queue: 'technical' }, t2);
    expect(correction.body).toMatchObject({ status: 'recorded', recordedTasks: ['queue'] });
    expect(correction.stored).toEqual({ labels: { queue: 'technical', topic: 'invoice' }, closedAt: t2 });
    const corrected = await quality();
    expect(corrected.queue).toMatchObject({ withFeedback: 1, accuracy: 0 });
    expect(corrected.topic).toMatchObject({ withFeedback: 1, accuracy: 1 });

    // A partial feedback that closed earlier, delivered late: superseded, no task changed.
    const stale = await post({ topic: 'login' }, t0);
    expect(stale.body).toMatchObject({ status: 'superseded', recordedTasks: [] });
    expect(stale.stored).toEqual(correction.stored);
    expect(await quality()).toEqual(corrected);
  });

  it('404 for an unknown prediction id, 400 for one that is no UUID (with the path) and without any id', async () => {
    const { app } = await build();
    const unknown = await app.request('/v1/feedback', jsonRequest({ predictionId: '0193a1f0-0000-7000-8000-000000000000', labels: { queue: 'billing' }, closedAt }));
    expect(unknown.status).toBe(404);
    // Says what to send instead: the id /v1/classify answered, or the emailId alone.
    expect((await json(unknown)).detail).toBe(
      "No prediction has predictionId 0193a1f0-0000-7000-8000-000000000000 here (an old one may have been deleted by the server's retention): send the predictionId /v1/classify answered for the email, or send only its emailId, which is recorded even before a prediction of it is stored.",
    );
    const classified = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', subject: 'invoice' }] })));
    const predictionId = classified.predictions[0].predictionId as string;
    const mismatch = await json(app.request('/v1/feedback', jsonRequest({ predictionId, emailId: 'crm-2', labels: { queue: 'billing' }, closedAt })));
    expect(mismatch.detail).toBe(`emailId "crm-2" is not the email prediction ${predictionId} was made for: send the predictionId /v1/classify answered for this email, or only one of the two.`);
    const malformed = await app.request('/v1/feedback', jsonRequest({ predictionId: 'nope', labels: { queue: 'billing' }, closedAt }));
    expect(malformed.status).toBe(400);
    const problem = await json(malformed);
    expect(problem.code).toBe('REQUEST_INVALID');
    expect(problem.issues[0]).toMatchObject({ path: ['predictionId'], message: expect.stringContaining('a predictionId is a UUID') });
    const noId = await app.request('/v1/feedback', jsonRequest({ labels: { queue: 'billing' }, closedAt }));
    expect(noId.status).toBe(400);
    expect((await json(noId)).issues[0].path).toEqual(['predictionId']);
  });
});

describe('GET /v1/quality', () => {
  it('reads hours as a plain decimal number only, and says what is wrong with any other', async () => {
    const { app } = await build();
    const problem = async (query: string) => {
      const res = await app.request(`/v1/quality?${query}`, authed());
      expect(res.status, query).toBe(400);
      return (await json(res)).issues[0].message as string;
    };
    expect(await problem('hours=')).toMatch(/^hours is empty: give the window in hours, a plain decimal number such as 24 or 1\.5/);
    expect(await problem('hours=0x10')).toBe('hours must be a plain decimal number of hours, such as 24 or 1.5, not "0x10"');
    expect(await problem('hours=1e3')).toMatch(/^hours must be a plain decimal number/);
    expect(await problem('hours=%2024')).toMatch(/^hours must be a plain decimal number/);
    expect(await problem('hours=1&hours=2')).toBe('hours is given 2 times: give it once');
    expect(await problem('hours=0')).toBe('hours must be more than 0');
    expect(await problem('hours=9000')).toBe('hours must be at most 8784 (366 days)');
    expect(await problem('model=a&model=b')).toBe('model is given 2 times: give it once');
    // A model id encoded as Latin-1 (or a bare %) would be read as its raw text and match no model.
    expect(await problem('model=m%FC')).toMatch(/^model is not UTF-8 percent-encoding at "%FC"/);
    for (const query of ['', 'hours=24', 'hours=1.5', 'hours=8784']) expect((await app.request(`/v1/quality?${query}`, authed())).status, query).toBe(200);
  });

  it('names the query parameters it does not read, so a misspelt hours is not measured as the default window unsaid', async () => {
    const { app } = await build();
    const answer = await json(app.request('/v1/quality?hour=24&modle=all', authed()));
    expect(Date.parse(answer.window.until) - Date.parse(answer.window.since)).toBe(168 * 3_600_000);
    expect(answer.warnings).toEqual(['Query parameters mailroute does not read were ignored: hour (did you mean hours?), modle (did you mean model?). This route reads ?hours=, ?model= only.']);
    expect((await json(app.request('/v1/quality?hours=24', authed()))).warnings).toBeUndefined();
  });

  it('says a body sent with the GET is not read, as its parameters go in the query', async () => {
    const { app } = await build();
    // As a GET with a body reaches the app (Request objects refuse to build one): its headers say it has one.
    const answer = await json(app.request('/v1/quality', authed(KEYS.all, { headers: { 'content-type': 'application/json', 'content-length': '13' } })));
    expect(answer.warnings).toEqual(['The request body was not read: /v1/quality reads only its query parameters, ?hours= and ?model= (/v1/quality?hours=24).']);
    expect(Date.parse(answer.window.until) - Date.parse(answer.window.since)).toBe(168 * 3_600_000);
  });

  it('computes accuracy, macro-F1, unchanged share, coverage and bands from feedback', async () => {
    const { app } = await build();
    const preds = await classify(app, [
      { id: 'a', body: 'invoice' },
      { id: 'b', body: 'invoice' },
      { id: 'c', body: 'password reset' },
      { id: 'd', body: 'hello' },
    ]);
    const fb = (id: string, queue: string) => app.request('/v1/feedback', jsonRequest({ emailId: id, labels: { queue }, closedAt }));
    expect((await fb('a', 'billing')).status).toBe(202);
    expect((await fb('b', 'general')).status).toBe(202);
    expect((await fb('c', 'technical')).status).toBe(202);
    expect(preds).toHaveLength(4);
    const res = await app.request('/v1/quality?hours=1', authed());
    expect(res.status).toBe(200);
    const q = await json(res);
    expect(q.predictions).toBe(4);
    expect(q.withFeedback).toBe(3);
    expect(q.unchangedShare).toBeCloseTo(2 / 3, 9);
    expect(q.tasks.queue.accuracy).toBeCloseTo(2 / 3, 9);
    // truth [billing, general, technical], predicted [billing, billing, technical]: F1 1, 2/3, 0 for general... macro = (2/3 + 0 + 1) / 3
    expect(q.tasks.queue.macroF1).toBeCloseTo((2 / 3 + 0 + 1) / 3, 9);
    expect(q.tasks.queue.coverage).toBeCloseTo(3 / 4, 9);
    const top = q.tasks.queue.bands.find((b: { band: string }) => b.band === '0.9-1.0');
    expect(top).toEqual({ band: '0.9-1.0', predictions: 2, withFeedback: 2, accuracy: 0.5 });
    expect(q.tasks.queue.drift.reference).toBe('none');
  });

  it('counts a prediction made in the same millisecond as the question', async () => {
    const frozen = Date.parse('2026-11-29T12:00:00.000Z');
    const { app } = await build({ clock: { now: () => frozen } });
    await classify(app, [{ body: 'invoice' }]);
    const q = await json(app.request('/v1/quality?hours=1', authed()));
    expect(q.predictions).toBe(1);
    expect(q.window.until > new Date(frozen).toISOString()).toBe(true);
  });

  it('measures drift against the training distribution when it is known', async () => {
    const { app } = await build({ trainingDistribution: async () => ({ queue: { billing: 0.2, technical: 0.4, general: 0.4 } }) });
    await classify(app, [{ body: 'invoice' }, { body: 'invoice' }, { body: 'invoice' }, { body: 'invoice' }]);
    // Four predictions are too few for a drift figure (chance alone gives a PSI that reads as a shift):
    // three labels need 40 (20 per label beyond the first).
    const few = await json(app.request('/v1/quality', authed()));
    expect(few.tasks.queue.drift).toMatchObject({ reference: 'training', minPredictions: 40, psi: null, jsDivergence: null });
    await classify(app, Array.from({ length: 35 }, () => ({ body: 'invoice' })));
    expect((await json(app.request('/v1/quality', authed()))).tasks.queue.drift.psi).toBeNull();
    await classify(app, [{ body: 'invoice' }]);
    const q = await json(app.request('/v1/quality', authed()));
    expect(q.tasks.queue.drift.reference).toBe('training');
    expect(q.tasks.queue.drift.psi).toBeGreaterThan(0.25);
    expect(q.tasks.queue.drift.jsDivergence).toBeGreaterThan(0.3);
    expect(q.tasks.queue.drift.predicted).toEqual({ billing: 1 });
  });

  it('measures the served model by default, another model or all of them on request, and counts emails per model', async () => {
    const { app, context } = await build();
    const [served] = await classify(app, [{ id: 'new-1', body: 'invoice' }]);
    expect(served).toBeDefined();
    const servedId = context.source.current()?.modelId as string;
    // Before a swap, an older model predicted two emails; one was closed with another queue.
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (emailId: string) => ({ predictionId: `old-${emailId}`, emailId, modelId: 'old-model', createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions([old('old-1'), old('old-2')]);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'old-1', labels: { queue: 'technical' }, closedAt }))).status).toBe(202);
    const mine = await json(app.request('/v1/quality?hours=1', authed()));
    expect(mine).toMatchObject({ modelId: servedId, models: { [servedId]: 1, 'old-model': 2 }, predictions: 1, withFeedback: 0 });
    const before = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(before).toMatchObject({ modelId: 'old-model', predictions: 2, withFeedback: 1 });
    expect(before.tasks.queue.accuracy).toBeCloseTo(0, 9);
    const all = await json(app.request('/v1/quality?hours=1&model=all', authed()));
    expect(all).toMatchObject({ modelId: 'all', predictions: 3, withFeedback: 1 });
  });

  it('says a model id with no predictions in the window (a typo, one never served) has none, naming the models that do', async () => {
    const { app, context } = await build();
    await classify(app, [{ id: 'new-1', body: 'invoice' }]);
    const servedId = context.source.current()?.modelId as string;
    const old = { predictionId: 'old-1', emailId: 'old-1', modelId: 'old-model-7', createdAt: at(1), labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 };
    await context.store.savePredictions([old]);
    const typo = await json(app.request('/v1/quality?hours=1&model=old-model-8', authed()));
    expect(typo).toMatchObject({ modelId: 'old-model-8', predictions: 0, withFeedback: 0 });
    expect(typo.warnings).toEqual([
      `No predictions are recorded for model "old-model-8" in the last 1 hour(s): its figures are zeros, not a measurement. Did you mean "old-model-7"? Models with predictions there (emails): ${[`${servedId} (1)`, 'old-model-7 (1)'].sort().join(', ')}. Model ids are matched exactly; ?model=all measures every model.`,
    ]);
    // One never served, in an empty window: nothing to guess, nothing to name.
    const empty = await build();
    const never = await json(empty.app.request('/v1/quality?hours=2&model=never-served', authed()));
    expect(never.warnings).toEqual(['No predictions are recorded for model "never-served" in the last 2 hour(s): its figures are zeros, not a measurement. No model has predictions there. Model ids are matched exactly; ?model=all measures every model.']);
    // A model with predictions, all of them, and the default (the served model) are measured without the warning.
    for (const query of ['model=old-model-7', 'model=all', '']) expect((await json(app.request(`/v1/quality?hours=1&${query}`, authed()))).warnings, query).toBeUndefined();
  });

  it('names at most ten models in that warning, and says when only the predictions read were looked at (a truncated window)', () => {
    const models = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`m-${String(i).padStart(2, '0')}`, i + 1]));
    expect(noPredictionsWarning('x-model', 24, models, true)).toBe(
      'No predictions are recorded for model "x-model" among the predictions read of the last 24 hour(s) (the window held more than one answer reads): its figures are zeros, not a measurement. Models with predictions there (emails): m-00 (1), m-01 (2), m-02 (3), m-03 (4), m-04 (5), m-05 (6), m-06 (7), m-07 (8), m-08 (9), m-09 (10), and 2 more. Model ids are matched exactly; ?model=all measures every model.',
    );
  });

  it('scores labels under the served model\'s current names: an older model\'s renamed label is not wrong for the name alone', async () => {
    // The served model was trained after `accounting` was renamed `billing`; the old model still predicted `accounting`.
    const fake = createFakeClassifier();
    const classifier = Object.assign(fake, { tasks: fake.tasks.map((t) => (t.name === 'queue' ? { ...t, aliases: { accounting: 'billing' } } : t)) });
    const { app, context } = await build({ classifier });
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (emailId: string) => ({ predictionId: `old-${emailId}`, emailId, modelId: 'old-model', createdAt, labels: { queue: 'accounting' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'accounting', latencyMs: 1 });
    await context.store.savePredictions([old('o1'), old('o2'), old('o3')]);
    // Closed under the new name, under the old one (stored as the new), and as another queue.
    for (const [emailId, queue] of [['o1', 'billing'], ['o2', 'accounting'], ['o3', 'technical']]) {
      expect((await app.request('/v1/feedback', jsonRequest({ emailId, labels: { queue }, closedAt }))).status).toBe(202);
    }
    const before = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(before.tasks.queue.accuracy).toBeCloseTo(2 / 3, 9);
    expect(before.unchangedShare).toBeCloseTo(2 / 3, 9);
    expect(before.tasks.queue.drift.predicted).toEqual({ billing: 1 });
  });

  it("leaves out of the unchanged share an email closed only with the label of a task its model did not predict (added since)", async () => {
    const { app, context } = await build();
    // An older model predicted the queue only; the served one added topic. One case closed with the topic alone.
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    const old = (emailId: string) => ({ predictionId: `old-${emailId}`, emailId, modelId: 'old-model', createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions([old('o1'), old('o2')]);
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'o1', labels: { topic: 'invoice' }, closedAt }))).status).toBe(202);
    const topicOnly = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(topicOnly).toMatchObject({ withFeedback: 1, unchangedShare: null });
    // Another closed with a changed queue: 0 of 1 unchanged, not 1 of 2.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'o2', labels: { queue: 'technical' }, closedAt }))).status).toBe(202);
    const q = await json(app.request('/v1/quality?hours=1&model=old-model', authed()));
    expect(q).toMatchObject({ withFeedback: 2, unchangedShare: 0 });
  });

  it('measures the newest predictions of a window bigger than one answer reads, and says so', async () => {
    const { app, context } = await build({ limits: { qualityMaxPredictions: 2 } });
    const rec = (id: string, modelId: string, createdAt: string) => ({ predictionId: id, emailId: `e-${id}`, modelId, createdAt, labels: { queue: 'billing' }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: 'billing', latencyMs: 1 });
    await context.store.savePredictions([rec('p1', 'old-model', at(30)), rec('p2', 'old-model', at(20)), rec('p3', 'new-model', at(10)), rec('p4', 'new-model', at(5))]);
    // The oldest prediction has feedback: it is measured too, though it is older than the newest two.
    expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'e-p1', labels: { queue: 'billing' }, closedAt }))).status).toBe(202);
    const q = await json(app.request('/v1/quality?hours=1&model=all', authed()));
    expect(q).toMatchObject({ truncated: true, predictions: 3, withFeedback: 1, models: { 'new-model': 2, 'old-model': 1 } });
    expect(q.tasks.queue.accuracy).toBe(1);
    // Predictions without feedback are counted from the oldest of the newest two read (p3, 10 minutes ago).
    expect(Math.abs(Date.parse(q.sampledSince) - (Date.now() - 10 * 60_000))).toBeLessThan(5_000);
    const small = await build();
    expect((await json(small.app.request('/v1/quality?hours=1', authed()))).truncated).toBe(false);
    // Exactly as many as one answer reads: nothing left out.
    const exact = await build({ limits: { qualityMaxPredictions: 4 } });
    await exact.context.store.savePredictions([rec('p1', 'old-model', at(30)), rec('p2', 'old-model', at(20)), rec('p3', 'new-model', at(10)), rec('p4', 'new-model', at(5))]);
    expect(await json(exact.app.request('/v1/quality?hours=1&model=all', authed()))).toMatchObject({ truncated: false, sampledSince: null, predictions: 4 });
  });

  it('computes at most two answers at once: a third gets 503 with Retry-After', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow = Object.assign(Object.create(store) as typeof store, { listPairs: async (w: Parameters<typeof store.listPairs>[0]) => (await gate, store.listPairs(w)) });
    const { app } = await build({ store: slow });
    const first = [app.request('/v1/quality', authed()), app.request('/v1/quality', authed())];
    await new Promise((r) => setTimeout(r, 20));
    const third = await app.request('/v1/quality', authed());
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    release();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    expect((await app.request('/v1/quality', authed())).status).toBe(200);
  });

  it('needs the feedback scope', async () => {
    const { app } = await build();
    expect((await app.request('/v1/quality', authed(KEYS.classify))).status).toBe(403);
  });
});

describe('operations routes', () => {
  it('answers an unknown path 404 naming the route probably meant', async () => {
    const { app } = await build();
    const detail = async (path: string) => (await json(app.request(path, jsonRequest({ emails: [{ body: 'invoice' }] })))).detail as string;
    expect(await detail('/v1/classify/')).toBe('No such route (did you mean /v1/classify?).');
    expect(await detail('/v1/feedbacks')).toBe('No such route (did you mean /v1/feedback?).');
    expect(await detail('/something/else/entirely')).toBe('No such route.');
  });

  it('POST /v1/admin/reload names the query parameters it does not read: ?forc=true reloads without force, and says so', async () => {
    const { app } = await build();
    const post = async (query: string) => json(app.request(`/v1/admin/reload${query}`, authed(KEYS.all, { method: 'POST' })));
    expect(await post('?forc=true')).toMatchObject({ loaded: false, warnings: ['Query parameters mailroute does not read were ignored: forc (did you mean force?). This route reads ?force= only.'] });
    expect((await post('?force=true')).warnings).toBeUndefined();
  });

  it('healthz, readyz, ping and model', async () => {
    const { app } = await build();
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await json(app.request('/readyz'))).toEqual({ status: 'ready', modelId: 'fake-1' });
    expect((await app.request('/ping')).status).toBe(200);
    const model = await json(app.request('/v1/model'));
    expect(model).toMatchObject({ modelId: 'fake-1', reloads: 0, failedReloads: 0, lastReloadError: null });
    expect(model.tasks[0]).toEqual({ name: 'queue', labels: ['billing', 'technical', 'general'] });
  });

  it('readyz and ping are 503 before a model is loaded', async () => {
    const source = createClassifierSource({ resolve: async () => undefined, load: async () => createFakeClassifier() });
    const { app } = await build({ classifierSource: source });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect((await json(res)).code).toBe('MODEL_NOT_READY');
    expect((await app.request('/ping')).status).toBe(503);
    expect((await app.request('/v1/classify', jsonRequest({ emails: [{ body: 'x' }] }))).status).toBe(503);
  });

  it('readyz and ping are 503 once the app is closing, saying so, as classify is', async () => {
    const serving = await build({ classifier: createFakeClassifier() });
    expect((await serving.app.request('/readyz')).status).toBe(200);
    await serving.close();
    for (const route of ['/readyz', '/ping']) {
      const res = await serving.app.request(route);
      expect(res.status, route).toBe(503);
      expect(await json(res), route).toMatchObject({ code: 'MODEL_NOT_READY', detail: 'The server is shutting down: it classifies no more requests.' });
    }
  });

  it('readyz and ping are 503 while the loaded model says it cannot serve (its threads exited and could not be replaced)', async () => {
    let health = { ready: false, detail: 'No model thread is loaded (the replacement of model thread 0 failed to load: /srv/models/m1/manifest.json is missing).' };
    const classifier = Object.assign(createFakeClassifier(), { health: () => health });
    const { app } = await build({ classifier });
    const res = await app.request('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(res);
    expect(problem.code).toBe('MODEL_NOT_READY');
    expect(problem.detail).toContain('model thread 0 failed to load');
    expect(problem.detail).not.toContain('/srv/models'); // public route: paths cut to the file name
    expect((await app.request('/ping')).status).toBe(503);
    health = { ready: true, detail: '' };
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('exports Prometheus metrics: requests, latency, predictions, abstentions, model', async () => {
    const { app } = await build();
    await classify(app, [{ body: 'invoice' }, { body: 'hello' }]);
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('mailroute_http_requests_total{method="POST",route="/v1/classify",status="200"} 1');
    expect(text).toContain('mailroute_http_request_duration_seconds_bucket{route="/v1/classify",le="+Inf"} 1');
    expect(text).toContain('mailroute_predictions_total{label="billing",task="queue"} 1');
    expect(text).toContain('mailroute_abstentions_total{task="queue"} 1');
    expect(text).toContain('mailroute_model_info{model_id="fake-1"} 1');
  });

  it('documents the stable problem codes as an enum and describes every field of Email, FeedbackRequest and Quality', async () => {
    const { app } = await build();
    const doc = await json(app.request('/openapi.json'));
    const { Problem, Email, FeedbackRequest } = doc.components.schemas;
    expect(Problem.properties.code.enum).toEqual([...PROBLEM_CODES]);
    expect(Problem.properties.code.enum).toEqual(expect.arrayContaining(['REQUEST_INVALID', 'LABEL_NOT_IN_TAXONOMY', 'RATE_LIMITED', 'INTERNAL', 'NOT_READY']));
    // And every field of the answers the CRM reads, down to a task's prediction and the route.
    const { ClassifyResponse, ClassifiedEmail, FeedbackResponse } = doc.components.schemas;
    const answers = [ClassifyResponse, ClassifiedEmail, ClassifiedEmail.properties.tasks.additionalProperties, ClassifiedEmail.properties.route, FeedbackResponse];
    for (const schema of [Email, FeedbackRequest, ...answers]) {
      for (const [name, property] of Object.entries(schema.properties as Record<string, { description?: string }>)) expect(property.description, name).toBeTruthy();
    }
    expect(FeedbackRequest.properties.predictionId.description).toContain('predictionId or emailId is required');
    expect(FeedbackRequest.properties.closedAt.description).toMatch(/ISO 8601.*RFC 2822/);
    expect(Email.properties.receivedAt.description).toMatch(/ISO 8601.*RFC 2822/);
    // The figures a service lead reads, and the window: selected by prediction time, which a reader must be told.
    const { Quality } = doc.components.schemas;
    const task = Quality.properties.tasks.additionalProperties;
    for (const schema of [Quality, task, task.properties.bands.items, task.properties.drift]) {
      for (const [name, property] of Object.entries(schema.properties as Record<string, { description?: string }>)) expect(property.description, name).toBeTruthy();
    }
    const hours = (doc.paths['/v1/quality'].get.parameters as { name: string; description?: string }[]).find((p) => p.name === 'hours');
    expect(hours?.description).toMatch(/by when they were made, not by closedAt/);
    // What an answer says is one of them.
    const problem = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'x', labels: { queu: 'billing' }, closedAt })));
    expect(Problem.properties.code.enum).toContain(problem.code);
  });

  it("the docs page lists each operation's query parameters, with their defaults and descriptions", async () => {
    const { app } = await build();
    const html = await (await app.request('/docs')).text();
    const doc = await json(app.request('/openapi.json'));
    // The page's own script, run against this document with a stand-in for fetch and the page's element.
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    const ops = { innerHTML: '', textContent: '' };
    new Function('fetch', 'document', script)(async () => ({ json: async () => doc }), { getElementById: () => ops });
    for (let i = 0; i < 50 && ops.innerHTML === '' && ops.textContent === ''; i++) await new Promise((r) => setTimeout(r, 1));
    expect(ops.textContent).toBe('');
    expect(ops.innerHTML).toContain('<code>hours</code> (query, default 168): Window length in hours');
    expect(ops.innerHTML).toContain('by when they were made, not by closedAt');
    expect(ops.innerHTML).toContain('<code>model</code> (query): a model id, or all');
    expect(ops.innerHTML).toContain('<code>force</code> (query, one of true, false)');
    expect(ops.innerHTML).toContain('<code>id</code> (query)');
  });

  it('serves the OpenAPI document from the zod schemas and a self-contained docs page', async () => {
    const { app } = await build({ limits: { maxBatch: 17 } });
    const doc = await json(app.request('/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/classify', '/v1/feedback', '/v1/quality', '/invocations', '/v1/model']));
    expect(doc.components.schemas.ClassifyRequest.properties.emails.maxItems).toBe(17);
    // Both ways of sending a key, as schemes client generators understand.
    expect(doc.components.securitySchemes.apiKeyHeader).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }));
    expect(doc.paths['/v1/classify'].post.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
    // A 405 body's `allow` is in the schema; routes without a body do not promise 413 or 415.
    expect(doc.components.schemas.Problem.properties.allow).toEqual(expect.objectContaining({ type: 'array' }));
    expect(Object.keys(doc.paths['/v1/classify'].post.responses)).toEqual(expect.arrayContaining(['413', '415']));
    expect(Object.keys(doc.paths['/v1/quality'].get.responses)).not.toContain('415');
    // A body that does not all arrive in time is a 408 on every route that takes one; a slow answer is a 503.
    for (const path of ['/v1/classify', '/v1/classify/eml', '/invocations', '/v1/feedback']) expect(doc.paths[path].post.responses['408']?.description, path).toContain('REQUEST_TIMEOUT');
    expect(Object.keys(doc.paths['/v1/quality'].get.responses)).not.toContain('408');
    // The SageMaker route answers 406 to an Accept without JSON, and says so.
    expect(Object.keys(doc.paths['/invocations'].post.responses)).toContain('406');
    // Behind the AWS Lambda a classify can fail at the SageMaker endpoint (502): the CRM's document says so; the container's own route cannot.
    for (const path of ['/v1/classify', '/v1/classify/eml']) expect(doc.paths[path].post.responses['502']?.description, path).toMatch(/ENDPOINT_FAILED.*SAGEMAKER_RESPONSE_INVALID/);
    expect(Object.keys(doc.paths['/invocations'].post.responses)).not.toContain('502');
    // A compressed body is refused (415) on every route that takes one; the raw-email route's 400 and 415 name its own causes, not JSON's.
    for (const path of ['/v1/classify', '/v1/classify/eml', '/invocations', '/v1/feedback']) expect(doc.paths[path].post.responses['415'].description, path).toContain('Content-Encoding');
    const eml = doc.paths['/v1/classify/eml'].post.responses;
    expect(eml['415'].description).toContain('message/rfc822');
    expect(eml['415'].description).not.toContain('JSON');
    expect(eml['400'].description).toContain('invalid_eml');
    expect(doc.paths['/metrics'].get.responses['200'].content).toHaveProperty(['text/plain']);
    expect(Object.keys(doc.paths['/v1/admin/reload'].post.responses)).not.toContain('413');
    // The feedback example stays one the server takes: closed recently, not on a fixed date the retention will pass.
    const closed = Date.parse(doc.components.schemas.FeedbackRequest.example.closedAt);
    expect(Date.now() - closed).toBeGreaterThan(0);
    expect(Date.now() - closed).toBeLessThan(2 * 86_400_000);
    // Every path is in the document, with the 405 that every known path gives to another method.
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/openapi.json', '/docs', '/healthz', '/readyz', '/ping', '/metrics']));
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses), path).toContain('405');
    }
    expect(doc.paths['/docs'].get.responses['200'].content).toHaveProperty(['text/html']);
    for (const path of ['/docs', '/openapi.json', '/healthz']) expect((await app.request(path, { method: 'POST' })).status, path).toBe(405);
    const html = await (await app.request('/docs')).text();
    // Relative, so behind a named stage (/prod/docs) the page loads /prod/openapi.json.
    expect(html).toContain("fetch('openapi.json')");
    expect(new URL('openapi.json', 'https://api.example.com/prod/docs').pathname).toBe('/prod/openapi.json');
    expect(html).not.toContain("'/openapi.json'");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});

describe('SageMaker contract and .eml', () => {
  it('POST /invocations answers like /v1/classify and 415 for other content types', async () => {
    const { app } = await build();
    const ok = await app.request('/invocations', jsonRequest({ emails: [{ id: 's', body: 'invoice' }] }));
    expect(ok.status).toBe(200);
    expect((await json(ok)).predictions[0]).toMatchObject({ id: 's', route: { queue: 'billing' } });
    const csv = await app.request('/invocations', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' }));
    expect(csv.status).toBe(415);
    expect(csv.headers.get('content-type')).toBe('application/problem+json');
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
    const wrongType = await app.request('/v1/classify/eml', jsonRequest({ emails: [] }));
    expect(wrongType.status).toBe(415);
  });

  it('POST /v1/classify/eml decodes an 8-bit part in the charset it declares, not as UTF-8', async () => {
    const { app, context } = await build({ storeText: (t) => t });
    const head = ['From: kim@example.org', 'Subject: invoice', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '', ''].join('\r\n');
    const body = Buffer.concat([Buffer.from(head, 'ascii'), Buffer.from('Meine \u00dcberweisung \u00fcber 500 Euro, Gr\u00fc\u00dfe', 'latin1')]);
    const res = await app.request('/v1/classify/eml', authed(KEYS.all, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body }));
    expect(res.status).toBe(200);
    const stored = await context.store.getPrediction((await json(res)).predictions[0].predictionId);
    expect(stored?.text?.trimEnd()).toBe('invoice\n\nMeine Überweisung über 500 Euro, Grüße');
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
    expect(stored?.text?.trimEnd()).toBe('Kündigung meines Kontos\n\nHiermit kündige ich mein Girokonto ... Grüße');
    const wrong = Buffer.from(['Subject: x', 'Message-ID: <l2@x>', 'Content-Type: text/plain; charset=utf-8', '', 'Gr\xfc\xdfe', ''].join('\r\n'), 'latin1');
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
    expect(anonymous.warnings).toEqual([expect.stringMatching(/^The email has no id: it has no Message-ID header and no \?id= was given\. Feedback for it must quote the predictionId/)]);
    const named = await json(await post('?id=crm-9'));
    expect(named.predictions[0].id).toBe('crm-9');
    expect(named.warnings).toBeUndefined();
    // An id sent under another name is not read: the answer says so, with the name meant, beside the missing id.
    const misnamed = await json(await post('?ID=crm-9&emailId=crm-9'));
    expect(misnamed.predictions[0].id).toBeUndefined();
    expect(misnamed.warnings).toEqual([
      expect.stringMatching(/^The email has no id/),
      'Query parameters mailroute does not read were ignored: ID (did you mean id?), emailId. This route reads ?id= only.',
    ]);
    expect((await json(await post('?id=crm-9&source=crm'))).warnings).toEqual([expect.stringMatching(/ignored: source\. /)]);
  });

  it('POST /v1/classify/eml says in a warning what of the message the parser could not read (a multipart with no boundary to be found)', async () => {
    const { app } = await build();
    const eml = ['From: kim@example.org', 'Subject: invoice', 'Message-ID: <u1@x>', 'Content-Type: multipart/mixed', '', '--b', 'Content-Type: text/plain', '', 'Where is my invoice?', ''].join('\r\n');
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
