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

/**
 * The form most CRMs send (`2025-11-03T10:15:00.000Z`, `…+01:00`), which Date.parse reads as it is: with an offset of at
 * most 14 hours (`+15:00`, which Date.parse reads, is no zone's and parseReceivedTime refuses it: such a text takes the
 * slow path, which says no).
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-](?:0\d|1[0-4]):\d{2})$/;

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
 * The wall-clock time in `zone` (an IANA name) at the instant `ms`, written as ISO 8601 without a zone
 * (`2026-11-01T00:30:00.000`): its first 7 characters are the month there. Undefined as for `isoTime`.
 */
export function zonedWallTime(ms: number, zone: string): string | undefined {
  if (Number.isNaN(inIsoYears(ms))) return undefined;
  return isoTime(ms + zoneOffset(ms, zone))?.slice(0, -1);
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
 * UTC falls outside the years 0000 to 9999. A time that names no zone (and a date alone, as its midnight) is read in
 * `timeZone` (an IANA name: `Europe/Berlin`), or as UTC without one; in `timeZone`, a local time that does not
 * exist or happens twice (the hour a change of daylight saving time skips or repeats) is NaN: its instant is unknown.
 */
export function parseReceivedTime(text: string, timeZone?: string): number {
  const read = readTime(text);
  if (Number.isNaN(read.ms)) return Number.NaN;
  return inIsoYears(read.zoned || timeZone === undefined ? read.ms : localToInstant(read.ms, timeZone));
}

/**
 * Milliseconds since the epoch of a received time (the forms `parseReceivedTime` reads), never NaN for a local time
 * that `zone` (an IANA name) skips or repeats: one that names its zone is that instant; one without a zone (and a date
 * alone, as its midnight) is read in `zone`, as calendar software reads it (RFC 5545, Temporal's `compatible`): a
 * local time the clocks show twice (the autumn change: `2026-10-25T02:30` in Europe/Berlin) is its first occurrence,
 * at the earlier offset (`+02:00`); one they skip (the spring change: `2026-03-29T02:30`) is moved forward by the gap,
 * read at the offset before the change (`+01:00`, which the clocks show as 03:30). NaN when `text` is no time or its
 * instant falls outside the years 0000 to 9999 in UTC.
 */
export function resolveLocalTime(text: string, zone: string): number {
  const read = readTime(text);
  if (Number.isNaN(read.ms)) return Number.NaN;
  if (read.zoned) return inIsoYears(read.ms);
  const shown = wallOffsets(read.ms, zone).filter((o) => o.shown);
  // Twice: the larger offset is the earlier instant. Never: the offset in force before the change, a day earlier.
  const offset = shown.length > 0 ? Math.max(...shown.map((o) => o.offset)) : zoneOffset(read.ms - 86_400_000, zone);
  return inIsoYears(read.ms - offset);
}

/**
 * The local time `text` names without a zone, written with each offset `zone` had around it (`2026-10-25T02:10:00+02:00`),
 * and whether the zone's clocks show it then: twice in autumn (both do), never in spring (neither: its offsets before and
 * after the change). For an answer that says how to send such a time. Undefined when `text` is no time or names its zone.
 */
export function localTimeOffsets(text: string, zone: string): Array<{ written: string; shown: boolean }> | undefined {
  const read = readTime(text);
  if (Number.isNaN(read.ms) || read.zoned) return undefined;
  const wall = new Date(read.ms).toISOString().slice(0, 19);
  return wallOffsets(read.ms, zone).map(({ offset, shown }) => {
    const minutes = Math.abs(offset) / 60_000;
    const sign = offset < 0 ? '-' : '+';
    return { written: `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, shown };
  });
}

/** Whether `text` names its zone (an offset, `Z`, `GMT`, `CET`, ...): false for a date alone or a local time. */
export function namesTimeZone(text: string): boolean {
  return readTime(text).zoned;
}

/** Whether `name` is a time zone this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    zoneFormat(name);
    return true;
  } catch {
    return false;
  }
}

/** `ms`: the instant, when `zoned`; else the wall-clock time it names, written as if in UTC. NaN when not a time. */
function readTime(text: string): { ms: number; zoned: boolean } {
  const iso = ISO.exec(text);
  if (iso) {
    const [, date, time, zone] = iso;
    if (!isoDayExists(date)) return NOT_A_TIME;
    if (time === undefined) return { ms: Date.parse(`${date}T00:00:00Z`), zoned: false };
    const offset = zone === undefined ? 'Z' : /^[+-]\d{2}$/.test(zone) ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
    if (offset !== 'Z' && Number.isNaN(offsetMinutes(offset.replace(':', '')))) return NOT_A_TIME;
    return { ms: Date.parse(`${date}T${time.replace(',', '.')}${offset}`), zoned: zone !== undefined };
  }
  const rfc = RFC_2822.exec(text.replace(ZONE_COMMENT, ''));
  if (!rfc) return NOT_A_TIME;
  const [, day, monthName, yearText, hh, mm, ss, zone] = rfc;
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  const year = yearText.length === 4 ? Number(yearText) : Number(yearText) + (Number(yearText) >= 50 ? 1900 : 2000);
  // A leap second (23:59:60) is read as the second before it.
  const [hours, minutes, seconds] = [Number(hh), Number(mm), Math.min(Number(ss ?? 0), 59)];
  if (!dayExists(year, month, Number(day)) || hours > 23 || minutes > 59 || Number(ss ?? 0) > 60) return NOT_A_TIME;
  const offset = zone === undefined ? 0 : /^[+-]/.test(zone) ? offsetMinutes(zone) : ZONE_NAMES[zone.toLowerCase()];
  if (offset === undefined || Number.isNaN(offset)) return NOT_A_TIME;
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0-99 as 1900-1999.
  utc.setUTCFullYear(year, month - 1, Number(day));
  utc.setUTCHours(hours, minutes, seconds);
  return { ms: utc.getTime() - offset * 60_000, zoned: zone !== undefined };
}

const NOT_A_TIME = { ms: Number.NaN, zoned: false };

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** A formatter of wall-clock times in `zone` (throws a RangeError for a zone the runtime does not know). */
function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    zoneFormats.set(zone, format);
  }
  return format;
}

/** The offset from UTC of `zone` at the instant `ms`, in milliseconds. */
function zoneOffset(ms: number, zone: string): number {
  const parts: Record<string, string> = {};
  for (const part of zoneFormat(zone).formatToParts(ms)) parts[part.type] = part.value;
  const wall = new Date(0);
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall.getTime() - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The offsets `zone` had a day before and after `wall` (a wall-clock time written as if in UTC; one, or two around a
 * change of daylight saving time), each with whether the zone's clocks show `wall` at that offset.
 */
function wallOffsets(wall: number, zone: string): Array<{ offset: number; shown: boolean }> {
  const offsets = new Set([zoneOffset(wall - 86_400_000, zone), zoneOffset(wall + 86_400_000, zone)]);
  return [...offsets].map((offset) => ({ offset, shown: zoneOffset(wall - offset, zone) === offset }));
}

/**
 * The instant at which the clocks of `zone` show `wall` (a wall-clock time written as if in UTC), or NaN when they
 * never do (skipped in spring) or do twice (repeated in autumn).
 */
function localToInstant(wall: number, zone: string): number {
  const shown = wallOffsets(wall, zone).filter((o) => o.shown);
  return shown.length === 1 ? wall - shown[0].offset : Number.NaN;
}
