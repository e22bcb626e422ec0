export { EmailSchema, MAX_ATTACHMENT_NAME_CHARS, MAX_ATTACHMENT_NAMES, MAX_EMAIL_ID_CHARS, type Email } from './email.js';
export { attachmentWords, MAX_ATTACHMENT_WORDS, spacedAttachmentName } from './attachment-words.js';
export {
  cleanEmail,
  cleaningInputChars,
  cleanText,
  CleanResultSchema,
  CleanScopeSchema,
  RemovedPartSchema,
  DEFAULT_MAX_INPUT_CHARS,
  markupOf,
  htmlPartUnread,
  type CleanResult,
  type CleanScope,
  type CleanOptions,
  type RemovedPart,
} from './clean.js';
export { forwardedText, forwardedBody, COVER_NOTE_MAX_WORDS } from './forward.js';
export {
  CALENDAR_WARNING,
  CALENDAR_WITHOUT_TEXT_WARNING,
  DAMAGED_BASE64_WARNING,
  ENCRYPTED_WARNING,
  GUESSED_BODY_START_WARNING,
  LATIN_AS_UTF8_WARNING,
  OTHER_CONTENT_WARNING,
  parseEml,
  REPORT_WARNING,
  startsWithHeader,
  TEXT_ATTACHMENT_WARNING,
  TNEF_WARNING,
  UNSPLIT_MULTIPART_WARNING,
  type ParsedEml,
  type EmlAttachment,
  type EmlEmail,
} from './eml.js';
export { DATE_WITHOUT_ZONE_WARNING } from './eml-date.js';
export { subjectlessWarning, UTF8_AS_LATIN_WARNING } from './eml.js';
export { c1AsWindows1252, decodeWindows1252 } from './windows-1252.js';
export { htmlToText, htmlToTextParts, type HtmlText } from './html.js';
export { bodyIsHtml } from './html-body.js';
export { maskedStart } from './masked-quote.js';
export {
  redactPii,
  isValidIban,
  isValidLuhn,
  RedactOptionsSchema,
  RedactPatternSchema,
  RedactionSchema,
  type RedactOptions,
  type RedactPattern,
  type Redaction,
  type RedactResult,
} from './redact.js';
export { parsePiiPatterns, MAX_PII_PATTERNS, MAX_PII_PATTERN_CHARS } from './pii-patterns.js';
export { DETECTED_LANGUAGES, detectLanguage } from './language.js';
export { namesFound } from './names.js';
export { composeDiacritics } from './compose.js';
export { senderNames } from './sender-names.js';
export { normaliseSubject } from './subject.js';
export { automatedKind, AUTOMATED_KINDS, type AutomatedKind } from './automated.js';
export { parseReceivedTime, isReceivedTime, isTimeZone, localTimeOffsets, namesTimeZone, resolveLocalTime, zonedWallTime, DATE_TIME_FORMS } from './received-time.js';
export { InputTooLargeError, EmlParseError, CleanOptionsError, CleanInputError } from './errors.js';
export * from './featurize/index.js';
export { CleanInputLineSchema, CleanOutputLineSchema, type CleanInputLine, type CleanOutputLine } from './batch.js';
