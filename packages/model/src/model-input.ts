import { attachmentWords, cleanEmail, detectLanguage, forwardedText, type Email } from '@mailroute/preprocess';

export interface ModelInput {
  /** Normalised subject, a newline, the cleaned and redacted body. */
  text: string;
  /** Meta tokens such as `lang=de`, `bank=comdirect`, `file=freistellungsauftrag` (a word of an attachment's name). */
  meta: string[];
  language: string;
}

/**
 * Characters drawn as nothing: those `normalizeLabel` drops (emoji variation selectors, the zero-width space, the word
 * joiner, the byte order mark, the soft hyphen), and the other ones cleaning drops from the text (preprocess's
 * `plainSpaces`: the combining grapheme joiner, zero-width joiners and direction marks, embeddings, isolates). Two
 * classes: a variation selector after another character in one reads as a combined character to lint.
 */
const UNSEEN = /[\u034f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|[\ufe0e\ufe0f]/g;

/**
 * The tokens of recent values (banks): a few banks name most emails, and a lookup costs a fraction of normalising one
 * (two regular expressions and NFC). Per thread (module state), at most MAX_META_TOKENS values of MAX_KEPT_META
 * characters or fewer.
 */
const metaTokens = new Map<string, string>();
const MAX_META_TOKENS = 256;
const MAX_KEPT_META = 100;

/**
 * Lower case, inner spaces as dashes: `Comdirect Bank` -> `comdirect-bank`. In Unicode NFC, without characters
 * drawn as nothing (`UNSEEN`), as labels are compared (`normalizeLabel`): a CRM that writes `Bank Müller` decomposed
 * (`u` and U+0308, as Mac and PDF sources do) or with a soft hyphen or zero-width space pasted in gives the token of
 * `Bank Müller`, not a hashed feature of its own that the model never learned. A name in NFC with none of them is
 * as before (the token is byte for byte the same).
 */
export function metaValue(value: string): string {
  let token = metaTokens.get(value);
  if (token === undefined) {
    token = value.normalize('NFC').replace(UNSEEN, '').trim().toLowerCase().replace(/\s+/g, '-');
    if (value.length <= MAX_KEPT_META) {
      if (metaTokens.size >= MAX_META_TOKENS) metaTokens.clear();
      metaTokens.set(value, token);
    }
  }
  return token;
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
  // A bank of invisible characters alone is none.
  const bank = email.bank ? metaValue(email.bank) : '';
  if (bank !== '') meta.push(`bank=${bank}`);
  if (email.attachmentNames) for (const word of attachmentWords(email.attachmentNames)) meta.push(`file=${word}`);
  return { text, meta, language };
}
