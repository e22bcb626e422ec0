/**
 * A label cell of a task without `labels` in which the masking finds personal data (an email address, an IBAN, a name a
 * cue marks: `Frau Irmgard Crumpetson`). In such a task every cell is a label name, and label names are kept as they are:
 * in the model's manifest (its labels, `mergedIntoOther`), the run's record, the log and the model card. So such a
 * cell is a bad row, as a label outside a task's `labels` is (`onBadRow` fail or skip), quoted masked
 * (`quotedCell`): most likely a column shift put text in the label column.
 */
import { redactPii } from '@mailroute/preprocess';

/** What each kind of mask the redaction puts is, for a person; a kind not listed (a user pattern's) by its name. */
const KINDS: Record<string, string> = {
  EMAIL: 'an email address',
  IBAN: 'an IBAN',
  PHONE: 'a phone number',
  CARD: 'a card number',
  NAME: 'a name',
  ADDRESS: 'an address',
  ACCOUNT: 'an account number',
  BANK_CODE: 'a bank code',
  BIRTHDATE: 'a date of birth',
  CVV: 'a card security code',
  CREDENTIAL: 'a password or login',
  ID_DOCUMENT: 'an identity document number',
  SOCIAL_SECURITY: 'a social security number',
  TAX_ID: 'a tax id',
};

/**
 * Labels up to this long are remembered per load (a task's few labels, on every row, are masked once each); a longer
 * cell, a text a column shift put there, is rarely repeated and is not kept twice in memory.
 */
const CACHED_CHARS = 200;

/** The kinds of personal data the masking (as `mailroute clean` masks, names too) finds in `label`, said for a person; empty for none. */
export function personalDataIn(label: string): string[] {
  const kinds = new Set(redactPii(label, { names: true }).redactions.map((r) => r.type));
  return [...kinds].map((kind) => Object.hasOwn(KINDS, kind) ? KINDS[kind] : kind.toLowerCase().replace(/_/g, ' '));
}

/** `a name`, `a name and an email address`, `a name, a phone number and an IBAN`. */
function listed(kinds: readonly string[]): string {
  return kinds.length <= 1 ? kinds.join('') : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
}

/**
 * A check for one load: what personal data a label cell holds (`a name and an email address`), or undefined for none.
 * Each distinct short label is masked once.
 */
export function createPersonalLabelCheck(): (label: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (label) => {
    if (cache.has(label)) return cache.get(label);
    const kinds = personalDataIn(label);
    const found = kinds.length === 0 ? undefined : listed(kinds);
    if (label.length <= CACHED_CHARS) cache.set(label, found);
    return found;
  };
}

/** The problem of such a cell: what it holds said, the cell quoted as `quotedCell` quotes it (masked), the hint alike for every such row. */
export function personalLabelProblem(location: string, quoted: string, found: string): string {
  return `${location}: the label cell ${quoted} holds personal data (${found}): a shifted column? (a task without "labels" keeps its labels as written, in the model's manifest and the run's record: fix the cell in the export)`;
}
