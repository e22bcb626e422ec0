import { DEFAULT_MAX_TEXT_CHARS } from '@mailroute/model';
import { z } from 'zod';
import { RateLimitSchema } from '../auth/api-keys.js';

/** SageMaker real-time endpoints accept at most 6 MB per request; no limit here may exceed that. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * Where the body limit of the adapter that answers is set and how far it goes, for the 413's advice: `setting`
 * names the knob (none: the limit is fixed), `ceiling` is the most it allows and `because` says whose limit that is.
 */
export const BodyLimitSettingSchema = z.object({
  setting: z.string().min(1).optional(),
  ceiling: z.number().int().positive().max(MAX_BODY_BYTES),
  because: z.string().min(1),
});
export type BodyLimitSetting = z.infer<typeof BodyLimitSettingSchema>;

/** `mailroute serve`: the flag, up to SageMaker's 6 MB (the most any adapter takes). */
export const SERVE_BODY_LIMIT: BodyLimitSetting = {
  setting: "--max-body-bytes of mailroute serve (the server's maxBodyBytes setting)",
  ceiling: MAX_BODY_BYTES,
  because: "SageMaker's limit",
};

/** The SageMaker container (`serve --sagemaker`): InvokeEndpoint takes 6 MB, and nothing on the endpoint changes that. */
export const SAGEMAKER_BODY_LIMIT: BodyLimitSetting = { ceiling: MAX_BODY_BYTES, because: "SageMaker's fixed limit per invocation" };

export const LimitsSchema = z.object({
  maxBodyBytes: z.number().int().positive().max(MAX_BODY_BYTES).default(1024 * 1024),
  /** Named in the 413: how this adapter's body limit is raised (default: `mailroute serve`'s flag). */
  bodyLimitSetting: BodyLimitSettingSchema.default(SERVE_BODY_LIMIT),
  maxBatch: z.number().int().min(1).max(10_000).default(256),
  /** Characters per text field (subject, body, html: its visible text); longer text is cut and the response says so. */
  maxTextChars: z.number().int().min(100).default(DEFAULT_MAX_TEXT_CHARS),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  /** Requests of one scope (classify, feedback) handled at once; beyond it 503 with Retry-After instead of a queue. */
  maxConcurrent: z.number().int().positive().default(64),
  /**
   * Requests of one scope one API key has under way at once, of `maxConcurrent` (`--max-concurrent-per-key`); default
   * `defaultMaxConcurrentPerKey(maxConcurrent)`, and never more than `maxConcurrent`. Not applied without auth (one caller).
   */
  maxConcurrentPerKey: z.number().int().positive().optional(),
  /** Predictions one `/v1/quality` answer reads at most (the newest of its window; about 1.5 s of work at 100,000). */
  qualityMaxPredictions: z.number().int().positive().default(100_000),
  /**
   * Days the store keeps a feedback, counted from its closedAt (`--retention-days`; the DynamoDB TTL): a
   * feedback that closed longer ago would be deleted at once, so it is refused. Absent or 0: kept for ever.
   */
  feedbackRetentionDays: z.number().int().nonnegative().optional(),
  /** Applied to keys that have no rate limit of their own; none when absent. */
  defaultRateLimit: RateLimitSchema.optional(),
});
export type Limits = z.infer<typeof LimitsSchema>;

/**
 * A key's share of a scope's `maxConcurrent` when `maxConcurrentPerKey` is not set: three quarters, rounded up (48 of
 * 64). One key that holds its slots (a stolen key trickling bodies, a CRM whose calls hang) leaves a quarter to every
 * other key; a deployment with one key keeps most of the cap (and all of it when the cap is 1 to 3).
 */
export function defaultMaxConcurrentPerKey(maxConcurrent: number): number {
  return Math.ceil(0.75 * maxConcurrent);
}

/** The requests of one scope one key may have under way at once: its setting or the default share, at most `maxConcurrent`. */
export function maxConcurrentPerKey(limits: Pick<Limits, 'maxConcurrent' | 'maxConcurrentPerKey'>): number {
  return Math.min(limits.maxConcurrent, limits.maxConcurrentPerKey ?? defaultMaxConcurrentPerKey(limits.maxConcurrent));
}
export type LimitsInput = z.input<typeof LimitsSchema>;

/** Bytes in MB (MiB, as the 1 MB default and SageMaker's 6 MB are counted) or, under a tenth of one, KB. */
function megabytes(bytes: number): string {
  if (bytes < 102_400) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;
}

/** What a route's body is, for the 413's advice: a batch of emails, one raw email, or one feedback. */
export type BodyKind = 'batch' | 'message' | 'feedback';

const SMALLER: Record<BodyKind, string> = {
  batch: 'split the batch into smaller requests',
  // Attachments are never read (only their names): a mail gateway can send each one's MIME headers with an empty body.
  message: "send a smaller message (attachments are never read, only their file names: send each attachment's MIME headers with its content left out)",
  // A feedback is a few hundred bytes: one this big holds something it should not (an email's text?).
  feedback: 'a feedback is one small object (predictionId or emailId, labels, closedAt): send only those fields',
};

/**
 * The 413 detail: the limit, the body's size (its Content-Length; a chunked body is refused once past the
 * limit, its size unknown) and what to do: a batch that is too big is split; the limit is raised with the
 * answering adapter's setting (serve's --max-body-bytes, the API Lambda's stack config key) while it is under
 * that setting's ceiling; SageMaker's 6 MB is fixed.
 */
export function bodyTooLargeMessage(max: number, size: number | undefined, kind: BodyKind, limit: BodyLimitSetting = SERVE_BODY_LIMIT): string {
  const what = size === undefined ? `The body is over the limit of ${max} bytes (${megabytes(max)})` : `The body is ${size} bytes (${megabytes(size)}), over the limit of ${max} bytes (${megabytes(max)})`;
  const smaller = SMALLER[kind];
  const raise =
    limit.setting !== undefined && max < limit.ceiling
      ? ` or raise the limit with ${limit.setting} up to ${megabytes(limit.ceiling)}, ${limit.because}`
      : ` (${megabytes(Math.max(max, limit.ceiling))}, ${limit.because}, is the most a server takes)`;
  return `${what}: ${smaller}${raise}.`;
}
