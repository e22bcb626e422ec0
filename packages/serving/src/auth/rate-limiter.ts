import type { Clock } from '../http/logger.js';
import type { RateLimit } from './api-keys.js';

/** A token bucket per key: refills at `perSecond`, holds at most `burst`. */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until a token is available. */
  take(key: string, limit: RateLimit): number;
}

export function createRateLimiter(clock: Clock): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, limit) {
      const now = clock.now();
      const b = buckets.get(key) ?? { tokens: limit.burst, at: now };
      // A wall clock set back (an NTP step) refills nothing, rather than taking tokens back for the whole step.
      b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * limit.perSecond);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return (1 - b.tokens) / limit.perSecond;
    },
  };
}
