/**
 * What a received time that does not parse probably is, for its message: spreadsheets and scripts export dates
 * in forms mailroute does not guess at (a day number, seconds since 1970, a day-first or month-first date).
 */
export function dateHint(text: string): string {
  const how = 'use ISO 8601, e.g. 2025-11-03T10:15:00Z, or a Date header\'s form';
  // Excel's day numbers: 45000 is 2023-03-15; a column formatted as a number exports them so.
  if (/^\d{5}(?:[.,]\d+)?$/.test(text)) return `a spreadsheet's day number? Format the column as a date and time (yyyy-mm-dd hh:mm:ss) before exporting, or ${how}`;
  if (/^\d{10}(?:\d{3})?(?:\.\d+)?$/.test(text)) return `seconds or milliseconds since 1970? Export them as dates: ${how}`;
  // 03.11.2025 or 11/03/2025: which number is the day cannot be told from the text; 29.05.2026 is day-first.
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b/.exec(text);
  if (dmy) {
    const [first, second, year] = [Number(dmy[1]), Number(dmy[2]), fullYear(dmy[3])];
    const neither = 'mailroute reads neither day-first nor month-first dates, as one such as 03.11.2025 could be either';
    // 31/02/2025: day first (the only way its 31 reads) a day that does not exist, which no "dateOrder" reads.
    if (first > 12 && second <= 12) return missingDay(first, second, year) ?? `a day-first date; ${neither}, unless the config says "dateOrder": "day-first": ${how}`;
    if (second > 12 && first <= 12) return missingDay(second, first, year) ?? `a month-first date; ${neither}: ${how}`;
    if (first > 12 && second > 12) return `neither number can be the month (${first} and ${second}): not a date; ${how}`;
    return `day first or month first cannot be told apart, so neither is guessed (a config with "dateOrder": "day-first" reads 03.11.2025 as 3 November): ${how}`;
  }
  // 2025-02-31: a day past the month's end, which no date reading mends.
  const ymd = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  const missing = ymd && Number(ymd[2]) >= 1 && Number(ymd[2]) <= 12 ? missingDay(Number(ymd[3]), Number(ymd[2]), Number(ymd[1])) : undefined;
  if (missing !== undefined) return missing;
  // MySQL's zero date and its kin: no date at all, but a placeholder for an unset one.
  if (/^\d{4}-(?:00-\d{2}|\d{2}-00)\b/.test(text)) return 'a month or day of 00: a placeholder for an unset date (a database\'s zero date)? Fill the date in, or leave such rows out ("onBadRow": "skip")';
  // 9999-12-31T23:00:00-05:00 is in the year 10000 in UTC, which ISO 8601 (and so the model's data) cannot write.
  if (/^(?:9999|0000)-|\b(?:9999|0000)\s+\d{2}:/.test(text)) return `in UTC the time falls outside the years 0000 to 9999, which ISO 8601 cannot write: ${how}`;
  return how;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A year as a date writes it: two digits are 20yy, as a day-first date is read. */
function fullYear(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/**
 * `31 February 2025 does not exist, as February 2025 has 28 days: fix the date in the export` for a day past its month's
 * end (or day 0); undefined for a day that exists, or a month that is none (the caller says what it is).
 */
export function missingDay(day: number, month: number, year: number): string | undefined {
  if (month < 1 || month > 12) return undefined;
  // setUTCFullYear, not Date.UTC: that reads a year under 100 as 19yy.
  const end = new Date(0);
  end.setUTCFullYear(year, month, 0);
  const days = end.getUTCDate();
  if (day >= 1 && day <= days) return undefined;
  return `${day} ${MONTHS[month - 1]} ${year} does not exist, as ${MONTHS[month - 1]} ${year} has ${days} days: fix the date in the export`;
}
