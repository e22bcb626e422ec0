/** The forms `parseReceivedTime` reads, for messages that refuse a value and for API docs. */
export const DATE_TIME_FORMS =
  'ISO 8601 (2025-11-03, 2025-11-03T10:15:00Z, 2025-11-03T10:15:00+01:00; without a zone, UTC) or an RFC 2822 Date header (Mon, 3 Nov 2025 10:15:00 +0100)';

/**
 * Received times in an export: ISO 8601 (`2025-11-03`, `2025-11-03T10:15:00Z`, `2025-11-03 10:15+01:00`)
 * or RFC 2822 (`Mon, 3 Nov 2025 10:15:00 +0100`, as in a Date header). A date-time without a zone is
 * read as UTC, so a split by time does not depend on the machine's zone. Anything else (`1`, `Mon 3`,
 * `03.11.2025`, which JavaScript would read as 11 March) is not a time: NaN.
 */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?(?:\s+(?:[+-]\d{4}|GMT|UTC?|[ECMP][SD]T|Z))?$/;

const ZONE_COMMENT = /\s{0,3}\([A-Za-z ]{1,40}\)$/;

/** Milliseconds since the epoch of an ISO 8601 or RFC 2822 date-time, or NaN when `text` is neither. */
export function parseReceivedTime(text: string): number {
  const iso = ISO.exec(text);
  if (iso) {
    const [, date, time, zone] = iso;
    if (time === undefined) return Date.parse(`${date}T00:00:00Z`);
    const offset = zone === undefined ? 'Z' : /^[+-]\d{2}$/.test(zone) ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
    return Date.parse(`${date}T${time.replace(',', '.')}${offset}`);
  }
  // A Date header often ends with a comment naming the zone (`+0100 (CET)`): it says nothing the offset does not.
  const header = text.replace(ZONE_COMMENT, '');
  return RFC_2822.test(header) ? Date.parse(header) : Number.NaN;
}
