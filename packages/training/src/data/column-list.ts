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
