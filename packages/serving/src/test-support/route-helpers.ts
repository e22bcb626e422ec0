import type { Email } from '@mailroute/preprocess';
import { expect } from 'vitest';
import type { ServingApp } from '../app.js';
import { createFakeClassifier } from './fake-classifier.js';
import { json, jsonRequest } from './harness.js';

/** Emails the route tests send again and again. */
export const invoiceEmail = { id: 'e-1', subject: 'Invoice missing', body: 'Where is my invoice for October?' };
export const vagueEmail = { id: 'e-2', subject: 'Hello', body: 'Just a question.' };

/** A fake classifier that keeps the emails it was given (what the route passed on after its limits). */
export function recordingClassifier() {
  const classifier = createFakeClassifier();
  const seen: Email[] = [];
  const predict = classifier.predict.bind(classifier);
  classifier.predict = async (emails) => {
    seen.push(...emails);
    return predict(emails);
  };
  return { classifier, seen };
}

/** POST /v1/classify, expected to answer 200: its predictions. */
export async function classify(app: ServingApp['app'], emails: unknown[]) {
  const res = await app.request('/v1/classify', jsonRequest({ emails }));
  expect(res.status).toBe(200);
  return (await json(res)).predictions as Array<{ id: string; predictionId: string; route: { queue: string } }>;
}

/**
 * The day before the tests run (UTC, YYYY-MM-DD): a case closed then is in the past, and younger than any
 * retention the app or the store keeps feedback (400 days by default; both read the real clock), on any date.
 */
export const closedDay = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
/** When the route tests' cases closed: 10:00 UTC on `closedDay`, before every prediction they make. */
export const closedAt = `${closedDay}T10:00:00Z`;
/** An ISO time `minutesAgo` minutes before now. */
export const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
/** Prediction ids of predictions stored directly (ids are UUIDs, as /v1/classify makes them). */
export const P_OTHER = '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d9e';
export const P_O = '0193a1f0-7c1e-7b2a-9d4e-3f5a6b7c8d9f';
