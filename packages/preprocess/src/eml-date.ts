import { isoTime, namesTimeZone, parseReceivedTime } from './received-time.js';

/**
 * The time a message's Date header gives, the same on every machine. JavaScript reads a date-time without a
 * zone (`Mon, 2 Nov 2026 09:15:00`, as some scripts and gateways write it) in the server's zone, so
 * receivedAt moved with the TZ the service ran in. RFC 5322 gives such a time no zone at all; UTC is the only
 * reading that does not depend on the machine, and parseEml says in a warning that it was taken.
 */

/** Said when the Date header names no time zone and its time was read as UTC. */
export const DATE_WITHOUT_ZONE_WARNING =
  'The message has a Date header that names no time zone, so its time was read as UTC (RFC 5322 gives such a time no zone): receivedAt may be off by the sender\'s offset from UTC.';

/** Said when the message has a Date header that cannot be read as a time: it then has no receivedAt. */
export function unreadDateWarning(value: string): string {
  return `The message's Date header (${JSON.stringify(value.trim().slice(0, 80))}) could not be read as a time, so the email has no receivedAt.`;
}

/**
 * A Date header with a numeric date (`01.06.2026 14:03`, `06/01/2026`), which no RFC 5322 date is (it names
 * the month): JavaScript reads it as month.day (6 January), a German tool wrote day.month. Such a date is
 * left unread, as any other unreadable Date header is, and as the API and training refuse it as receivedAt
 * (received-time.ts).
 */
const NUMERIC_DATE = /^\s*(?:[A-Za-z]{2,3}\.?,?\s*)?\d{1,4}[./]\d{1,2}[./]\d{1,4}\b/;

/** Comments, which RFC 5322 allows in a Date and JavaScript skips; a zone's name in one (`(CET)`) is no zone. */
const COMMENT = /\([^()]*\)/g;

/**
 * A zone JavaScript reads: a name (`GMT`, `UT`, `UTC`, `Z`, `EST` ... `PDT`), an offset after a blank
 * (`+0100`, `-05:00`) or right after a time (ISO `09:15:00Z`, `09:15:00+01:00`). Not the `-11` of `2026-11-02`.
 */
const ZONE = /\b(?:UTC?|GMT|Z|[ECMP][SD]T)\b|(?:^|\s)[+-]\d{2}(?::?\d{2})?\b|\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z\b|[+-]\d)/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** A day before a month's name and a year (`31 Feb 2026`, `31-February-26`). */
const DAY_MONTH_YEAR = /\b(\d{1,2})\.?[\s-]+([a-z]{3})[a-z]*\.?,?[\s-]+(\d{4}|\d{2})\b/i;
/** A month's name, a day, and a year after them or after a time (`Feb 31 2026`, asctime's `Feb 31 10:15:00 2026`). */
const MONTH_DAY_YEAR = /\b([a-z]{3})[a-z]*\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:\d{1,2}:\d{2}(?::\d{2})?\s+)?(\d{4})\b/i;
const ISO_DATE = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/;
/** A numeric zone after a blank, a zone's name or a time: `+0100`, `GMT+01:00`, `10:15:00+0100`. */
const NUMERIC_ZONE = /(?:^|[\s(]|GMT|UTC?|\d)[+-](\d{2}):?(\d{2})(?!\d)/i;

/** Whether the day exists in the month (1-12) of the year (a two-digit one as RFC 5322's obsolete form reads it). */
function dayExists(year: number, month: number, day: number, digits: number): boolean {
  const last = new Date(0);
  last.setUTCFullYear(digits === 2 ? year + (year >= 50 ? 1900 : 2000) : year, month, 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= last.getUTCDate();
}

/**
 * Whether a value JavaScript reads names what no calendar or clock has, which JavaScript moves to a time that it
 * does not name: a day its month has not (`31 Feb 2026` read as 3 March), a zone offset of more than 14 hours or
 * 59 minutes (`+9999`). A day, month and year it does not find are not judged.
 */
function namesNoTime(value: string): boolean {
  const zone = NUMERIC_ZONE.exec(value);
  if (zone && (Number(zone[1]) > 14 || Number(zone[2]) > 59)) return true;
  const iso = ISO_DATE.exec(value);
  if (iso) return !dayExists(Number(iso[1]), Number(iso[2]), Number(iso[3]), 4);
  const dmy = DAY_MONTH_YEAR.exec(value);
  const mdy = dmy ? null : MONTH_DAY_YEAR.exec(value);
  const [day, month, year] = dmy ? [dmy[1], dmy[2], dmy[3]] : mdy ? [mdy[2], mdy[1], mdy[3]] : [];
  if (day === undefined || month === undefined || year === undefined || !MONTHS.includes(month.toLowerCase())) return false;
  return !dayExists(Number(year), MONTHS.indexOf(month.toLowerCase()) + 1, Number(day), year.length);
}

/** The first instant RFC 5322 gives a Date (3.3: a year 1900 or later): one before it (`0026` for 2026) is a typo, not a time. */
const FIRST_DATE = Date.UTC(1900, 0, 1);

/** The time as ISO 8601 UTC, or undefined when it is before 1900 or past what ISO 8601 writes (`isoTime`). */
function dateTime(ms: number): string | undefined {
  return ms < FIRST_DATE ? undefined : isoTime(ms);
}

/**
 * The time of a Date header's value as ISO 8601 UTC, and whether it named no zone (then it is read as UTC);
 * undefined when it cannot be read, has a numeric date, names a day or a zone offset there is not (which JavaScript
 * would move to another time) or a year before 1900.
 */
export function headerDate(value: string | undefined): { receivedAt: string; zoneless: boolean } | undefined {
  if (value === undefined || NUMERIC_DATE.test(value)) return undefined;
  // The forms the API and training read first (they know CET and MEZ, which JavaScript does not), then JavaScript's.
  const read = parseReceivedTime(value.trim());
  if (!Number.isNaN(read)) {
    const receivedAt = dateTime(read);
    return receivedAt === undefined ? undefined : { receivedAt, zoneless: !namesTimeZone(value.trim()) };
  }
  const bare = value.replace(COMMENT, ' ');
  if (namesNoTime(bare.slice(0, 200))) return undefined;
  const local = Date.parse(value);
  if (Number.isNaN(local)) return undefined;
  if (ZONE.test(bare)) {
    const receivedAt = dateTime(local);
    return receivedAt === undefined ? undefined : { receivedAt, zoneless: false };
  }
  // A zone written after the value is read as its zone: ` GMT` where the legacy forms take it, `Z` after an ISO time.
  let utc = Date.parse(`${value} GMT`);
  if (Number.isNaN(utc)) utc = Date.parse(`${value}Z`);
  const receivedAt = dateTime(utc);
  return receivedAt === undefined ? undefined : { receivedAt, zoneless: true };
}
