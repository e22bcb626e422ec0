/**
 * RFC 2047 encoded words of a header block, written again where the MIME parser would misread them: a charset label
 * it does not know, a Latin label on UTF-8 bytes, or a UTF-8 label on bytes mostly not UTF-8, relabelled as a text part's is (eml-bytes.ts, by the bytes of
 * all words of that label together); and adjacent words of UTF-8 that split a character between them (a client cuts
 * `Kündigung` as `=?UTF-8?B?S8M=?= =?UTF-8?B?vG5kaWd1bmc=?=`), joined into one word, which the parser decodes as
 * one. It joins such words only where the left one's base64 ends without padding, and decodes the rest word by
 * word: `K��ndigung`.
 */

import { isUtf8 } from 'node:buffer';
import type { Edit } from './eml-edits.js';
import { correctedLabel } from './eml-bytes.js';

/** An RFC 2047 encoded word: charset (with an RFC 2231 language after `*`), encoding, text; as the parser finds them. */
const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=/g;

/** An encoded word's bytes: B is base64, Q quoted-printable with `_` for a space. */
function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text, 'base64');
  return Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

interface Word {
  /** Where the word starts and ends in the message, and where its charset label starts and how long it is. */
  at: number;
  end: number;
  labelAt: number;
  labelLength: number;
  label: string;
  bytes: Buffer;
}

/** Only blanks and line ends between two words: the parser reads them as one run, the blanks dropped. */
const ADJACENT = /^[ \t\r\n]+$/;

/**
 * Each run of adjacent words that a label makes UTF-8 and that split a character between them (their bytes together
 * are UTF-8, some word's alone are not): one `=?utf-8?B?...?=` in their place.
 */
function joinEdits(s: string, words: readonly Word[], labelOf: (w: Word) => string, out: Edit[]): Set<Word> {
  const joined = new Set<Word>();
  for (let i = 0; i < words.length; ) {
    let j = i + 1;
    while (j < words.length && labelOf(words[j]) === labelOf(words[i]) && ADJACENT.test(s.slice(words[j - 1].end, words[j].at))) j++;
    const run = words.slice(i, j);
    if (run.length > 1 && /^utf-?8$/.test(labelOf(words[i]))) {
      const bytes = Buffer.concat(run.map((w) => w.bytes));
      if (isUtf8(bytes) && run.some((w) => !isUtf8(w.bytes))) {
        out.push({ at: run[0].at, remove: run[run.length - 1].end - run[0].at, text: `=?utf-8?B?${bytes.toString('base64')}?=` });
        for (const w of run) joined.add(w);
      }
    }
    i = j;
  }
  return joined;
}

/**
 * Edits of the encoded words in the header block s[start, end) (see above); `counts.latinAsUtf8` counts the labels
 * of a Latin charset replaced because their words' bytes are UTF-8, `counts.utf8AsLatin` the UTF-8 labels replaced by
 * `windows-1252` because their words' bytes are mostly not UTF-8.
 */
export function encodedWordEdits(s: string, start: number, end: number, out: Edit[], counts: { latinAsUtf8: number; utf8AsLatin: number }): void {
  // Searched within the block only: a search from each part's header to the message's end was quadratic in the parts.
  const block = s.slice(start, end);
  if (!block.includes('=?')) return;
  const words: Word[] = [];
  const byLabel = new Map<string, Buffer[]>();
  for (const match of block.matchAll(ENCODED_WORD)) {
    const wordAt = start + match.index;
    const label = match[1].split('*')[0].trim().toLowerCase();
    const bytes = wordBytes(match[2], match[3]);
    words.push({ at: wordAt, end: wordAt + match[0].length, labelAt: wordAt + 2, labelLength: match[1].length, label, bytes });
    const same = byLabel.get(label);
    if (same) same.push(bytes);
    else byLabel.set(label, [bytes]);
  }
  const corrected = new Map<string, string>();
  for (const [label, bytes] of byLabel) {
    const fix = correctedLabel(label, Buffer.concat(bytes), label);
    if (fix === undefined || fix.label === label) continue;
    corrected.set(label, fix.label);
    if (fix.latinAsUtf8) counts.latinAsUtf8 += 1;
    if (fix.utf8AsLatin) counts.utf8AsLatin += 1;
  }
  const labelOf = (w: Word) => corrected.get(w.label) ?? w.label;
  const joined = joinEdits(s, words, labelOf, out);
  for (const word of words) {
    const label = corrected.get(word.label);
    if (label !== undefined && !joined.has(word)) out.push({ at: word.labelAt, remove: word.labelLength, text: label });
  }
}
