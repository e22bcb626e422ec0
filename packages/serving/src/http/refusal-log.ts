import type { Clock, Logger } from './logger.js';

/** Refusals logged a minute at most: a client that retries in a loop must not flood the log (or slow the server). */
export const REFUSALS_LOGGED_PER_MINUTE = 20;

export interface Refusal {
  requestId: string;
  method: string;
  route: string;
  status: number;
  code: string;
  /** The problem's `reason`, when it has one (e.g. ENDPOINT_THROTTLED behind ENDPOINT_UNAVAILABLE). */
  reason?: string;
  /** The API key's id, when the request had a valid one (never the key). */
  keyId?: string;
}

/**
 * A warn line per refused request (4xx, and 503 with Retry-After): what an operator needs to find the CRM key that is
 * throttled or refused, never the body. At most REFUSALS_LOGGED_PER_MINUTE lines a minute; the first line after a
 * minute that dropped some says how many (`suppressed`).
 */
export function createRefusalLog(logger: Logger, clock: Clock): (refusal: Refusal) => void {
  let windowStart = -Infinity;
  let logged = 0;
  let suppressed = 0;
  return (refusal) => {
    const now = clock.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      logged = 0;
    }
    if (logged >= REFUSALS_LOGGED_PER_MINUTE) {
      suppressed += 1;
      return;
    }
    logged += 1;
    logger.warn('request refused', { ...refusal, ...(suppressed > 0 ? { suppressed } : {}) });
    suppressed = 0;
  };
}

/** A request id a caller sent (`x-request-id`) that is safe to echo and log: 1 to 128 visible ASCII characters but the comma (one sent twice is joined by one). */
const CALLER_ID = /^[\x21-\x2b\x2d-\x7e]{1,128}$/;

/** The caller's own request id when it is one, else a new one. */
export function requestIdOf(sent: string | undefined, newId: () => string): string {
  return sent !== undefined && CALLER_ID.test(sent) ? sent : newId();
}
