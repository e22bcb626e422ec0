import { parseReceivedTime } from '@mailroute/preprocess';
import { UsageError } from './errors.js';

/**
 * A time as the API and training read one (ISO 8601, also `2026-11-01 08:00` and `+0100`, or a Date header's form),
 * a date alone as its midnight; without a zone, in `timeZone` (the training config's), else UTC.
 */
export function timeOption(flag: string, value: string, timeZone?: string): Date {
  const ms = parseReceivedTime(value.trim(), timeZone);
  if (!Number.isNaN(ms)) return new Date(ms);
  if (timeZone !== undefined && !Number.isNaN(parseReceivedTime(value.trim()))) {
    throw new UsageError(`${flag} ${value}: in ${timeZone} (the training config's timeZone) this local time is skipped or happens twice at a change of daylight saving time; give its offset`);
  }
  throw new UsageError(`${flag} ${value}: not a date or time (ISO 8601: 2026-11-01, or 2026-11-01T08:00:00Z; without a zone, in the training config's timeZone, else UTC)`);
}
