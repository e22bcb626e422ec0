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
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}\b/.exec(text);
  if (dmy) {
    const [first, second] = [Number(dmy[1]), Number(dmy[2])];
    const neither = 'mailroute reads neither day-first nor month-first dates, as one such as 03.11.2025 could be either';
    if (first > 12 && second <= 12) return `a day-first date; ${neither}, unless the config says "dateOrder": "day-first": ${how}`;
    if (second > 12 && first <= 12) return `a month-first date; ${neither}: ${how}`;
    return `day first or month first cannot be told apart, so neither is guessed (a config with "dateOrder": "day-first" reads 03.11.2025 as 3 November): ${how}`;
  }
  // MySQL's zero date and its kin: no date at all, but a placeholder for an unset one.
  if (/^\d{4}-(?:00-\d{2}|\d{2}-00)\b/.test(text)) return 'a month or day of 00: a placeholder for an unset date (a database\'s zero date)? Fill the date in, or leave such rows out ("onBadRow": "skip")';
  // 9999-12-31T23:00:00-05:00 is in the year 10000 in UTC, which ISO 8601 (and so the model's data) cannot write.
  if (/^(?:9999|0000)-|\b(?:9999|0000)\s+\d{2}:/.test(text)) return `in UTC the time falls outside the years 0000 to 9999, which ISO 8601 cannot write: ${how}`;
  return how;
}
