/**
 * Edits on a message held as a Latin-1 string (one character per byte), which eml-prepare.ts and the files it
 * uses collect before the MIME parser reads the message, and how a line end is read.
 */

/** `text` in place of `remove` characters at `at`. */
export interface Edit {
  at: number;
  text: string;
  remove?: number;
}

/**
 * The s[start, end) with the edits in it made. Edits at the same place are made in the order given (an insertion
 * before a removal there); one that starts inside what an earlier edit removed is left out rather than writing
 * the text it overlaps twice.
 */
export function applyEdits(s: string, edits: readonly Edit[], start: number, end: number): string {
  let out = '';
  let from = start;
  for (const { at, text, remove = 0 } of [...edits].sort((a, b) => a.at - b.at)) {
    if (at < from) continue;
    out += s.slice(from, at) + text;
    from = at + remove;
  }
  return out + s.slice(from, end);
}

/**
 * Where the line end at `i` ends, or -1 when none starts there: an LF after any number of CRs, as the parser reads
 * line ends (it drops the CRs before an LF), so `\r\r\n`, CRLF written out again as CRLF, is one line end.
 */
export function afterLineEnd(s: string, i: number): number {
  let j = i;
  while (s[j] === '\r') j++;
  return s[j] === '\n' ? j + 1 : -1;
}
