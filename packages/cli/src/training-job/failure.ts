import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** SageMaker keeps the first 1,024 characters of the failure file as the job's FailureReason; bytes are counted here, to be safe. */
export const FAILURE_MAX_BYTES = 1024;

/**
 * The failure said as one paragraph of at most FAILURE_MAX_BYTES bytes of UTF-8: lines joined, control
 * characters and runs of spaces made one space, and a reason too long cut at a character, ending in `...`.
 */
export function failureReason(message: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = message.replace(/\s*\n\s*/g, ' ').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  if (Buffer.byteLength(flat) <= FAILURE_MAX_BYTES) return flat;
  const chars = [...flat];
  let bytes = Buffer.byteLength('...');
  let end = 0;
  while (end < chars.length && bytes + Buffer.byteLength(chars[end]) <= FAILURE_MAX_BYTES) bytes += Buffer.byteLength(chars[end++]);
  return `${chars.slice(0, end).join('')}...`;
}

/** Writes the reason to the failure file (its folder made when missing). */
export async function writeFailure(file: string, reason: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, reason);
}

/** As writeFailure, at once: for a process about to exit (a second SIGTERM), which has no turn of the event loop left. */
export function writeFailureSync(file: string, reason: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, reason);
}
