import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from './errors.js';

/** Tries of a write or read DynamoDB throttles or cancels for a conflict, before giving up with a coded error. */
export const MAX_ATTEMPTS = 5;
const RETRYABLE_CANCELLATIONS = new Set(['None', 'TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Full-jitter exponential backoff: up to 50, 100, 200, 400 ms. */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** (attempt - 1)));
}

/**
 * Sends a transaction (`send` makes one try), again with backoff while DynamoDB cancels it only for a
 * conflict with another transaction or for throttling. Returns nothing when it was written, else the positions
 * of the items whose condition failed, with the error: what a failed condition means is the caller's to
 * say. Any other cancellation (an item too large) is thrown as it is.
 */
export async function transactWithRetry(send: () => Promise<unknown>, what: string): Promise<{ failed: number[]; cause: unknown } | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { failed: [0], cause: error };
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
