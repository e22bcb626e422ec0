/**
 * Forwards: a customer who forwards a message with no note, or a note such as "Zur Info." above it, means
 * the forwarded message. Cutting it as a quote would leave the classifier nothing (or two words) to read.
 */
import { isBlank } from './blank.js';
import { cleanEmail, type CleanResult } from './clean.js';
import type { Email } from './email.js';
import { isBareForwardLine, opensBareForward } from './forward-marker.js';
import { wrapsHeaderValue } from './quotes.js';
import type { RedactOptions } from './redact.js';
import { isReplyHeader, splitKindOf, stripMarkers } from './patterns.js';

/** A forward by its subject: `WG:`, `Fwd:`, `FW:`, `TR:`, `RV:`, `Enc:`, after any reply prefixes. */
const FORWARD_SUBJECT = /^\s*(?:(?:re|aw|sv|vs)\s*:\s*)*(?:wg|fwd?|tr|rv|enc)\s*:/i;
/** A note this short above a forward says nothing of its own ("Zur Info.", "FYI, see below."). */
export const COVER_NOTE_MAX_WORDS = 8;
const SEPARATOR = /^[-_=*#~\s]{3,}$/;
/** A header line of the forwarded message: `Von: ...`, `Gesendet: ...`, `**Subject:** ...` (known keys only). */
const HEADER_LINE =
  /^\W{0,4}(?:von|from|an|to|cc|bcc|betreff|subject|datum|date|gesendet|sent|reply-to|antwort an|absender|sender|de|à|objet|envoyé|da|a|oggetto|inviato|van|aan|onderwerp|verzonden|begin forwarded message|anfang der weitergeleiteten nachricht)\W{0,4}:/iu;
/** A field of a header block, known key or not (`Cc:`, `Wichtigkeit: Hoch`, `**Anlagen:** ...`): a short key and its colon. */
const FIELD_LINE = /^\W{0,4}\p{L}[\p{L} .'-]{0,30}\W{0,4}[:：]/u;
/** Forwarded messages longer than this are read from their start only: cleaning them again must stay cheap. */
const MAX_FORWARDED_CHARS = 20_000;

const WORD = /\S+/g;

/** Whether `text` has at most `max` words (counted only as far as needed: most emails have many). */
function atMostWords(text: string, max: number): boolean {
  WORD.lastIndex = 0;
  let n = 0;
  // `test` moves on as `exec` does, without a match to allocate.
  while (WORD.test(text)) if (++n > max) return false;
  return true;
}

/** `>` quote markers at a line's start (`> > `), which a mail program adds when it quotes the forward. */
const QUOTE_MARKS = /^(?:[ \t]*>)+/;

/** A line above a forwarded message's own text: blank, a separator (`_____`) or a forward line (with its colon or without). */
function opensForward(line: string): boolean {
  return isBlank(line) || SEPARATOR.test(line) || splitKindOf(line.trim()) !== undefined || isBareForwardLine(line);
}

/** Lines looked at for the line that opens the quoted part (blank and separator lines may stand above it). */
const MAX_OPENING_LINES = 100;

/**
 * Whether lines[i] opens the headers of an attached message (a forward sent as `message/rfc822`) as the MIME
 * parser writes them into the email's text: a rule of dashes, `From:    ...` lines (folded ones indented), the
 * same rule again. It names no forward, so without this such a forward was one only by its subject.
 */
function attachedMessageHeaders(lines: readonly string[], i: number): boolean {
  const rule = lines[i];
  if (!/^-{3,}$/.test(rule)) return false;
  let j = i + 1;
  while (j < lines.length && (HEADER_LINE.test(lines[j]) || (j > i + 1 && /^[ \t]+\S/.test(lines[j])))) j += 1;
  return j > i + 1 && lines[j] === rule;
}

/**
 * Whether the quoted part is a forward: by the subject, or by its first line, once separator lines above it
 * (`________________________________`) and `>` markers are passed over: `---------- Forwarded message ---------`,
 * `Begin forwarded message:`, or the headers of an attached message. A reply header (`Am ... schrieb ...:`)
 * or a header block opening it is no forward.
 */
function isForward(subject: string | undefined, quoted: string): boolean {
  if (subject !== undefined && FORWARD_SUBJECT.test(subject)) return true;
  const lines = quoted.split('\n', MAX_OPENING_LINES);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].replace(QUOTE_MARKS, '');
    if (isBlank(line)) continue;
    if (attachedMessageHeaders(lines, i)) return true;
    if (!SEPARATOR.test(line)) return splitKindOf(stripMarkers(line).trim()) === 'forward' || opensBareForward(line, lines, i);
  }
  return false;
}

/** A header line naming the sender: `Von: ...`, `From: ...`, `**From:** ...`. */
const FROM_LINE = /^\W{0,4}(?:von|from|absender|sender|de|da|van)\W{0,4}:/i;
/** An address in a `From` value: `Peter Probe <p.probe@example.net>`, `p.probe@example.net`. */
const ADDRESS = /[^\s<>"]+@[^\s<>"]+\.[^\s<>"]+/;

/**
 * Whether a quoted message's reply header or `From` line names the email's own sender (`from`): its address, or the
 * name it gives with it (two words or more, `Peter Probe <p.probe@example.net>`), as Outlook names a sender it knows.
 */
function namesSender(line: string, from: string): boolean {
  const l = line.toLowerCase();
  const address = ADDRESS.exec(from)?.[0].toLowerCase();
  if (address !== undefined && l.includes(address)) return true;
  const name = from.replace(/<[^<>]*>/g, '').replace(ADDRESS, '').replace(/["']/g, '').trim().toLowerCase();
  return /\S\s+\S/.test(name) && l.includes(name);
}

/**
 * Whether the quoted part opens with a message of the email's own sender: a reminder (`Noch keine Antwort?!`,
 * `Hallo?? Keine Antwort?`) above the customer's own earlier mail, which holds the request. Its reply header
 * (`Am ... schrieb Peter Probe <p.probe@example.net>:`) or the `From` line of its header block names them.
 */
function quotesOwnMessage(from: string | undefined, quoted: string): boolean {
  if (from === undefined || from.trim() === '') return false;
  const lines = quoted.split('\n', MAX_OPENING_LINES);
  let i = 0;
  while (i < lines.length && opensForward(lines[i].replace(QUOTE_MARKS, ''))) i += 1;
  if (i === lines.length) return false;
  const opening = stripMarkers(lines[i].replace(QUOTE_MARKS, ''));
  if (isReplyHeader(opening)) return namesSender(opening, from);
  for (let j = i; j < lines.length; j += 1) {
    const line = stripMarkers(lines[j].replace(QUOTE_MARKS, ''));
    if (!HEADER_LINE.test(line)) return false;
    if (FROM_LINE.test(line)) return namesSender(line, from);
  }
  return false;
}

/**
 * The forwarded message's own text: without separator and forward lines, a reply header, its header block and `>`
 * markers (on every line of it, or on every line under the forward line, as Apple Mail quotes what it forwards).
 */
export function forwardedBody(quoted: string): string {
  let lines = quoted.split('\n');
  let first = 0;
  while (first < lines.length && !QUOTE_MARKS.test(lines[first]) && opensForward(lines[first])) first += 1;
  // The reply header above the customer's own quoted message (`quotesOwnMessage`): the text starts under it.
  const replyHeader = first < lines.length && !QUOTE_MARKS.test(lines[first]) && isReplyHeader(stripMarkers(lines[first]));
  if (replyHeader) first += 1;
  if (lines.slice(first).every((l) => isBlank(l) || QUOTE_MARKS.test(l))) lines = lines.map((l) => l.replace(/^\s*>\s?/, ''));
  let i = replyHeader ? first : 0;
  // Separators and forward lines, then a header block to its blank line; `Begin forwarded message:` above
  // the header block reads as a block of its own, hence a second round.
  for (let round = 0; round < 3; round += 1) {
    while (i < lines.length && opensForward(lines[i])) i += 1;
    if (i >= lines.length || !HEADER_LINE.test(lines[i])) break;
    // The block ends at its blank line, or at the first line that is no field nor a wrapped value (GMX and WEB.DE
    // write the message's text right under `Betreff:`).
    for (i += 1; i < lines.length && !isBlank(lines[i]); i += 1) {
      if (!FIELD_LINE.test(lines[i]) && !wrapsHeaderValue(lines[i - 1], lines[i])) break;
    }
  }
  return lines.slice(i).join('\n');
}

/**
 * The forwarded message, cleaned and masked as `cleanEmail` cleans the email itself, when what the customer
 * wrote is at most a cover note (nothing, or a few words) above a quoted part that is a forward: then the
 * forwarded message is what the email is about. So too the customer's own earlier message quoted under a
 * reminder (`quotesOwnMessage`), however long the note: it is their words, and holds what the reminder is about.
 * Undefined otherwise. `cleanEmail`'s `text` stays the customer's own words (as reply parsers define them); the
 * model reads both (`prepareModelInput`).
 */
export function forwardedText(email: Email, cleaned: CleanResult, redact: boolean | RedactOptions = true): string | undefined {
  const { quoted } = cleaned;
  if (quoted === undefined) return undefined;
  const forward = atMostWords(cleaned.text, COVER_NOTE_MAX_WORDS) && isForward(email.subject, quoted);
  if (!forward && !quotesOwnMessage(email.from, quoted)) return undefined;
  const text = cleanEmail({ body: forwardedBody(quoted.slice(0, MAX_FORWARDED_CHARS)) }, { scope: 'visible', redact }).text;
  return text.trim() === '' ? undefined : text;
}
