import { describe, expect, it } from 'vitest';
import { safeJson, safeLines, safeValue } from './terminal-text.js';

describe('text for the terminal', () => {
  it('escapes C0, DEL and C1 controls visibly and keeps other text, umlauts and emoji included', () => {
    expect(safeValue('id-\x1b]0;pwned\x07\x1b[2J\r\nx\t\x7f\u009b31m')).toBe('id-\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x0ax\\x09\\x7f\\x9b31m');
    expect(safeValue('Überweisung 🏦 ä|b <x>')).toBe('Überweisung 🏦 ä|b <x>');
  });

  it('keeps the line feeds and tabs of a message, escaping the rest', () => {
    expect(safeLines('warning: label \x1b[31mred\x1b[0m\n\tnext\r')).toBe('warning: label \\x1b[31mred\\x1b[0m\n\tnext\\x0d');
  });

  it('writes JSON whose DEL and C1 controls are escaped too (JSON.stringify leaves them raw), parsing to the same value', () => {
    const value = { note: 'a\x1b[31m\u009b2J\x7f', 'k\u0085': 1 };
    expect(safeJson(value)).toBe('{\n  "note": "a\\u001b[31m\\u009b2J\\u007f",\n  "k\\u0085": 1\n}');
    expect(JSON.parse(safeJson(value))).toEqual(value);
  });
});
