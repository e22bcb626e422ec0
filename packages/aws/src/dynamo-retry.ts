import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ServingError, StoreError } from '@mailroute/serving';
import { StoreUnavailableError } from './errors.js';

/** Tries of a write or read DynamoDB throttles or cancels for a conflict, before giving up with a coded error. */
export const MAX_ATTEMPTS = 5;
const RETRYABLE_CANCELLATIONS = new Set(['None', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/**
 * DynamoDB errors a later try may not meet (the SDK has retried them already, or, for a transaction still in
 * progress under the same token, not at all): the store is unavailable for now, not broken.
 */
const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  // Transient network failures the SDK's own retries did not get past: the SDK's timeouts (by name) and
  // Node's socket errors (by `code`, their name being plain `Error`).
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNREFUSED',
  // A DNS lookup that failed for now (a Lambda in a VPC whose resolver hiccups).
  'EAI_AGAIN',
]);

/**
 * Any failure of a store call as what the HTTP layer answers: a store error as it is; throttling, timeouts,
 * dropped connections and the like 503 `STORE_UNAVAILABLE` (with Retry-After); anything else (a missing table, a denied call, an idempotency
 * token reused with other items) 500 `STORE_FAILED`, as the SQLite store answers. The SDK error is the cause.
 */
export function toStoreError(error: unknown, what: string): ServingError {
  if (error instanceof ServingError) return error;
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  // Node's socket errors are plain `Error`s: their `code` (ENOTFOUND) says what happened.
  const label = typeof code === 'string' && (name === 'Error' || name === undefined) ? code : typeof name === 'string' ? name : 'unknown error';
  if (typeof code === 'string' && UNAVAILABLE.has(code)) return new StoreUnavailableError(`DynamoDB could not be reached for ${what} (${code}); retry shortly`, { cause: error });
  if (UNAVAILABLE.has(label)) return new StoreUnavailableError(`DynamoDB refused ${what} (${label}); retry shortly`, { cause: error });
  return new StoreError(`DynamoDB failed ${what} (${label})`, {}, { cause: error });
}

/** Full-jitter exponential backoff: up to 50, 100, 200, 400 ms. */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** (attempt - 1)));
}

/**
 * Sends a transaction (`send` makes one try), again with backoff while DynamoDB cancels it only for a
 * conflict with another transaction or for throttling. Returns nothing when it was written, else the positions
 * of the items whose condition failed, with the error: what a failed condition means is the caller's to
 * say. A transaction still in progress under the same token is tried again too. Any other error (an item too
 * large, a token reused with other items) is thrown as it is; the store maps it with toStoreError.
 */
export async function transactWithRetry(send: () => Promise<unknown>, what: string): Promise<{ failed: number[]; cause: unknown } | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { failed: [0], cause: error };
      // The same token's transaction (a try whose answer was lost) is still being applied: try again shortly.
      if ((error as { name?: unknown }).name === 'TransactionInProgressException') {
        if (attempt >= MAX_ATTEMPTS) throw new StoreUnavailableError(`DynamoDB was still applying an earlier try of the write of ${what} after ${attempt} tries`, { cause: error });
        await backoff(attempt);
        continue;
      }
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r?.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.length > 0) return { failed, cause: error };
      const retryable = reasons.length > 0 && reasons.every((r) => RETRYABLE_CANCELLATIONS.has(r?.Code ?? 'None'));
      if (!retryable) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new StoreUnavailableError(`DynamoDB cancelled the write of ${what} ${attempt} times (${reasons.map((r) => r?.Code).filter((c) => c !== 'None').join(', ')})`, { cause: error });
      await backoff(attempt);
    }
  }
}
