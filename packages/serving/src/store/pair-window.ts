import { parseReceivedTime } from '@mailroute/preprocess';
import { StoreError } from '../errors.js';
import type { PairWindow } from './types.js';

/**
 * A window's bounds in the form stored createdAt values have (toISOString), so that a text or key comparison is a time
 * comparison whatever ISO form the caller used (`+02:00`, no milliseconds); a bound that is no time is refused. Without
 * `until`: `now`, this millisecond included (bounds are exclusive, so one millisecond later). The same in every store,
 * so that a prediction stamped ahead of this host's clock is listed by none of them, and one saved this millisecond by all.
 */
export function windowBounds(window: Pick<PairWindow, 'since' | 'until'>, now: Date = new Date()): { since: string; until: string } {
  return {
    since: canonical('since', window.since),
    until: window.until === undefined ? new Date(now.getTime() + 1).toISOString() : canonical('until', window.until),
  };
}

/** A bound read as training and the API read times: one without a zone as UTC (Date.parse would read it in the process's TZ). */
function canonical(name: 'since' | 'until', iso: string): string {
  const ms = parseReceivedTime(iso.trim());
  if (Number.isNaN(ms)) throw new StoreError(`The window's ${name} is not a timestamp: ${JSON.stringify(iso)}.`);
  return new Date(ms).toISOString();
}
