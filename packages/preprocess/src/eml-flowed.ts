/**
 * format=flowed text (RFC 3676), decoded before the MIME parser sees it. The parser joins a line that ends in a
 * space with the next whatever that one's quote depth, so a customer's answer written under a quoted flowed line
 * (`> Bitte nennen Sie uns Ihre neue Anschrift. ` then `Meine neue Anschrift ist ...`) became part of the quote and
 * was cut as one, and the `>` of a quoted paragraph's later lines stayed in its middle. Here a paragraph is the
 * flowed lines of one quote depth and the line that ends them (RFC 3676 4.5: a change of quote depth ends it too),
 * and its later lines are joined without their quote marks. The text is handled as bytes (a Latin-1 string): the
 * marks, spaces and line ends are ASCII in every charset this is used for.
 */

import { transferDecoded } from './eml-bytes.js';
import { base64BodyEdit, type Edit } from './eml-edits.js';

/** A line as RFC 3676 reads it: its quote depth, and its text without the quote marks and the space-stuffing after them. */
function readLine(line: string): { depth: number; text: string } {
  let depth = 0;
  while (line[depth] === '>') depth++;
  const text = line[depth] === ' ' ? line.slice(depth + 1) : line.slice(depth);
  return { depth, text };
}

/** The signature separator, which is never flowed although it ends in a space. */
const SIGNATURE = '-- ';

/**
 * Flowed text as fixed lines: each paragraph on one line, written with the quote marks (and the space after them)
 * of its first line as sent, the space-stuffing of an unquoted line taken out (as the parser does); `delSp`
 * (`DelSp=yes`): the space before each soft line break was added and goes. Line ends become LF; a final line end
 * stays. One pass over the lines.
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  const lines = text.split('\n');
  const endsWithLine = lines.length > 1 && lines[lines.length - 1] === '';
  if (endsWithLine) lines.pop();
  const out: string[] = [];
  let open: string[] | undefined;
  let openDepth = 0;
  const close = () => {
    if (open === undefined) return;
    // A flowed line that no line of its depth follows is fixed (RFC 3676 4.5): its soft-break space goes.
    const last = open.length - 1;
    if (open[last].endsWith(' ')) open[last] = open[last].slice(0, -1);
    out.push(open.join(''));
    open = undefined;
  };
  for (const raw of lines) {
    let textEnd = raw.length;
    while (textEnd > 0 && raw[textEnd - 1] === '\r') textEnd--;
    const line = raw.slice(0, textEnd);
    const { depth, text: body } = readLine(line);
    const flowed = body.endsWith(' ') && body !== SIGNATURE;
    if (open !== undefined && (depth !== openDepth || body === SIGNATURE)) close();
    if (open === undefined) {
      open = [depth > 0 ? line : body];
      openDepth = depth;
    } else {
      if (delSp) open[open.length - 1] = open[open.length - 1].slice(0, -1);
      open.push(body);
    }
    if (!flowed) {
      out.push(open.join(''));
      open = undefined;
    }
  }
  close();
  return out.join('\n') + (endsWithLine ? '\n' : '');
}

/**
 * The edit that puts the flowed body s[start, end), sent in `encoding`, as fixed lines in the same encoding (the part's
 * format parameter is then to be changed, so the parser does not join its lines again); undefined for a transfer
 * encoding the parser would not decode as base64 or quoted-printable and that is not 7bit, 8bit or binary.
 */
export function flowedBodyEdit(s: string, start: number, end: number, encoding: string, delSp: boolean): Edit | undefined {
  const body = s.slice(start, end);
  if (encoding === '' || encoding === '7bit' || encoding === '8bit' || encoding === 'binary') return { at: start, remove: end - start, text: decodeFlowed(body, delSp) };
  if (encoding !== 'base64' && encoding !== 'quoted-printable') return undefined;
  const fixed = decodeFlowed(Buffer.from(transferDecoded(body, encoding)).toString('latin1'), delSp);
  if (encoding === 'quoted-printable') return { at: start, remove: end - start, text: fixed.replace(/=/g, '=3D') };
  return base64BodyEdit(s, start, end, fixed);
}
