/**
 * Rows that repeat others: the same export given twice (same id, text and labels), the same email under new ids, and
 * one text labelled two ways. The split keeps the copies of a text on one side, so none leaks into the held-out rows;
 * but each copy trains again, or counts again in the test metrics, and a text labelled two ways teaches both.
 */
import type { DatasetRow } from './dataset.js';
import { quotedCell } from './quoted-cell.js';

/** Rows repeating another's text under another id are said from this share of the rows and this many rows. */
const SAME_TEXT_MIN_SHARE = 0.01;
const SAME_TEXT_MIN_ROWS = 10;

type Row = Pick<DatasetRow, 'id' | 'file' | 'line' | 'email' | 'labels' | 'dedupeKey' | 'placeId'>;

const place = (row: Row) => `${row.file}:${row.line}`;

/** What a row is an exact copy of: its id (from an id column), its text and its labels. */
function copyKey(row: Row): string | undefined {
  return row.placeId ? undefined : JSON.stringify([row.id, row.dedupeKey, row.labels]);
}

/** The rows without those that repeat an earlier row's id (from an id column), text and labels exactly. */
export function withoutExactCopies<R extends Row>(rows: readonly R[]): R[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = copyKey(row);
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The start of an email's text for an example in a message, quoted as every cell is (`quotedCell`: masked, names too,
 * then cut): training's output is kept (CloudWatch on SageMaker), and a name is what the first words of a body often hold.
 */
function quoted(row: Row): string {
  const text = [row.email.subject, row.email.body, row.email.html].find((t) => t !== undefined && t.trim() !== '') ?? '';
  return quotedCell(text);
}

/** A row's label cell as read (trimmed, NFC) when it is read as another label, and what became of it (`merged into other`). */
export interface WrittenLabel {
  cell: string;
  how: string;
}

/** A row's label in a task, as its file has it (`written`): `"escalation" (merged into other)`, else the label quoted. */
type WrittenLabelOf = (row: Row, task: string) => WrittenLabel | undefined;

/**
 * The warnings for repeated rows, in this order: exact copies (same id, text and labels); rows repeating an earlier
 * row's text under another id (or, without an id column, any), when they are a sizeable share; and per task, texts
 * that carry different labels on different rows, with an example, whose labels are quoted as the file writes them
 * (`written`), with what they became, as a person looks them up at the place given.
 */
export function duplicateRowWarnings(rows: readonly Row[], tasks: readonly string[], written: WrittenLabelOf = () => undefined): string[] {
  const warnings: string[] = [];
  const copies = new Map<string, Row>();
  const texts = new Map<string, Row>();
  let copied = 0;
  let copyExample: [Row, Row] | undefined;
  let sameText = 0;
  let textExample: [Row, Row] | undefined;
  for (const row of rows) {
    const key = copyKey(row);
    const original = key === undefined ? undefined : copies.get(key);
    if (original !== undefined) {
      copied++;
      copyExample ??= [original, row];
      continue;
    }
    if (key !== undefined) copies.set(key, row);
    const first = texts.get(row.dedupeKey);
    if (first === undefined) texts.set(row.dedupeKey, row);
    else {
      sameText++;
      textExample ??= [first, row];
    }
  }
  if (copyExample !== undefined) {
    const [a, b] = copyExample;
    warnings.push(
      `${copied} row${copied === 1 ? ' repeats' : 's repeat'} an earlier row exactly, id, text and labels (e.g. id ${JSON.stringify(a.id)} at ${place(a)} and ${place(b)}; the same export given twice?): ` +
        'each copy trains again, or counts again in the test metrics; remove the copies',
    );
  }
  if (textExample !== undefined && sameText >= SAME_TEXT_MIN_ROWS && sameText >= rows.length * SAME_TEXT_MIN_SHARE) {
    const [a, b] = textExample;
    const ids = a.placeId ? '' : ' under another id';
    const share = Math.round((100 * sameText) / rows.length);
    warnings.push(
      `${sameText} rows (${share}%) repeat the text of an earlier row${ids} (e.g. ${place(b)} repeats ${place(a)}): the copies of a text stay on one side of the split, ` +
        'but each trains again, or counts again in the test metrics; remove them if they are the same email',
    );
  }
  for (const task of tasks) {
    const warning = conflictingLabelsWarning(rows, task, written);
    if (warning !== undefined) warnings.push(warning);
  }
  return warnings;
}

/**
 * `topic: 300 texts carry different labels on different rows (600 rows), e.g. "..." is "a" at x.csv:2 and "b" at
 * x.csv:9: ...`, or undefined when every text has one label in the task (masked rows not counted).
 */
function conflictingLabelsWarning(rows: readonly Row[], task: string, written: WrittenLabelOf): string | undefined {
  // Per text, the first row of each label.
  const byText = new Map<string, Map<string, Row>>();
  const rowsOf = new Map<string, number>();
  for (const row of rows) {
    const label = row.labels[task];
    if (label === null || label === undefined) continue;
    let labels = byText.get(row.dedupeKey);
    if (labels === undefined) byText.set(row.dedupeKey, (labels = new Map()));
    if (!labels.has(label)) labels.set(label, row);
    rowsOf.set(row.dedupeKey, (rowsOf.get(row.dedupeKey) ?? 0) + 1);
  }
  let conflicting = 0;
  let carrying = 0;
  let example: Map<string, Row> | undefined;
  for (const [text, labels] of byText) {
    if (labels.size < 2) continue;
    conflicting++;
    carrying += rowsOf.get(text) ?? 0;
    example ??= labels;
  }
  if (example === undefined) return undefined;
  const [[la, a], [lb, b]] = [...example];
  // Quoted as every cell is (`quotedCell`): in a task without `labels` any cell is a label.
  const label = (row: Row, final: string) => {
    const own = written(row, task);
    return own === undefined ? quotedCell(final) : `${quotedCell(own.cell)} (${own.how})`;
  };
  return (
    `${task}: ${conflicting} text${conflicting === 1 ? ' carries' : 's carry'} different labels on different rows (${carrying} rows), e.g. ${quoted(a)} is ${label(a, la)} at ${place(a)} and ${label(b, lb)} at ${place(b)}: ` +
    'the model cannot learn both; correct the labels in the export'
  );
}
