import { describe, expect, it } from 'vitest';
import { isReceivedTime, isTimeZone, localTimeOffsets, namesTimeZone, parseReceivedTime, resolveLocalTime } from './received-time.js';
import { inTimeZones } from './test-time-zones.js';

const iso = (text: string) => new Date(parseReceivedTime(text)).toISOString();

describe('parseReceivedTime', () => {
  it('reads ISO 8601 dates and date-times, a missing zone as UTC', () => {
    expect(iso('2025-11-03')).toBe('2025-11-03T00:00:00.000Z');
    expect(iso('2025-11-03T10:15:00Z')).toBe('2025-11-03T10:15:00.000Z');
    expect(iso('2025-11-03 10:15')).toBe('2025-11-03T10:15:00.000Z');
    expect(iso('2025-11-03T10:15:30.5+01:00')).toBe('2025-11-03T09:15:30.500Z');
    expect(iso('2025-11-03T10:15:00+0100')).toBe('2025-11-03T09:15:00.000Z');
    expect(iso('2025-11-03T10:15:00-05')).toBe('2025-11-03T15:15:00.000Z');
  });

  it('reads RFC 2822 Date headers', () => {
    expect(iso('Mon, 3 Nov 2025 10:15:00 +0100')).toBe('2025-11-03T09:15:00.000Z');
    expect(iso('3 Nov 2025 10:15 GMT')).toBe('2025-11-03T10:15:00.000Z');
    // With the zone's name in a comment, as mail programs write it.
    expect(iso('Mon, 3 Nov 2025 10:15:00 +0100 (CET)')).toBe('2025-11-03T09:15:00.000Z');
  });

  it("reads Date headers as mail clients write them: a zone's name in any comment, CET and MEZ, no comma, a two-digit year, dashes", () => {
    for (const text of [
      'Fri, 04 Dec 2026 14:03:00 +0100 (W. Europe Standard Time)',
      'Fri, 04 Dec 2026 14:03:00 +0100 (Mitteleuropäische Zeit)',
      'Fri, 04 Dec 2026 14:03:00 +0100 (CET/MEZ)',
      'Fri, 04 Dec 2026 14:03:00 +0100 (UTC+01:00)',
      'Fri, 04 Dec 2026 14:03:00 CET',
      'Fri, 04 Dec 2026 14:03:00 MEZ',
      'Fri 04 Dec 2026 14:03:00 +0100',
      'Fri, 04 Dec 26 14:03:00 +0100',
      '04-Dec-2026 14:03:00 +0100',
    ]) {
      expect(iso(text), text).toBe('2026-12-04T13:03:00.000Z');
      expect(isReceivedTime(text), text).toBe(true);
    }
    expect(iso('Sat, 04 Jul 2026 14:03:00 MESZ')).toBe('2026-07-04T12:03:00.000Z');
    expect(iso('Thu, 04 Dec 97 14:03:00 GMT')).toBe('1997-12-04T14:03:00.000Z');
    expect(iso('Thu, 31 Dec 2026 23:59:60 +0000')).toBe('2026-12-31T23:59:59.000Z');
  });

  it('refuses offsets no clock uses (+2400, +0199) and zone names it does not know', () => {
    for (const text of ['Fri, 04 Dec 2026 14:03:00 +2400', 'Fri, 04 Dec 2026 14:03:00 +0199', '2026-12-04T14:03:00+2400', '2026-12-04 14:03+0199', 'Fri, 04 Dec 2026 14:03:00 XYZ', 'Fri, 04 Dec 2026 24:03:00 +0100']) {
      expect(parseReceivedTime(text), text).toBeNaN();
    }
  });

  it('reads a time without a zone, and a date alone, in the time zone given; one that names its zone as it says', async () => {
    await inTimeZones(['America/New_York', 'UTC'], (tz) => {
      const berlin = (text: string) => new Date(parseReceivedTime(text, 'Europe/Berlin')).toISOString();
      expect(berlin('2026-12-04 16:10:00'), tz).toBe('2026-12-04T15:10:00.000Z');
      expect(berlin('2026-07-04T16:10'), tz).toBe('2026-07-04T14:10:00.000Z');
      expect(berlin('2026-12-05'), tz).toBe('2026-12-04T23:00:00.000Z');
      expect(berlin('Fri, 04 Dec 2026 16:10:00'), tz).toBe('2026-12-04T15:10:00.000Z');
      expect(berlin('2026-12-04T16:10:00Z'), tz).toBe('2026-12-04T16:10:00.000Z');
      expect(berlin('2026-12-04T16:10:00+05:00'), tz).toBe('2026-12-04T11:10:00.000Z');
      expect(new Date(parseReceivedTime('2026-12-04 16:10', 'America/New_York')).toISOString(), tz).toBe('2026-12-04T21:10:00.000Z');
      expect(new Date(parseReceivedTime('2026-12-04 16:10', 'UTC')).toISOString(), tz).toBe('2026-12-04T16:10:00.000Z');
    });
  });

  it('refuses, in a time zone, the local times a change of daylight saving time skips or repeats', () => {
    // 2026-03-29 02:00-03:00 does not happen in Berlin; 2026-10-25 02:00-03:00 happens twice.
    for (const text of ['2026-03-29 02:30', '2026-10-25 02:10:00', '2026-10-25 02:59']) expect(parseReceivedTime(text, 'Europe/Berlin'), text).toBeNaN();
    expect(new Date(parseReceivedTime('2026-03-29 03:00', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(new Date(parseReceivedTime('2026-10-25 03:00', 'Europe/Berlin')).toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(new Date(parseReceivedTime('2026-10-25 01:59', 'Europe/Berlin')).toISOString()).toBe('2026-10-24T23:59:00.000Z');
    // With its offset, the repeated hour is no riddle.
    expect(new Date(parseReceivedTime('2026-10-25T02:10:00+01:00', 'Europe/Berlin')).toISOString()).toBe('2026-10-25T01:10:00.000Z');
  });

  it('tells zones it knows, and times that name their zone', () => {
    for (const zone of ['Europe/Berlin', 'UTC', 'America/New_York']) expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['Europe/Berlinn', 'MEZ', '', '+01:00']) expect(isTimeZone(zone), zone).toBe(false);
    for (const text of ['2026-12-04T16:10Z', '2026-12-04 16:10+01', 'Fri, 04 Dec 2026 16:10:00 CET']) expect(namesTimeZone(text), text).toBe(true);
    for (const text of ['2026-12-04', '2026-12-04 16:10', 'Fri, 04 Dec 2026 16:10:00', 'not a time']) expect(namesTimeZone(text), text).toBe(false);
  });

  it('reads an RFC 2822 date-time without a zone as UTC, whatever the TZ the process runs in', async () => {
    await inTimeZones(['America/New_York', 'Asia/Tokyo'], (tz) => {
      expect(iso('Mon, 3 Nov 2025 10:15:00'), tz).toBe('2025-11-03T10:15:00.000Z');
      expect(iso('3 Nov 2025 10:15 (CET)'), tz).toBe('2025-11-03T10:15:00.000Z');
      expect(iso('Mon, 3 Nov 2025 10:15:00 +0100'), tz).toBe('2025-11-03T09:15:00.000Z');
    });
  });

  it('refuses what only looks like a time, and impossible dates', () => {
    for (const text of ['1', '12', 'Mon 3', '03.11.2025', '11/03/2025', 'yesterday', '2025-13-01', '2025-11-03T25:00', 'Mon, 3 Nov 2025 (CET)']) expect(parseReceivedTime(text), text).toBeNaN();
  });

  it('refuses days a month does not have, which JavaScript would roll over into the next month', () => {
    for (const text of ['2025-02-30', '2025-02-29T10:00:00Z', '2025-04-31 10:15', '2025-11-00', '30 Feb 2025 10:00 +0100', 'Thu, 31 Apr 2025 10:00:00 GMT']) {
      expect(parseReceivedTime(text), text).toBeNaN();
      expect(isReceivedTime(text), text).toBe(false);
    }
    expect(iso('2024-02-29T10:00:00Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(iso('29 Feb 2024 10:00 GMT')).toBe('2024-02-29T10:00:00.000Z');
    expect(iso('2025-12-31')).toBe('2025-12-31T00:00:00.000Z');
  });

  it('refuses a time outside the years 0000 to 9999 in UTC, which ISO 8601 cannot write (JavaScript writes +010000-…)', () => {
    for (const text of ['9999-12-31T23:00:00-05:00', '9999-12-31 23:00-05', '0000-01-01T00:30:00+01:00', 'Fri, 31 Dec 9999 23:00:00 -0500']) {
      expect(parseReceivedTime(text), text).toBeNaN();
      expect(isReceivedTime(text), text).toBe(false);
    }
    expect(iso('9999-12-31T23:59:59.999Z')).toBe('9999-12-31T23:59:59.999Z');
    expect(iso('0000-01-01T00:00:00Z')).toBe('0000-01-01T00:00:00.000Z');
    expect(isReceivedTime('9999-12-31T23:00:00+01:00')).toBe(true);
  });

  it('isReceivedTime takes every form parseReceivedTime reads, the common ISO form with a zone by its fast path', () => {
    for (const text of ['2025-11-03T10:15:00.000Z', '2025-11-03T10:15:00+01:00', '2025-11-03', ' 2025-11-03 10:15 ', 'Mon, 3 Nov 2025 10:15:00 +0100 (CET)']) expect(isReceivedTime(text), text).toBe(true);
    for (const text of ['2025-11-03T10:61:00Z', '2025-11-03T10:15:00+25:00', '03.11.2025', '']) expect(isReceivedTime(text), text).toBe(false);
  });
});

describe('localTimeOffsets', () => {
  it('writes a local time with the offsets its zone had around it, and whether the clocks showed it then', () => {
    expect(localTimeOffsets('2026-10-25 02:10', 'Europe/Berlin')).toEqual([
      { written: '2026-10-25T02:10:00+02:00', shown: true },
      { written: '2026-10-25T02:10:00+01:00', shown: true },
    ]);
    expect(localTimeOffsets('2026-03-29 02:30', 'Europe/Berlin')).toEqual([
      { written: '2026-03-29T02:30:00+01:00', shown: false },
      { written: '2026-03-29T02:30:00+02:00', shown: false },
    ]);
    expect(localTimeOffsets('2026-12-05 10:00', 'America/St_Johns')).toEqual([{ written: '2026-12-05T10:00:00-03:30', shown: true }]);
    // A time with its zone, or none at all, has nothing to write.
    expect(localTimeOffsets('2026-10-25T02:10:00Z', 'Europe/Berlin')).toBeUndefined();
    expect(localTimeOffsets('gestern', 'Europe/Berlin')).toBeUndefined();
  });
});

describe('resolveLocalTime', () => {
  const berlin = (text: string) => new Date(resolveLocalTime(text, 'Europe/Berlin')).toISOString();

  it('reads a local time in the repeated autumn hour (2026-10-25 02:00-03:00 in Berlin) as its first occurrence, at +02:00', async () => {
    await inTimeZones(['America/New_York', 'UTC'], (tz) => {
      expect(berlin('2026-10-25T02:30:00'), tz).toBe('2026-10-25T00:30:00.000Z');
      expect(berlin('2026-10-25 02:00'), tz).toBe('2026-10-25T00:00:00.000Z');
      expect(berlin('2026-10-25 02:59:59.999'), tz).toBe('2026-10-25T00:59:59.999Z');
      expect(berlin('Sun, 25 Oct 2026 02:30:00'), tz).toBe('2026-10-25T00:30:00.000Z');
    });
    // Around it, one instant each, as parseReceivedTime reads them.
    expect(berlin('2026-10-25 01:59')).toBe('2026-10-24T23:59:00.000Z');
    expect(berlin('2026-10-25 03:00')).toBe('2026-10-25T02:00:00.000Z');
    // The second occurrence is sent with its offset, and read so.
    expect(berlin('2026-10-25T02:30:00+01:00')).toBe('2026-10-25T01:30:00.000Z');
  });

  it('moves a local time the spring change skips (2026-03-29 02:00-03:00 in Berlin) forward by the gap: read at +01:00, shown as 03:xx', async () => {
    await inTimeZones(['America/New_York', 'UTC'], (tz) => {
      expect(berlin('2026-03-29T02:30:00'), tz).toBe('2026-03-29T01:30:00.000Z');
      expect(berlin('2026-03-29 02:00'), tz).toBe('2026-03-29T01:00:00.000Z');
      expect(berlin('2026-03-29 02:59:59'), tz).toBe('2026-03-29T01:59:59.000Z');
    });
    expect(berlin('2026-03-29 01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(berlin('2026-03-29 03:00')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('reads every other time as parseReceivedTime does: in the zone, or at the zone it names; NaN for no time', () => {
    for (const text of ['2026-12-04 16:10', '2026-07-04T16:10', '2026-12-05', 'Fri, 04 Dec 2026 16:10:00', '2026-12-04T16:10:00Z', '2026-12-04T16:10:00+05:00', 'Mon, 3 Nov 2025 10:15:00 +0100']) {
      expect(resolveLocalTime(text, 'Europe/Berlin'), text).toBe(parseReceivedTime(text, 'Europe/Berlin'));
    }
    expect(new Date(resolveLocalTime('2026-10-25T02:30:00', 'UTC')).toISOString()).toBe('2026-10-25T02:30:00.000Z');
    expect(new Date(resolveLocalTime('2026-11-01 01:30', 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(resolveLocalTime('2026-03-08 02:30', 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    for (const text of ['gestern', '03.11.2025', '2026-02-30', '9999-12-31T23:30:00-05:00']) expect(resolveLocalTime(text, 'Europe/Berlin'), text).toBeNaN();
  });
});
