/**
 * Text the config does not read: a JSONL line whose keys are spelt otherwise than the config's columns (`Body` for
 * `body`, on some lines of an export put together from several sources), and a row whose text is only in a column the
 * config does not map (`html_body`). Such a row has "no text", or trains without its body or label, with no word of why.
 */
import { closestKey } from '@mailroute/model';
import type { SourceRecord } from './read-records.js';

/** A configured column a JSONL line lacks, and the key it has instead, spelt near it (case, a typo). */
export interface NearKey {
  wanted: string;
  has: string;
}

/** Of `columns` (the config's), those a JSONL line lacks while it has a key spelt near them that the config does not read. */
export function nearMissKeys(record: SourceRecord, columns: readonly string[]): NearKey[] {
  if (record.has === undefined || record.keys === undefined) return [];
  const missing = columns.filter((c) => !record.has?.(c));
  if (missing.length === 0) return [];
  const unread = record.keys().filter((k) => !columns.includes(k));
  const found: NearKey[] = [];
  for (const wanted of missing) {
    const has = closestKey(wanted, unread);
    if (has !== undefined) found.push({ wanted, has });
  }
  return found;
}

/** Columns named at most in a row's message. */
const LISTED = 2;

/** The columns (JSONL: keys) of a record that the config does not read and that hold text (a letter), the longest text first. */
export function unreadTextColumns(record: SourceRecord, columns: readonly string[]): string[] {
  const unread = (record.keys?.() ?? []).filter((k) => k !== '' && !columns.includes(k) && record.badValue?.(k, 'text') === undefined);
  return unread
    .map((k) => ({ k, text: record.get(k)?.trim() ?? '' }))
    .filter(({ text }) => /\p{L}/u.test(text))
    .sort((a, b) => b.text.length - a.text.length)
    .map(({ k }) => k);
}

/**
 * For a row with no text: `, but "html_body" has text: a column the config does not read`, or for a key spelt near a
 * text column `, but "Body" has text: the config reads "body", not "Body"`; '' when no other column has text. A key
 * spelt near another of the config's columns (`Topic` for the label column `topic`) is no text column: not named.
 */
export function unreadTextHint(record: SourceRecord, columns: readonly string[], near: readonly NearKey[], textColumns: readonly string[]): string {
  const notText = new Set(near.filter((n) => !textColumns.includes(n.wanted)).map((n) => n.has));
  const unread = unreadTextColumns(record, columns).filter((k) => !notText.has(k)).slice(0, LISTED);
  if (unread.length === 0) return '';
  const what = record.has === undefined ? 'column' : 'key';
  const named = unread.map((k) => `"${k}"`).join(' and ');
  const meant = unread.flatMap((k) => near.filter((n) => n.has === k).map((n) => `"${n.wanted}"`));
  if (meant.length === unread.length) return `, but ${named} ${unread.length === 1 ? 'has' : 'have'} text: the config reads ${meant.join(' and ')}, not ${named}`;
  return unread.length === 1 ? `, but ${named} has text: a ${what} the config does not read` : `, but ${named} have text: ${what}s the config does not read`;
}

/** Per file, how many lines lack each configured key while they have one spelt near it. */
export type NearKeyTally = Map<string, Map<string, { near: NearKey; lines: number }>>;

export function countNearKeys(tally: NearKeyTally, file: string, found: readonly NearKey[]): void {
  if (found.length === 0) return;
  let counts = tally.get(file);
  if (counts === undefined) tally.set(file, (counts = new Map()));
  for (const near of found) {
    const key = `${near.wanted}\u0000${near.has}`;
    const seen = counts.get(key);
    if (seen === undefined) counts.set(key, { near, lines: 1 });
    else seen.lines++;
  }
}

/**
 * One line a file: `keys.jsonl: 200 lines lack key "body" but have "Body", 200 lack key "topic" but have "Topic" (keys
 * are read as the config names them, case too, so their values are not read): write each key one way in the export`.
 */
export function nearKeyWarnings(tally: NearKeyTally): string[] {
  return [...tally].map(([file, counts]) => {
    const said = [...counts.values()].sort((a, b) => b.lines - a.lines).map(({ near, lines }, i) => {
      const one = lines === 1;
      return `${lines} ${i === 0 ? `line${one ? '' : 's'} ` : ''}${one ? 'lacks' : 'lack'} key "${near.wanted}" but ${one ? 'has' : 'have'} "${near.has}"`;
    });
    return `${file}: ${said.join(', ')} (keys are read as the config names them, case too, so their values are not read): write each key one way in the export`;
  });
}
