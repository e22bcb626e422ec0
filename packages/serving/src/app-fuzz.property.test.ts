import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingApp } from './app.js';
import { PROBLEM_CODES } from './errors.js';
import { CANARY, classifyBody, classifyText, cleanJsonRequest, email, emlBody, emlQuery, encode, feedback, jsonRequestParts, type Members, mutated, requestHeaders, writeJson } from './test-support/fuzz-bodies.js';
import { buildFuzzApp } from './test-support/fuzz-app.js';
import { KEYS, type Loose } from './test-support/harness.js';

/**
 * The API's promise on bad input, checked on generated bodies: every refusal is `application/problem+json` with a
 * documented status and `code`, never a 500, a stack trace or the email's text; every 200 has one prediction per
 * email, in order, under its id, also when requests sent at once are batched; a valid request sent as it should be
 * is answered 200 (feedback: 202). Fixed seed and runs, so CI is deterministic (fast-check prints the seed and path
 * of a failure to replay it). A wider search: MAILROUTE_FUZZ_RUNS=5000 MAILROUTE_FUZZ_SEED=7 npx vitest run <this file>.
 */
const RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 250);
const SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 20261202);
/** Each test's time limit: about 3 s of work at the default runs on the 2-core bench machine, in proportion for more. */
const TIMEOUT_MS = 60_000 * Math.max(1, RUNS / 250);

/** The code each status has on these routes (README: Errors on every route). */
const CODE_OF: Record<number, string> = {
  400: 'REQUEST_INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'LABEL_NOT_IN_TAXONOMY',
};

let root: string;
let serving: ServingApp;
let predictionIds: string[];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-fuzz-'));
  ({ serving, predictionIds } = await buildFuzzApp(root, [{ id: 'crm-1', body: 'Depot' }, { id: 'crm-2', body: 'Sparplan' }, { body: 'no id' }], { storeText: true }));
});
afterAll(async () => {
  await serving?.close();
  await rm(root, { recursive: true, force: true });
});

type Headers = typeof requestHeaders extends fc.Arbitrary<infer H> ? H : never;

/** The request's headers: its key, content type, Content-Length (true, short, long or not a number), encoding and Accept. */
function headersOf(h: Headers, contentType: string | undefined, bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  if (h.key === 'all' || h.key === 'classify') out.authorization = `Bearer ${h.key === 'all' ? KEYS.all : KEYS.classify}`;
  if (h.key === 'wrong') out.authorization = 'Bearer mr_not_a_key';
  if (contentType !== undefined) out['content-type'] = contentType;
  const length = { none: undefined, true: bytes.length, short: Math.max(0, bytes.length - 1), long: bytes.length + 10, junk: 'abc' }[h.length];
  if (length !== undefined) out['content-length'] = String(length);
  if (h.encoding !== undefined) out['content-encoding'] = h.encoding;
  if (h.accept !== undefined) out.accept = h.accept;
  return out;
}

/** The statuses a request may get: 401 for no or a wrong key, 403 for a key without the scope, else `allowed`. */
function expectedStatuses(h: Headers, scope: 'classify' | 'feedback', allowed: number[]): number[] {
  if (h.key === 'none' || h.key === 'wrong') return [401];
  if (h.key === 'classify' && scope === 'feedback') return [403];
  return allowed;
}

/** Checks what every answer must be; returns the parsed body of a 2xx, undefined for a problem. */
async function checkAnswer(res: Response, statuses: number[], emailText: boolean): Promise<Loose> {
  const text = await res.text();
  expect(statuses, text.slice(0, 500)).toContain(res.status);
  expect(text).not.toContain('    at ');
  if (res.status < 300) {
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return JSON.parse(text);
  }
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const problem = JSON.parse(text);
  expect(PROBLEM_CODES).toContain(problem.code);
  expect(problem.code).toBe(CODE_OF[res.status]);
  expect(problem.status).toBe(res.status);
  if (emailText) expect(text).not.toContain(CANARY);
  return undefined;
}

/** The body as the server reads it: UTF-8 (a BOM dropped), parsed; undefined when it is neither. */
function parsedAsSent(bytes: Uint8Array): Loose {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

const LONE_SURROGATE = /\p{Cs}/u;
/** An id the API takes: trimmed, 1 to 200 characters of valid Unicode. */
const isValidId = (id: unknown) => typeof id === 'string' && id.trim().length >= 1 && id.trim().length <= 200 && !LONE_SURROGATE.test(id);
/** An id as the API answers and stores it: trimmed. */
const asAnswered = (id: unknown) => (typeof id === 'string' ? id.trim() : id);

/** A 200 of a classify route: the request was valid, and every email has its prediction, in order, under its id. */
function checkPredictions(answer: Loose, sent: Loose): void {
  const emails = sent?.emails;
  expect(Array.isArray(emails) && emails.length >= 1 && emails.length <= 256).toBe(true);
  expect(answer.predictions).toHaveLength(emails.length);
  emails.forEach((e: Loose, i: number) => {
    expect(e.subject != null || e.body != null || e.html != null).toBe(true);
    if (e.id != null) expect(isValidId(e.id)).toBe(true);
    expect(answer.predictions[i].id).toBe(asAnswered(e.id ?? undefined));
    expect(answer.predictions[i].predictionId).toMatch(/^[0-9a-f-]{36}$/);
  });
}

/**
 * `value` with its numbers matched to within 5e-6: emails batched together are scored in one ONNX run, whose float
 * sums can differ from a run of their own in the sixth decimal of a score.
 */
function roughly(value: unknown): unknown {
  if (typeof value === 'number') return expect.closeTo(value, 5);
  if (Array.isArray(value)) return value.map(roughly);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roughly(v)]));
  return value;
}

function jsonRouteProperty(route: '/v1/classify' | '/invocations') {
  return fc.asyncProperty(mutated(classifyBody), jsonRequestParts, async ({ body, mutated }, parts) => {
    const { contentType, encoding, headers } = parts;
    const bytes = encode(writeJson(body), encoding);
    const res = await serving.app.request(route, { method: 'POST', headers: headersOf(headers, contentType, bytes), body: bytes });
    const acceptsJson = headers.accept === undefined || !['text/csv', 'application/json;q=0'].includes(headers.accept);
    // The key is checked first: a caller without one hears 401 whatever it accepts.
    const statuses = expectedStatuses(headers, 'classify', route === '/invocations' && !acceptsJson ? [406] : [200, 400, 413, 415]);
    const sent = parsedAsSent(bytes);
    // A valid batch sent as it should be is classified.
    const valid = !mutated && cleanJsonRequest(parts) && acceptsJson && sent.emails.length <= 256;
    const answer = await checkAnswer(res, valid ? [200] : statuses, true);
    if (answer) checkPredictions(answer, sent);
  });
}

describe('the API under generated input', () => {
  it('POST /v1/classify answers a documented status and code, and a 200 predicts every email in order', async () => {
    await fc.assert(jsonRouteProperty('/v1/classify'), { seed: SEED, numRuns: RUNS });
  }, TIMEOUT_MS);

  it('POST /invocations answers as /v1/classify does, and 406 for an Accept without JSON', async () => {
    await fc.assert(jsonRouteProperty('/invocations'), { seed: SEED + 1, numRuns: Math.ceil(RUNS / 2) });
  }, TIMEOUT_MS);

  it('POST /v1/classify answers requests sent at once (batched together) each with its own emails, as it answers each alone', async () => {
    const send = async (emails: readonly Members[]) => {
      const res = await serving.app.request('/v1/classify', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.all}` }, body: classifyText(emails) });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as Loose;
      // Prediction ids are new on every request.
      for (const p of answer.predictions) delete p.predictionId;
      return answer;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(email, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 5 }), async (requests) => {
        const together = await Promise.all(requests.map(send));
        for (const [i, emails] of requests.entries()) expect(together[i]).toEqual(roughly(await send(emails)));
      }),
      { seed: SEED + 4, numRuns: Math.ceil(RUNS / 10) },
    );
  }, TIMEOUT_MS);

  it('POST /v1/feedback answers a documented status and code, and a 202 records only labels of the taxonomy', async () => {
    const body = fc.oneof({ weight: 9, arbitrary: mutated(feedback(predictionIds)) }, classifyBody.map((b) => ({ body: b, mutated: true })));
    await fc.assert(
      fc.asyncProperty(body, jsonRequestParts, async ({ body: b, mutated }, parts) => {
        const { contentType, encoding, headers } = parts;
        const bytes = encode(writeJson(b), encoding);
        const res = await serving.app.request('/v1/feedback', { method: 'POST', headers: headersOf(headers, contentType, bytes), body: bytes });
        const sent = parsedAsSent(bytes);
        // A valid feedback sent as it should be is recorded: by a predictionId answered before, or by an emailId alone.
        const valid = !mutated && cleanJsonRequest(parts) && (sent.predictionId === undefined || (predictionIds.includes(sent.predictionId.toLowerCase()) && sent.emailId === undefined));
        // Labels, ids and field names are quoted in refusals by design; feedback holds no email text.
        const answer = await checkAnswer(res, valid ? [202] : expectedStatuses(headers, 'feedback', [202, 400, 404, 413, 415, 422]), false);
        if (!answer) return;
        const labels = sent.labels;
        expect(Object.hasOwn(labels, '__proto__')).toBe(false);
        expect(Object.keys(labels).length).toBeGreaterThan(0);
        for (const task of answer.recordedTasks) expect(['queue', 'topic']).toContain(task);
        expect(['recorded', 'superseded']).toContain(answer.status);
        if (sent.predictionId == null) expect(answer.emailId).toBe(asAnswered(sent.emailId));
        else expect(answer.predictionId).toBe(sent.predictionId.toLowerCase());
        if (sent.emailId != null) expect(isValidId(sent.emailId)).toBe(true);
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it('POST /v1/classify/eml answers a documented status and code, and a 200 one prediction under ?id= when given', async () => {
    const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant('message/rfc822') }, fc.constantFrom('MESSAGE/RFC822; charset=utf-8', 'text/plain', 'application/json', undefined));
    await fc.assert(
      fc.asyncProperty(emlBody, emlQuery, contentType, requestHeaders, async (bytes, query, type, headers) => {
        const res = await serving.app.request(`/v1/classify/eml${query}`, { method: 'POST', headers: headersOf(headers, type, bytes), body: bytes });
        const answer = await checkAnswer(res, expectedStatuses(headers, 'classify', [200, 400, 413, 415]), true);
        if (!answer) return;
        expect(answer.predictions).toHaveLength(1);
        // At most one id, sent (under its name percent-encoded or not) as UTF-8 percent-encoding: the answer's id is its decoded text.
        const ids = query.slice(1).split('&').filter((pair) => pair.includes('=') && new URLSearchParams(pair).has('id'));
        expect(ids.length).toBeLessThanOrEqual(1);
        if (ids.length === 1) expect(answer.predictions[0].id).toBe(asAnswered(decodeURIComponent(ids[0].slice(ids[0].indexOf('=') + 1).replaceAll('+', ' '))));
        // Else the Message-ID's, when it is a valid id.
        else if (answer.predictions[0].id !== undefined) expect(isValidId(answer.predictions[0].id)).toBe(true);
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  }, TIMEOUT_MS);
});
