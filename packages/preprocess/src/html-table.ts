import type { Sink } from './html-text.js';
import { redactPii } from './redact.js';

/**
 * Value rows under a header row that are written as `Header: value` lines; a longer table (a list of transactions)
 * reads row by row as before, its header line over its value lines.
 */
export const MAX_VALUE_ROWS = 3;
/** Cells of a row, at most, in a table read as header and values (2 at least). */
const MAX_COLUMNS = 8;
/** A header cell's length and words, at most: a label (`Kundennummer`, `Steuerliche Identifikationsnummer`). */
const MAX_HEADER = 40;
const MAX_HEADER_WORDS = 5;
/** A value cell's length, at most: one value, not a paragraph of a layout table. */
const MAX_VALUE = 80;
const DIGIT = /[0-9]/;

interface Cell {
  /** Index in the sink's parts where the cell's text starts; it runs to the next cell's start or the table's end. */
  from: number;
  th: boolean;
}

/** Whether a header cell's text is a label: one short line (and, in a `<td>`, no digit). */
function isLabel(text: string, th: boolean): boolean {
  if (text === '' || text.length > MAX_HEADER || text.includes('\n') || (!th && DIGIT.test(text))) return false;
  return text.split(' ').length <= MAX_HEADER_WORDS;
}

/**
 * The `Header: value` lines of a table read as a header row over a few value rows, one pair a line, a blank line
 * between value rows, or undefined when the table reads row by row as before. The header row is all `<th>`, or all
 * `<td>` labels with no digit over value rows whose first cell holds one (a table of `label | value` rows, first
 * column all text, stays: each of its rows already reads label then value). Under `<th>`s, value rows whose first cell
 * holds no digit read row by row where the masking hides more of them so (`Feld | Wert` over `Kundennummer | …`).
 */
function headerPairs(rows: string[][], ths: boolean[][]): string | undefined {
  const head = rows[0];
  const n = head.length;
  if (n < 2 || rows.length < 2 || rows.length > 1 + MAX_VALUE_ROWS) return undefined;
  const th = ths[0].every(Boolean);
  if (!th && ths[0].some(Boolean)) return undefined;
  if (!head.every((h) => isLabel(h, th))) return undefined;
  for (let r = 1; r < rows.length; r += 1) {
    const row = rows[r];
    // A `<th>` in a value row heads that row: a table of row headers, not of column headers.
    if (row.length !== n || ths[r].some(Boolean)) return undefined;
    if (row.some((v) => v.length > MAX_VALUE || v.includes('\n'))) return undefined;
    if (!th && !DIGIT.test(row[0])) return undefined;
  }
  const labels = head.map((h) => (h.endsWith(':') ? h : `${h}:`));
  const records = rows
    .slice(1)
    .map((row) => row.flatMap((v, i) => (v === '' ? [] : [`${labels[i]} ${v}`])).join('\n'))
    .filter((record) => record !== '');
  if (records.length === 0) return undefined;
  const pairs = records.join('\n\n');
  // `<th>`s over a first column of text may head a `label | value` table (`Feld | Wert` over `Kundennummer |
  // 1234567890`), whose rows read label then value as the masking reads a keyword and its value, where the pairs would
  // put the value after `Wert:`; or a table of people's or products' values (`Name | Kundennummer` over `Anna Schmidt |
  // 1234567890`), which the pairs read. Whichever reading the masking hides more of, the pairs on a tie.
  if (th && rows.slice(1).every((row) => !DIGIT.test(row[0]))) {
    const byRow = rows.map((row) => row.filter((v) => v !== '').join(' ')).join('\n');
    if (hiddenByMasking(byRow) > hiddenByMasking(pairs)) return undefined;
  }
  return pairs;
}

/** How many characters of `text` the masking hides, names included: what reads a table's values after their keywords. */
function hiddenByMasking(text: string): number {
  const r = redactPii(text, { names: true });
  return r.redactions.reduce((hidden, x) => hidden + x.end - x.start, text.length - r.text.length);
}

/**
 * One open `<table>` whose text goes to `sink`: where its cells' text starts, so that when it closes a header row
 * over at most MAX_VALUE_ROWS value rows is written as `Header: value` lines (`Kundennummer: 1234567890`), where the
 * masking's keyword rules see each value after its keyword. It records at most (1 + MAX_VALUE_ROWS) × MAX_COLUMNS
 * cells and reads the table's own text once: a wider or longer table, one holding another table (a layout), an
 * `<hr>` or a cell whose text goes to another sink reads as it is.
 */
export class TableCells {
  private readonly rows: Cell[][] = [];
  private plain = false;

  /**
   * @param depth the table's index on the element stack
   * @param hrs the `<hr>` marks recorded when it opened (the parts are indexed by them, so none may fall inside)
   */
  constructor(
    readonly sink: Sink,
    readonly depth: number,
    private readonly hrs: number,
  ) {}

  /** The table is read as it is (it holds another table). */
  giveUp(): void {
    this.plain = true;
  }

  /** A `<tr>` opens. */
  row(): void {
    if (this.plain) return;
    if (this.rows.length > 0 && this.rows[this.rows.length - 1].length === 0) return;
    if (this.rows.length > MAX_VALUE_ROWS) this.plain = true;
    else this.rows.push([]);
  }

  /** A `<td>` or `<th>` opens, its text going to `sink` from here. */
  cell(sink: Sink, th: boolean): void {
    if (this.plain) return;
    if (sink !== this.sink) {
      this.plain = true;
      return;
    }
    if (this.rows.length === 0) this.rows.push([]);
    const row = this.rows[this.rows.length - 1];
    if (row.length >= MAX_COLUMNS) this.plain = true;
    else row.push({ from: sink.parts.length, th });
  }

  /** The table closes: its text is rewritten as header and value pairs when it reads so. */
  close(hrs: number): void {
    const rows = this.rows.filter((row) => row.length > 0);
    if (this.plain || hrs !== this.hrs || rows.length < 2) return;
    const parts = this.sink.parts;
    const first = rows[0][0].from;
    const cells = rows.flat();
    const texts = cells.map((c, i) => {
      const end = i + 1 < cells.length ? cells[i + 1].from : parts.length;
      return parts.slice(c.from, end).join('').replace(/\u00a0/g, ' ').trim();
    });
    let k = 0;
    const textRows = rows.map((row) => row.map(() => texts[k++]));
    const pairs = headerPairs(textRows, rows.map((row) => row.map((c) => c.th)));
    // On a line of its own: a `<caption>` or other text before the first cell stays above the pairs.
    if (pairs !== undefined) this.sink.rewrite(first, `\n${pairs}`);
  }
}
