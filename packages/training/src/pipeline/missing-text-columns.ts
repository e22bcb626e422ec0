import type { Columns, TrainingConfig } from '../config.js';
import { columnList } from '../data/column-list.js';
import { configuredColumns, type Dataset } from '../data/dataset.js';

/** The config's columns whose text the model reads, and how a message names what each holds. */
const READ_TEXT: ReadonlyArray<readonly [keyof Columns, string]> = [
  ['subject', 'subject'],
  ['body', 'body'],
  ['html', 'HTML'],
  ['attachmentNames', 'attachment names'],
];

type TextColumn = [key: keyof Columns, column: string];

/**
 * The text the model reads, as the config's columns that hold it, in the order of `READ_TEXT`: the subject, the body
 * (its `body` and `html` columns: cleaning reads the HTML where the body is blank, so a file with either has it) and
 * the attachment names. Only those the config reads.
 */
function textSources(config: TrainingConfig): TextColumn[][] {
  const columns = (keys: ReadonlyArray<keyof Columns>): TextColumn[] => READ_TEXT.flatMap(([key]) => (keys.includes(key) && config.columns[key] !== undefined ? [[key, config.columns[key]] as TextColumn] : []));
  return [columns(['subject']), columns(['body', 'html']), columns(['attachmentNames'])].filter((source) => source.length > 0);
}

/** A column that looks like an id or a time, named last in the example mapping: it holds no text. */
const NO_TEXT = /(^|[^a-z])(id|date|time|at)$|(Id|ID|Date|Time|At)$/;

/**
 * One warning per file that lacks text the config reads, all its columns for a text (`textSources`: the subject, the
 * body and HTML, the attachment names; a file without subject, body and HTML is refused when read): the model then
 * reads less of each email than it was trained on, and predicts worse for it, with nothing else to say so. It names
 * the columns lacking, what the model still reads, the file's columns the config does not read, and the mapping that
 * reads one of them instead. `files`: each file's columns as the data was read (`Dataset.fileColumns`: a CSV header,
 * the keys of a JSONL file's lines), so nothing is read again. `configFile`: the file of the config given (--config),
 * the one to change; none, the model's own (compare reads both models' rows with the newer one's: said alike, so once).
 */
export function missingTextColumnWarnings(files: Dataset['fileColumns'], config: TrainingConfig, configFile?: string): string[] {
  const sources = textSources(config);
  const warnings: string[] = [];
  for (const { file, columns: has } of files) {
    const present = (column: string) => has.includes(column);
    const lacking = sources.filter((source) => !source.some(([, column]) => present(column)));
    const reading = sources.flat().filter(([, column]) => present(column));
    // No subject, body or HTML: refused when the file is read (it needs a text column), not said twice.
    if (lacking.length === 0 || !reading.some(([key]) => key !== 'attachmentNames')) continue;
    warnings.push(lackingWarning(file, config, { lacking, reading, has }, configFile));
  }
  return warnings;
}

function lackingWarning(
  file: string,
  config: TrainingConfig,
  found: { lacking: TextColumn[][]; reading: TextColumn[]; has: readonly string[] },
  configFile: string | undefined,
): string {
  const what = (key: keyof Columns) => READ_TEXT.find(([k]) => k === key)?.[1] ?? key;
  // `"message_text" (the body)`; the column alone where it is named as what it holds.
  const named = (list: readonly TextColumn[]) => list.map(([key, column]) => (column === key ? `"${column}"` : `"${column}" (the ${what(key)})`)).join(', ');
  const whose = configFile ?? "the model's training config";
  const head = `${file} lacks text column(s) ${named(found.lacking.flat())} that ${whose} reads: the model reads only ${named(found.reading)} of these emails, so it predicts from less than it was trained on`;
  const configured = new Set(configuredColumns(config));
  const unread = found.has.filter((column) => column !== '' && !configured.has(column));
  if (unread.length === 0) return `${head}; the file has no other column to read it from: export it with ${found.lacking.map(([[key]]) => `the ${what(key)}`).join(' and ')}`;
  // The example maps the first column lacking to a column that likely holds text (not an id or a date).
  const pick = unread.find((column) => !NO_TEXT.test(column)) ?? unread[0];
  const mapping = `"columns": {${JSON.stringify(found.lacking[0][0][0])}: ${JSON.stringify(pick)}}`;
  const how =
    configFile !== undefined
      ? `map it in ${configFile}, e.g. ${mapping}`
      : `pass --config with a training config that maps it, e.g. ${mapping} (the model's own is "trainingConfig" in its manifest.json)`;
  return `${head}. The file's columns the config does not read: ${columnList(unread)}; if one holds that text, ${how}`;
}
