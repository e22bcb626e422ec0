/**
 * A cell of an export as a message quotes it: a bad row's label or received time, the text of rows labelled two ways,
 * a label the model does not know. Those messages do not stay on the terminal: an evaluation writes them into its
 * reports, model card and metrics.json, a failed run into its record, and training's output goes to CloudWatch on
 * SageMaker.
 *
 * The rule, one for every such quote: the cell is masked as a failed run's error is (`maskedText`, as `mailroute clean`
 * masks text: IBANs, card, phone and account numbers, email and street addresses, and names a cue marks), its blanks
 * folded to one space, and cut to QUOTED_CHARS characters (`...` after), masked before it is cut, as an IBAN cut short
 * is no IBAN to the masking. A label that is plainly one (`tax_documnt`, `Card Arrival`: short, and nothing in it the
 * masking takes) comes out as written, its blanks too, so its typo is seen and an alias can be copied from it (`quotedAsWritten`);
 * anything else (a phone number, `Herr Müller`, a sentence a column shift put in the label column) is quoted only
 * masked, and only its start. What the masking does not recognise (a name no cue marks, a number no keyword names)
 * stays as it is, as in a failed run's record.
 */
import { maskedStart, redactPii } from '@mailroute/preprocess';

/** Characters of a cell a message quotes at most. */
export const QUOTED_CHARS = 40;

/** Text masked as `mailroute clean` masks it, names too: a failed run's error, the SageMaker job's failure, a quoted cell. */
export function maskedText(text: string): string {
  return redactPii(text, { names: true }).text;
}

const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** `value` as a message shows it, without quotes: masked, blanks folded, cut to QUOTED_CHARS (`...` after). */
export function shownCell(value: string): string {
  const { text, cut } = maskedStart(value, QUOTED_CHARS, fold);
  return cut ? `${text.trimEnd()}...` : text;
}

/**
 * `value` as a message quotes it, in JSON quotes (a quote, backslash, tab or line break in it escaped): as written when
 * it is plainly a label (`quotedAsWritten`), blanks and all, so `"Technical  Support"` (two spaces) is not shown as the
 * taxonomy's `"Technical Support"` that it is refused as not being; else `shownCell`.
 */
export function quotedCell(value: string): string {
  return JSON.stringify(quotedAsWritten(value) ? value : shownCell(value));
}

/**
 * Whether `quotedCell` quotes `value` as written: short, and nothing in it masked (the masking's own normalising, a
 * control character or a no-break space read as nothing or a space, is no reason to hide how the cell is written).
 */
export function quotedAsWritten(value: string): boolean {
  return value.length <= QUOTED_CHARS && redactPii(value, { names: true }).redactions.length === 0;
}

/**
 * A task's labels as a message counts them, `n row(s) … (a x3, b x1)`: the total and the first five, most rows first,
 * each shown as a bad row's label is (`shownCell`): in a task without `labels` any cell is a label, and such messages
 * are kept in the reports.
 */
export function labelTally(labels: Record<string, number>): { total: number; sorted: Array<[string, number]>; shown: string } {
  const total = Object.values(labels).reduce((a, b) => a + b, 0);
  const sorted = Object.entries(labels).sort((a, b) => b[1] - a[1]);
  return { total, sorted, shown: sorted.slice(0, 5).map(([label, n]) => `${shownCell(label)} x${n}`).join(', ') };
}
