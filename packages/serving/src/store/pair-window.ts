import { StoreError } from '../errors.js';

/**
 * A window's `until` when the caller gives none: now, this millisecond included (bounds are exclusive, so one
 * millisecond later), in the canonical form stored times have. The same in every store, so that a prediction
 * stamped ahead of this host's clock is listed by none of them, and one saved this millisecond by all.
 */
export function defaultUntil(now: Date = new Date()): string {
  return new Date(now.getTime() + 1).toISOString();
}

/**
 * A window bound in the form stored createdAt values have (toISOString), so that a text or key comparison is a time
 * comparison whatever ISO form the caller used (`+02:00`, no milliseconds); a bound that is no time is refused.
 */
export function windowBound(name: 'since' | 'until', iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new StoreError(`The window's ${name} is not a timestamp: ${JSON.stringify(iso)}.`);
  return new Date(ms).toISOString();
}
