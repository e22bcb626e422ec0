import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { describeNonUtf8, firstNonUtf8 } from './utf8.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('firstNonUtf8', () => {
  it('finds nothing in UTF-8 text of every sequence length', () => {
    expect(firstNonUtf8(new TextEncoder().encode('Grüße, 1.000 € – 𝄞 ok'))).toBe(-1);
    expect(firstNonUtf8(new Uint8Array())).toBe(-1);
  });

  it('points at the first byte that breaks UTF-8', () => {
    // windows-1252 "Grüße": ü = 0xFC, ß = 0xDF.
    expect(firstNonUtf8(bytes(0x47, 0x72, 0xfc, 0xdf, 0x65))).toBe(2);
    expect(describeNonUtf8(bytes(0x61, 0xe4))).toBe('byte 1 (0xE4)');
    expect(describeNonUtf8(bytes(0x61))).toBe('no invalid byte');
  });

  it('refuses what isUtf8 refuses: overlong forms, surrogates, past U+10FFFF, cut sequences, stray continuations', () => {
    // Each with the place of the sequence that breaks it.
    const cases: Array<[Uint8Array, number]> = [
      [bytes(0xc0, 0xaf), 0], // overlong '/'
      [bytes(0x61, 0xe0, 0x80, 0xaf), 1], // overlong
      [bytes(0xed, 0xa0, 0x80), 0], // surrogate D800
      [bytes(0x61, 0x62, 0xf4, 0x90, 0x80, 0x80), 2], // U+110000
      [bytes(0xf5, 0x80, 0x80, 0x80), 0],
      [bytes(0x61, 0xe2, 0x82), 1], // '€' cut short
      [bytes(0x61, 0x80), 1],
      [bytes(0xc3, 0xa4, 0xe2, 0x28, 0xa1), 2], // 'ä', then a broken sequence
    ];
    for (const [c, at] of cases) {
      expect(isUtf8(c)).toBe(false);
      expect(firstNonUtf8(c)).toBe(at);
    }
    // The edges that are valid.
    for (const c of [bytes(0xc2, 0x80), bytes(0xe0, 0xa0, 0x80), bytes(0xed, 0x9f, 0xbf), bytes(0xf0, 0x90, 0x80, 0x80), bytes(0xf4, 0x8f, 0xbf, 0xbf)]) {
      expect(isUtf8(c)).toBe(true);
      expect(firstNonUtf8(c)).toBe(-1);
    }
  });
});
