/** The forms `parseReceivedTime` reads, for messages that refuse a value and for API docs. */
export const DATE_TIME_FORMS =
  'ISO 8601 (2025-11-03, 2025-11-03T10:15:00Z, 2025-11-03T10:15:00+01:00; without a zone, UTC) or an RFC 2822 Date header (Mon, 3 Nov 2025 10:15:00 +0100; without a zone, UTC)';

/**
 * Received times in an export: ISO 8601 (`2025-11-03`, `2025-11-03T10:15:00Z`, `2025-11-03 10:15+01:00`)
 * or RFC 2822 (`Mon, 3 Nov 2025 10:15:00 +0100`, as in a Date header). A date-time without a zone (in
 * either form) is read as UTC, so a split by time does not depend on the machine's zone. Anything else (`1`, `Mon 3`,
 * `03.11.2025`, which JavaScript would read as 11 March) is not a time: NaN.
 */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+\d{2}:\d{2}(?::\d{2})?(\s+(?:[+-]\d{4}|GMT|UTC?|[ECMP][SD]T|Z))?$/;

const ZONE_COMMENT = /\s{0,3}\([A-Za-z ]{1,40}\)$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Whether day `day` of month `month` (1-12) exists in `year`: JavaScript would roll 2025-02-30 over to 2 March. */
function dayExists(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether an ISO date's `YYYY-MM-DD` (the first 10 characters of `text`) names a day that exists. */
function isoDayExists(text: string): boolean {
  return dayExists(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)));
}

/** The form most CRMs send (`2025-11-03T10:15:00.000Z`, `…+01:00`), which Date.parse reads as it is. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The times ISO 8601's four-digit years can write in UTC. One outside them is no received time: `9999-12-31T23:00-05:00`
 * is in the year 10000 in UTC, which JavaScript writes `+010000-01-01T04:00:00.000Z`, a form nothing reads back.
 */
const FIRST_TIME = Date.parse('0000-01-01T00:00:00Z');
const LAST_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/** `ms`, or NaN when it is NaN or outside the years 0000 to 9999 in UTC. */
function inIsoYears(ms: number): number {
  return ms >= FIRST_TIME && ms <= LAST_TIME ? ms : Number.NaN;
}

/** A time as ISO 8601 UTC (`toISOString`), or undefined when it is not one or falls outside the years 0000 to 9999 in UTC. */
export function isoTime(ms: number): string | undefined {
  return Number.isNaN(inIsoYears(ms)) ? undefined : new Date(ms).toISOString();
}

/**
 * Whether `text` is a received time `parseReceivedTime` reads; the common ISO form with a zone is checked
 * by one regex test and Date.parse, as cheap as a check per request must be.
 */
export function isReceivedTime(text: string): boolean {
  if (ISO_WITH_ZONE.test(text)) return isoDayExists(text) && !Number.isNaN(inIsoYears(Date.parse(text)));
  return !Number.isNaN(parseReceivedTime(text.trim()));
}

/**
 * Milliseconds since the epoch of an ISO 8601 or RFC 2822 date-time, or NaN when `text` is neither or its time in
 * UTC falls outside the years 0000 to 9999.
 */
export function parseReceivedTime(text: string): number {
  return inIsoYears(readTime(text));
}

function readTime(text: string): number {
  const iso = ISO.exec(text);
  if (iso) {
    const [, date, time, zone] = iso;
    if (!isoDayExists(date)) return Number.NaN;
    if (time === undefined) return Date.parse(`${date}T00:00:00Z`);
    const offset = zone === undefined ? 'Z' : /^[+-]\d{2}$/.test(zone) ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
    return Date.parse(`${date}T${time.replace(',', '.')}${offset}`);
  }
  // A Date header often ends with a comment naming the zone (`+0100 (CET)`): it says nothing the offset does not.
  const header = text.replace(ZONE_COMMENT, '');
  const rfc = RFC_2822.exec(header);
  if (!rfc || !dayExists(Number(rfc[3]), MONTHS.indexOf(rfc[2].toLowerCase()) + 1, Number(rfc[1]))) return Number.NaN;
  // Without a zone JavaScript reads it in the machine's zone: as UTC, as an ISO time without one.
  return Date.parse(rfc[4] === undefined ? `${header} GMT` : header);
}
