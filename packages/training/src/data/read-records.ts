import { isAscii, isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { decodeWindows1252 } from '@mailroute/preprocess';
import { jsonErrorOffset } from '../config-errors.js';
import { DatasetError, readProblem } from '../errors.js';
import { decodeUtf8, isGzip, isUtf16, utf16WithoutBom } from '../utf8.js';

/** One record of an export, with where it came from, so every error can name file, line and column. */
export interface SourceRecord {
  file: string;
  line: number;
  /** Raw cell by column name; null when the cell is absent or JSON null. */
  get(column: string): string | null;
  /** 1-based column number of a column in this file (JSONL: undefined). */
  columnNumber(column: string): number | undefined;
  /**
   * JSONL: why a cell's JSON value cannot be read as `what` (an object, array or boolean; a number beyond
   * 2^53 - 1, already rounded by JSON.parse); undefined when it can. A CSV cell is always text.
   */
  badValue?(column: string, what: CellUse): string | undefined;
  /** JSONL: the keys the line's object has more than once, with how often (JSON.parse keeps the last value silently). */
  repeatedKeys?: ReadonlyMap<string, number>;
  /** JSONL: whether the line's object has the key, its value null or not (`get` says null for both). */
  has?(column: string): boolean;
  /** The record's columns: a CSV file's header, a JSONL line's keys (each line may have others). */
  keys?(): readonly string[];
}

/** What a cell is read as: text (and dates, banks), a label, or an id. */
export type CellUse = 'text' | 'label' | 'id' | 'list';

/** A problem of a row, said with its place, and the line it is on (to put problems in file order). */
export interface RowProblem {
  line: number;
  problem: string;
}

export interface SourceFile {
  file: string;
  /** The CSV header; undefined for JSONL, whose lines may each leave keys out. */
  columns: string[] | undefined;
  /** JSONL: every key some line has (a configured key that no line has is a typo, not a blank). */
  keys?: string[];
  records: SourceRecord[];
  /**
   * Rows that could not be read, one problem each (JSONL: not JSON, not an object; CSV: more or fewer
   * fields than the header), with their lines: bad rows, reported as the config says.
   */
  problems?: RowProblem[];
  /** CSV: records whose every cell is empty (`,,,,`, an export's padding), skipped as blank lines are but counted. */
  blankRecords?: number;
  /** CSV: why the file may not be CSV as configured (JSONL, another delimiter), for a header that lacks columns. */
  hint?: string;
  /**
   * CSV whose first line is JSON (an array, JSONL): the message for a header that lacks columns, said instead of
   * them, as that "header" is a line of JSON cut at its commas.
   */
  notCsv?: string;
  /** CSV: the header as the other common delimiters split it, to find one that gives the wanted columns. */
  headerSplitBy?: ReadonlyArray<{ delimiter: string; columns: string[] }>;
  /** How hints say to read the file otherwise: config keys, or the flags of predict, evaluate and compare. */
  hints?: Hints;
}

/** The delimiters tried when a CSV header lacks the wanted columns. */
export const COMMON_DELIMITERS = [',', ';', '\t', '|'] as const;

/** How to ask for another delimiter: the config key or train's flag, or the flag of predict, evaluate and compare. */
/**
 * Whom a hint speaks to: `config`, the training command (a config key, or its flag); `flags`, a command reading
 * for a trained model (its flags only); `job`, the container's training job, which has no flags (config keys only).
 */
export type Hints = 'config' | 'flags' | 'job';

export function delimiterHow(delimiter: string, hints: Hints): string {
  if (hints === 'job') return `set "delimiter": ${JSON.stringify(delimiter)} in the config`;
  const flag = `--delimiter ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}`;
  return hints !== 'flags' ? `set "delimiter" in the config or pass ${flag}` : `pass ${flag}`;
}

/**
 * Another common delimiter that splits the header into columns that `fits` accepts (the wanted columns are
 * there), when the configured one does not: a file exported with `;` read with `,`, or the other way round.
 */
export function otherDelimiterFor(source: SourceFile, fits: (columns: readonly string[]) => boolean): { delimiter: string; hint: string } | undefined {
  for (const other of source.headerSplitBy ?? []) {
    if (!fits(other.columns)) continue;
    const shown = other.delimiter === '\t' ? 'tabs' : `"${other.delimiter}"`;
    return { delimiter: other.delimiter, hint: `; its first line is split by ${shown}: ${delimiterHow(other.delimiter, source.hints ?? 'config')}` };
  }
  return undefined;
}

/** The first line of a CSV split by each common delimiter other than `delimiter` (quotes respected). */
function headerSplits(headerText: string, delimiter: string): Array<{ delimiter: string; columns: string[] }> {
  const out: Array<{ delimiter: string; columns: string[] }> = [];
  for (const other of COMMON_DELIMITERS) {
    if (other === delimiter || !headerText.includes(other)) continue;
    try {
      const [first] = parse(headerText, { delimiter: other, relax_column_count: true, relax_quotes: true, to_line: 1 }) as string[][];
      if (first) out.push({ delimiter: other, columns: first.map((h) => h.trim()) });
    } catch {
      // A header that does not parse with this delimiter is not split by it.
    }
  }
  return out;
}

export type FileEncoding = 'utf-8' | 'windows-1252';

// Node 20.20's TextDecoder('windows-1252') decodes Latin-1 (€ „ “ ” – … become control characters): preprocess's decoder instead.
export { decodeWindows1252 };

/** What binary file a spreadsheet export is instead of text: an .xlsx is a ZIP (PK\x03\x04), an .xls an OLE file. */
function workbookKind(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) return 'a ZIP file (an Excel workbook, .xlsx?)';
  if (bytes.subarray(0, 8).equals(OLE_MAGIC)) return 'an Excel 97-2003 workbook (.xls)';
  return undefined;
}
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * A Windows-1252 file line by line, a line that is valid UTF-8 read as UTF-8: two months pasted into one file,
 * an old Latin-1 export and a newer UTF-8 one, both read right. Decoded whole as Windows-1252, the UTF-8
 * month would train as mojibake ("prÃ¼fen", "â‚¬") without a word. Consecutive lines of one encoding are
 * decoded together (an ASCII line reads the same in both, so it stays with the lines around it).
 */
function windows1252Lines(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8');
  const parts: string[] = [];
  let runStart = 0;
  let runIsUtf8 = false;
  const endRun = (at: number) => {
    const run = bytes.subarray(runStart, at);
    if (run.length > 0) parts.push(runIsUtf8 ? utf8.decode(run) : decodeWindows1252(run));
    runStart = at;
  };
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline + 1;
    const line = bytes.subarray(start, end);
    if (!isAscii(line) && isUtf8(line) !== runIsUtf8) {
      endRun(start);
      runIsUtf8 = !runIsUtf8;
    }
    start = end;
  }
  endRun(bytes.length);
  return parts.join('');
}

/** The file's text; a file that is not valid UTF-8 (an old Latin-1 export) is refused, not read as mojibake. */
function decode(file: string, bytes: Buffer, encoding: FileEncoding, hints: Hints): string {
  // A workbook given as the export: said as such, not as a file that is not UTF-8 (or as Latin-1 mojibake).
  const workbook = workbookKind(bytes);
  if (workbook) throw new DatasetError('DATASET_FILE_INVALID', `${file}: ${workbook}, not CSV or JSONL text: in Excel, save it as "CSV UTF-8"`);
  // A compressed export: said as such, not as a Latin-1 file.
  if (isGzip(bytes)) throw new DatasetError('DATASET_FILE_INVALID', `${file}: a gzip-compressed file, not CSV or JSONL text: decompress it first (gunzip -k ${path.basename(file)})`);
  if (isUtf16(bytes)) throw new DatasetError('DATASET_FILE_INVALID', `${file}: UTF-16 text (it starts with a UTF-16 byte-order mark): save or export it as UTF-8 (e.g. "CSV UTF-8")`);
  // Without its mark, UTF-16 would read as text with a NUL in every other place (all ASCII is valid UTF-8), or, with
  // a letter beyond ASCII, as a file that is not UTF-8, whose hint (Windows-1252) reads `i\0d\0` as well.
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) throw new DatasetError('DATASET_FILE_INVALID', `${file}: UTF-16 text (${utf16 === 'le' ? 'little' : 'big'}-endian, without a byte-order mark: every other byte is NUL): save or export it as UTF-8 (e.g. "CSV UTF-8")`);
  // A file that is valid UTF-8 is UTF-8 (Windows-1252 text with non-ASCII bytes almost never is: "Ã¼" for "ü"),
  // e.g. a newer export read with the config of a model trained on a Latin-1 one: not turned into mojibake.
  if (encoding === 'windows-1252') return isUtf8(bytes) ? new TextDecoder('utf-8').decode(bytes) : windows1252Lines(bytes);
  const utf8 = decodeUtf8(bytes);
  if ('text' in utf8) return utf8.text;
  // predict, evaluate and compare read with the model's stored config: a config of one's own, given with --config, sets the encoding.
  const how = hints !== 'flags' ? 'set "encoding": "windows-1252" in the config' : 'pass --config with a training config that sets "encoding": "windows-1252" (the model\'s own is "trainingConfig" in its manifest.json)';
  throw new DatasetError('DATASET_FILE_INVALID', `${file}:${utf8.badLine}: not UTF-8 (an older export in Latin-1 or Windows-1252?): convert it, or ${how}`);
}

/**
 * Line ends as an editor counts them: CRLF and a lone CR become LF before parsing, so a quoted field
 * spanning lines in a Windows export does not count each line end twice, and values hold plain newlines.
 */
export function normaliseLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Why a data file that is no regular file is refused (`isSpecialFile`). */
export const SPECIAL_FILE_PROBLEM =
  'not a regular file but a named pipe, a device or a socket: a data file is read more than once (its header, then the whole of it), which a pipe gives only once and a device may never end; save the data to a file first';

/**
 * Whether `file` is there and no regular file or folder: a named pipe (`<(...)`), a device (`/dev/zero`), a socket. Read
 * as an export, a pipe hung the second read (its first bytes taken by the first) and /dev/zero filled the memory.
 */
export async function isSpecialFile(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && !info.isFile() && !info.isDirectory();
}

/**
 * `hints`: how the hints say to read the file otherwise: `config` (keys of the training config) or `flags`
 * (the flags of predict, evaluate and compare, which read with a trained model's own config).
 */
export async function readSourceFile(
  file: string,
  format: 'csv' | 'jsonl',
  delimiter = ',',
  encoding: FileEncoding = 'utf-8',
  hints: Hints = 'config',
  /** Characters of the file parsed so far, of all of them: a 100 MB export takes seconds. */
  onRead?: (done: number, total: number) => void,
): Promise<SourceFile> {
  if (await isSpecialFile(file)) throw new DatasetError('DATASET_FILE_INVALID', `${file}: cannot read (${SPECIAL_FILE_PROBLEM})`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new DatasetError('DATASET_FILE_INVALID', `${file}: cannot read (${readProblem(cause)})`, [], { cause });
  }
  const text = fileText(file, bytes, encoding, hints);
  // A file read in a blink (under a million characters, some 2,000 emails) is not reported.
  const report = onRead && text.length >= READ_PROGRESS_MIN_CHARS ? readReporter(text.length, onRead) : undefined;
  const source = format === 'csv' ? parseCsv(file, text, delimiter, hints, report) : parseJsonl(file, text, hints, report);
  if (report) onRead?.(text.length, text.length);
  return source;
}

const READ_PROGRESS_MIN_CHARS = 1_000_000;

/** Calls `onRead` with the characters parsed at most every 2% of the file (a call per record would cost more than it tells). */
function readReporter(total: number, onRead: (done: number, total: number) => void): (done: number) => void {
  const step = Math.max(1, Math.floor(total / 50));
  let next = step;
  return (done) => {
    if (done < next) return;
    next = done + step;
    onRead(done, total);
  };
}

/**
 * The file's text, line ends normalised, without a byte-order mark. V8 makes no string over 2^29 - 24
 * characters: an export bigger than that (about 512 MB) is refused naming the file and the way round it,
 * not with Node's bare "Cannot create a string longer than 0x1fffffe8 characters".
 */
function fileText(file: string, bytes: Buffer, encoding: FileEncoding, hints: Hints): string {
  try {
    return normaliseLineEnds(decode(file, bytes, encoding, hints)).replace(/^\uFEFF/, '');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ERR_STRING_TOO_LONG') throw cause;
    const mb = Math.round(bytes.length / 1e6);
    throw new DatasetError('DATASET_FILE_INVALID', `${file}: too big to read as one file (${mb} MB; at most about 512 MB of text a file): split it into smaller files and give them together (--data part1.csv part2.csv)`, [], { cause });
  }
}

interface CsvInfoRecord {
  record: string[];
  /** The record's text as read, blank lines skipped before it included: consecutive raws are the whole file. */
  raw: string;
}

/** A file name that says JSONL, as the format's default (`formatOf`) reads it. */
const JSONL_NAME = /\.(jsonl|ndjson)$/i;

/** How to read a file as `format` when the config's "format" says otherwise. */
function formatHow(format: 'csv' | 'jsonl', hints: Hints): string {
  const set = `"format": "${format}"`;
  return hints !== 'flags'
    ? `set ${set} in the config, or leave "format" out (the file's ending then decides)`
    : `pass --config with a training config that sets ${set} (the model's own is "trainingConfig" in its manifest.json)`;
}

/** The first line of a file's text, blank lines before it passed over, trimmed. */
function firstLine(text: string): string {
  return (/^\n*([^\n]*)/.exec(text)?.[1] ?? '').trim();
}

/** What a file read as CSV looks like when its first line is JSON (an array, or JSONL), and how to read it; undefined otherwise. */
function jsonLook(file: string, first: string, hints: Hints): { looks: string; how: string } | undefined {
  if (first.startsWith('[')) return { looks: 'it looks like a JSON array', how: 'mailroute reads CSV and JSONL (one JSON object per line, named .jsonl)' };
  if (!first.startsWith('{')) return undefined;
  // Named .jsonl and still read as CSV: the config's "format" said so, and renaming the file would not help.
  if (JSONL_NAME.test(file)) return { looks: `it looks like JSONL, as its name says, but the config's "format" is "csv"`, how: formatHow('jsonl', hints) };
  return { looks: 'it looks like JSONL', how: `name it .jsonl${hints !== 'flags' ? ' or set "format": "jsonl" in the config' : ''}` };
}

/**
 * Why a file that fails as CSV may not be CSV at all, read from its first line. (For a header that parsed, only
 * its JSON look is said, by parseCsv: whether another delimiter mends it depends on the columns wanted, `otherDelimiterFor`.)
 */
function csvHint(file: string, text: string, delimiter: string, hints: Hints): string {
  const first = firstLine(text);
  const json = jsonLook(file, first, hints);
  if (json !== undefined) return `; ${json.looks}: ${json.how}`;
  for (const other of COMMON_DELIMITERS) {
    if (other !== delimiter && first.includes(other) && !first.includes(delimiter)) {
      return `; its first line is split by ${other === '\t' ? 'tabs' : `"${other}"`}: ${delimiterHow(other, hints)}`;
    }
  }
  return '';
}

/**
 * The line each record starts on, counted from the records' raw text as they are read: csv-parse's own
 * line count is where a record ends, and a record may span lines (a quoted field) or follow blank lines.
 */
function recordLines(text: string): { start(raw: string): number; next(): number } {
  let offset = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let i = text.indexOf('\n', offset); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) line++;
    offset = to;
  };
  return {
    /** The line of a record's first character (after the blank lines its raw text starts with); moves past it. */
    start(raw) {
      const end = offset + raw.length;
      advance(offset + (raw.length - raw.replace(/^\n+/, '').length));
      const first = line;
      advance(end);
      return first;
    },
    /** The line the next record starts on, for a parse error in it (its raw text may be unknown). */
    next() {
      advance(offset + (text.slice(offset).length - text.slice(offset).replace(/^\n+/, '').length));
      return line;
    },
  };
}

function parseCsv(file: string, fileText: string, configured: string, hints: Hints, onParsed?: (chars: number) => void): SourceFile {
  // Excel's first line `sep=;` names the file's delimiter: read with it, the line left blank so lines keep their numbers.
  // LibreOffice pads it with one delimiter per further column (`"sep=;";;;`).
  const sep = /^("?)sep=([^\n])\1([^\n]*)(?:\n|$)/.exec(fileText);
  const padded = sep !== null && [...sep[3]].every((c) => c === sep[2]);
  const delimiter = sep && padded ? sep[2] : configured;
  const text = sep && padded ? `\n${fileText.slice(sep[0].length)}` : fileText;
  const lines = recordLines(text);
  const starts: number[] = [];
  let parsedChars = 0;
  let parsed: CsvInfoRecord[];
  try {
    // A row with more or fewer fields, or a bare quote inside an unquoted field (`my 5" screen`), is read,
    // not fatal: the first is a bad row below, the second keeps its quote as text.
    parsed = parse(text, {
      delimiter,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      // With `raw`, each record comes as { record, raw } (the types do not say so).
      on_record: (record: string[]) => {
        const raw = (record as unknown as CsvInfoRecord).raw;
        starts.push(lines.start(raw));
        parsedChars += raw.length;
        onParsed?.(parsedChars);
        return record;
      },
    }) as unknown as CsvInfoRecord[];
  } catch (cause) {
    const err = cause as Error;
    // csv-parse's own words for a file that ends inside quotes name no cause: a cut-off export, or a stray quote.
    const why = (err as Error & { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quoted value that starts on this line is still open at the end of the file: was the export cut off, or is a quote in it not doubled ("")?'
      : err.message.replace(/ at line \d+/, '');
    throw new DatasetError('DATASET_FILE_INVALID', `${file}:${lines.next()}: CSV does not parse (${why})${csvHint(file, text, delimiter, hints)}`, [], { cause });
  }
  if (parsed.length === 0) throw new DatasetError('DATASET_EMPTY', `${file}: no header line`);
  const header = parsed[0].record.map(columnName);
  const index = new Map(header.map((h, i) => [h, i]));
  const records: SourceRecord[] = [];
  const problems: RowProblem[] = [];
  // A header ending in delimiters (`id,subject,body,,`: columns a spreadsheet once had) names no column there: a row
  // that stops before them still has every named column.
  const named = namedColumns(header);
  let blankRecords = 0;
  // A row that ran on and stopped inside a later row's quoted value: the records read after it, up to the one that
  // holds that value's closing quote (the last of them), are its rest; read as rows, they mixed cells.
  // Or the rest of a quoted value that a quote not doubled cut short (`stray`): its row ended at that line's end.
  let rest: { of: number; last: number; stray?: boolean } | undefined;
  const fits = (n: number) => n === header.length || (n >= named && n < header.length);
  const ranInto = (r: number): void => {
    if (lastLine(parsed[r].raw, starts[r]) === starts[r] || !endsInOpenValue(parsed[r].raw, delimiter)) return;
    const closing = closingRecord(parsed, r + 1, delimiter);
    // Its last line and those records must make one whole row: else the quote was the end of a value.
    if (closing !== undefined && isOneRow(parsed, r, closing.last, delimiter, fits, closing.midField)) rest = { of: starts[r], last: closing.last };
  };
  /** A second, different header met (two exports joined): its line and field count. */
  let otherHeader: { line: number; fields: number } | undefined;
  const headerNames = new Set(header.filter((h) => h !== ''));
  for (let r = 1; r < parsed.length; r++) {
    const { record } = parsed[r];
    if (rest?.stray === true && r <= rest.last) {
      problems.push({ line: starts[r], problem: `${file}:${starts[r]}: the rest of the quoted value on line ${rest.of}, not a row (a quote there not doubled ended that row early): fix that row` });
      continue;
    }
    if (rest !== undefined && r <= rest.last) {
      problems.push({ line: starts[r], problem: `${file}:${starts[r]}: the rest of a quoted value that the row on line ${rest.of} ran into (a quote there not closed, or not doubled): fix that row` });
      continue;
    }
    // A record of empty cells (`,,,,`, often an export's padding) is skipped as a blank line is, but counted.
    if (record.every((value) => value.trim() === '')) {
      // A line of spaces alone is a blank line, not a record.
      if (record.length > 1) blankRecords++;
      continue;
    }
    // Two exports of other columns joined with `cat`: a second header that differs from the first (a column added).
    if (!isHeader(record, header) && isOtherHeader(record, headerNames)) {
      otherHeader = { line: starts[r], fields: record.length };
      problems.push({ line: starts[r], problem: `${file}:${starts[r]}: another header line, ${headerDifference(record, header)} (two exports joined?): give the exports as separate files (--data a.csv b.csv), each with its own header` });
      continue;
    }
    if (!fits(record.length)) {
      // The rows of the second export: their field count is that header's, which says more than the usual causes.
      if (otherHeader !== undefined && record.length === otherHeader.fields) {
        problems.push({ line: starts[r], problem: `${file}:${starts[r]}: ${record.length} fields, the header has ${header.length}, as the other header on line ${otherHeader.line} has (two exports joined?)` });
        continue;
      }
      // A quote not doubled in a quoted value over several lines (`"Er sagte "nein" dazu` and `und mehr Text",tax` on
      // the next line): read leniently, it made the value unquoted, so the row ended at the line end, too few fields,
      // and the value's other lines read as rows. Said as the quote, as on one line, not as two field counts.
      const strayAt = strayQuote(parsed[r].raw, delimiter);
      const strayLast = strayAt >= 0 ? strayRest(parsed, r, delimiter, fits) : undefined;
      if (strayLast !== undefined) {
        const end = lastLine(parsed[strayLast].raw, starts[strayLast]);
        problems.push({ line: starts[r], problem: `${file}:${starts[r]}: a quote inside a quoted value on line ${strayLine(parsed[r].raw, starts[r], strayAt)} is not doubled (write "" for a quote in a quoted value), which ended the row there: the rest of the value is on ${end > starts[r + 1] ? `lines ${starts[r + 1]} to ${end}` : `line ${end}`}.` });
        rest = { of: starts[r], last: strayLast, stray: true };
        continue;
      }
      // A row cut off inside a quoted value (`1,Subject,"Hallo`) runs on into the rows after it: say so, not only
      // the field count, whose usual causes would not explain the rows that went with it.
      const end = lastLine(parsed[r].raw, starts[r]);
      // A row whose only extra fields are empty ones at its end (`...,tax,,`) ended where its quoted values closed:
      // its line breaks are a value's own, not a quote left open.
      const ranOn = end > starts[r] && !emptyFieldsPast(record, header.length) ? `; the row runs on to line ${end} inside a quoted value (a quote not closed, or not doubled?), taking in any rows up to there` : '';
      problems.push({ line: starts[r], problem: `${file}:${starts[r]}: ${fieldCount(record, header.length)}${ranOn}` });
      ranInto(r);
      continue;
    }
    // Two exports joined with `cat` repeat the header: its names would train as one more example.
    if (isHeader(record, header)) {
      problems.push({ line: starts[r], problem: `${file}:${starts[r]}: the header again (two exports joined?): remove this line` });
      continue;
    }
    // Read leniently, a quoted value with a quote not doubled runs on into the next rows until a quote closes
    // it, often with the header's number of fields: the row gets the text and label of a later row, which is lost.
    const strayAt = strayQuote(parsed[r].raw, delimiter);
    if (strayAt >= 0) {
      const { raw } = parsed[r];
      const line = strayLine(raw, starts[r], strayAt);
      const end = lastLine(raw, starts[r]);
      const ranOn = end > starts[r] ? ` Read on, the row would run to line ${end}, taking in any rows up to there.` : '';
      problems.push({ line: starts[r], problem: `${file}:${starts[r]}: a quote inside a quoted value on line ${line} is not doubled (write "" for a quote in a quoted value).${ranOn}` });
      ranInto(r);
      continue;
    }
    records.push({
      file,
      line: starts[r],
      get: (column) => {
        const i = index.get(column);
        return i === undefined ? null : (record[i] ?? null);
      },
      columnNumber: (column) => {
        const i = index.get(column);
        return i === undefined ? undefined : i + 1;
      },
      keys: () => header,
    });
  }
  const headerSplitBy = headerSplits(parsed[0].raw.replace(/^\n+/, '').replace(/\n$/, ''), delimiter);
  // For a header that parsed, only its JSON look is a hint; it is also the message said instead of missing columns.
  const json = jsonLook(file, firstLine(text), hints);
  const hint = json === undefined ? undefined : `; ${json.looks}: ${json.how}`;
  const notCsv = json === undefined ? undefined : `${file}: not CSV (${json.looks}): ${json.how}`;
  return { file, columns: header, records, problems, blankRecords, hint, notCsv, headerSplitBy, hints };
}

/**
 * A column name as the config's are compared with it: trimmed, in NFC (a macOS export writes "Geschäftsbereich"
 * decomposed, `a` and a combining diaeresis, which would not match the config's composed name).
 */
function columnName(name: string): string {
  return name.trim().normalize('NFC');
}

/** Whether a record's cells are the header's names (the header line again); the first cell is compared first, as it rarely is. */
function isHeader(record: readonly string[], header: readonly string[]): boolean {
  return record[0] !== undefined && columnName(record[0]) === header[0] && record.every((value, i) => columnName(value) === header[i]);
}

/**
 * A header of other columns: every cell a column name of the first header or a new one, and the first header's named
 * columns there but for one at most (a column added or dropped between two exports), three at least. A row of data
 * does not read so.
 */
function isOtherHeader(record: readonly string[], names: ReadonlySet<string>): boolean {
  // Asked of every row: one with a value longer than a column name (most rows, by their text) is none, unread further.
  if (names.size < 3 || record.some((value) => value.length > MAX_NAME_CHARS)) return false;
  const cells = record.map(columnName);
  const known = cells.filter((c) => names.has(c)).length;
  return known >= names.size - 1 && new Set(cells).size === cells.length && cells.every((c) => COLUMN_NAME.test(c));
}

/** The longest value read as a column name of another header (blanks around it included), and its form. */
const MAX_NAME_CHARS = 80;
const COLUMN_NAME = /^[\p{L}_][\p{L}\p{N}_ .-]{0,63}$/u;

/** `its columns differ: version added, lang missing` for a second header against the first. */
function headerDifference(record: readonly string[], header: readonly string[]): string {
  const cells = record.map(columnName);
  const added = cells.filter((c) => !header.includes(c));
  const missing = header.filter((h) => h !== '' && !cells.includes(h));
  const parts = [...(added.length > 0 ? [`${added.join(', ')} added`] : []), ...(missing.length > 0 ? [`${missing.join(', ')} missing`] : [])];
  return `its columns differ: ${parts.length > 0 ? parts.join('; ') : 'in another order'}`;
}

/**
 * Where, in a record's raw text, a quoted value holds a quote that is neither doubled nor closing it (followed
 * by the delimiter or the line's end); -1 when none. csv-parse's relax_quotes reads on past such a quote (a
 * strict parse stops at it); a bare quote inside an unquoted value (`my 5" screen`) is fine text.
 */
export function strayQuote(raw: string, delimiter: string): number {
  let fieldStart = true;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quoted) {
      if (ch !== '"') continue;
      if (raw[i + 1] === '"') {
        i++;
        continue;
      }
      const rest = raw.slice(i + 1, i + 1 + delimiter.length);
      if (i + 1 === raw.length || rest === delimiter || raw[i + 1] === '\n' || raw[i + 1] === '\r') {
        quoted = false;
        continue;
      }
      return i;
    }
    if (fieldStart && ch === '"') {
      quoted = true;
      fieldStart = false;
      continue;
    }
    if (raw.startsWith(delimiter, i)) {
      fieldStart = true;
      i += delimiter.length - 1;
    } else if (ch === '\n') fieldStart = true;
    else fieldStart = false;
  }
  return -1;
}

/**
 * Whether a record that ran on over lines may have stopped inside a later row's quoted value: its last line, read as
 * a row of its own, leaves a value open (`2,s,"` of a body that starts with a line break). Read leniently, a quote
 * there ended the value that ran on, and the later row's value goes on in the records after it. (The quote may as
 * well have closed a value that ends with a line break or a delimiter: `isOneRow` tells them apart.)
 */
function endsInOpenValue(raw: string, delimiter: string): boolean {
  const line = raw.replace(/\n$/, '');
  let quoted = false;
  let fieldStart = true;
  for (let i = line.lastIndexOf('\n') + 1; i < line.length; i++) {
    if (quoted) {
      if (line[i] !== '"') continue;
      if (line[i + 1] === '"') i++;
      else quoted = false;
    } else if (fieldStart && line[i] === '"') {
      quoted = true;
    } else if (line.startsWith(delimiter, i)) {
      fieldStart = true;
      i += delimiter.length - 1;
      continue;
    }
    fieldStart = false;
  }
  return quoted;
}

/** How many records on the closing one is looked for: farther on, an odd quote is more likely a later row's own. */
const MAX_REST_RECORDS = 50;

/**
 * The record that closes a value whose rest starts at record `from`, the first with a quote: when that quote starts a
 * field it may open a value of the record's own, so the record closes the rest only with an odd number of quotes (a
 * value's own are doubled, another quoted value's paired); a quote inside a field opens none, so there its first
 * quote that is not doubled closes the rest when the delimiter or the line's end follows (`a",…`, though a bare quote
 * later in an unquoted value, `a"`, makes the count even). Undefined when that record closes nothing, or none has a
 * quote within MAX_REST_RECORDS, as after a value that only ended with the delimiter: the rows after it are rows.
 */
function closingRecord(parsed: readonly CsvInfoRecord[], from: number, delimiter: string): { last: number; midField: boolean } | undefined {
  for (let r = from; r < Math.min(parsed.length, from + MAX_REST_RECORDS); r++) {
    const { raw } = parsed[r];
    let at = raw.indexOf('"');
    if (at < 0) continue;
    const fieldStart = at === 0 || raw[at - 1] === '\n' || raw.startsWith(delimiter, at - delimiter.length);
    if (fieldStart) return occurrences(raw, '"') % 2 === 1 ? { last: r, midField: false } : undefined;
    while (at >= 0 && raw[at + 1] === '"') at = raw.indexOf('"', at + 2);
    if (at < 0) return undefined;
    const after = raw.slice(at + 1);
    return after === '' || after.startsWith(delimiter) || after[0] === '\n' ? { last: r, midField: true } : undefined;
  }
  return undefined;
}

/**
 * Whether the last line of record `from` and the records after it up to `last` read as one row that `fits`: strictly,
 * or, with `bareQuotes` (the rest closed inside a field, where no value of the record's own opens), with a bare quote
 * inside an unquoted value read as text, as the file's reading does, and every quoted value closed where it should be.
 */
function isOneRow(parsed: readonly CsvInfoRecord[], from: number, last: number, delimiter: string, fits: (fields: number) => boolean, bareQuotes: boolean): boolean {
  const raw = parsed[from].raw.replace(/\n$/, '');
  const text = `${raw.slice(raw.lastIndexOf('\n') + 1)}\n${parsed.slice(from + 1, last + 1).map((p) => p.raw).join('')}`;
  try {
    const rows = parse(text, { delimiter, relax_column_count: true, relax_quotes: bareQuotes }) as string[][];
    return rows.length === 1 && fits(rows[0].length) && (!bareQuotes || strayQuote(text, delimiter) < 0);
  } catch {
    return false;
  }
}

/** The line of a record's raw text (starting on line `start`, blank lines before it not counted) that `at` is on. */
function strayLine(raw: string, start: number, at: number): number {
  const lead = raw.length - raw.replace(/^\n+/, '').length;
  return start + occurrences(raw.slice(lead, at), '\n');
}

/** How many quotes not doubled `strayRest` doubles to read a row: more, and the lines are not one row's. */
const MAX_STRAY_QUOTES = 20;

/**
 * The last record of the rest of a quoted value that a quote not doubled in record `r` cut short: read leniently, the
 * quote made the value unquoted and the row ended at its line end, so the value's further lines, up to its closing
 * quote, were read as records of their own. Found as the first record within MAX_REST_RECORDS after which `r`'s text
 * and theirs, each quote not doubled doubled, read as one whole row that `fits`. Undefined when there is none: the
 * row's field count is then its problem.
 */
function strayRest(parsed: readonly CsvInfoRecord[], r: number, delimiter: string, fits: (fields: number) => boolean): number | undefined {
  let text = parsed[r].raw;
  for (let k = r + 1; k < Math.min(parsed.length, r + 1 + MAX_REST_RECORDS); k++) {
    text += parsed[k].raw;
    // Only a quote closes the value: a record without one is more of it.
    if (!parsed[k].raw.includes('"')) continue;
    let repaired = text;
    let doubled = 0;
    for (let at = strayQuote(repaired, delimiter); at >= 0; at = strayQuote(repaired, delimiter)) {
      if (++doubled > MAX_STRAY_QUOTES) return undefined;
      repaired = `${repaired.slice(0, at)}"${repaired.slice(at)}`;
    }
    let rows: string[][];
    try {
      rows = parse(repaired, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
    } catch (cause) {
      // Still open at the end of these records: the value goes on.
      if ((cause as Error & { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') continue;
      return undefined;
    }
    return rows.length === 1 && fits(rows[0].length) ? k : undefined;
  }
  return undefined;
}

/** The line a record's raw text ends on, given the line it starts on (blank lines before it and its line end not counted). */
function lastLine(raw: string, start: number): number {
  return start + occurrences(raw.replace(/^\n+/, '').replace(/\r?\n$/, ''), '\n');
}

/** How many times `ch` stands in `text`. */
function occurrences(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Whether a row has more fields than the header, all empty: it ends with a delimiter that the header line does not (an exporter's habit). */
function emptyFieldsPast(record: readonly string[], header: number): boolean {
  return record.length > header && record.slice(header).every((value) => value.trim() === '');
}

/** `3 fields, the header has 4`, with the usual cause. */
function fieldCount(record: readonly string[], header: number): string {
  const n = record.length;
  const cause = emptyFieldsPast(record, header)
    ? `the last ${n - header === 1 ? 'is' : `${n - header} are`} empty: a delimiter at the end of the line, which the header line lacks?`
    : n > header ? 'an unquoted delimiter in a value?' : 'a line break in an unquoted value, or a missing delimiter?';
  return `${n} field${n === 1 ? '' : 's'}, the header has ${header} (${cause})`;
}

/** How many of the header's columns have names: those up to the last named one (trailing empty names are no columns). */
function namedColumns(header: readonly string[]): number {
  let n = header.length;
  while (n > 0 && header[n - 1] === '') n--;
  return n;
}

function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Why a JSONL value is not `what`: JSON.stringify would turn an object into text and `true` into a label
 * silently. Numbers are fine (a label or id 3 is "3"), unless too big for a JSON number to hold exactly.
 */
function badValue(value: unknown, what: CellUse): string | undefined {
  const noun = what === 'text' ? 'text' : what === 'list' ? 'a list of names' : `a ${what}`;
  // A list is text with separators or an array of strings (`cell` writes the array as JSON, which the list reader takes).
  if (what === 'list' && Array.isArray(value)) return value.every((v) => typeof v === 'string') ? undefined : 'an array with other values than strings, not a list of names';
  if (Array.isArray(value)) return `an array, not ${noun}`;
  if (typeof value === 'object' && value !== null) return `an object, not ${noun}`;
  if (typeof value === 'boolean') return `${value}, not ${noun}`;
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return `the number ${value} is beyond 2^53 - 1, so JSON has rounded it: export ${what === 'text' ? 'it' : `${what}s`} as strings`;
  }
  // `1e400` is past any number JSON can hold: JSON.parse reads it as Infinity, which would be the id, text or label "Infinity".
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `a number beyond any JSON can hold (read as ${value}): export ${what === 'text' ? 'it' : `${what}s`} as strings`;
  }
  return undefined;
}

/**
 * The keys a JSON object's text has more than once at its top level (undefined when none): JSON.parse keeps the
 * last value, so `{"queue": "complaints", ..., "queue": "advisory"}` would train as advisory without a word.
 * `parsed` is how many keys JSON.parse kept. The text parsed, so only its strings and nesting need following:
 * a string is skipped with indexOf (an email body in one step), and the keys are only decoded when there are
 * more than `parsed` (50,000 demo rows, 29 MB: 22 ms to count, JSON.parse 63 ms, the whole read over 1 s).
 */
function repeatedKeys(raw: string, parsed: number): Map<string, number> | undefined {
  const names: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) {
      let end = raw.indexOf('"', i + 1);
      while (escaped(raw, end)) end = raw.indexOf('"', end + 1);
      if (depth === 1 && expectKey) {
        names.push(raw.slice(i, end + 1));
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      expectKey = depth === 1;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x2c && depth === 1) expectKey = true;
  }
  if (names.length <= parsed) return undefined;
  const counts = new Map<string, number>();
  for (const name of names) {
    const key = (JSON.parse(name) as string).normalize('NFC').trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) if (n === 1) counts.delete(key);
  return counts;
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === 0x5c) n++;
  return n % 2 === 1;
}

function parseJsonl(file: string, text: string, hints: Hints = 'config', onParsed?: (chars: number) => void): SourceFile {
  const records: SourceRecord[] = [];
  const problems: RowProblem[] = [];
  const keys = new Set<string>();
  // Keys in NFC and trimmed, as the config's columns and a CSV header's are; each distinct key is read once, not on every line.
  const composed = new Map<string, string>();
  const nfc = (key: string): string => {
    let name = composed.get(key);
    if (name === undefined) composed.set(key, (name = key.normalize('NFC').trim()));
    return name;
  };
  const lines = text.split('\n');
  let parsedChars = 0;
  for (let i = 0; i < lines.length; i++) {
    // The line and its newline: the last line has none.
    parsedChars = Math.min(text.length, parsedChars + lines[i].length + 1);
    onParsed?.(parsedChars);
    const raw = lines[i].trim();
    if (raw === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (cause) {
      const offset = jsonErrorOffset(raw);
      // Columns count from 1 in the line as it is (before trimming); V8's 0-based "position" is left out.
      const col = offset === undefined ? '' : `, column ${offset + 1 + lines[i].indexOf(raw)}`;
      // V8's message without its position, and only when it quotes nothing of the line (email text): `Unexpected
      // token 'S', "Sehr geehr"... is not valid JSON` says only `not JSON`, the column saying where.
      const message = (cause as Error).message.replace(/ at position \d+(?: \(line \d+ column \d+\))?/, '');
      const why = message.includes('"') || message.includes("'") ? '' : ` (${message})`;
      problems.push({ line: i + 1, problem: `${file}:${i + 1}${col}: not JSON${why}` });
      continue;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      problems.push({ line: i + 1, problem: `${file}:${i + 1}: not a JSON object` });
      continue;
    }
    let row = obj as Record<string, unknown>;
    let count = 0;
    let decomposed = false;
    for (const key in row) {
      const name = nfc(key);
      decomposed ||= name !== key;
      keys.add(name);
      count++;
    }
    if (decomposed) {
      row = Object.fromEntries(Object.entries(row).map(([key, value]) => [nfc(key), value]));
      // Two keys that differ only in their composition are one key twice.
      count = Object.keys(row).length;
    }
    const record: SourceRecord = { file, line: i + 1, get: (column) => cell(row[column]), columnNumber: () => undefined, badValue: (column, what) => badValue(row[column], what), has: (column) => Object.hasOwn(row, column), keys: () => Object.keys(row) };
    const repeated = repeatedKeys(raw, count);
    if (repeated) record.repeatedKeys = repeated;
    records.push(record);
  }
  // A JSON array (a .json export read as JSONL) has no line that is an object: said once, not as a bad row a line.
  if (records.length === 0 && /^\s*\[/.test(text)) throw new DatasetError('DATASET_FILE_INVALID', `${file}: a JSON array, not JSONL: mailroute reads CSV and JSONL (one JSON object per line)`);
  // Not one line is JSON, the first is no JSON at all, and the file is not named as JSONL: a CSV read as JSONL (the
  // config's "format" said so), said once, not as a bad row a line. A .jsonl file of bad lines has them listed.
  if (records.length === 0 && problems.length > 0 && !/^\s*[{[]/.test(text) && !JSONL_NAME.test(file)) {
    const named = /\.(csv|tsv|txt)$/i.test(file) ? `, as its name says, but the config's "format" is "jsonl"` : '';
    throw new DatasetError('DATASET_FILE_INVALID', `${file}: no line is JSON (it looks like CSV${named}): ${formatHow('csv', hints)}`);
  }
  return { file, columns: undefined, keys: [...keys], records, problems };
}

/** `file:line, column "x" (3)`: where a cell sits, for error messages. */
export function cellLocation(record: SourceRecord, column: string): string {
  const n = record.columnNumber(column);
  return `${record.file}:${record.line}, column "${column}"${n !== undefined ? ` (${n})` : ''}`;
}
