import { attachmentWords, cleanEmail, detectLanguage, forwardedText, type Email } from '@mailroute/preprocess';

export interface ModelInput {
  /** Normalised subject, a newline, the cleaned and redacted body. */
  text: string;
  /** Meta tokens such as `lang=de`, `bank=comdirect`, `file=freistellungsauftrag` (a word of an attachment's name). */
  meta: string[];
  language: string;
}

/** Lower case, inner spaces as dashes: `Comdirect Bank` -> `comdirect-bank`. */
export function metaValue(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '-');
}

/**
 * The one way an email becomes model input, in training and serving alike (so they never drift):
 * clean (quotes, signatures, device lines, disclaimers gone; PII redacted; a forward's message kept when
 * the customer wrote no more than a cover note above it), subject + body, meta tokens (language, bank, the words
 * of attachment names).
 */
export function prepareModelInput(email: Email): ModelInput {
  const cleaned = cleanEmail(email, { scope: 'visible', redact: true });
  // A forward with no note or a short one ("Zur Info."): the forwarded message is what it is about.
  const forwarded = forwardedText(email, cleaned);
  const body = forwarded === undefined ? cleaned.text : cleaned.text.trim() === '' ? forwarded : `${cleaned.text}\n\n${forwarded}`;
  const language = forwarded === undefined ? cleaned.language : detectLanguage(body);
  const text = cleaned.subject ? `${cleaned.subject}\n${body}` : body;
  const meta = [`lang=${language}`];
  if (email.bank && email.bank.trim() !== '') meta.push(`bank=${metaValue(email.bank)}`);
  if (email.attachmentNames) for (const word of attachmentWords(email.attachmentNames)) meta.push(`file=${word}`);
  return { text, meta, language };
}
