// A SQLite writer thread for tests whose writes fail, as on a read-only or failing disk, while the file
// `<database>.disk-fails` exists, with the SQLite error code it holds (SQLITE_IOERR_WRITE, SQLITE_READONLY). The real
// writer runs, so what it answers is what the request thread gets from such a disk.
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { failWritesWhile } from './failing-disk.mjs';

failWritesWhile(() => {
  try {
    return readFileSync(`${workerData.file}.disk-fails`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
});
await import('../store/sqlite-writer.worker.mjs');
