import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { eraseEmailRecords } from '@mailroute/serving';
import { z } from 'zod';

/** The home's record of erasure requests carried out (`feedback forget`): one JSON line each, the email ids as sha256. */
export const ERASURE_LOG = 'erasures.jsonl';

/** An email id as the log keeps it: its sha256 (hex), so that the log names no CRM id while a later id can be matched to it. */
export const erasedIdHash = (emailId: string) => createHash('sha256').update(emailId, 'utf8').digest('hex');

const ErasureSchema = z.object({
  at: z.string(),
  by: z.string().optional(),
  /** The sha256 of each email id the request named, sorted. */
  emailIds: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  predictions: z.number().int().nonnegative(),
  feedback: z.number().int().nonnegative(),
});
export type Erasure = z.infer<typeof ErasureSchema>;

/** Appends one erasure to the home's log (made 0600, fsynced): the evidence that it was carried out, and what a restore applies again. */
export async function recordErasure(home: string, erasure: { at: Date; by?: string; emailIds: readonly string[]; predictions: number; feedback: number }): Promise<string> {
  const file = path.join(home, ERASURE_LOG);
  const line: Erasure = {
    at: erasure.at.toISOString(),
    ...(erasure.by === undefined ? {} : { by: erasure.by }),
    emailIds: [...new Set(erasure.emailIds.map(erasedIdHash))].sort(),
    predictions: erasure.predictions,
    feedback: erasure.feedback,
  };
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.appendFile(`${JSON.stringify(line)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return file;
}

/**
 * The home's erasures (none when it has no log); a line that does not read as one is counted, not taken. A log that is
 * there but cannot be read is an error: taken for none, a restore would bring the erased emails back.
 */
export async function readErasures(home: string): Promise<{ erasures: Erasure[]; unread: number }> {
  const file = path.join(home, ERASURE_LOG);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new Error(`cannot read ${file} (${error.code ?? error.message}), the record of the erasures carried out in this home: fix it before restoring, or the emails it names would come back`);
  });
  const erasures: Erasure[] = [];
  let unread = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      erasures.push(ErasureSchema.parse(JSON.parse(line)));
    } catch {
      unread++;
    }
  }
  return { erasures, unread };
}

/**
 * Erases again, from a database a restore is about to put in place, the emails of the erasures recorded after the
 * backup was made (`since`): a backup older than an erasure holds its records. The ids are found by their sha256
 * among the database's email ids. Returns what was deleted.
 */
export async function applyErasuresSince(file: string, erasures: readonly Erasure[], since: string): Promise<{ requests: number; emails: number; predictions: number; feedback: number }> {
  const later = erasures.filter((e) => Date.parse(e.at) > Date.parse(since));
  const wanted = new Set(later.flatMap((e) => e.emailIds));
  if (wanted.size === 0) return { requests: later.length, emails: 0, predictions: 0, feedback: 0 };
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let ids: string[];
  try {
    const rows = db.prepare('SELECT email_id FROM predictions UNION SELECT email_id FROM feedback').pluck().all() as string[];
    ids = rows.filter((id) => wanted.has(erasedIdHash(id)));
  } finally {
    db.close();
  }
  if (ids.length === 0) return { requests: later.length, emails: 0, predictions: 0, feedback: 0 };
  const report = await eraseEmailRecords(file, ids);
  return { requests: later.length, emails: ids.length, predictions: report.totals.predictions, feedback: report.totals.feedback };
}
