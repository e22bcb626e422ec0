import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-error-offset.js';

describe('jsonErrorOffset', () => {
  it('finds nothing wrong in what JSON.parse takes', () => {
    for (const text of ['{}', ' [ ] ', '{"emails":[{"id":"a","subject":"\\u00fcber \\"x\\"","n":-1.5e3,"ok":true,"m":null}]}', '"x"', '0', '[[[]],{}]']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorOffset(text), text).toBeUndefined();
    }
  });

  it('points at the first character that breaks it, or past the end when it ends early', () => {
    const cases: Array<[string, number]> = [
      ['{"emails": [}', 12],
      ['{"emails": [', 12],
      ['{"a" 1}', 5],
      ['{"a":1,}', 7],
      ['[1,]', 3],
      ['{"a":"x\ny"}', 7],
      ['{"a":"\\q"}', 6],
      ['{"a":01}', 6],
      ['{} {}', 3],
      ['{"a":1]', 6],
      ['[1}', 2],
      ["{'a':1}", 1],
      ['{"a":tru}', 5],
      ['['.repeat(100_000), 100_000],
    ];
    for (const [text, offset] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(jsonErrorOffset(text), text.slice(0, 20)).toBe(offset);
    }
  });
});
