import { describe, expect, it } from 'vitest';
import { DYNAMO_ITEM_BYTES, fitText } from './dynamo-text.js';

describe('fitText', () => {
  it('keeps a text that fits whole, and cuts one that does not to a budget it then fits, marker included', () => {
    expect(fitText('Guten Tag', 1_000)).toEqual({ text: 'Guten Tag', cut: false });
    const rest = 10_000;
    const { text, cut } = fitText('x'.repeat(DYNAMO_ITEM_BYTES), rest);
    expect(cut).toBe(true);
    expect(Buffer.byteLength(text) + rest).toBeLessThanOrEqual(DYNAMO_ITEM_BYTES);
    expect(text).toMatch(/^x+\n\[text cut to fit DynamoDB's 400 KB item limit: \d+ of 409600 UTF-8 bytes kept\]$/);
  });

  it('never cuts inside a character: each cut point within a 4-byte emoji gives whole emoji only', () => {
    const text = '😀'.repeat(DYNAMO_ITEM_BYTES / 4);
    const kept = new Set<number>();
    for (let rest = 20_000; rest < 20_004; rest++) {
      const fitted = fitText(text, rest).text;
      const prefix = fitted.slice(0, fitted.lastIndexOf('\n['));
      expect(text.startsWith(prefix)).toBe(true);
      expect(prefix).not.toContain('\uFFFD');
      expect(Buffer.byteLength(prefix) % 4).toBe(0);
      kept.add(Buffer.byteLength(prefix));
    }
    expect(kept.size).toBeLessThanOrEqual(2); // four budgets, one byte apart, land on at most two emoji boundaries
  });

  it('keeps the marker alone when the other attributes leave no room for text', () => {
    expect(fitText('abc', DYNAMO_ITEM_BYTES)).toEqual({ text: "\n[text cut to fit DynamoDB's 400 KB item limit: 0 of 3 UTF-8 bytes kept]", cut: true });
  });
});
