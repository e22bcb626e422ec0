/**
 * What parseEml says of a message it could not read as a person's text: its warnings (no email text in them),
 * and when each is said.
 */

/** Said when a multipart entity names no boundary that its body uses, and its body shows none. */
export const UNSPLIT_MULTIPART_WARNING =
  'The message has a multipart part whose Content-Type names no boundary that its body uses (and its body shows none), so its parts could not be found: that content was not read.';
/** Said when a header block (the message's, or a part's) was not ended by an empty line, so where its body starts was guessed. */
export const GUESSED_BODY_START_WARNING =
  'The message has a header block not ended by an empty line (the line after it is blank but for spaces, or its text follows the headers right away): its body was taken to start where its lines stop being header fields (at a line that can be no field, or at fields of names mail does not use right before it), which may be off by a line.';
/** Said when a text part or an encoded word labelled ISO-8859-1, ISO-8859-15 or Windows-1252 held UTF-8, which was read as such. */
export const LATIN_AS_UTF8_WARNING =
  'The message has text labelled as a Latin charset (ISO-8859-1, ISO-8859-15 or Windows-1252) whose bytes are UTF-8 (as web forms send it): it was read as UTF-8, not as the label says.';
/**
 * Said when a text part or an encoded word labelled UTF-8 held bytes that are mostly not UTF-8 (more stray 8-bit bytes
 * than UTF-8 sequences: eml-bytes.ts, `notUtf8`), which were read as Windows-1252. Not said of text with no charset
 * read so: it contradicts no label, as raw 8-bit header fields read so do not.
 */
export const UTF8_AS_LATIN_WARNING =
  'The message has text labelled as UTF-8 whose bytes are mostly not UTF-8 (as older systems send Latin-1 or Windows-1252 so labelled): it was read as Windows-1252, not as the label says.';
/** Said when a text part sent as base64 holds characters that base64 has not. */
export const DAMAGED_BASE64_WARNING =
  'The message has a text part sent as base64 that holds characters base64 has not (the message was damaged on its way, or its encoding is mislabelled): its text was decoded as far as it could be and may be garbled.';
/** Said when a text part's body was base64 though its Content-Transfer-Encoding said otherwise (or nothing): read as base64. */
export const UNLABELLED_BASE64_WARNING =
  'The message has a text part whose body is base64 though its Content-Transfer-Encoding says otherwise (or nothing, as a mislabelling gateway or script sends it): it was decoded as base64 and read as text.';
/** Said when the Message-ID holds control or invisible characters, and so is not taken as the email's id. */
export const UNUSABLE_MESSAGE_ID_WARNING =
  "The message's Message-ID holds control or invisible characters (an escape, a line break, a bidi mark), which no mail server writes: it was not taken as the email's id.";
/** Said when the only text of a message is a text part sent as an attachment with a file name. */
export const TEXT_ATTACHMENT_WARNING =
  'The message has no body text, only a text part sent as an attachment with a file name, and attachments are not read: only the subject was.';
/** Said when a message has no text of its own and its content is encrypted (or S/MIME opaque-signed), which is not read. */
export const ENCRYPTED_WARNING =
  'The message has no readable text: its content is encrypted or wrapped in a signature (S/MIME application/pkcs7-mime, PGP/MIME multipart/encrypted, an inline PGP MESSAGE block), which mailroute does not open: only the subject was read.';
/** Said when the only text of a message is a calendar invitation (text/calendar): its summary and description are read as the text. */
export const CALENDAR_WARNING =
  'The message has no body text, only a calendar invitation (text/calendar): its text was read from the invitation (its summary and description).';
/** Said when the only text of a message is a calendar invitation with neither a summary nor a description, whose source is not read as text. */
export const CALENDAR_WITHOUT_TEXT_WARNING =
  'The message has no body text, only a calendar invitation (text/calendar) with no summary or description, and its source is not read as text: only the subject was.';
/** Said when a message has no text of its own, only parts of other types (files, or text that is neither plain nor HTML), which are not read. */
export const OTHER_CONTENT_WARNING =
  'The message has no body text (no text/plain or text/html part that is not a file), only parts of other types, which are not read: only the subject was.';
/** Said when a message has no text of its own, only an Outlook winmail.dat (TNEF), which is not read. */
export const TNEF_WARNING =
  'The message has no body text, only an Outlook winmail.dat (application/ms-tnef: Outlook sent it in its own rich-text format), which is not read: only the subject was.';
/** Said when the message is a mail system's report (multipart/report: a bounce, a delay notice, a read receipt). */
export const REPORT_WARNING =
  'The message is an automatic report of a mail system (multipart/report: a delivery failure or delay, or a read receipt), not an email a person wrote: its text is the report\'s.';

/** How the warnings of a message read by its subject only end (`: only the subject was.`, `: only the subject was read.`). */
const SUBJECT_ONLY = /: only the subject was(?: read)?\.$/;

/**
 * A warning of `noTextWarning` as said of a message that has no subject either (none, or only blanks): that no text
 * of it was read, where the warning would say that only its subject was. Another warning is given as it is.
 */
export function subjectlessWarning(warning: string): string {
  return warning.replace(SUBJECT_ONLY, ': no text of it was read, as it has no subject either (only the names of its attachments, by a model that reads them).');
}

/** Content types of an encrypted message (S/MIME enveloped or opaque signed-data, PGP/MIME's version part). */
const ENCRYPTED = /^application\/(?:x-)?(?:pkcs7-mime|pgp-encrypted)$/i;

/**
 * Why a message without text of its own was read by its subject only, by the content types of the parts it has
 * (`types`: its attachments') and whether its text was an inline PGP block: content that is encrypted, only a
 * calendar invitation (one whose text could not be read: parseEml reads that of one with a summary or description),
 * only an Outlook winmail.dat, only a text part sent as an attachment (which has a file name: a nameless one was
 * read), or only parts of other types; nothing when it has none.
 */
export function noTextWarning(types: readonly string[], pgpInline: boolean): string | undefined {
  if (pgpInline || types.some((t) => ENCRYPTED.test(t))) return ENCRYPTED_WARNING;
  if (types.some((t) => /^text\/calendar$/i.test(t))) return CALENDAR_WITHOUT_TEXT_WARNING;
  if (types.some((t) => /^application\/(?:vnd\.)?ms-tnef$/i.test(t))) return TNEF_WARNING;
  if (types.some((t) => /^text\/(?:plain|html)$/i.test(t))) return TEXT_ATTACHMENT_WARNING;
  return types.length > 0 ? OTHER_CONTENT_WARNING : undefined;
}

/** The warning for a message whose Content-Type (`contentType`, the top-level field's value) is multipart/report. */
export function reportWarning(contentType: string | undefined): string | undefined {
  return contentType !== undefined && /^\s*multipart\/report\s*(?:;|$)/i.test(contentType) ? REPORT_WARNING : undefined;
}
