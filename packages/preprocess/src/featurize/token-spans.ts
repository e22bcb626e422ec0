/**
 * Word spans of a text found by one scan instead of a regex: the same tokens as
 * `text.match(/[\p{L}\p{N}]+/gu)` (runs of Unicode letters and digits), as [start, end) pairs of UTF-16
 * offsets, so the featurizer hashes words in place without a string per token.
 */
const TOKEN_CHAR = /^[\p{L}\p{N}]$/u;
/** Per BMP code unit: 0 not yet looked up, 1 letter or digit, 2 neither (lone surrogates: 2). */
const bmpClass = new Uint8Array(65536);
const astralClass = new Map<number, boolean>();
let spans = new Int32Array(512);
/** Per ASCII code: 1 for a letter or digit. */
const ASCII_TOKEN = Uint8Array.from({ length: 128 }, (_, code) => ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) ? 1 : 0));

function isTokenUnit(code: number): boolean {
  let known = bmpClass[code];
  if (known === 0) {
    known = TOKEN_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    bmpClass[code] = known;
  }
  return known === 1;
}

function isTokenCodePoint(codePoint: number): boolean {
  let known = astralClass.get(codePoint);
  if (known === undefined) {
    known = TOKEN_CHAR.test(String.fromCodePoint(codePoint));
    astralClass.set(codePoint, known);
  }
  return known;
}

/**
 * The tokens of `text`: returns their number k and an array whose first 2k values are start, end
 * pairs. The array is scratch, valid until the next call.
 */
export function tokenSpans(text: string): { spans: Int32Array; count: number } {
  let count = 0;
  let start = -1;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      // ASCII, most of mail: a table instead of the general path.
      if (ASCII_TOKEN[code] === 1) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        count = push(count, start, i);
        start = -1;
      }
      i++;
      continue;
    }
    let width = 1;
    let token: boolean;
    const low = code >= 0xd800 && code <= 0xdbff && i + 1 < n ? text.charCodeAt(i + 1) : 0;
    if (low >= 0xdc00 && low <= 0xdfff) {
      width = 2;
      token = isTokenCodePoint((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
    } else {
      token = isTokenUnit(code);
    }
    if (token) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      count = push(count, start, i);
      start = -1;
    }
    i += width;
  }
  if (start >= 0) count = push(count, start, n);
  return { spans, count };
}

function push(count: number, start: number, end: number): number {
  if (spans.length < 2 * count + 2) {
    const grown = new Int32Array(spans.length * 2);
    grown.set(spans);
    spans = grown;
  }
  spans[2 * count] = start;
  spans[2 * count + 1] = end;
  return count + 1;
}
