import { describe, expect, it } from 'vitest';
import { parseEml } from './eml.js';
import { headerDate, unreadDateWarning } from './eml-date.js';

describe('headerDate', () => {
  it('refuses a day the month has not, a zone offset clocks do not use and a year before 1900, which JavaScript would move to another time', () => {
    for (const value of [
      'Tue, 31 Feb 2026 10:15:00 +0100',
      'Tuesday, 31 February 2026 10:15:00 +0100',
      'Feb 30 2026 10:15:00 +0100',
      'Sun Feb 29 10:15:00 2026',
      '2026-02-31T10:15:00Z',
      'Tue, 3 Mar 2026 10:15:00 +9999',
      'Tue, 3 Mar 2026 10:15:00 GMT+0160',
      'Tue, 3 Mar 0026 10:15:00 +0100',
    ]) {
      expect(headerDate(value), value).toBeUndefined();
    }
  });

  it('still reads what JavaScript reads right: a long weekday or month name, asctime, a leap day, +1400, a two-digit year', () => {
    expect(headerDate('Tuesday, 3 March 2026 10:15:00 +0100')).toEqual({ receivedAt: '2026-03-03T09:15:00.000Z', zoneless: false });
    expect(headerDate('Tuesday, 29 Feb 2028 10:15:00 +0100')).toEqual({ receivedAt: '2028-02-29T09:15:00.000Z', zoneless: false });
    expect(headerDate('Tue Mar  3 10:15:00 2026')).toEqual({ receivedAt: '2026-03-03T10:15:00.000Z', zoneless: true });
    expect(headerDate('Tue, 3 Mar 2026 10:15:00 +1400')).toEqual({ receivedAt: '2026-03-02T20:15:00.000Z', zoneless: false });
    expect(headerDate('Tue, 3 Mar 99 10:15:00 +0100')).toEqual({ receivedAt: '1999-03-03T09:15:00.000Z', zoneless: false });
  });
});

describe('parseEml: a Date header that names no time', () => {
  it('gives no receivedAt and says the Date could not be read', async () => {
    const date = 'Tue, 31 Feb 2026 10:15:00 +0100';
    const email = await parseEml(`From: a@example.org\nSubject: d\nDate: ${date}\n\nText\n`);
    expect(email.receivedAt).toBeUndefined();
    expect(email.warnings).toEqual([unreadDateWarning(date)]);
  });
});
