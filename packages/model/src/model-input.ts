import { cleanEmail, type Email } from '@mailroute/preprocess';

export interface ModelInput {
  /** Normalised subject, a newline, the cleaned and redacted body. */
  text: string;
  /** Meta tokens such as `lang=de`, `bank=comdirect`. */
  meta: string[];
  language: string;
}

/** Lower case, inner spaces as dashes: `Comdirect Bank` -> `comdirect-bank`. */
export function metaValue(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '-');
}

/**
 * The one way an email becomes model input, in training and serving alike (so they never drift):
 * clean (quotes, signatures, device lines, disclaimers gone; PII redacted), subject + body, meta tokens.
 */
export function prepareModelInput(email: Email): ModelInput {
  const cleaned = cleanEmail(email, { scope: 'visible', redact: true });
  const text = cleaned.subject ? `${cleaned.subject}\n${cleaned.text}` : cleaned.text;
  const meta = [`lang=${cleaned.language}`];
  if (email.bank && email.bank.trim() !== '') meta.push(`bank=${metaValue(email.bank)}`);
  return { text, meta, language: cleaned.language };
}
