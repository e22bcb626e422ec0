import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { serveTimeZone, timeOption, windowLine, windowTimeZone } from './time-option.js';

describe('timeOption at a change of daylight saving time', () => {
  it('reads a date alone as the first instant of that day, where the clocks skip its midnight or show it twice', () => {
    // America/Santiago goes from 00:00 (-04:00) to 01:00 (-03:00) on 2026-09-06: the day starts at 01:00 there.
    expect(timeOption('--since', '2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    // And the day before ends there: --until 2026-09-06 and --since 2026-09-06 meet.
    expect(timeOption('--until', '2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    // America/Havana goes back from 01:00 to 00:00 on 2026-11-01: its midnight happens twice, the day starts at the first.
    expect(timeOption('--since', '2026-11-01', 'America/Havana').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    // An ordinary midnight as before.
    expect(timeOption('--since', '2026-12-01', 'Europe/Berlin').toISOString()).toBe('2026-11-30T23:00:00.000Z');
  });

  it('reads a month alone as the first instant of its first day, so --since 2026-11 --until 2026-12 is November', () => {
    expect(timeOption('--since', '2026-11', 'Europe/Berlin').toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(timeOption('--until', ' 2026-12 ', 'Europe/Berlin').toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(timeOption('--since', '2026-01').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    // Not a month: refused, saying the forms it takes.
    expect(() => timeOption('--since', '2026-13')).toThrow(/--since 2026-13: not a date or time \(ISO 8601: 2026-11-01, 2026-11-01T08:00:00Z, or a month, 2026-11/);
  });

  it('refuses a date-time the clocks skip or show twice, naming the offsets to choose from and where the zone was set', () => {
    expect(() => timeOption('--until', '2026-10-25 02:30', 'Europe/Berlin', '--time-zone')).toThrow(
      '--until 2026-10-25 02:30: in Europe/Berlin (--time-zone) this local time happens twice (the clocks go back then): give its offset, 2026-10-25T02:30:00+02:00 (the first) or 2026-10-25T02:30:00+01:00 (the second)',
    );
    expect(() => timeOption('--since', '2026-03-29T02:30', 'Europe/Berlin', 'MAILROUTE_TIME_ZONE')).toThrow(
      '--since 2026-03-29T02:30: in Europe/Berlin (MAILROUTE_TIME_ZONE) this local time is skipped (the clocks go forward then): give its offset, 2026-03-29T02:30:00+01:00 (the offset before the change, as the server reads such a closedAt) or 2026-03-29T02:30:00+02:00',
    );
    // Either offset named is read as it is.
    expect(timeOption('--since', '2026-03-29T02:30:00+01:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('the time zone of the feedback commands and of serve', () => {
  const ctx = (env: Record<string, string>) => createContext({ env, cwd: '/srv' });
  const config = { zone: 'America/New_York', from: 'cfg.json' };

  it('takes --time-zone, then the training config\'s timeZone, then MAILROUTE_TIME_ZONE, then UTC', () => {
    const env = { MAILROUTE_TIME_ZONE: 'Europe/Berlin' };
    expect(windowTimeZone(ctx(env), 'Asia/Tokyo', config)).toEqual({ zone: 'Asia/Tokyo', from: '--time-zone' });
    expect(windowTimeZone(ctx(env), undefined, config)).toEqual({ zone: 'America/New_York', from: 'the timeZone of cfg.json' });
    expect(windowTimeZone(ctx(env), undefined, { from: 'cfg.json' })).toEqual({ zone: 'Europe/Berlin', from: 'MAILROUTE_TIME_ZONE' });
    expect(windowTimeZone(ctx({ MAILROUTE_TIME_ZONE: ' ' }), undefined, { from: 'cfg.json' })).toEqual({ from: 'default' });
    expect(serveTimeZone(ctx(env), undefined)).toEqual({ zone: 'Europe/Berlin', from: 'MAILROUTE_TIME_ZONE' });
    expect(serveTimeZone(ctx({}), undefined)).toEqual({ from: 'default' });
  });

  it('refuses a zone the runtime does not know, as serve does, naming where it was set', () => {
    const refusal = /"Europe\/Berln" is not a time zone this runtime knows: give an IANA name such as Europe\/Berlin or UTC/;
    expect(() => windowTimeZone(ctx({}), 'Europe/Berln', config)).toThrow(new RegExp(`^--time-zone ${refusal.source}`));
    expect(() => windowTimeZone(ctx({ MAILROUTE_TIME_ZONE: 'Europe/Berln' }), undefined, { from: 'cfg.json' })).toThrow(new RegExp(`^MAILROUTE_TIME_ZONE ${refusal.source}`));
    expect(() => serveTimeZone(ctx({}), 'Europe/Berln')).toThrow(new RegExp(`^--time-zone ${refusal.source}`));
  });

  it('says the window as read, in UTC, and its zone in one line', () => {
    const berlin = { zone: 'Europe/Berlin', from: '--time-zone' };
    const since = timeOption('--since', '2026-12-01', berlin.zone);
    const until = timeOption('--until', '2026-12-07', berlin.zone);
    expect(windowLine(since, until, berlin)).toBe('cases closed in [2026-11-30T23:00:00.000Z, 2026-12-06T23:00:00.000Z) (Europe/Berlin, from --time-zone)');
    expect(windowLine(since, undefined, berlin)).toBe('cases closed at or after 2026-11-30T23:00:00.000Z (Europe/Berlin, from --time-zone)');
    expect(windowLine(undefined, new Date('2026-12-01T00:00:00Z'), { from: 'default' })).toBe('cases closed before 2026-12-01T00:00:00.000Z (UTC, by default)');
  });
});
