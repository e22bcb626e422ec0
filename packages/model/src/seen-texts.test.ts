import { describe, expect, it } from 'vitest';
import { decodeSeenTexts, encodeSeenTexts } from './seen-texts.js';

describe('seen-texts filter', () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `email number ${i} about a depot transfer`);
  const filter = decodeSeenTexts(encodeSeenTexts(keys));
  if (typeof filter === 'string') throw new Error(filter);

  it('says every text put in was seen', () => {
    expect(keys.every((k) => filter.has(k))).toBe(true);
    expect(filter.texts).toBe(5000);
  });

  it('says few texts never put in were seen, near its stated false-positive rate', () => {
    const others = Array.from({ length: 20_000 }, (_, i) => `another email ${i}`);
    const hits = others.filter((k) => filter.has(k)).length;
    expect(filter.falsePositiveRate).toBeGreaterThan(0.0005);
    expect(filter.falsePositiveRate).toBeLessThan(0.002);
    expect(hits / others.length).toBeLessThan(0.004);
  });

  it('counts repeated texts once and stays small (about 1.8 bytes a text)', () => {
    const bytes = encodeSeenTexts([...keys, ...keys]);
    expect(bytes.length).toBeLessThan(5000 * 1.9 + 16);
    const again = decodeSeenTexts(bytes);
    expect(typeof again === 'string' ? again : again.texts).toBe(5000);
  });

  it('an empty filter sees nothing', () => {
    const empty = decodeSeenTexts(encodeSeenTexts([]));
    if (typeof empty === 'string') throw new Error(empty);
    expect(empty.has('anything')).toBe(false);
  });

  it('refuses bytes that are not a filter, or cut short', () => {
    expect(decodeSeenTexts(new Uint8Array(8))).toMatch(/not a seen-texts filter/);
    const bytes = encodeSeenTexts(keys);
    expect(decodeSeenTexts(bytes.subarray(0, bytes.length - 1))).toMatch(/truncated or malformed/);
    const future = Uint8Array.from(bytes);
    future[4] = 2;
    expect(decodeSeenTexts(future)).toMatch(/version 2/);
  });
});
