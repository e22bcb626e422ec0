import { redactPii } from '@mailroute/preprocess';

/**
 * A value the client sent, as a warning or a problem's detail quotes it back: a receivedAt or ?hours= it could not read,
 * a label outside the taxonomy, a task, field or query parameter name it does not know. Such texts end up in the
 * CRM's logs and tickets, so the value is masked as training masks a cell its messages quote (`maskedText` in
 * @mailroute/training: `redactPii` with names, as `mailroute clean` masks: IBANs, card, phone and account numbers,
 * email and street addresses, birth dates, names a cue marks). Ids (emailId, predictionId, a model id) and the
 * model's own task names and labels are quoted as sent: the CRM correlates by them. Called only to build a message,
 * so a valid request pays nothing for it.
 */

/** Every detector, names included: the masking of training's quoted cells. */
const QUOTE_MASKING = { names: true };

/** Characters of a long value that are masked for its quote: a whole body sent as a field name is not masked for 40 of them. */
const MASKED_CHARS = 1000;

/**
 * `value` masked, then cut to `max` characters with `more` after (`…`; '' where the message cut without a mark), masked
 * before it is cut, as an IBAN cut short is no IBAN to the masking; never inside a placeholder (`[IBAN]`, not `[IB`)
 * nor between the two halves of a surrogate pair.
 */
export function sentValue(value: string, max: number, more = '…'): string {
  const long = value.length > MASKED_CHARS;
  let shown = redactPii(long ? value.slice(0, MASKED_CHARS) : value, QUOTE_MASKING).text;
  // A start that masked to little (masks taking long spans): what the cut at MASKED_CHARS split could show. Masked whole.
  if (long && shown.length < 4 * max) shown = redactPii(value, QUOTE_MASKING).text;
  if (shown.length <= max) return shown;
  const end = /[\uD800-\uDBFF]/.test(shown.charAt(max - 1)) ? max - 1 : max;
  return `${shown.slice(0, end).replace(/\[[A-Z_]*$/, '')}${more}`;
}
