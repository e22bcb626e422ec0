/**
 * Letters written decomposed (NFD: `u` then the combining U+0308, as some Mac and PDF sources send them)
 * composed as most mail clients write them (NFC: `ü`). The cleaning rules, the masking and the model's
 * tokens are all written for composed letters: `Mu\u0308ller` would be the name `Mu` and the word `ller`.
 */

/**
 * The combining diacritical marks U+0300-U+036F: those of Latin, Greek and Cyrillic letters. Marks of other
 * scripts stay as written. One scan, which a text without a character above U+00FF skips at once.
 */
const COMBINING_MARK = /[\u0300-\u036f]/;

/**
 * A character and the combining marks after it, at most 30 (Unicode's stream-safe limit; real text has one
 * or two). Composed piece by piece, because `normalize('NFC')` sorts a long run of marks in quadratic time
 * (100,000 marks of alternating classes: 2.5 s); the marks of a longer run stay as written.
 */
const WITH_MARKS = /[^\u0300-\u036f][\u0300-\u036f]{1,30}/g;

const compose = (letter: string) => letter.normalize('NFC');

/** `text` in NFC where it has combining diacritical marks; any other text as it is (the same string). */
export function composeDiacritics(text: string): string {
  return COMBINING_MARK.test(text) ? text.replace(WITH_MARKS, compose) : text;
}
