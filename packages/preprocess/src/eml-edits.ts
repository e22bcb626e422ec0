/**
 * Edits on a message held as a Latin-1 string (one character per byte), which eml-prepare.ts and the files it
 * uses collect before the MIME parser reads the message.
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
 * The edit that puts `bytes` (a Latin-1 string) in place of the base64 body s[start, end): base64-encoded again, in
 * lines of 76 characters that end as the body's first line does.
 */
export function base64BodyEdit(s: string, start: number, end: number, bytes: string): Edit {
  const eol = /\r*\n/.exec(s.slice(start, end))?.[0] ?? '\n';
  const encoded = Buffer.from(bytes, 'latin1').toString('base64');
  return { at: start, remove: end - start, text: `${encoded.replace(/.{76}/g, `$&${eol}`)}${eol}` };
}
