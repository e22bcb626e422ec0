import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import { followAliases, nullRecord, ownValue } from '@mailroute/model';
import { automatedKind, cleaningInputChars, composeDiacritics, DEFAULT_MAX_INPUT_CHARS, EmailSchema, type Email } from '@mailroute/preprocess';
import { formatOf, taskColumn, type TrainingConfig } from '../config.js';
import { labelChoicesHint } from '../config-errors.js';
import { DatasetError, TrainingConfigError } from '../errors.js';
import { finaliseTaskLabels, OTHER_LABEL, resolveLabel, type TaskTaxonomyReport } from '../taxonomy.js';
import { badRowsMessage } from './bad-rows-message.js';
import { columnGuess, columnList, lacksColumnsText } from './column-list.js';
import { findRenamedLabelColumn, renamedLabelColumnError } from './renamed-label-column.js';
import { hasLiteralNewline, literalNewlinesWarning } from './literal-newlines.js';
import { noShiftedTimes, readReceivedTime, shiftedTimesNote, type ShiftedTimes } from './local-times.js';
import { quotedCell } from './quoted-cell.js';
import { createPersonalLabelCheck, personalLabelProblem } from './personal-label.js';
import { countPlaceholder, placeholderLabel, placeholderWarnings, type PlaceholderCounts } from './placeholder-labels.js';
import { doubleEncodedWarning, looksDoubleEncoded, type DoubleEncodedRows } from './double-encoded.js';
import { noUsableRowsMessage } from './no-usable-rows.js';
import { dateHint, missingDay } from './date-hint.js';
import { duplicateRowWarnings, type WrittenLabel } from './duplicate-rows.js';
import { LoopTurns } from '../loop-turns.js';
import { lookalikeWarning } from './label-lookalikes.js';
import { countNearKeys, nearKeyWarnings, nearMissKeys, unreadTextHint, type NearKeyTally } from './unread-keys.js';
import { labelCounts, likelyRenamed, renamedLabelHint, withLikelierGuess, type RenamedLabel, type UnknownLabels } from './renamed-labels.js';
import { countSeenLabel, unusedTaxonomyWarnings, type SeenLabels } from './unused-aliases.js';
import { cellLocation, otherDelimiterFor, readSourceFile, type CellUse, type Hints, type SourceFile, type SourceRecord } from './read-records.js';

/** One usable example: the email, its labels per task (null = masked) and where it came from. */
export interface DatasetRow {
  id: string;
  file: string;
  line: number;
  email: Email;
  labels: Record<string, string | null>;
  /**
   * The sha256 (base64) of the row's `dedupeText`: equal keys are exact duplicates. A digest, not the text: kept per
   * row beside the email, the lower-cased text of an export with HTML parts doubled the memory a training took.
   */
  dedupeKey: string;
  /** Milliseconds since the epoch, when the row has a received time. */
  time?: number;
  /** Set when `id` was made from the file's name and the line (no id column): hashes leave such ids out, so a renamed file is the same data. */
  placeId?: true;
}

export interface Dataset {
  files: string[];
  rows: DatasetRow[];
  /** Problems of skipped rows (only with `onBadRow: 'skip'`); a row may have several. */
  skipped: string[];
  /** Rows read from the files (blank lines and all-blank CSV records not counted): `rows` + `unlabelled` + `badRows`. */
  read: number;
  /** CSV records whose every cell is empty (`,,,,`), skipped without a problem and not among `read`. */
  blankRecords: number;
  /** Rows left out for one or more problems (only with `onBadRow: 'skip'`). */
  badRows: number;
  /** Where each of them is, `file:line`, in file order. */
  badRowPlaces: string[];
  /** Rows dropped because every task's label ended masked. */
  unlabelled: number;
  /** Where the first of them are (`file:line`), at most 5. */
  unlabelledAt: string[];
  taxonomy: TaskTaxonomyReport[];
  /** sha256 of the normalised rows (fields and final labels, in file order; ids only from an id column). */
  dataHash: string;
  /** The hash as models trained before `training.dataHashOf: 'rows'` recorded it: with ids made from file names. */
  namedDataHash: string;
  /**
   * Only when some row's text has a combining mark (decomposed letters, NFD): both hashes as models trained before
   * the dedupe text composed letters made them, of the text lower-cased and folded only (`uncomposedDedupeText`).
   */
  uncomposedHashes?: { dataHash: string; namedDataHash: string };
  /** Ids of the id column that more than one row carries (e.g. the same export given twice), at most 5. */
  repeatedIds: string[];
  /**
   * With `fixedLabels` (a trained model's labels): per task, the labels of the data that model does not
   * have and how many rows carry each; they became `other` where the model has it (but `maskedLabels`), else were left out.
   */
  notInModel: Record<string, Record<string, number>>;
  /** Labels not in the taxonomy on many bad rows (skipped with `onBadRow: 'skip'`): likely renamed in the export. */
  renamed: RenamedLabel[];
  /**
   * Files of several that lack a task's label column another file has (an export from before the task was
   * added): their rows train the other tasks, that task masked, as for an empty cell. Empty when none lack one.
   */
  lackingLabelColumns: Array<{ file: string; columns: string[] }>;
  /** Each file's columns as read: a CSV file's header, or every key some JSONL line has (none for a file with no line). */
  fileColumns: Array<{ file: string; columns: string[] }>;
  /** With `supersedingFile`: that file's rows merged into other rows of the same email id (and left out), and where the first are. */
  superseded: { rows: number; at: string[] };
  /**
   * Lines for the log, said once per load (info): how something in the data was read, e.g. received times in a change of
   * daylight saving time. Empty when there is nothing to say.
   */
  notes: string[];
  /**
   * Lines for the log, said once per load (warnings): what in the data the config likely misreads (literal `\n`, JSONL
   * keys spelt otherwise than its columns, one label written several ways) and, for training data, repeated rows.
   */
  warnings: string[];
}

const MAX_LISTED = 5;

/** The combining diacritical marks U+0300-U+036F (those of Latin, Greek and Cyrillic letters), which `composeDiacritics` composes. */
const COMBINING_MARK = /[\u0300-\u036f]/;

/** Whether an email's subject, body or HTML has a combining mark: only then may its dedupe text differ from the form of models trained before letters were composed. */
function hasDecomposedText(email: Email): boolean {
  return [email.subject, email.body, email.html].some((text) => text !== undefined && COMBINING_MARK.test(text));
}

/**
 * A text as rows are compared by as exact duplicates: decomposed letters composed as cleaning composes them
 * (`composeDiacritics`: `u` and a combining diaeresis is `ü`, as a macOS or PDF export writes it), lower-cased and
 * whitespace-folded. Text without a combining mark (NFC data) is only lower-cased and folded, as before letters were
 * composed.
 */
export function dedupeKeyText(text: string): string {
  return composeDiacritics(text).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The subject, body and HTML of an email as one text, before `dedupeKeyText`. */
function emailText(email: Email): string {
  return `${email.subject ?? ''}\n${email.body ?? ''}\n${email.html ?? ''}`;
}

/**
 * What rows are compared by as exact duplicates: the subject, body and HTML, by `dedupeKeyText`. The data hash, the
 * held-out rows' fingerprint and the seen-texts filter of the artifact are all made of it, so it is made again from
 * the email where they need it (rows keep only its digest, `dedupeKey`).
 */
export function dedupeText(email: Email): string {
  return dedupeKeyText(emailText(email));
}

/**
 * The dedupe text as models trained before letters were composed made it (lower-cased and whitespace-folded only),
 * for an email whose text has a combining mark (else undefined: it is `dedupeText`). Their data hash, held-out
 * fingerprint and seen-texts filter of data with decomposed letters were made of it, so those are found again.
 */
export function uncomposedDedupeText(email: Email): string | undefined {
  return hasDecomposedText(email) ? emailText(email).toLowerCase().replace(/\s+/g, ' ').trim() : undefined;
}

/** A row's `dedupeKey`: a digest of its dedupe text, of a fixed size whatever the length of the email. */
export function dedupeKeyOf(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/**
 * The sender, where it decides what training does with the row: a mail system's address makes it automated mail,
 * which training leaves out (`mailer-daemon@` for a customer's address changed the model, not the data hash).
 * Elsewhere the sender decides nothing, and the hash of such data is as it was before senders were hashed.
 */
function decidingSender(email: Email): string[] {
  if (email.from === undefined) return [];
  const kind = automatedKind(email);
  return kind !== undefined && automatedKind({ ...email, from: undefined }) !== kind ? [`from:${email.from}`] : [];
}

/**
 * Adds a row to the data hash and the named one. The text, not its digest, as the data hash has always been made:
 * models trained before recorded it so. Attachment names only where a row has them, and the sender only where it
 * makes the row automated: the hash of data without them is as it was before they were read.
 */
function hashRow(hash: Hash, namedHash: Hash, row: DatasetRow, text: string): void {
  const e = row.email;
  const fields = [text, e.bank ?? null, e.receivedAt ?? null, row.labels, ...(e.attachmentNames ? [e.attachmentNames] : []), ...decidingSender(e)];
  hash.update(`${JSON.stringify([row.placeId ? null : e.id, ...fields])}\n`);
  namedHash.update(`${JSON.stringify([e.id, ...fields])}\n`);
}

interface PendingRow {
  record: SourceRecord;
  email: Email;
  /** Per task: the label as read, where an alias renamed it from, and (for a retired label) the retired name it carries. */
  raw: Array<{ label: string | null; renamedFrom?: string; retired: boolean; retiredAs?: string }>;
  /** Its id was made from the file's name and the line (no id column, or none on this JSONL line). */
  placeId: boolean;
}

function fixNewlines(value: string | null, literal: boolean): string | undefined {
  if (value === null || value === '') return undefined;
  return literal ? value.replace(/\\r\\n|\\n/g, '\n') : value;
}

/** JSONL values that are not what their column is read as (an object as text, `true` as a label). */
function checkValues(record: SourceRecord, config: TrainingConfig, problems: string[]): void {
  if (record.badValue === undefined) return;
  const uses: Array<readonly [string, CellUse]> = [
    ...Object.entries(config.columns).flatMap(([key, column]) => (column === undefined ? [] : [[column, key === 'id' ? 'id' : key === 'attachmentNames' ? 'list' : 'text'] as const])),
    ...config.tasks.map((task) => [taskColumn(task), 'label'] as const),
  ];
  for (const [column, use] of uses) {
    // As a configured column a CSV header names twice: which value is meant cannot be guessed.
    const times = record.repeatedKeys?.get(column);
    if (times !== undefined) problems.push(`${cellLocation(record, column)}: the key is in the line ${times} times (JSON would keep the last value): keep one`);
    const why = record.badValue(column, use);
    if (why !== undefined) problems.push(`${cellLocation(record, column)}: ${why}`);
  }
}

/** A day-first date and time (`04.12.2026 14:03`, `4.12.26`, `04/12/2026 14:03:05`; a two-digit year is 20yy) written as ISO 8601 without a zone; other text as it is. */
const DAY_FIRST = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
function dayFirstAsIso(text: string): string {
  const m = DAY_FIRST.exec(text);
  if (m === null) return text;
  const [, day, , month, year, hours, minutes, seconds] = m;
  const two = (n: string) => n.padStart(2, '0');
  const date = `${year.length === 2 ? `20${year}` : year}-${two(month)}-${two(day)}`;
  return hours === undefined ? date : `${date}T${two(hours)}:${minutes}:${seconds ?? '00'}`;
}

/** Why a received time was not read: a day-first date of a day that does not exist, or its form. */
function unreadTimeHint(text: string, config: TrainingConfig): string {
  const read = config.dateOrder === 'day-first' ? dayFirstAsIso(text) : text;
  if (read === text) return dateHint(text);
  const [, year, month, day, hours, minutes, seconds] = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(read) ?? [];
  const how = 'read day first ("dateOrder": "day-first")';
  if (Number(month) < 1 || Number(month) > 12) return `${how}, its month ${Number(month)} does not exist: fix the date in the export`;
  const missing = missingDay(Number(day), Number(month), Number(year));
  if (missing !== undefined) return `${how}, ${missing}`;
  if (hours !== undefined && (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59)) return `${how}, the time ${hours}:${minutes}:${seconds} does not exist: fix it in the export`;
  return `${how}, a day, month or time that does not exist`;
}

/**
 * The attachment names of a cell: a JSON array of strings (a JSONL array, as `cell` writes it, or the array
 * `mailroute feedback export` writes), else text split at `;`, `|` and line breaks (`\n` too with
 * `literalNewlines`, which a JSON array is read without: its `\n` is JSON's); blanks around a name go, empty names too.
 */
export function attachmentNamesOf(cell: string | null | undefined, literalNewlines = false): string[] {
  if (cell === undefined || cell === null || cell.trim() === '') return [];
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((n) => typeof n === 'string')) return parsed.map((n) => n.trim()).filter((n) => n !== '');
    } catch {
      // Not JSON: a name that starts with `[`, read as text.
    }
  }
  return (fixNewlines(text, literalNewlines) ?? '').split(/[;|\r\n]+/).map((n) => n.trim()).filter((n) => n !== '');
}

/** What reading the rows of a load counts beside their problems, for its notes and hints. */
interface RowTally {
  unknownLabels: UnknownLabels;
  /** Received times read in a change of daylight saving time (the config's `timeZone`). */
  shiftedTimes: ShiftedTimes;
  /** Per task, each label cell as read, bad rows' too: an alias or retired label no cell reaches is warned of. */
  seenLabels: SeenLabels;
  /** What personal data a label cell holds (`createPersonalLabelCheck`), each distinct label masked once a load. */
  personalData: (label: string) => string | undefined;
  /**
   * Tasks whose labels a trained model fixes (`fixedLabels`): a cell it does not know becomes `other` or masked, named
   * only masked in a warning, never a label name; so a cell holding personal data is no bad row there (predict goes on).
   */
  fixedTasks: ReadonlySet<string>;
  /** Label cells holding a placeholder for no value (`placeholderLabel`), per task: read as empty, then warned of. */
  placeholders: PlaceholderCounts;
  /** Rows whose text reads as encoded twice (`looksDoubleEncoded`), warned of. */
  doubleEncoded: DoubleEncodedRows;
}

function readRow(record: SourceRecord, config: TrainingConfig, problems: string[], tally: RowTally, needsTime = false): PendingRow | undefined {
  const c = config.columns;
  const before = problems.length;
  checkValues(record, config, problems);
  const get = (column: string | undefined) => (column === undefined ? undefined : fixNewlines(record.get(column), config.literalNewlines));
  const email: Email = {};
  const id = get(c.id)?.trim();
  // A blank id cell (or a JSONL null) is a mistake; no id at all (a JSONL line without the key) takes file and line.
  if (c.id !== undefined && !id && (record.get(c.id) !== null || record.has?.(c.id) === true)) problems.push(`${cellLocation(record, c.id)}: empty id`);
  email.id = id || `${path.basename(record.file)}:${record.line}`;
  email.subject = get(c.subject);
  email.body = get(c.body);
  email.html = get(c.html);
  email.bank = get(c.bank)?.trim() || undefined;
  email.from = get(c.from);
  const names = c.attachmentNames === undefined ? [] : attachmentNamesOf(record.get(c.attachmentNames), config.literalNewlines);
  if (names.length > 0) email.attachmentNames = names;
  const received = get(c.receivedAt)?.trim();
  if (received && c.receivedAt !== undefined) {
    const t = readReceivedTime(config.dateOrder === 'day-first' ? dayFirstAsIso(received) : received, config.timeZone, tally.shiftedTimes, `${record.file}:${record.line}`);
    // Quoted masked, names too, before it is cut (`quotedCell`): the message reaches an evaluation's reports and a run's record.
    if (Number.isNaN(t)) problems.push(`${cellLocation(record, c.receivedAt)}: not a date/time: ${quotedCell(received)} (${unreadTimeHint(received, config)})`);
    else email.receivedAt = new Date(t).toISOString();
  } else if (needsTime && c.receivedAt !== undefined) {
    problems.push(`${cellLocation(record, c.receivedAt)}: no received time (a time split needs every row's: fill it in, or use a stratified split)`);
  }
  if (looksDoubleEncoded(email)) {
    tally.doubleEncoded.rows += 1;
    if (tally.doubleEncoded.at.length < MAX_LISTED) tally.doubleEncoded.at.push(`${record.file}:${record.line}`);
  }
  const tooLong = oversizedText(email);
  if (tooLong !== undefined) {
    const column = (email.html?.length ?? 0) > (email.body?.length ?? 0) ? c.html : c.body;
    problems.push(`${column === undefined ? `${record.file}:${record.line}` : cellLocation(record, column)}: ${tooLong}`);
  }
  if (!email.subject?.trim() && !email.body?.trim() && !email.html?.trim()) {
    const mapped = [c.subject, c.body, c.html].filter((column) => column !== undefined);
    // The text may be under a key spelt otherwise (`Body`) or in a column the config does not map (`html_body`).
    const columns = configuredColumns(config);
    const elsewhere = unreadTextHint(record, columns, nearMissKeys(record, columns), mapped);
    problems.push(`${record.file}:${record.line}: no text (the text column${mapped.length > 1 ? 's' : ''} ${mapped.join(', ')} ${mapped.length > 1 ? 'are' : 'is'} empty${elsewhere})`);
  }
  const parsed = EmailSchema.safeParse(email);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const column = (c as Record<string, string | undefined>)[field] ?? field;
      problems.push(`${cellLocation(record, column)}: ${issue.message}`);
    }
  }
  const raw: PendingRow['raw'] = [];
  for (const task of config.tasks) {
    const column = taskColumn(task);
    // A JSONL value that is no label (`true`, an object) is reported above: not also as a label outside the taxonomy.
    // A placeholder (`nan`, `NULL`, `#N/A`) is no label either: read as an empty cell, counted for the warning.
    const placeholder = placeholderLabel(task, record.get(column));
    if (placeholder !== undefined) countPlaceholder(tally.placeholders, task.name, placeholder);
    const resolved = record.badValue?.(column, 'label') === undefined && placeholder === undefined ? resolveLabel(task, record.get(column)) : ({ kind: 'missing' } as const);
    // The cell as read, before its aliases (an alias's old name, a retired label, a label or one outside the taxonomy).
    countSeenLabel(tally.seenLabels, task.name, resolved.kind === 'missing' ? undefined : resolved.kind === 'label' ? (resolved.renamedFrom ?? resolved.label) : resolved.label);
    if (resolved.kind === 'unknown') {
      // Without a prototype: a label (or task) named `constructor` or `toString` would read Object's member.
      const counts = (tally.unknownLabels[task.name] ??= Object.create(null) as Record<string, number>);
      counts[resolved.label] = (counts[resolved.label] ?? 0) + 1;
    }
    // The cell quoted as `quotedCell` quotes it: a label as written (a typo is seen), other text (a name, a phone number
    // a column shift put there) masked and cut; the message reaches an evaluation's reports and a run's record.
    if (resolved.kind === 'unknown') problems.push(`${cellLocation(record, column)}: label ${quotedCell(resolved.label)} is not in the ${task.name} taxonomy ${labelChoicesHint(resolved.label, task)}`);
    else if (resolved.kind === 'unholdable') problems.push(`${cellLocation(record, column)}: label ${quotedCell(resolved.label)} cannot be a label (no JavaScript record can hold it): rename it in the export`);
    else if (resolved.kind === 'alias-cycle') problems.push(`${cellLocation(record, column)}: aliases of ${quotedCell(resolved.label)} form a cycle`);
    else if (resolved.kind === 'label' && resolved.renamedFrom === undefined && task.labels === undefined && !tally.fixedTasks.has(task.name)) {
      // Without `labels` the cell itself becomes a label name, kept as written in the manifest and the run's record: one
      // holding personal data is a bad row, as a label outside `labels` is. (A name the config gives, an alias's, is its own.)
      const found = tally.personalData(resolved.label);
      if (found !== undefined) problems.push(personalLabelProblem(cellLocation(record, column), quotedCell(resolved.label), found));
    }
    raw.push({
      label: resolved.kind === 'label' ? resolved.label : null,
      renamedFrom: resolved.kind === 'label' ? resolved.renamedFrom : undefined,
      retired: resolved.kind === 'retired',
      // Under its name in the task's `retired` (an alias that leads to a retired label is counted as that label).
      ...(resolved.kind === 'retired' ? { retiredAs: task.retired.includes(resolved.label) ? resolved.label : followAliases(task.aliases, resolved.label).label } : {}),
    });
  }
  return problems.length === before ? { record, email: parsed.success ? parsed.data : email, raw, placeId: !id } : undefined;
}

/**
 * Why a row's text is more than cleaning reads (body and HTML together over `DEFAULT_MAX_INPUT_CHARS`, as `cleanEmail`
 * counts them): a bad row named by its cell, not a failure of the whole run once cleaning meets it.
 */
function oversizedText(email: Email): string | undefined {
  const size = cleaningInputChars(email);
  if (size <= DEFAULT_MAX_INPUT_CHARS) return undefined;
  return `the text has ${size.toLocaleString('en-US')} characters (body and html together), over the ${DEFAULT_MAX_INPUT_CHARS.toLocaleString('en-US')} cleaning reads (an image or attachment pasted in as text?): cut it in the export, or leave the row out (onBadRow "skip", --on-bad-row skip)`;
}

/** The columns a file has: its CSV header, or the keys its JSONL lines have (none known for an empty file). */
function presentIn(source: SourceFile): { columns: string[]; lacks: string; hint: string; source: SourceFile } | undefined {
  if (source.columns) return { columns: source.columns, lacks: `${source.file}:1: header lacks`, hint: source.hint ?? '', source };
  if (source.keys && source.records.length > 0) return { columns: source.keys, lacks: `${source.file}: no line has`, hint: '', source };
  return undefined;
}

type Present = NonNullable<ReturnType<typeof presentIn>>;

/**
 * The error for a file that lacks `what` (`column(s) "queue" (has id, body)`), `hint` after it; a CSV file whose
 * first line is JSON says so instead (`notCsv`): its header's columns are pieces of JSON.
 */
function lacksError(present: Present, what: string, hint: string, delimiter?: string): DatasetError {
  if (present.source.notCsv !== undefined) return new DatasetError('DATASET_FILE_INVALID', present.source.notCsv, [], { reason: 'not-csv' });
  return new DatasetError('DATASET_FILE_INVALID', `${present.lacks} ${what}${hint}`, [], { reason: 'lacks-columns', ...(delimiter !== undefined ? { delimiter } : {}) });
}

/** Every column the config reads: its text, id and other columns, and each task's label column. */
export function configuredColumns(config: TrainingConfig): string[] {
  return [...Object.values(config.columns).filter((v): v is string => v !== undefined), ...config.tasks.map(taskColumn)];
}

/** A configured column the CSV header names twice: which of the two is meant cannot be guessed, so it is refused. */
function checkRepeatedColumns(source: SourceFile, config: TrainingConfig): void {
  const header = source.columns;
  if (header === undefined) return;
  for (const column of new Set(configuredColumns(config))) {
    const at = header.flatMap((h, i) => (h === column ? [i + 1] : []));
    if (at.length > 1) {
      throw new DatasetError('DATASET_FILE_INVALID', `${source.file}:1: the header has column "${column}" ${at.length} times (columns ${at.join(', ')}): rename all but the one to read`);
    }
  }
}

/**
 * Refuses a file that lacks a column the config reads. With `labelColumnsMayLack` (one of several files), a file
 * that lacks only task label columns is not refused: the columns it lacks are returned, with the error to throw
 * should no file have them (a misspelt column, not an older export).
 */
function checkColumns(present: ReturnType<typeof presentIn>, config: TrainingConfig, labelColumnsMayLack = false): { columns: string[]; error: DatasetError } | undefined {
  if (present === undefined) return undefined;
  const wanted = configuredColumns(config);
  const missing = wanted.filter((w) => !present.columns.includes(w));
  if (missing.length > 0) {
    const labelColumns = new Set(config.tasks.map(taskColumn));
    // Split by another common delimiter, the header may have every column: say which one to pass.
    const other = otherDelimiterFor(present.source, (columns) => wanted.every((w) => columns.includes(w)));
    // One that gives some of them is named too (a misspelt column as well); one that gives none is no help.
    const partly = other ?? otherDelimiterFor(present.source, (columns) => wanted.some((w) => columns.includes(w)));
    // Names match exactly: the header's "Betreff" for a configured "betreff" is guessed, case and typos alike, and
    // the one column with a word more or less ("type" for "ticket_type").
    const error = lacksError(present, lacksColumnsText(missing, present.columns), partly?.hint ?? present.hint, other?.delimiter);
    if (labelColumnsMayLack && missing.every((m) => labelColumns.has(m))) return { columns: missing, error };
    throw error;
  }
  return undefined;
}

/**
 * Reads one or more exports with the config's columns and taxonomy. A bad row fails the load (listing the
 * first problems) or, with `onBadRow: 'skip'`, is left out and reported; it never becomes an example.
 */
export interface LoadOptions {
  /**
   * The labels a trained model knows, per task: used instead of minCount when reading data for an
   * existing model (a label it does not know becomes `other` when it has one, else masked).
   */
  fixedLabels?: Record<string, readonly string[]>;
  /**
   * With `fixedLabels`, per task: labels the model's training dropped as rare (`rare: "drop"`), masked as training
   * masked them, not read as `other` (still counted in `notInModel`).
   */
  maskedLabels?: Record<string, readonly string[]>;
  /**
   * The data is read for a trained model (predict, evaluate, compare), with its own config: the hints for
   * bad rows and another delimiter name those commands' flags (--on-bad-row, --delimiter), not config keys.
   */
  forModel?: boolean;
  /** Read by the container's training job, which takes no flags: the hints name config keys only. */
  job?: boolean;
  /** The file the config was read from (--config), which the hint for a renamed label names; absent: the demo config or a model's own. */
  configFile?: string;
  /** Keep rows whose labels are all masked (prediction needs every row; training does not). */
  keepUnlabelled?: boolean;
  /**
   * Reading each file, in characters parsed (label `read`, or `read <file name>` for several files); then, where they
   * take over a second, checking its records (`check`) and keying the rows (`dedupe`).
   */
  onProgress?: (done: number, total: number, label: string) => void;
  /** Checked between records (every 50 ms): an abort (a Ctrl-C) ends the read with its reason. */
  signal?: AbortSignal;
  /**
   * Emails to predict: a file needs one of the configured text columns only; label and other columns it
   * lacks read as empty (labels masked, ids from file and line).
   */
  textColumnsOnly?: boolean;
  /**
   * With `textColumnsOnly`, emails to evaluate on: a file also needs the label column of one task at least
   * (a task whose column it lacks has no truths, as with empty labels).
   */
  labelColumn?: boolean;
  /**
   * The rows are to be split by time (a time split's training data): with `onBadRow: 'skip'`, a row without a
   * received time is a bad row, left out and said as others are. Under `fail` the split refuses such rows.
   */
  needsTime?: boolean;
  /**
   * One of the files whose labels replace, task by task, those of the other files' rows of the same email id (from an id
   * column): the confirmed cases mailroute exported (the retraining pipeline's feedback file), labels people confirmed
   * last, beside CRM exports that may hold the same closed cases. Its rows so merged are left out (the other row keeps
   * its text and fields, a task the file leaves blank its label), before anything is counted.
   */
  supersedingFile?: string;
}

/** The config's columns of which an email to predict needs one. */
export const TEXT_COLUMNS = ['subject', 'body', 'html'] as const;

/** The config's columns this file has, for reading emails to predict; at least one text column, and with `labelColumn` one task's label column. */
function presentColumns(present: Present, config: TrainingConfig, labelColumn: boolean): TrainingConfig {
  const kept = Object.fromEntries(Object.entries(config.columns).filter(([, column]) => column !== undefined && present.columns.includes(column)));
  if (!TEXT_COLUMNS.some((key) => kept[key] !== undefined)) {
    const wanted = TEXT_COLUMNS.map((key) => config.columns[key]).filter((c) => c !== undefined);
    const other = otherDelimiterFor(present.source, (columns) => wanted.some((w) => columns.includes(w)));
    throw lacksError(present, `a text column (wants one of ${wanted.map((m) => `"${m}"`).join(', ')}; has ${columnList(present.columns)})`, other?.hint ?? present.hint, other?.delimiter);
  }
  const labels = config.tasks.map(taskColumn);
  if (labelColumn && !labels.some((column) => present.columns.includes(column))) {
    const named = labels.map((m) => `"${m}"${columnGuess(m, present.columns)}`);
    throw lacksError(present, `a label column to measure against (wants one of ${named.join(', ')}; has ${columnList(present.columns)})`, present.hint);
  }
  return { ...config, columns: kept };
}

/**
 * Of `notInModel`, per task, the labels whose rows were masked (left out of the metrics), tasks with none left out:
 * every label of a task without `other`; of one with it, only those in `masked` (the others became `other`).
 */
export function maskedNotInModel(notInModel: Record<string, Record<string, number>>, hasOther: (task: string) => boolean, masked: Record<string, readonly string[]>): Array<[string, Record<string, number>]> {
  return Object.entries(notInModel)
    .map(([task, labels]): [string, Record<string, number>] => (hasOther(task) ? [task, Object.fromEntries(Object.entries(labels).filter(([label]) => ownValue(masked, task)?.includes(label)))] : [task, labels]))
    .filter(([, labels]) => Object.keys(labels).length > 0);
}

/** A trained model's labels applied: a label it lacks is counted in `unknown` and becomes `other` where it has it, else (or when `masked`) null. */
function mapToFixed(labels: Array<string | null>, known: readonly string[], unknown: Record<string, number>, masked: readonly string[] = []): Array<string | null> {
  const set = new Set(known);
  const maskedSet = new Set(masked);
  return labels.map((l) => {
    if (l === null || set.has(l)) return l;
    unknown[l] = (unknown[l] ?? 0) + 1;
    return set.has(OTHER_LABEL) && !maskedSet.has(l) ? OTHER_LABEL : null;
  });
}

/** Whom the load's hints speak to: a command reading for a trained model (its flags), the training job (config keys only), or training. */
function hintsFor(options: LoadOptions): Hints {
  return options.forModel ? 'flags' : options.job ? 'job' : 'config';
}

export async function loadDataset(paths: string | readonly string[], config: TrainingConfig, options: LoadOptions = {}): Promise<Dataset> {
  const files = typeof paths === 'string' ? [paths] : [...paths];
  if (options.supersedingFile !== undefined && config.columns.id === undefined && files.length > 1) {
    // Rows are matched by the email's id: without one, each confirmed case would train twice, under the export's label
    // and the confirmed one, and nothing would say so.
    throw new TrainingConfigError(
      `the confirmed cases of ${path.basename(options.supersedingFile)} replace the rows of the same email in the other exports by its id, and the training config names no id column: set "columns": {"id": ...} to the column of the CRM's email id (the confirmed cases are written with it)`,
    );
  }
  const problems: string[] = [];
  const pending: PendingRow[] = [];
  // Rows, not problems: a row with a bad label and a bad date is one bad row, one place.
  const badRowPlaces: string[] = [];
  const unknownLabels: UnknownLabels = Object.create(null) as UnknownLabels;
  const tally: RowTally = {
    unknownLabels,
    shiftedTimes: noShiftedTimes(),
    seenLabels: new Map(),
    personalData: createPersonalLabelCheck(),
    fixedTasks: new Set(config.tasks.flatMap((task) => (ownValue(options.fixedLabels, task.name) === undefined ? [] : [task.name]))),
    placeholders: new Map(),
    doubleEncoded: { rows: 0, at: [] },
  };
  // Rows whose text holds the two characters `\n`, counted only where the config reads them as they are.
  let literalNewlineRows = 0;
  let read = 0;
  let blankRecords = 0;
  // Under fail the split's own error names the rows without a time (and how to leave them out).
  const needsTime = options.needsTime === true && config.onBadRow === 'skip';
  const lackingLabelColumns: Array<{ file: string; columns: string[]; error: DatasetError }> = [];
  // JSONL lines whose keys are spelt otherwise than the config's columns (`Body` for `body`): their values are not read.
  const nearKeys: NearKeyTally = new Map();
  // The columns some file has: a label column lacking in one is read as a task added since only when another has it.
  const seenColumns = new Set<string>();
  const fileColumns: Array<{ file: string; columns: string[] }> = [];
  for (const file of files) {
    const onRead = options.onProgress && ((done: number, total: number) => options.onProgress?.(done, total, files.length > 1 ? `read ${path.basename(file)}` : 'read'));
    const source = await readSourceFile(file, formatOf(config, file), config.delimiter, config.encoding, hintsFor(options), onRead);
    // The reader's problems (a line with too many fields) and the rows' (a bad date) with their lines, put in file order below.
    const found = [...(source.problems ?? [])];
    const badLines = found.map((f) => f.line);
    read += source.records.length + found.length;
    blankRecords += source.blankRecords ?? 0;
    checkRepeatedColumns(source, config);
    let fileConfig = config;
    const present = presentIn(source);
    for (const column of present?.columns ?? []) seenColumns.add(column);
    if (present) fileColumns.push({ file, columns: present.columns });
    if (options.textColumnsOnly) fileConfig = present ? presentColumns(present, config, options.labelColumn === true) : config;
    else {
      // Of several exports, an older one may lack the label column of a task added since.
      const lacking = checkColumns(present, config, files.length > 1);
      if (lacking) lackingLabelColumns.push({ file, ...lacking });
    }
    const columns = configuredColumns(fileConfig);
    // Checking 600,000 records takes seconds: reported once it takes a while, with turns for the event loop (a Ctrl-C is heard).
    const checking = new LoopTurns(source.records.length, { signal: options.signal, onProgress: options.onProgress, label: 'check' });
    for (const record of source.records) {
      if (checking.due()) await checking.turn();
      countNearKeys(nearKeys, file, nearMissKeys(record, columns));
      const rowProblems: string[] = [];
      const row = readRow(record, fileConfig, rowProblems, tally, needsTime);
      if (row) {
        pending.push(row);
        if (!config.literalNewlines && hasLiteralNewline(row.email)) literalNewlineRows++;
      } else {
        badLines.push(record.line);
        for (const problem of rowProblems) found.push({ line: record.line, problem });
      }
    }
    // Stable: a row's problems keep their order (its columns').
    found.sort((a, b) => a.line - b.line);
    // One by one, not push(...all): spread into arguments, the 130,000 bad rows of a big export whose date
    // column is in another form would overflow the stack instead of being reported.
    for (const f of found) problems.push(f.problem);
    for (const line of badLines.sort((a, b) => a - b)) badRowPlaces.push(`${file}:${line}`);
  }
  const superseded = supersede(pending, options.supersedingFile, files);
  // A label column no file has is misspelt, not added since: refused as a single file's would be.
  const inNone = lackingLabelColumns.find((l) => l.columns.some((column) => !seenColumns.has(column)));
  if (inNone) throw inNone.error;
  // So is one another file has, where this file has a column of a close name: renamed in this export (`queue_name`).
  const renamedColumn = findRenamedLabelColumn(fileColumns, configuredColumns(config), config.tasks.map(taskColumn));
  const renamedIn = renamedColumn && lackingLabelColumns.find((l) => l.file === renamedColumn.file);
  if (renamedColumn && renamedIn) throw renamedLabelColumnError(renamedColumn, renamedIn.error.message);
  const renamed = likelyRenamed(unknownLabels, (task) => config.tasks.find((t) => t.name === task)?.labels ?? []);
  const hints = hintsFor(options);
  if (problems.length > 0 && config.onBadRow === 'fail') {
    // A renamed label is mapped by an alias, keeping its rows; skipping them would lose the whole class.
    // Its example guesses the old name as the skip warnings do, from the good rows' labels.
    const counts = (task: string) => {
      const t = config.tasks.findIndex((x) => x.name === task);
      return labelCounts(pending.map((p) => p.raw[t]?.label));
    };
    const alias = renamedLabelHint(renamed.map((r) => withLikelierGuess(r, counts(r.task))), options.configFile);
    const keys = nearKeyWarnings(nearKeys);
    const message = badRowsMessage({ rows: badRowPlaces.length, read, problems, hints, ...(keys.length > 0 ? { keys: keys.join('; ') } : {}), ...(alias === undefined ? {} : { alias }), ...(options.configFile === undefined ? {} : { configFile: options.configFile }) });
    throw new DatasetError('DATASET_ROW_INVALID', message, problems);
  }
  const taxonomy: TaskTaxonomyReport[] = [];
  const finalLabels: Array<Array<string | null>> = [];
  const notInModel: Record<string, Record<string, number>> = {};
  const lookalikeWarnings: string[] = [];
  config.tasks.forEach((task, t) => {
    const renamed: Record<string, number> = {};
    let retired = 0;
    const retiredLabels = nullRecord<number>();
    let missing = 0;
    const labels = pending.map((p) => {
      const r = p.raw[t];
      if (r.renamedFrom !== undefined && r.label !== null) {
        const key = `${r.renamedFrom} -> ${r.label}`;
        renamed[key] = (renamed[key] ?? 0) + 1;
      }
      if (r.retired) {
        retired++;
        if (r.retiredAs !== undefined) retiredLabels[r.retiredAs] = (retiredLabels[r.retiredAs] ?? 0) + 1;
      } else if (r.label === null) missing++;
      return r.label;
    });
    // Own keys only: a task of the config that the model lacks, named `constructor`, would read Object's member.
    const fixed = ownValue(options.fixedLabels, task.name);
    // Without a prototype: a label named `constructor` or `toString` would add its rows to Object's member.
    const unknown = nullRecord<number>();
    const result = finaliseTaskLabels(task, fixed ? mapToFixed(labels, fixed, unknown, ownValue(options.maskedLabels, task.name)) : labels, { renamed, retired, retiredLabels: { ...retiredLabels }, missing }, fixed !== undefined);
    if (Object.keys(unknown).length > 0) notInModel[task.name] = unknown;
    const lookalike = lookalikeWarning(result.report);
    if (lookalike !== undefined) lookalikeWarnings.push(lookalike);
    taxonomy.push(result.report);
    finalLabels.push(result.labels);
  });
  const rows: DatasetRow[] = [];
  let unlabelled = 0;
  const unlabelledAt: string[] = [];
  const hash = createHash('sha256');
  const namedHash = createHash('sha256');
  let decomposed = false;
  // Training data only: rows read for a trained model (predict, evaluate, a training's test file) say their own repeats.
  const training = !options.forModel && options.fixedLabels === undefined && !options.textColumnsOnly;
  // Per row, the labels read as another than the file's cell (an alias, a rare label merged into `other`): the
  // warning of a text labelled two ways quotes the cell as written.
  const written = new Map<DatasetRow, Record<string, WrittenLabel>>();
  // Each row's text made the key of its repeats and hashed: seconds on 600,000 rows, reported and stoppable as above.
  const keying = new LoopTurns(pending.length, { signal: options.signal, onProgress: options.onProgress, label: 'dedupe' });
  for (let i = 0; i < pending.length; i++) {
    if (keying.due()) await keying.turn();
    const p = pending[i];
    const labels: Record<string, string | null> = {};
    config.tasks.forEach((task, t) => (labels[task.name] = finalLabels[t][i]));
    if (!options.keepUnlabelled && Object.values(labels).every((l) => l === null)) {
      unlabelled++;
      if (unlabelledAt.length < MAX_LISTED) unlabelledAt.push(`${p.record.file}:${p.record.line}`);
      continue;
    }
    const e = p.email;
    const text = dedupeText(e);
    const time = e.receivedAt ? Date.parse(e.receivedAt) : undefined;
    const row: DatasetRow = { id: e.id as string, file: p.record.file, line: p.record.line, email: e, labels, dedupeKey: dedupeKeyOf(text), time, ...(p.placeId ? { placeId: true as const } : {}) };
    rows.push(row);
    if (training) {
      const own = writtenLabels(p, config.tasks, labels);
      if (own !== undefined) written.set(row, own);
    }
    hashRow(hash, namedHash, row, text);
    decomposed ||= hasDecomposedText(e);
  }
  if (rows.length === 0) {
    throw new DatasetError('DATASET_EMPTY', noUsableRowsMessage({ files, read, blankRecords, badRows: badRowPlaces.length, problems, unlabelled, unlabelledAt }), problems);
  }
  // Only data with decomposed letters has other hashes in models trained before letters were composed: made again for it.
  let uncomposedHashes: Dataset['uncomposedHashes'];
  if (decomposed) {
    const old = createHash('sha256');
    const oldNamed = createHash('sha256');
    for (const row of rows) hashRow(old, oldNamed, row, uncomposedDedupeText(row.email) ?? dedupeText(row.email));
    uncomposedHashes = { dataHash: old.digest('hex'), namedDataHash: oldNamed.digest('hex') };
  }
  const duplicates = training ? duplicateRowWarnings(rows, config.tasks.map((t) => t.name), (row, task) => written.get(row)?.[task]) : [];
  // A typo in an alias's old name or a retired label renames or masks nothing: said of training data (a model's own
  // config read for predict or evaluate renames what a new export has, which need not hold every old name).
  const unused = training ? unusedTaxonomyWarnings(config.tasks, tally.seenLabels) : [];
  return {
    files,
    rows,
    skipped: problems,
    read,
    blankRecords,
    badRows: badRowPlaces.length,
    badRowPlaces,
    unlabelled,
    unlabelledAt,
    taxonomy,
    dataHash: hash.digest('hex'),
    namedDataHash: namedHash.digest('hex'),
    ...(uncomposedHashes ? { uncomposedHashes } : {}),
    repeatedIds: config.columns.id === undefined ? [] : repeated(rows.map((r) => r.id)),
    notInModel,
    renamed,
    lackingLabelColumns: lackingLabelColumns.map(({ file, columns }) => ({ file, columns })),
    fileColumns,
    superseded,
    notes: [shiftedTimesNote(tally.shiftedTimes, config.timeZone)].filter((line) => line !== undefined),
    // Lookalike labels before the taxonomy lines, which say the rarer spellings merged into `other`.
    warnings: [...nearKeyWarnings(nearKeys), literalNewlinesWarning(literalNewlineRows, read, hints, options.configFile), doubleEncodedWarning(tally.doubleEncoded, read), ...placeholderWarnings(tally.placeholders), ...unused, ...lookalikeWarnings, ...duplicates].filter((line) => line !== undefined),
  };
}

/**
 * A row's labels that are read as another than its cell (`labels`: the final ones), per task name: the cell as read
 * (trimmed, NFC) and what became of it (`read as kyc_onboarding`, `merged into other`); undefined when none is.
 */
function writtenLabels(p: PendingRow, tasks: TrainingConfig['tasks'], labels: Record<string, string | null>): Record<string, WrittenLabel> | undefined {
  let out: Record<string, WrittenLabel> | undefined;
  tasks.forEach((task, t) => {
    const { label: resolved, renamedFrom } = p.raw[t];
    const final = labels[task.name];
    if (resolved === null || final === null) return;
    const cell = renamedFrom ?? resolved;
    if (cell === final) return;
    // Rare labels merge into `other` after any alias.
    const how = resolved === final ? `read as ${final}` : renamedFrom === undefined ? `merged into ${final}` : `read as ${resolved}, merged into ${final}`;
    (out ??= nullRecord<WrittenLabel>())[task.name] = { cell, how };
  });
  return out;
}

/**
 * Merges (in place) the superseding file's rows into the other files' rows of the same email id (ids from an id column
 * only: one made of a file's name and line names no email): in each such row, every task the superseding row names (a
 * label, or a retired one) takes its label; a task it leaves blank keeps the row's own, and so do the row's text and
 * other fields (a CRM export's, which the feedback file has fewer of). The merged superseding rows are left out; one
 * whose id no other row has stays a row of its own. How many were merged, and where the first are.
 */
function supersede(pending: PendingRow[], file: string | undefined, files: readonly string[]): Dataset['superseded'] {
  if (file === undefined) return { rows: 0, at: [] };
  if (!files.includes(file)) throw new RangeError(`the superseding file ${file} is not among the files read (${files.join(', ')})`);
  const confirmed = new Map<string, PendingRow>();
  for (const p of pending) if (p.record.file === file && !p.placeId) confirmed.set(p.email.id as string, p);
  const merged = new Set<PendingRow>();
  for (const p of pending) {
    const c = p.record.file === file || p.placeId ? undefined : confirmed.get(p.email.id as string);
    if (c === undefined) continue;
    p.raw = p.raw.map((own, t) => (c.raw[t].label !== null || c.raw[t].retired ? c.raw[t] : own));
    merged.add(c);
  }
  const at = [...merged].slice(0, MAX_LISTED).map((c) => `${c.record.file}:${c.record.line}`);
  let kept = 0;
  for (const p of pending) if (!merged.has(p)) pending[kept++] = p;
  pending.length = kept;
  return { rows: merged.size, at };
}

/** Values that occur more than once, the first `MAX_LISTED` of them. */
function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) twice.add(v);
    else seen.add(v);
    if (twice.size >= MAX_LISTED) break;
  }
  return [...twice];
}
