import type { Clock, Logger } from './logger.js';

/**
 * `request failed` lines logged a minute at most per route and code: a store that is gone fails every probe of
 * /readyz and /ping, and every request of a CRM in a loop, each with the same line. The rest are counted.
 */
export const FAILURES_LOGGED_PER_MINUTE = 10;

export interface Failure extends Record<string, unknown> {
  route: string;
  code: string;
}

/**
 * The `request failed` error line, at most FAILURES_LOGGED_PER_MINUTE a minute for each route and code; the first line
 * after a minute that dropped some says how many (`suppressed`). Routes and codes are the app's own, so the keys are few.
 */
export function createFailureLog(logger: Logger, clock: Clock): (failure: Failure) => void {
  const minutes = new Map<string, { windowStart: number; logged: number; suppressed: number }>();
  return (failure) => {
    const now = clock.now();
    const key = `${failure.route} ${failure.code}`;
    let minute = minutes.get(key);
    if (minute === undefined) minutes.set(key, (minute = { windowStart: now, logged: 0, suppressed: 0 }));
    if (now - minute.windowStart >= 60_000) {
      minute.windowStart = now;
      minute.logged = 0;
    }
    if (minute.logged >= FAILURES_LOGGED_PER_MINUTE) {
      minute.suppressed += 1;
      return;
    }
    minute.logged += 1;
    logger.error('request failed', { ...failure, ...(minute.suppressed > 0 ? { suppressed: minute.suppressed } : {}) });
    minute.suppressed = 0;
  };
}
