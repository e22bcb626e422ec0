/**
 * EventBridge Scheduler expressions: `cron(min hour day-of-month month day-of-week year)` (six fields,
 * one of the two day fields `?`), `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. Returns a problem or
 * undefined; AWS would only say so at deploy time.
 */
export function validateScheduleExpression(expression: string): string | undefined {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) return `cron needs 6 fields (min hour day month weekday year), got ${fields.length}`;
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
    return undefined;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) return 'rate must be at least 1';
    if ((n === 1) !== !rate[2].endsWith('s')) return `use "${n} ${n === 1 ? rate[2].replace(/s$/, '') : `${rate[2].replace(/s$/, '')}s`}"`;
    return undefined;
  }
  if (/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expression)) return undefined;
  return `not a schedule expression: ${expression}`;
}
