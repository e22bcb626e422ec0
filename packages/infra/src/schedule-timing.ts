/**
 * Schedules that Scheduler takes but that never start the retraining, or skip some months without a word: a cron
 * day that no month named has (`cron(0 3 30 2 ? *)`), one that some of them lack (`31`, the fifth of a weekday:
 * `MON#5`), years all past, an `at()`
 * time already past or one that the schedule's time zone skips at a change of daylight saving time. A retraining
 * that never starts never fails either, so no alarm would tell. Run on an expression `validateScheduleExpression`
 * took.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** The days every year's month has (February's 28: the 29th is a leap year's alone). */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The values a cron field of numbers (and names) stands for: lists, ranges, steps and `*`; undefined where it holds
 * Scheduler's other wildcards (`L`, `W`, `#`, `?`), whose days this check does not reckon.
 */
function fieldValues(field: string, min: number, max: number, names: readonly string[] = []): number[] | undefined {
  const token = (text: string) => (/^\d+$/.test(text) ? Number(text) : names.indexOf(text.toUpperCase()) + 1 || undefined);
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [base, step] = item.split('/');
    const ends = base === '*' ? [min, max] : base.split('-').map(token);
    if (ends.some((end) => end === undefined)) return undefined;
    const [from, to] = ends as number[];
    const last = to ?? (step === undefined ? from : max);
    for (let v = from; v <= last; v += step === undefined ? 1 : Number(step)) values.add(v);
  }
  return [...values];
}

/** The offset of `timeZone` from UTC at `ms`, in milliseconds. */
function zoneOffset(timeZone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - Math.floor(ms / 1000) * 1000;
}

/** The instants a local time (its fields read as UTC: `wall`) names in `timeZone`: none in a gap, two in an overlap. */
function instantsOf(wall: number, timeZone: string): number[] {
  const offsets = new Set([-1, 0, 1].map((days) => zoneOffset(timeZone, wall + days * 86_400_000)));
  return [...offsets].map((offset) => wall - offset).filter((t) => zoneOffset(timeZone, t) === wall - t);
}

function listed(months: readonly number[]): string {
  return months.map((m) => MONTHS[m - 1]).join(', ');
}

function cronProblem(fields: readonly string[], timeZone: string, now: Date): string | undefined {
  const [, , dayField, monthField, weekdayField, yearField] = fields;
  // The fifth of a weekday (`MON#5`): most months have four, so most months would pass without a run.
  const fifth = /(?:^|,)([^,#]+)#5(?:,|$)/.exec(weekdayField ?? '');
  if (fifth) return `cron day-of-week "${weekdayField}": most months have no fifth ${fifth[1]}, so the schedule would skip them without a word; use #1 to #4 (the first to fourth of it), which every month has`;
  const years = fieldValues(yearField, 1970, 2199);
  const thisYear = new Date(now.getTime() + zoneOffset(timeZone, now.getTime())).getUTCFullYear();
  if (years !== undefined && Math.max(...years) < thisYear) return `cron year "${yearField}": every year it names is past (it is ${thisYear} in ${timeZone}), so the schedule would never run`;
  const days = dayField === '?' ? undefined : fieldValues(dayField, 1, 31);
  const months = fieldValues(monthField, 1, 12, MONTHS);
  if (days === undefined || months === undefined) return undefined;
  const skipped = months.filter((m) => !days.some((d) => d <= MONTH_DAYS[m - 1]));
  if (skipped.length === 0) return undefined;
  const leapFebruary = skipped.includes(2) && days.includes(29) && (years === undefined || years.some((y) => y >= thisYear && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))));
  const never = skipped.length === months.length && !leapFebruary;
  const use = 'L (the last day of each month), or a day from 1 to 28, which every month has';
  if (never) return `cron day-of-month "${dayField}" does not occur in ${listed(skipped)}: the schedule would never run; use ${use}`;
  return `cron day-of-month "${dayField}" does not occur in ${listed(skipped)}${leapFebruary ? ' (29 February only in leap years)' : ''}: the schedule would skip ${skipped.length === 1 ? 'that month' : 'those months'} without a word; use ${use}`;
}

/** Why a valid schedule expression would never run, or would skip months, in `timeZone`; undefined when it runs as it reads. */
export function scheduleTimingProblem(expression: string, timeZone: string, now: Date): string | undefined {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(cron[1].trim().split(/\s+/), timeZone, now);
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!at) return undefined;
  const [year, month, day, hour, minute, second] = at.slice(1).map(Number);
  const instants = instantsOf(Date.UTC(year, month - 1, day, hour, minute, second), timeZone);
  if (instants.length === 0) return `${expression} never happens in ${timeZone}: the clocks skip that hour at the change of daylight saving time; name a time outside it`;
  if (Math.max(...instants) <= now.getTime()) return `${expression} in ${timeZone} (${new Date(Math.max(...instants)).toISOString()}) is past: the schedule would never run`;
  return undefined;
}
