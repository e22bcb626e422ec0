import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CleanOptionsError, parsePiiPatterns, type RedactPattern } from '@mailroute/preprocess';
import { jsonErrorPlace, readProblem } from '@mailroute/training';
import type { CliContext } from './context.js';

/** Says how `--pii-patterns` is used, in each command's help. */
export const PII_PATTERNS_HELP =
  'a JSON file of them, each masked before the built-in detectors, e.g. {"patterns": [{"type": "CASE_REF", "pattern": "\\\\bFALL-\\\\d{4}-\\\\d{5}\\\\b", "flags": "i"}]} masks as [CASE_REF] (packages/preprocess/README.md, "Your own patterns")';

/**
 * The patterns of a `--pii-patterns` file, read and checked before any work: an unreadable file, JSON that does not
 * parse (with its line and column) or a bad pattern is a `CleanOptionsError` naming the file.
 */
export async function readPiiPatterns(ctx: CliContext, file: string): Promise<RedactPattern[]> {
  const full = path.resolve(ctx.cwd, file);
  let text: string;
  try {
    // Without the byte-order mark some Windows editors write: JSON.parse refuses it.
    text = (await readFile(full, 'utf8')).replace(/^\uFEFF/, '');
  } catch (cause) {
    throw new CleanOptionsError(`cannot read --pii-patterns ${file}: ${readProblem(cause)}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CleanOptionsError(`--pii-patterns ${file}${jsonErrorPlace(text)}: not JSON (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  try {
    return parsePiiPatterns(json);
  } catch (error) {
    if (error instanceof CleanOptionsError) throw new CleanOptionsError(`--pii-patterns ${file}: ${error.message}`, { cause: error });
    throw error;
  }
}
