import type { Clock, Logger } from './logger.js';
import { takeMinuteLine, type Minute } from './minute-budget.js';

/**
 * Refusals logged a minute at most per caller (an API key's id, or every request without a valid key together): a
 * client that retries in a loop must not flood the log (or slow the server).
 */
export const REFUSALS_LOGGED_PER_MINUTE = 20;

/** Callers whose minute is tracked at most; past it, callers whose minute has ended are forgotten. */
const TRACKED_CALLERS = 1000;
/** The minute new callers share while TRACKED_CALLERS are tracked (no key id is empty). */
const OVERFLOW = '';

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
  /**
   * The address of the client's connection (the socket's remote address on Node; API Gateway's `sourceIp` on
   * Lambda). Behind a proxy it is the proxy's: no `X-Forwarded-For` is read, as any client can send one.
   */
  clientAddress?: string;
}

/**
 * Whether a refusal is logged whatever the rate: a key that is valid refused on an admin route (403), the sign of a
 * key used beyond what it was given for (a stolen classify key trying /v1/admin/reload). Only a valid key can be
 * refused so, and every line names it.
 */
function alwaysLogged(refusal: Refusal): boolean {
  return refusal.status === 403 && refusal.keyId !== undefined && refusal.keyId !== 'anonymous' && refusal.route.startsWith('/v1/admin/');
}

/**
 * A warn line per refused request (4xx, and 503 with Retry-After): what an operator needs to find the CRM key that is
 * throttled or refused, and the address it came from, never the body. At most REFUSALS_LOGGED_PER_MINUTE lines a
 * minute per caller (a key's id, or `anonymous` for requests without a valid key), so a flood of requests without a key
 * cannot hide a key's refusals, and apart for the server's own 503s of a caller, so its 4xx cannot hide that the server
 * turned it away (overloaded, timed out); the first line of a caller after a minute that dropped some of its own says how many
 * (`suppressed`). A valid key's 403 on an admin route is always logged (`alwaysLogged`).
 */
export function createRefusalLog(logger: Logger, clock: Clock): (refusal: Refusal) => void {
  const minutes = new Map<string, Minute>();
  return (refusal) => {
    const now = clock.now();
    // The server's own 503s (overloaded, timed out, an endpoint throttled) count apart from the caller's 4xx: a client
    // sending bad requests in a loop must not hide that the server turned requests away.
    let caller = `${refusal.keyId ?? 'anonymous'}${refusal.status >= 500 ? ' 5xx' : ''}`;
    // Callers are this server's keys and `anonymous`; ids without end (a gateway's clients) are bounded all the same:
    // callers whose minute has ended are forgotten, and while the map stays full new ones share one minute.
    if (!minutes.has(caller) && minutes.size >= TRACKED_CALLERS) {
      for (const [id, m] of minutes) if (now - m.windowStart >= 60_000 && m.suppressed === 0) minutes.delete(id);
      if (minutes.size >= TRACKED_CALLERS) caller = OVERFLOW;
    }
    const dropped = takeMinuteLine(minutes, caller, now, REFUSALS_LOGGED_PER_MINUTE, alwaysLogged(refusal));
    if (dropped !== undefined) logger.warn('request refused', { ...refusal, ...(dropped > 0 ? { suppressed: dropped } : {}) });
  };
}

/** A request id a caller sent (`x-request-id`) that is safe to echo and log: 1 to 128 visible ASCII characters but the comma (one sent twice is joined by one). */
const CALLER_ID = /^[\x21-\x2b\x2d-\x7e]{1,128}$/;

/** The caller's own request id when it is one, else a new one. */
export function requestIdOf(sent: string | undefined, newId: () => string): string {
  return usableRequestId(sent) ?? newId();
}

/** The caller's own request id when it is one a server may echo and log (CALLER_ID); else undefined. */
export function usableRequestId(sent: string | undefined): string | undefined {
  return sent !== undefined && CALLER_ID.test(sent) ? sent : undefined;
}
