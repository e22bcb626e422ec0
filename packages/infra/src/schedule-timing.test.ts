import { describe, expect, it } from 'vitest';
import { scheduleTimingProblem } from './schedule-timing.js';

const now = new Date('2026-12-07T12:00:00Z');
const problem = (expression: string, zone = 'Europe/Berlin') => scheduleTimingProblem(expression, zone, now);

describe('scheduleTimingProblem', () => {
  it('takes schedules that run every month they name', () => {
    for (const ok of ['cron(0 3 1 * ? *)', 'cron(0 3 L * ? *)', 'cron(0 3 28 * ? *)', 'cron(0 3 ? * MON#1 *)', 'cron(0 3 31 JAN,MAR,DEC ? *)', 'cron(0 3 15W * ? *)', 'cron(0 3 1 * ? 2026-2030)', 'cron(0 3 30 */2 ? *)', 'rate(30 days)', 'at(2027-03-27T02:30:00)']) {
      expect(problem(ok), ok).toBeUndefined();
    }
  });

  it('refuses a day no month it names has, and says which months a day skips', () => {
    expect(problem('cron(0 3 30 2 ? *)')).toBe('cron day-of-month "30" does not occur in FEB: the schedule would never run; use L (the last day of each month), or a day from 1 to 28, which every month has');
    expect(problem('cron(0 3 31 APR-JUN ? *)')).toMatch(/^cron day-of-month "31" does not occur in APR, JUN: the schedule would skip those months without a word/);
    expect(problem('cron(0 3 31 * ? *)')).toMatch(/does not occur in FEB, APR, JUN, SEP, NOV: the schedule would skip those months/);
    expect(problem('cron(0 3 29-31 * ? *)')).toMatch(/does not occur in FEB \(29 February only in leap years\): the schedule would skip that month/);
    // 29 February alone: in leap years only (2028), or never where the years named have none.
    expect(problem('cron(0 3 29 2 ? *)')).toMatch(/skip that month/);
    expect(problem('cron(0 3 29 2 ? 2027)')).toMatch(/would never run/);
    // The fifth of a weekday: most months have four (QA: MON#5 passed the check).
    expect(problem('cron(0 3 ? * MON#5 *)')).toBe('cron day-of-week "MON#5": most months have no fifth MON, so the schedule would skip them without a word; use #1 to #4 (the first to fourth of it), which every month has');
    expect(problem('cron(0 3 ? 2 2#5 *)')).toMatch(/^cron day-of-week "2#5": most months have no fifth 2/);
    expect(problem('cron(0 3 ? * MON#4 *)')).toBeUndefined();
  });

  it('refuses years all past, in the schedule\'s zone', () => {
    expect(problem('cron(0 3 1 * ? 2025)')).toBe('cron year "2025": every year it names is past (it is 2026 in Europe/Berlin), so the schedule would never run');
    expect(problem('cron(0 3 1 * ? 2020-2025)')).toMatch(/every year it names is past/);
    expect(scheduleTimingProblem('cron(0 3 1 * ? 2026)', 'Pacific/Kiritimati', new Date('2026-12-31T11:00:00Z'))).toMatch(/it is 2027 in Pacific\/Kiritimati/);
  });

  it('refuses an at() time past, or one the zone skips at a change of daylight saving time', () => {
    expect(problem('at(2020-01-01T00:00:00)')).toBe('at(2020-01-01T00:00:00) in Europe/Berlin (2019-12-31T23:00:00.000Z) is past: the schedule would never run');
    expect(problem('at(2026-12-07T12:30:00)')).toMatch(/is past/);
    expect(problem('at(2026-12-07T12:30:00)', 'UTC')).toBeUndefined();
    expect(problem('at(2027-03-28T02:30:00)', 'Europe/Berlin')).toMatch(/never happens in Europe\/Berlin/);
    expect(problem('at(2027-03-28T02:30:00)', 'Europe/London')).toBeUndefined();
    expect(problem('at(2027-03-28T01:30:00)', 'Europe/London')).toBe('at(2027-03-28T01:30:00) never happens in Europe/London: the clocks skip that hour at the change of daylight saving time; name a time outside it');
    // A time the autumn change repeats runs (its later occurrence is still ahead).
    expect(problem('at(2027-10-31T02:30:00)')).toBeUndefined();
  });
});
