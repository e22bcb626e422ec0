import { closestKey } from '@mailroute/model';

/** About how much of a header a message quotes. */
const MAX_CHARS = 300;
/** A longer name is cut: a JSON object read as a CSV header gives one name per comma-separated fragment. */
const MAX_NAME = 60;

/**
 * A file's columns as an error message lists them (`has id, subject, body`). Cut short, with the count: a
 * one-line JSON array (a `.json` export) read as CSV has the whole file as its header, which the message
 * quoted in full (a 400 KB line for 600 rows).
 */
export function columnList(columns: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const column of columns) {
    const name = column.length > MAX_NAME ? `${column.slice(0, MAX_NAME)}...` : column;
    if (shown.length > 0 && length + name.length > MAX_CHARS) break;
    shown.push(name);
    length += name.length + 2;
  }
  const left = columns.length - shown.length;
  return left === 0 ? shown.join(', ') : `${shown.join(', ')} and ${left} more (${columns.length} columns)`;
}

/** A column name's words, lower case: `ticket_type`, `Ticket Type` and `ticketType` are `ticket`, `type`. */
function nameWords(name: string): string[] {
  return name.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}

/**
 * The one header column whose words are some of the configured name's, or hold all of them, with one or two words more
 * or less (`ticket_type` for the header's `type`, `body` for `email_body`): an export that names its columns with a word
 * more or less. None when two or more are (`id` beside `ticket_id` and `customer_id`): only a name clearly meant.
 */
function wordsColumn(name: string, columns: readonly string[]): string | undefined {
  const words = nameWords(name);
  if (words.length === 0) return undefined;
  const matches = columns.filter((column) => {
    const own = nameWords(column);
    if (own.length === 0 || own.length === words.length) return false;
    const [fewer, more] = own.length < words.length ? [own, words] : [words, own];
    // A word or two more, not a header line split by another delimiter (`ticket_id,subject,body` as one name).
    return more.length - fewer.length <= 2 && fewer.every((w) => more.includes(w));
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The column of `columns` a configured column the header lacks is likely meant by: a close name (a typo, another case, a
 * space more), else the one column that has a word more or less (`wordsColumn`); undefined when none is clearly meant.
 */
export function closeColumn(name: string, columns: readonly string[]): string | undefined {
  return closestKey(name, columns) ?? wordsColumn(name, columns);
}

/** ` (did you mean "queue"?)` for a configured column the header lacks (`closeColumn`); '' when none is clearly meant. */
export function columnGuess(name: string, columns: readonly string[]): string {
  const column = closeColumn(name, columns);
  return column === undefined ? '' : ` (did you mean "${column}"?)`;
}

/** What a file lacks, as its error says it: `column(s) "queue" (did you mean "queue_name"?) (has id, queue_name)`. */
export function lacksColumnsText(missing: readonly string[], columns: readonly string[]): string {
  return `column(s) ${missing.map((m) => `"${m}"${columnGuess(m, columns)}`).join(', ')} (has ${columnList(columns)})`;
}
