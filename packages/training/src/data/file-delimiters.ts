import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { formatOf, type TrainingConfig } from '../config.js';
import { DatasetError } from '../errors.js';
import { configuredColumns, TEXT_COLUMNS } from './dataset.js';
import { COMMON_DELIMITERS, decodeWindows1252, isSpecialFile, normaliseLineEnds } from './read-records.js';

/** The bytes read of each file to find its header: far more than any header line. */
const HEADER_BYTES = 64 * 1024;

/** One file read in a run, with the flag that named it (`--data`, `--test-data`). */
export interface FlaggedFile {
  file: string;
  flag: string;
}

async function firstBytes(file: string): Promise<Buffer | undefined> {
  // A pipe's first bytes are gone once read here: its reading refuses it (`isSpecialFile`), before it blocks.
  if (await isSpecialFile(file)) return undefined;
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEADER_BYTES), 0, HEADER_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    // A file that cannot be read is said so where it is read.
    return undefined;
  }
}

/**
 * Which columns a file must have: `all` the config reads (training, and a model's held-out rows), or `text`,
 * one of its text columns (emails to predict or evaluate on, which may lack labels and other columns).
 */
export type WantedColumns = 'all' | 'text';

function fitsHeader(config: TrainingConfig, wanted: WantedColumns): (names: readonly string[]) => boolean {
  if (wanted === 'all') {
    const all = configuredColumns(config);
    return (names) => all.every((w) => names.includes(w));
  }
  const text = TEXT_COLUMNS.map((key) => config.columns[key]).filter((c) => c !== undefined);
  return (names) => text.some((w) => names.includes(w));
}

/**
 * The delimiters (the configured one and the common ones) that split a CSV file's first line into the
 * columns it must have (`wanted`). Undefined where no --delimiter changes how it is read: a JSONL file, a CSV
 * whose first line `sep=` names its own delimiter, one that cannot be read.
 */
export async function headerDelimiters(file: string, config: TrainingConfig, wanted: WantedColumns = 'all'): Promise<string[] | undefined> {
  const header = await headerLine(file, config);
  if (header === undefined) return undefined;
  const fits = fitsHeader(config, wanted);
  const fitting: string[] = [];
  for (const delimiter of new Set([config.delimiter, ...COMMON_DELIMITERS])) {
    const names = headerNames(header, delimiter);
    if (names !== undefined && fits(names)) fitting.push(delimiter);
  }
  return fitting;
}

/**
 * A CSV file's first line, for its header; undefined for a JSONL file, a CSV whose first line `sep=` names its own
 * delimiter, and one that cannot be read (each said where it is read).
 */
async function headerLine(file: string, config: TrainingConfig): Promise<string | undefined> {
  if (formatOf(config, file) !== 'csv') return undefined;
  const bytes = await firstBytes(file);
  if (bytes === undefined) return undefined;
  // A cut UTF-8 character at the end is no matter: only the first line is read.
  const text = normaliseLineEnds(config.encoding === 'windows-1252' ? decodeWindows1252(bytes) : bytes.toString('utf8')).replace(/^\uFEFF/, '');
  if (/^"?sep=/.test(text)) return undefined;
  // Blank lines before the header are skipped, as the reading skips them.
  return text.replace(/^\n+/, '').split('\n', 1)[0];
}

/** A header line's column names split by `delimiter`, as the reading names them; undefined when it does not parse so. */
function headerNames(header: string, delimiter: string): string[] | undefined {
  try {
    const [columns = []] = parse(header, { delimiter, relax_column_count: true, relax_quotes: true, to_line: 1 }) as string[][];
    return columns.map((c) => c.trim().normalize('NFC'));
  } catch {
    // A header that does not parse with this delimiter is not split by it.
    return undefined;
  }
}

/**
 * A CSV file's column names as the configured delimiter splits its header, read from its first bytes only (before a run
 * is recorded); undefined where `headerLine` gives no line, or it does not parse.
 */
export async function headerColumns(file: string, config: TrainingConfig): Promise<string[] | undefined> {
  const header = await headerLine(file, config);
  return header === undefined ? undefined : headerNames(header, config.delimiter);
}

const shown = (delimiter: string): string => (delimiter === '\t' ? 'tab' : `"${delimiter}"`);

/**
 * Refuses, before anything is read, files of one run that no single delimiter reads: `--data` exported with
 * "," and `--test-data` with ";". The hint each file's own error gives (`--delimiter ";"`) would then break
 * the other one, so this says which file has which, and the ways out. Files whose header no delimiter fits
 * (a misspelt column) are left to the reading, which names what they lack. `wanted`: as for `headerDelimiters`.
 */
export async function checkOneDelimiter(files: readonly FlaggedFile[], config: TrainingConfig, wanted: WantedColumns = 'all'): Promise<void> {
  const found: Array<FlaggedFile & { delimiter: string }> = [];
  let common: string[] | undefined;
  for (const f of files) {
    const fitting = await headerDelimiters(f.file, config, wanted);
    if (fitting === undefined || fitting.length === 0) continue;
    found.push({ ...f, delimiter: fitting.includes(config.delimiter) ? config.delimiter : fitting[0] });
    common = (common ?? fitting).filter((d) => fitting.includes(d));
  }
  if (common === undefined || common.length > 0) return;
  const which = found.map((f) => `${f.flag} ${f.file} by ${shown(f.delimiter)}`);
  const [first] = found;
  const same = found.filter((f) => f.delimiter === first.delimiter);
  const others = found.filter((f) => f.delimiter !== first.delimiter);
  const names = (list: typeof found) => list.map((f) => f.file).join(', ');
  const back = new Set(others.map((f) => f.delimiter)).size === 1 ? `, or ${names(same)} with ${shown(others[0].delimiter)}` : '';
  const ways = [`Convert them to one: save ${names(others)} with ${shown(first.delimiter)} as delimiter${back}`];
  // A test file alone that differs can be measured apart, with its own --delimiter.
  if (others.length === 1 && others[0].flag === '--test-data') {
    const test = others[0];
    ways.push(`train without --test-data (a test share of --data is then held out) and measure ${test.file} on its own: mailroute evaluate --model <id> --data ${test.file} --delimiter ${shown(test.delimiter)}`);
  }
  throw new DatasetError(
    'DATASET_FILE_INVALID',
    `the files are split by different delimiters, ${which.slice(0, -1).join(', ')} and ${which.at(-1)}: one --delimiter (or the config's "delimiter") reads only the files split by it. ${ways.join('; or ')}`,
  );
}
