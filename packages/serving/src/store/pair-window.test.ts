import { afterEach, describe, expect, it } from 'vitest';
import { windowBounds } from './pair-window.js';

const previousTz = process.env.TZ;
afterEach(() => {
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('windowBounds', () => {
  it('reads a bound without a zone as UTC, whatever TZ the process runs in, and refuses one that is no time', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      process.env.TZ = zone;
      expect(windowBounds({ since: '2026-12-01T00:00:00', until: '2026-12-02' }), zone).toEqual({ since: '2026-12-01T00:00:00.000Z', until: '2026-12-02T00:00:00.000Z' });
    }
    expect(windowBounds({ since: '2026-12-01T01:00:00+01:00', until: '2026-12-01T00:00:00.5Z' })).toEqual({ since: '2026-12-01T00:00:00.000Z', until: '2026-12-01T00:00:00.500Z' });
    expect(() => windowBounds({ since: 'yesterday' })).toThrow('The window\'s since is not a timestamp: "yesterday".');
  });
});
