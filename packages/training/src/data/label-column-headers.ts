import { taskColumn, type TrainingConfig } from '../config.js';
import { lacksColumnsText } from './column-list.js';
import { configuredColumns } from './dataset.js';
import { headerColumns } from './file-delimiters.js';
import { findRenamedLabelColumn, renamedLabelColumnError, type FileColumns } from './renamed-label-column.js';

/**
 * Refuses, from the CSV files' headers alone and before a run is recorded, a label column one file of several lacks while
 * another has it, where the file has a column of a close name (`findRenamedLabelColumn`): the error the reading would
 * give after the run started, which left a failed run behind. JSONL files (whose keys only their lines say) and headers
 * the configured delimiter does not split are left to the reading.
 */
export async function checkRenamedLabelColumns(files: readonly string[], config: TrainingConfig): Promise<void> {
  if (files.length < 2) return;
  const headers: FileColumns[] = [];
  for (const file of files) {
    const columns = await headerColumns(file, config);
    if (columns !== undefined) headers.push({ file, columns });
  }
  const configured = configuredColumns(config);
  const found = findRenamedLabelColumn(headers, configured, config.tasks.map(taskColumn));
  if (found === undefined) return;
  const columns = headers.find((h) => h.file === found.file)?.columns ?? [];
  const missing = configured.filter((c) => !columns.includes(c));
  throw renamedLabelColumnError(found, `${found.file}:1: header lacks ${lacksColumnsText(missing, columns)}`);
}
