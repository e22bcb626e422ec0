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

/**
 * The time of a Date header's value as ISO 8601 UTC, and whether it named no zone (then it is read as UTC);
 * undefined when it cannot be read or has a numeric date.
 */
export function headerDate(value: string | undefined): { receivedAt: string; zoneless: boolean } | undefined {
  if (value === undefined || NUMERIC_DATE.test(value)) return undefined;
  // The forms the API and training read first (they know CET and MEZ, which JavaScript does not), then JavaScript's.
  const read = parseReceivedTime(value.trim());
  if (!Number.isNaN(read)) {
    const receivedAt = isoTime(read);
    return receivedAt === undefined ? undefined : { receivedAt, zoneless: !namesTimeZone(value.trim()) };
  }
  const local = Date.parse(value);
  if (Number.isNaN(local)) return undefined;
  if (ZONE.test(value.replace(COMMENT, ' '))) {
    const receivedAt = isoTime(local);
    return receivedAt === undefined ? undefined : { receivedAt, zoneless: false };
  }
  // A zone written after the value is read as its zone: ` GMT` where the legacy forms take it, `Z` after an ISO time.
  let utc = Date.parse(`${value} GMT`);
  if (Number.isNaN(utc)) utc = Date.parse(`${value}Z`);
  const receivedAt = isoTime(utc);
  return receivedAt === undefined ? undefined : { receivedAt, zoneless: true };
}
