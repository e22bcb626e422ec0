import { z } from 'zod';
import { RateLimitSchema } from '../auth/api-keys.js';

/** SageMaker real-time endpoints accept at most 6 MB per request; no limit here may exceed that. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export const LimitsSchema = z.object({
  maxBodyBytes: z.number().int().positive().max(MAX_BODY_BYTES).default(1024 * 1024),
  maxBatch: z.number().int().min(1).max(10_000).default(256),
  /** Characters per text field (subject, body, html); longer text is cut and the response says so. */
  maxTextChars: z.number().int().min(100).default(20_000),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** Requests of one scope (classify, feedback) handled at once; beyond it 503 with Retry-After instead of a queue. */
  maxConcurrent: z.number().int().positive().default(64),
  /** Predictions one `/v1/quality` answer reads at most (the newest of its window; about 1.5 s of work at 100,000). */
  qualityMaxPredictions: z.number().int().positive().default(100_000),
  /** Applied to keys that have no rate limit of their own; none when absent. */
  defaultRateLimit: RateLimitSchema.optional(),
});
export type Limits = z.infer<typeof LimitsSchema>;
export type LimitsInput = z.input<typeof LimitsSchema>;
