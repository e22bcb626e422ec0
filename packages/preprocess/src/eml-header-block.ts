/**
 * Where the header block of a message (or of a part) ends, as the MIME parser should see it, and its raw 8-bit
 * fields as UTF-8. The parser ends a header block at an empty line only: a line of blanks after the headers
 * (which looks empty, and which scripts write) was read as a folded line of the field above it, and a body sent
 * without the empty line before it (`Subject: Konto` and the text right after) was read as header fields, so the
 * body was lost. Here, as Python's email package reads it, a line that can be no header field starts the body
 * (no name of printable ASCII before a colon: `Ich möchte ...`), and a line of blanks ends the headers; parseEml
 * says in a warning that the body's start was guessed. A line that is no field but is followed by header fields
 * and an empty line (`=====` written into the headers by a scanner) is left in the header block, as the parser
 * reads it; so are fields of one-word names mail does not use (`Hinweis: Ich möchte ...`) right before a body
 * that follows them without an empty line. Each line is read once.
 */

import { isUtf8 } from 'node:buffer';
import type { Edit } from './eml-edits.js';
import { decodeWindows1252 } from './windows-1252.js';

/** A header field's first line: a name of printable ASCII but the colon (RFC 5322), blanks before the colon as the obsolete syntax allows. */
const FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
/** The longest field name read (RFC 5322 lines are at most 998 characters). */
const MAX_NAME = 998;
const BOM = '\xef\xbb\xbf';

export interface HeaderBlock {
  /** Where the header lines end: the start of the empty line (or line of blanks) after them, or of the body's first line when none came first; the entity's end when it is all header. */
  headEnd: number;
  /** Where the body starts; the entity's end when it has none. */
  bodyStart: number;
  /** A line end for a header field added at headEnd, as the lines there end. */
  eol: string;
  /** The edit that gives the parser its empty line: the blanks of a line of blanks taken out, or an empty line put before the body. */
  fix?: Edit;
}

/** One line of s from `at`: where its text ends (before its CRs and LF) and where the next line starts. */
function lineAt(s: string, at: number, end: number): { textEnd: number; next: number } {
  const lf = s.indexOf('\n', at);
  const next = lf === -1 || lf >= end ? end : lf + 1;
  let textEnd = lf === -1 || lf >= end ? end : lf;
  while (textEnd > at && s[textEnd - 1] === '\r') textEnd--;
  return { textEnd, next };
}

/**
 * Header field names of one word (names with a hyphen, `X-Mailer`, `Content-Type`, are taken as fields anyway):
 * those that mail and news use. A field of another one-word name right before a body that follows the headers
 * without an empty line (`Hinweis: Ich möchte ...`, `Name: ...` of a web form) is taken as the body's first line.
 */
const ONE_WORD_FIELDS = new Set(
  'from to cc bcc subject date sender received references comments keywords organization organisation importance priority sensitivity precedence encrypted expires lines path newsgroups xref status autocrypt approved supersedes summary distribution face openpgp encoding'.split(' '),
);

/** Whether the field line at `at` has a name mail uses (one with a hyphen, or one of ONE_WORD_FIELDS). */
function mailFieldName(s: string, at: number, textEnd: number): boolean {
  const name = /^[^:\s]*/.exec(s.slice(at, Math.min(textEnd, at + MAX_NAME)))?.[0] ?? '';
  return name.includes('-') || ONE_WORD_FIELDS.has(name.toLowerCase());
}

type Kind = 'empty' | 'blanks' | 'folded' | 'field' | 'other';

function kindOf(s: string, at: number, textEnd: number): Kind {
  if (textEnd === at) return 'empty';
  if (s[at] === ' ' || s[at] === '\t') {
    for (let i = at + 1; i < textEnd; i++) if (s[i] !== ' ' && s[i] !== '\t') return 'folded';
    return 'blanks';
  }
  return FIELD.test(s.slice(at, Math.min(textEnd, at + MAX_NAME))) ? 'field' : 'other';
}

/**
 * Where the empty line (or line of blanks) is that ends a header block after a line that is no field, when the
 * lines from `at` to it are all fields (at least one) or their folded lines; -1 when another kind of line, or the
 * entity's end, comes first.
 */
function headerEndAfterJunk(s: string, at: number, end: number): number {
  let fields = 0;
  for (let i = at; i < end; ) {
    const { textEnd, next } = lineAt(s, i, end);
    const kind = kindOf(s, i, textEnd);
    if (kind === 'empty' || kind === 'blanks') return fields > 0 ? i : -1;
    if (kind === 'other') return -1;
    if (kind === 'field') fields += 1;
    i = next;
  }
  return -1;
}

/**
 * The header block of the entity s[start, end). `top`: it is the message itself, which may open with a UTF-8
 * byte-order mark and an mbox `From ` line.
 */
export function headerBlock(s: string, start: number, end: number, top: boolean): HeaderBlock {
  let at = start;
  if (top && s.startsWith(BOM, at)) at += BOM.length;
  if (top && s.startsWith('From ', at)) at = lineAt(s, at, end).next;
  // Where the fields of names mail does not use right before this line start (-1 when the last field's name is one it uses).
  let unusual = -1;
  while (at < end) {
    const { textEnd, next } = lineAt(s, at, end);
    const kind = kindOf(s, at, textEnd);
    const eol = s.slice(textEnd, next) || '\n';
    if (kind === 'empty') return { headEnd: at, bodyStart: next, eol };
    if (kind === 'blanks') return { headEnd: at, bodyStart: next, eol, fix: { at, remove: textEnd - at, text: '' } };
    if (kind === 'other') {
      const junkEnd = headerEndAfterJunk(s, next, end);
      if (junkEnd === -1) {
        const bodyAt = unusual === -1 ? at : unusual;
        return { headEnd: bodyAt, bodyStart: bodyAt, eol, fix: { at: bodyAt, text: eol } };
      }
      unusual = -1;
      at = junkEnd;
      continue;
    }
    if (kind === 'field') unusual = mailFieldName(s, at, textEnd) ? -1 : unusual === -1 ? at : unusual;
    at = next;
  }
  return { headEnd: end, bodyStart: end, eol: '\n' };
}

/**
 * A header block (Latin-1 string, one character per byte) with each field (its folded lines with it) whose 8-bit
 * bytes are not UTF-8 re-encoded from Windows-1252 to UTF-8, as old mailers and scanners write a Subject or a file
 * name; fields in UTF-8 and 7-bit fields stay as they are. Decided per field: one Latin-1 field beside a raw UTF-8
 * Subject must not turn the Subject into `KÃ¼ndigung`.
 */
export function utf8Fields(head: string): string {
  if (!/[\x80-\xff]/.test(head) || isUtf8(Buffer.from(head, 'latin1'))) return head;
  let out = '';
  let fieldStart = 0;
  const flush = (to: number) => {
    const field = head.slice(fieldStart, to);
    const bytes = Buffer.from(field, 'latin1');
    out += /[\x80-\xff]/.test(field) && !isUtf8(bytes) ? Buffer.from(decodeWindows1252(bytes), 'utf8').toString('latin1') : field;
    fieldStart = to;
  };
  for (let lf = head.indexOf('\n'); lf !== -1 && lf + 1 < head.length; lf = head.indexOf('\n', lf + 1)) {
    if (head[lf + 1] !== ' ' && head[lf + 1] !== '\t') flush(lf + 1);
  }
  flush(head.length);
  return out;
}
