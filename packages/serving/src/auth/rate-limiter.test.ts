import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('lets a burst through, then refuses with the wait until the next token', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ now: () => now });
    const limit = { perSecond: 2, burst: 2 };
    expect([limiter.take('k', limit), limiter.take('k', limit)]).toEqual([0, 0]);
    expect(limiter.take('k', limit)).toBeCloseTo(0.5, 6);
    now += 500;
    expect(limiter.take('k', limit)).toBe(0);
  });

  it('does not lock a key out when the wall clock steps back (an NTP correction)', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ now: () => now });
    const limit = { perSecond: 10, burst: 5 };
    expect(limiter.take('k', limit)).toBe(0);
    now -= 60_000; // the clock is set back a minute
    // Time did not run backwards for the bucket: it still holds the tokens it had.
    expect(limiter.take('k', limit)).toBe(0);
  });
});
