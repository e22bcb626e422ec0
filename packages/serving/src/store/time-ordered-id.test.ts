import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOfOrderedId, timeOrderedId } from './time-ordered-id.js';

describe('timeOrderedId', () => {
  it('is a valid version-7 UUID carrying the millisecond it was made in', () => {
    const at = Date.UTC(2026, 10, 29, 12, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(z.uuid({ version: 'v7' }).safeParse(id).success).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(id[19]).toMatch(/[89ab]/);
  });

  it('sorts in creation order, also many ids within one millisecond and across a clock step back', () => {
    const base = Date.UTC(2030, 0, 1);
    const ids = [...Array.from({ length: 5000 }, () => timeOrderedId(base)), timeOrderedId(base - 10), timeOrderedId(base + 5000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives back the time a version-7 id was made in, and nothing for an id of another form', () => {
    // After the times of the tests above: an earlier one would be read as a clock step back, and borrow a later millisecond.
    const at = Date.UTC(2031, 11, 7, 1, 2, 3, 456);
    expect(timeOfOrderedId(timeOrderedId(at))).toBe(at);
    expect(timeOfOrderedId(timeOrderedId(at).toUpperCase())).toBe(at);
    expect(timeOfOrderedId('0193a1f0-0000-4000-8000-000000000000')).toBeUndefined();
    expect(timeOfOrderedId('not-an-id')).toBeUndefined();
  });
});
