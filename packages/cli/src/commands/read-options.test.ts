import { describe, expect, it } from 'vitest';
import { readOptions } from './evaluate.js';

describe('readOptions (--delimiter, --on-bad-row)', () => {
  it('takes one character, tab or \\t', () => {
    expect(readOptions({ delimiter: ';' })).toEqual({ delimiter: ';' });
    expect(readOptions({ delimiter: 'tab', onBadRow: 'skip' })).toEqual({ delimiter: '\t', onBadRow: 'skip' });
    for (const delimiter of ['TAB', 'Tab']) expect(readOptions({ delimiter })).toEqual({ delimiter: '\t' });
  });

  it('answers a delimiter given by name with the character to pass', () => {
    expect(() => readOptions({ delimiter: 'semicolon' })).toThrow('--delimiter takes one character (or tab), not "semicolon": pass --delimiter ";"');
    expect(() => readOptions({ delimiter: ';;' })).toThrow(/^--delimiter takes one character \(or tab\), not ";;"$/);
  });
});
