/**
 * Where a JSON text stops being JSON, for messages that refuse it: `JSON.parse`'s own message quotes the text
 * (`"{"emails": [}" is not valid JSON`), and the text may be an email's, so the place is found here instead.
 * Only worth running on a text `JSON.parse` refused.
 */

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/** The end of the string that starts at `start` (a `"`), or -1 - the offset where it breaks. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1 - i;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    ESCAPE.lastIndex = i + 1;
    const m = ESCAPE.exec(text);
    if (!m) return -1 - i;
    i += 1 + m[0].length;
  }
  return -1 - text.length;
}

/** The end of the number or literal at `start`, or -1 - `start` when there is none. */
function literalEnd(text: string, start: number): number {
  LITERAL.lastIndex = start;
  const m = LITERAL.exec(text);
  return m ? start + m[0].length : -1 - start;
}

type Want = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

/**
 * The offset (in UTF-16 code units) of the first character that makes `text` invalid JSON, `text.length`
 * when it ends too early, or undefined when it is valid. Iterative: a body of a million `[` needs no stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const open: number[] = []; // 0x5b '[' or 0x7b '{'
  let want: Want = 'value';
  let i = 0;
  const afterValue = (): Want => (open.length === 0 ? 'end' : 'commaOrClose');
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    if (i >= text.length) return want === 'end' ? undefined : text.length;
    const c = text.charCodeAt(i);
    if (want === 'end') return i;
    if (want === 'colon') {
      if (c !== 0x3a) return i;
      i++;
      want = 'value';
      continue;
    }
    const top = open[open.length - 1];
    if ((want === 'commaOrClose' || want === 'valueOrClose' || want === 'keyOrClose') && ((c === 0x5d && top === 0x5b) || (c === 0x7d && top === 0x7b))) {
      if (want === 'valueOrClose' && top !== 0x5b) return i;
      if (want === 'keyOrClose' && top !== 0x7b) return i;
      open.pop();
      i++;
      want = afterValue();
      continue;
    }
    if (want === 'commaOrClose') {
      if (c !== 0x2c) return i;
      i++;
      want = top === 0x7b ? 'key' : 'value';
      continue;
    }
    if (want === 'key' || want === 'keyOrClose') {
      if (c !== 0x22) return i;
      const end = stringEnd(text, i);
      if (end < 0) return -1 - end;
      i = end;
      want = 'colon';
      continue;
    }
    // A value.
    if (c === 0x5b || c === 0x7b) {
      open.push(c);
      i++;
      want = c === 0x5b ? 'valueOrClose' : 'keyOrClose';
      continue;
    }
    const end = c === 0x22 ? stringEnd(text, i) : literalEnd(text, i);
    if (end < 0) return -1 - end;
    i = end;
    want = afterValue();
  }
}

/** `:line:column` (1-based) of the first JSON error in `text`, or '' when none is found: for `file:line:column` in a message. */
export function jsonErrorPlace(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return '';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `:${line}:${column}`;
}
