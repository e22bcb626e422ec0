import { maskedStart } from '@mailroute/preprocess';

/**
 * A value the client sent, as a warning or a problem's detail quotes it back: a receivedAt or ?hours= it could not read,
 * a label outside the taxonomy, a task, field or query parameter name it does not know. Such texts end up in the
 * CRM's logs and tickets, so the value is masked as training masks a cell its messages quote (`maskedStart` of
 * @mailroute/preprocess: `redactPii` with names, as `mailroute clean` masks: IBANs, card, phone and account numbers,
 * email and street addresses, birth dates, names a cue marks). Ids (emailId, predictionId, a model id) and the
 * model's own task names and labels are quoted as sent: the CRM correlates by them. Called only to build a message,
 * so a valid request pays nothing for it.
 */

/**
 * `value` masked, then cut to `max` characters with `more` after (`…`; '' where the message cut without a mark), masked
 * before it is cut (`maskedStart`, as training's quoted cells): never inside a placeholder nor a surrogate pair.
 */
export function sentValue(value: string, max: number, more = '…'): string {
  const { text, cut } = maskedStart(value, max);
  return cut ? `${text}${more}` : text;
}
