/**
 * Header fields of a MIME entity as the parser reads them, for eml-prepare.ts and eml-charset.ts: a field's value
 * and where it stands, the transfer encoding, a Content-Type that is no `type/subtype` written again, and edits that
 * give a parameter another value.
 */

import type { Edit } from './eml-edits.js';
import type { Parameter } from './eml-parameter.js';

/** A header field of the block (folded lines included): where its value starts and ends, and the value unfolded. */
export function header(block: string, name: string): { start: number; end: number; value: string } | undefined {
  const match = new RegExp(`^${name}[ \\t]*:([^\\r\\n]*(?:\\r*\\n[ \\t][^\\r\\n]*)*)`, 'im').exec(block);
  if (!match) return undefined;
  const end = match.index + match[0].length;
  return { start: end - match[1].length, end, value: match[1].replace(/\r*\n/g, '').trim() };
}

/** A field of a header block, with where it starts in the message. */
export type Field = NonNullable<ReturnType<typeof header>>;

/** An RFC 822 comment, `(...)`, which may stand wherever a structured field allows blanks; the parser reads fields without them. */
export const COMMENT = /\([^()]*\)/g;

/** A part's transfer encoding as the parser reads it: the first token of the field without its comments, lower case ('' without one). */
export function transferEncoding(block: string): string {
  const value = header(block, 'content-transfer-encoding')?.value ?? '';
  return (/[\w-]+/.exec(value.replace(COMMENT, ' '))?.[0] ?? '').toLowerCase();
}

/** Whether a part (its header block) is sent as it is, not base64 or quoted-printable (whose bytes are not edited here). */
export function unencoded(block: string): boolean {
  return ['', '7bit', '8bit', 'binary'].includes(transferEncoding(block));
}

/**
 * Edits that make a Content-Type field, whose raw text starts at `at`, name `label` as its charset (or its
 * parameter `name`) instead: the plain value replaced, the RFC 2231 sections (which the parser prefers to it)
 * taken out, or the first of them, when there is no plain one, written as `charset=label`.
 */
export function relabelEdits(charset: Parameter, at: number, label: string, name = 'charset'): Edit[] {
  const { plain, extended } = charset;
  const edits = extended.map((section, i) => ({ at: at + section.at, remove: section.end - section.at, text: i === 0 && !plain ? `; ${name}=${label}` : '' }));
  if (plain) edits.push({ at: at + plain.valueAt, remove: plain.written.length, text: label });
  return edits;
}

/** A token of RFC 2045 (a type, a subtype): printable ASCII but for blanks and its specials. */
const TOKEN = "[!#$%&'*+.^_`{|}~\\w-]+";
const VALID_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);
/** A type, then a comma or blanks where a `;` belongs (`text/plain, charset=UTF-8`), then more. */
const TYPE_THEN_COMMA = new RegExp(`^(${TOKEN}/${TOKEN})[\\s,]+(?=\\S)`);

/**
 * The Content-Type value, unfolded (`value`), written again when it is not `type/subtype` before its parameters,
 * which the parser reads as a type of that whole text (`text/plain, charset=utf-8`, the type of no part it reads
 * as text) or as no type (`text`, an empty field), and so as an attachment: with a `;` after a type a comma or
 * blanks follow, else as `text/plain` with its parameters, as RFC 2045 (5.2) reads a field that is not valid.
 * Undefined when it is valid.
 */
export function repairedContentType(value: string): string | undefined {
  const bare = value.replace(COMMENT, ' ').trim();
  const semicolon = bare.indexOf(';');
  if (VALID_TYPE.test((semicolon < 0 ? bare : bare.slice(0, semicolon)).trim())) return undefined;
  const typed = TYPE_THEN_COMMA.exec(bare);
  if (typed) return ` ${typed[1]}; ${bare.slice(typed[0].length)}`;
  return ` text/plain${semicolon < 0 ? '' : bare.slice(semicolon)}`;
}
