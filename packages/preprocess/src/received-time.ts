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
/**
 * RFC 2822 / 5322, with what mail clients write besides: no comma after the weekday, a two-digit year (RFC 5322's
 * obsolete form: 50-99 are 19xx), dashes between day, month and year (`04-Dec-2026`), and a zone's name.
 */
const RFC_2822 = /^(?:[A-Za-z]{3},?\s*)?(\d{1,2})(?:\s+|-)([A-Za-z]{3})(?:\s+|-)(\d{4}|\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?(?:\s+([+-]\d{4}|[A-Za-z]{1,4}))?$/;

/** Zones a Date header names (RFC 5322's, and Central and Western European ones, which German clients write), as offsets in minutes. */
const ZONE_NAMES: Readonly<Record<string, number>> = {
  z: 0, ut: 0, utc: 0, gmt: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  wet: 0, west: 60, cet: 60, cest: 120, mez: 60, mesz: 120, eet: 120, eest: 180,
};

/** A comment after the zone (`+0100 (CET)`, `(W. Europe Standard Time)`, `(UTC+01:00)`): it says nothing the zone does not. */
const ZONE_COMMENT = /\s{0,3}\([^()]{1,60}\)$/;

/** Whether `+hhmm` is an offset clocks use: at most 14 hours, minutes under 60 (`+2400` and `+0199` are typos). */
function offsetMinutes(zone: string): number {
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3, 5));
  if (hours > 14 || minutes > 59) return Number.NaN;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

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
    if (offset !== 'Z' && Number.isNaN(offsetMinutes(offset.replace(':', '')))) return Number.NaN;
    return Date.parse(`${date}T${time.replace(',', '.')}${offset}`);
  }
  const rfc = RFC_2822.exec(text.replace(ZONE_COMMENT, ''));
  if (!rfc) return Number.NaN;
  const [, day, monthName, yearText, hh, mm, ss, zone] = rfc;
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  const year = yearText.length === 4 ? Number(yearText) : Number(yearText) + (Number(yearText) >= 50 ? 1900 : 2000);
  // A leap second (23:59:60) is read as the second before it.
  const [hours, minutes, seconds] = [Number(hh), Number(mm), Math.min(Number(ss ?? 0), 59)];
  if (!dayExists(year, month, Number(day)) || hours > 23 || minutes > 59 || Number(ss ?? 0) > 60) return Number.NaN;
  // Without a zone, UTC, as an ISO time without one (JavaScript would read it in the machine's zone).
  const offset = zone === undefined ? 0 : /^[+-]/.test(zone) ? offsetMinutes(zone) : ZONE_NAMES[zone.toLowerCase()];
  if (offset === undefined || Number.isNaN(offset)) return Number.NaN;
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0-99 as 1900-1999.
  utc.setUTCFullYear(year, month - 1, Number(day));
  utc.setUTCHours(hours, minutes, seconds);
  return utc.getTime() - offset * 60_000;
}
