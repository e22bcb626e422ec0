import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { jsonErrorOffset } from '../config-errors.js';
import { DatasetError } from '../errors.js';

/** One record of an export, with where it came from, so every error can name file, line and column. */
export interface SourceRecord {
  file: string;
  line: number;
  /** Raw cell by column name; null when the cell is absent or JSON null. */
  get(column: string): string | null;
  /** 1-based column number of a column in this file (JSONL: undefined). */
  columnNumber(column: string): number | undefined;
}

export interface SourceFile {
  file: string;
  /** The CSV header; undefined for JSONL, whose lines may each leave keys out. */
  columns: string[] | undefined;
  /** JSONL: every key some line has (a configured key that no line has is a typo, not a blank). */
  keys?: string[];
  records: SourceRecord[];
  /** JSONL lines that could not be read (not JSON, not an object): bad rows, reported as the config says. */
  problems?: string[];
}

export type FileEncoding = 'utf-8' | 'windows-1252';

/** The file's text; a file that is not valid UTF-8 (an old Latin-1 export) is refused, not read as mojibake. */
function decode(file: string, bytes: Buffer, encoding: FileEncoding): string {
  if (encoding === 'windows-1252') return new TextDecoder('windows-1252').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new DatasetError('DATASET_FILE_INVALID', `${file}:${line}: not UTF-8 (an older export in Latin-1 or Windows-1252?): convert it, or set "encoding": "windows-1252" in the config`);
  }
}

export async function readSourceFile(file: string, format: 'csv' | 'jsonl', delimiter = ',', encoding: FileEncoding = 'utf-8'): Promise<SourceFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new DatasetError('DATASET_FILE_INVALID', `${file}: cannot read (${(cause as Error).message})`, [], { cause });
  }
  const text = decode(file, bytes, encoding);
  return format === 'csv' ? parseCsv(file, text, delimiter) : parseJsonl(file, text);
}

interface CsvInfoRecord {
  record: string[];
  info: { lines: number };
}

/** Why a file that fails as CSV may not be CSV at all, read from its first line. */
function csvHint(text: string, delimiter: string): string {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).trim();
  if (first.startsWith('{')) return '; it looks like JSONL: name it .jsonl or set "format": "jsonl" in the config';
  for (const other of [';', '\t', '|']) {
    if (other !== delimiter && first.split(other).length > 2 && !first.includes(delimiter)) {
      return `; its first line is split by ${other === '\t' ? 'tabs' : `"${other}"`}: set "delimiter" in the config`;
    }
  }
  return '';
}

function parseCsv(file: string, text: string, delimiter: string): SourceFile {
  let parsed: CsvInfoRecord[];
  try {
    parsed = parse(text, { bom: true, delimiter, info: true, skip_empty_lines: true, relax_quotes: false }) as unknown as CsvInfoRecord[];
  } catch (cause) {
    const err = cause as Error & { lines?: number; column?: number | string };
    const where = err.lines !== undefined ? `:${err.lines}` : '';
    throw new DatasetError('DATASET_FILE_INVALID', `${file}${where}: CSV does not parse (${err.message})${csvHint(text, delimiter)}`, [], { cause });
  }
  if (parsed.length === 0) throw new DatasetError('DATASET_EMPTY', `${file}: no header line`);
  const header = parsed[0].record.map((h) => h.trim());
  const index = new Map(header.map((h, i) => [h, i]));
  const records: SourceRecord[] = [];
  let prevEnd = parsed[0].info.lines;
  for (let r = 1; r < parsed.length; r++) {
    const { record, info } = parsed[r];
    const line = prevEnd + 1;
    prevEnd = info.lines;
    records.push({
      file,
      line,
      get: (column) => {
        const i = index.get(column);
        return i === undefined ? null : (record[i] ?? null);
      },
      columnNumber: (column) => {
        const i = index.get(column);
        return i === undefined ? undefined : i + 1;
      },
    });
  }
  return { file, columns: header, records };
}

function cell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function parseJsonl(file: string, text: string): SourceFile {
  const records: SourceRecord[] = [];
  const problems: string[] = [];
  const keys = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (cause) {
      const offset = jsonErrorOffset(raw);
      const col = offset === undefined ? '' : `, column ${offset + 1}`;
      problems.push(`${file}:${i + 1}${col}: not JSON (${(cause as Error).message})`);
      continue;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      problems.push(`${file}:${i + 1}: not a JSON object`);
      continue;
    }
    const row = obj as Record<string, unknown>;
    for (const key in row) keys.add(key);
    records.push({ file, line: i + 1, get: (column) => cell(row[column]), columnNumber: () => undefined });
  }
  return { file, columns: undefined, keys: [...keys], records, problems };
}

/** `file:line, column "x" (3)`: where a cell sits, for error messages. */
export function cellLocation(record: SourceRecord, column: string): string {
  const n = record.columnNumber(column);
  return `${record.file}:${record.line}, column "${column}"${n !== undefined ? ` (${n})` : ''}`;
}
