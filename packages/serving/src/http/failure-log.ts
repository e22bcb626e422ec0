import type { Clock, Logger } from './logger.js';
import { takeMinuteLine, type Minute } from './minute-budget.js';

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
  const minutes = new Map<string, Minute>();
  return (failure) => {
    const dropped = takeMinuteLine(minutes, `${failure.route} ${failure.code}`, clock.now(), FAILURES_LOGGED_PER_MINUTE);
    if (dropped !== undefined) logger.error('request failed', { ...failure, ...(dropped > 0 ? { suppressed: dropped } : {}) });
  };
}
