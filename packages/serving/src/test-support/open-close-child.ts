/**
 * For sqlite-store.test.ts: opens a store (its retention prune goes to the writer thread at once) and
 * closes it right away, with nothing else keeping the process alive; prints `closed` when close resolved.
 * argv: database file.
 */
import { createSqliteStore } from '../store/sqlite-store.js';

const store = createSqliteStore({ file: process.argv[2], retentionDays: 30 });
await store.close();
process.stdout.write('closed\n');
