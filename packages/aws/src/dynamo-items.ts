import { z } from 'zod';
import type { FeedbackRecord, PredictionRecord } from '@mailroute/serving';
import { StoreRecordInvalidError } from './errors.js';

/** The stored forms of a prediction and a feedback (keys and index attributes aside), checked on every read. */
export const PredictionItemSchema = z.object({
  predictionId: z.string(),
  emailId: z.string(),
  modelId: z.string(),
  createdAt: z.string(),
  labels: z.record(z.string(), z.string()),
  confidences: z.record(z.string(), z.number()),
  abstained: z.record(z.string(), z.boolean()),
  queue: z.string(),
  latencyMs: z.number(),
  text: z.string().optional(),
  bank: z.string().optional(),
  receivedAt: z.string().optional(),
  /** An automated email's kind (the serving store's `automated`): any text, so an item a newer version wrote is read. */
  automated: z.string().optional(),
  attachmentNames: z.array(z.string()).optional(),
});

export const FeedbackItemSchema = z.object({
  emailId: z.string(),
  predictionId: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  closedAt: z.string(),
  receivedAt: z.string(),
  /** The id of the API key that sent the (latest) feedback; absent without keys, and on items stored before it was kept. */
  keyId: z.string().optional(),
});

/** An ISO time in the form stored createdAt values have (toISOString), so lexical key ranges match time ranges. */
export function canonicalTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  return new Date(ms).toISOString();
}

/** The document client refuses `undefined` unless told otherwise; optional fields are simply left out. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function toPrediction(item: Record<string, unknown>): PredictionRecord {
  const parsed = PredictionItemSchema.safeParse(item);
  if (!parsed.success) throw new StoreRecordInvalidError(`stored prediction is malformed: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function toFeedback(item: Record<string, unknown>): FeedbackRecord {
  const parsed = FeedbackItemSchema.safeParse(item);
  if (!parsed.success) throw new StoreRecordInvalidError(`stored feedback is malformed: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
