import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

/**
 * Heap bytes a training takes per byte of export, measured: a 97 MB CSV of 208,000 demo-like rows peaked at 1.77 GB of
 * memory, a 291 MB one at 4.27 GB (2026-12-07); the raw text, its records, the cleaned text, the hashed features and
 * the encoded rows are all held at once. An estimate, for a warning: emails longer or shorter than the demo's move it.
 */
export const HEAP_BYTES_PER_EXPORT_BYTE = 14;

/**
 * A warning when exports of `bytes` may take more memory than this Node's heap may grow to (`heapLimit`), said before
 * minutes of reading end in "JavaScript heap out of memory"; undefined when they fit. Names the way round it.
 */
export function heapWarning(bytes: number, heapLimit: number): string | undefined {
  const needed = bytes * HEAP_BYTES_PER_EXPORT_BYTE;
  if (needed <= heapLimit * 0.9) return undefined;
  const gb = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 ** 2)} MB`);
  const mb = Math.ceil((needed * 1.25) / 1024 ** 2 / 512) * 512;
  return `the export (${Math.round(bytes / 1024 ** 2)} MB) may need about ${gb(needed)} of memory to train on, more than this Node's heap may grow to (${gb(heapLimit)}): if the training ends in "JavaScript heap out of memory", give Node more (NODE_OPTIONS=--max-old-space-size=${mb}, on a machine with that much memory free) or train on a sample of the rows (the newest months)`;
}

/** `heapWarning` for the export files `paths` (their sizes on disk) and this process's heap limit. */
export function exportHeapWarning(paths: readonly string[]): string | undefined {
  let bytes = 0;
  for (const file of paths) {
    try {
      bytes += statSync(file).size;
    } catch {
      // A file that cannot be read is said by the read itself, with its own error.
    }
  }
  return heapWarning(bytes, getHeapStatistics().heap_size_limit);
}
