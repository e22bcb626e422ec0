import { committingWriter, waitFor } from '../committing-writer.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, DB_FILE, sqliteSnapshotFacts, type PredictionStore } from '@mailroute/serving';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { NOT_YET_ERASED } from './feedback-forget.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-forget-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const run = (argv: string[], home = path.join(cwd, 'home')) => runCli(argv, { env: { CI: 'true' }, cwd, home });

const FORGOTTEN = ['crm-forget-0001', 'crm-forget-0002'];
const KEPT = ['crm-keep-0001', 'crm-keep-0002'];

/** Per email two predictions with text that names the email id, and its feedback, as a server with --store-text keeps them. */
async function fill(store: PredictionStore, ids: readonly string[]): Promise<void> {
  const now = Date.now();
  await store.savePredictions(
    ids.flatMap((emailId, i) =>
      [0, 1].map((k) => ({
        predictionId: `p-${i}-${k}-${now}`,
        emailId,
        modelId: 'ngram-bag-served',
        createdAt: new Date(now - 60_000 + k).toISOString(),
        labels: { queue: 'payments_transfers' },
        confidences: { queue: 0.5 },
        abstained: { queue: false },
        queue: 'payments_transfers',
        latencyMs: 1,
        text: `Bitte das Konto schließen, Vorgang ${emailId} ${'x'.repeat(200)}`,
      })),
    ),
  );
  for (const emailId of ids) await store.saveFeedback({ emailId, labels: { queue: 'payments_transfers' }, closedAt: new Date(now).toISOString(), receivedAt: new Date(now).toISOString() });
}

/** A home whose store a server filled and closed. */
async function servedHome(name: string): Promise<string> {
  const home = path.join(cwd, name);
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline', retentionDays: 0 });
  try {
    await fill(store, [...FORGOTTEN, ...KEPT]);
  } finally {
    await store.close();
  }
  return home;
}

/** The email ids of each table, and integrity_check. */
function stored(file: string): { predictions: string[]; feedback: string[]; check: string } {
  const db = new Database(file, { readonly: true });
  try {
    const ids = (table: string) => (db.prepare(`SELECT email_id FROM ${table} ORDER BY email_id`).all() as Array<{ email_id: string }>).map((r) => r.email_id);
    return { predictions: ids('predictions'), feedback: ids('feedback'), check: sqliteSnapshotFacts(file).integrity.join('; ') };
  } finally {
    db.close();
  }
}

const bytesHold = (file: string, text: string) => readFileSync(file).includes(text) || (existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).includes(text));

describe('mailroute feedback forget', () => {
  it("deletes the ids' predictions and feedback, says each id's counts and totals, and where else the data may be", async () => {
    const home = await servedHome('text');
    const file = path.join(home, DB_FILE);
    const forgot = await run(['feedback', 'forget', '--email-id', FORGOTTEN[0], '--email-id', 'crm-never-seen', FORGOTTEN[1]], home);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toContain(`forgot 3 email ids in ${file} (one transaction):\n`);
    expect(forgot.stdout).toContain(`\n  crm-forget-0001  2 predictions, 1 feedback\n  crm-never-seen   no records\n  crm-forget-0002  2 predictions, 1 feedback\n  total            4 predictions, 2 feedback deleted\n`);
    expect(forgot.stdout).toContain('overwritten with zeros (secure_delete) and the WAL checkpointed and cut to 0 bytes (wal_checkpoint(TRUNCATE)): none of it is left in mailroute.db or mailroute.db-wal\n');
    for (const where of ['backups made by mailroute backup', 'feedback export and feedback predictions', 'the CRM exports used as training data', 'models already trained on these emails: a model is not unlearned']) {
      expect(forgot.stdout).toContain(where);
    }
    // A run's record names email ids in its warnings and keeps label cells: said, not denied.
    expect(forgot.stdout).toContain('the records of training runs (<home>/runs/<run>/run.json; delete a run\'s folder to remove it): no row is copied whole, but their warnings may name CRM email ids');
    expect(forgot.stdout).not.toContain('keep no copy');
    expect(stored(file)).toEqual({ predictions: [KEPT[0], KEPT[0], KEPT[1], KEPT[1]], feedback: KEPT, check: 'ok' });
    for (const id of FORGOTTEN) expect(bytesHold(file, id), id).toBe(false);

    // Again: nothing left to delete, said so.
    const again = await run(['feedback', 'forget', '--email-id', FORGOTTEN[0], '--json'], home);
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      database: file,
      dryRun: false,
      emails: [{ emailId: FORGOTTEN[0], predictions: 0, feedback: 0, found: false }],
      totals: { predictions: 0, feedback: 0, emailIds: 1, withoutRecords: 1 },
      secureDelete: true,
      checkpoint: { wal: true, complete: true },
    });
    expect(json.notTouched).toEqual(expect.arrayContaining([expect.stringContaining('backups made by mailroute backup')]));
  });

  it('counts without deleting in a dry run, reads ids from --ids-file, and names the copies of an upgraded store', async () => {
    const home = await servedHome('dry');
    const file = path.join(home, DB_FILE);
    writeFileSync(path.join(cwd, 'ids.txt'), `\uFEFF${FORGOTTEN[0]}\r\n\n  ${KEPT[0]}  \n\n`);
    writeFileSync(`${file}.v3-backup`, '');
    const before = stored(file);
    const dry = await run(['feedback', 'forget', '--ids-file', 'ids.txt', '--dry-run', '--json'], home);
    expect(dry.code, dry.stderr).toBe(0);
    const json = JSON.parse(dry.stdout) as { dryRun: boolean; emails: unknown[]; totals: unknown; checkpoint: unknown; notTouched: string[] };
    expect(json).toMatchObject({ dryRun: true, checkpoint: null, totals: { predictions: 4, feedback: 2, emailIds: 2, withoutRecords: 0 } });
    expect(json.emails).toEqual([
      { emailId: FORGOTTEN[0], predictions: 2, feedback: 1, found: true },
      { emailId: KEPT[0], predictions: 2, feedback: 1, found: true },
    ]);
    expect(json.notTouched).toEqual(expect.arrayContaining([expect.stringContaining('mailroute.db.v3-backup')]));
    expect(stored(file)).toEqual(before);
    const text = await run(['feedback', 'forget', '--ids-file', 'ids.txt', '--email-id', FORGOTTEN[1], '--dry-run'], home);
    expect(text.stdout).toMatch(/^dry run: nothing deleted; 3 email ids in .*:\n/);
    expect(text.stdout).toContain('  total            6 predictions, 3 feedback would be deleted\n');
    expect(stored(file)).toEqual(before);
  });

  it('deletes while another process keeps committing to the file, which stays sound and goes on taking writes', async () => {
    const home = await servedHome('busy');
    const file = path.join(home, DB_FILE);
    const writer = committingWriter(file);
    try {
      await waitFor(() => stored(file).feedback.length >= 200);
      const forgot = await run(['feedback', 'forget', '--email-id', ...FORGOTTEN, 'w-5', '--json'], home);
      expect(forgot.code, forgot.stderr).toBe(0);
      expect((JSON.parse(forgot.stdout) as { totals: unknown }).totals).toMatchObject({ predictions: 5, feedback: 3 });
      const after = stored(file).feedback.length;
      await waitFor(() => stored(file).feedback.length > after + 50);
      expect(writer.exitCode, 'the writer went on committing').toBeNull();
    } finally {
      writer.kill();
    }
    const now = stored(file);
    expect(now.check).toBe('ok');
    for (const id of [...FORGOTTEN, 'w-5']) expect(now.feedback.includes(id) || now.predictions.includes(id), id).toBe(false);
    expect(now.feedback).toEqual(expect.arrayContaining(KEPT));
  }, 30_000);

  it("erases the bytes while a server holds the store open, and says plainly when a reader's snapshot keeps the WAL from being emptied", async () => {
    const home = path.join(cwd, 'served');
    const file = path.join(home, DB_FILE);
    const store = createSqliteStore({ file, retentionDays: 0 });
    try {
      await fill(store, [...FORGOTTEN, ...KEPT]);
      const reader = new Database(file, { readonly: true });
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM predictions').get();
      const held = await run(['feedback', 'forget', '--email-id', FORGOTTEN[0]], home);
      // --json says the same: the script reads the exit code, or checkpoint.complete.
      const heldJson = await run(['feedback', 'forget', '--email-id', FORGOTTEN[1], '--json'], home);
      reader.prepare('COMMIT').run();
      reader.close();
      // Not done: exit code 3, what is left said on stderr, so that a script does not take the erasure for done.
      expect(held.code, held.stderr).toBe(3);
      expect(held.stderr).toBe(`mailroute: ${NOT_YET_ERASED}\n`);
      expect(heldJson.code, heldJson.stderr).toBe(3);
      expect(heldJson.stderr).toBe(`mailroute: ${NOT_YET_ERASED}\n`);
      expect(JSON.parse(heldJson.stdout)).toMatchObject({ totals: { predictions: 2, feedback: 1 }, checkpoint: { wal: true, complete: false, tries: 3 } });
      expect(held.stdout).toContain('  crm-forget-0001  2 predictions, 1 feedback\n');
      expect(held.stdout).toContain('NOT YET ERASED FROM THE WAL: the records are deleted, but the checkpoint could not complete (3 tries): a reader holds an older snapshot');
      expect(held.stdout).toContain('run this command again with the same ids');
      // The reader gone, the server idle: the file and its WAL keep nothing of either id.
      const forgot = await run(['feedback', 'forget', '--email-id', ...FORGOTTEN], home);
      expect(forgot.code, forgot.stderr).toBe(0);
      // Both were deleted above: the run finds no records and completes the checkpoint the others could not.
      expect(forgot.stdout).toContain('nothing to delete; the WAL was checkpointed and cut to 0 bytes (wal_checkpoint(TRUNCATE)): content deleted before (a run the checkpoint did not complete) is no longer in mailroute.db-wal');
      for (const id of FORGOTTEN) expect(bytesHold(file, id), id).toBe(false);
      // The server's writes go on.
      await fill(store, ['crm-after-0001']);
      expect((await store.findPredictionByEmail('crm-after-0001'))?.emailId).toBe('crm-after-0001');
    } finally {
      await store.close();
    }
    expect(stored(file).check).toBe('ok');
  }, 30_000);

  it('refuses no id, an empty or too long one and --dynamodb-table (exit code 2), and a home without a database (1)', async () => {
    const home = await servedHome('refused');
    const refused = async (argv: string[], message: string | RegExp) => {
      const result = await run(['feedback', 'forget', ...argv], home);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(typeof message === 'string' ? new RegExp(`^mailroute: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message);
      expect(result.stdout).toBe('');
    };
    await refused([], 'give the email ids to forget: --email-id <id> (repeat it), or --ids-file <file> (one a line)');
    await refused(['--email-id', '  '], '--email-id is empty: give an email id');
    await refused(['--email-id', 'x'.repeat(201)], `--email-id "${'x'.repeat(40)}...": an email id has at most 200 characters (the server refuses longer ones, so the store holds none), this one 201`);
    expect((await run(['feedback', 'forget', '--email-id', 'x'.repeat(201)], home)).stderr).not.toMatch(/this one 201: /);
    writeFileSync(path.join(cwd, 'long.txt'), `a\n${'y'.repeat(250)}\n`);
    await refused(['--ids-file', 'long.txt'], '--ids-file long.txt line 2: an email id has at most 200 characters');
    // A file saved as Windows "Unicode" (UTF-16) or in another encoding would erase nothing while naming each garbled id `no records`.
    writeFileSync(path.join(cwd, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${FORGOTTEN[0]}\r\n`, 'utf16le')]));
    await refused(['--ids-file', 'utf16.txt'], '--ids-file utf16.txt is UTF-16 text (Windows "Unicode"): save it as UTF-8, one email id a line');
    writeFileSync(path.join(cwd, 'utf16-no-bom.txt'), Buffer.from(`${FORGOTTEN[0]}\n`, 'utf16le'));
    await refused(['--ids-file', 'utf16-no-bom.txt'], '--ids-file utf16-no-bom.txt holds NUL characters');
    writeFileSync(path.join(cwd, 'latin1.txt'), Buffer.from('Kunde-M\xfcller\n', 'latin1'));
    await refused(['--ids-file', 'latin1.txt'], '--ids-file latin1.txt is not UTF-8 text');
    writeFileSync(path.join(cwd, 'blank.txt'), '\n  \n');
    await refused(['--ids-file', 'blank.txt'], '--ids-file blank.txt holds no email id');
    await refused(['--email-id', FORGOTTEN[0], '--dynamodb-table', 'mailroute-prod-feedback'], `--dynamodb-table: feedback forget erases only the home's mailroute.db, not the AWS stack's DynamoDB table; delete the emails' items there with the AWS CLI or console: each email's feedback item (pk "EMAIL#<email id>", sk "FEEDBACK")`);
    // Nothing was deleted by any of them.
    expect(stored(path.join(home, DB_FILE)).feedback).toEqual([...FORGOTTEN, ...KEPT].sort());

    const missing = await run(['feedback', 'forget', '--email-id', FORGOTTEN[0], '--home', 'no-such-home'], home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`mailroute: [STORE_FAILED] No database at ${path.join(cwd, 'no-such-home', DB_FILE)}: no server has recorded predictions or feedback under this home (mailroute serve and npm start write it), so there is nothing to erase there: check that the home is the one the server runs with.\n`);
    expect(existsSync(path.join(cwd, 'no-such-home'))).toBe(false);
    mkdirSync(path.join(cwd, 'empty-home'));
    expect((await run(['feedback', 'forget', '--email-id', 'a'], path.join(cwd, 'empty-home'))).stderr).toMatch(/^mailroute: \[STORE_FAILED\] No database at .*empty-home\/mailroute\.db/);
    const unreadable = await run(['feedback', 'forget', '--ids-file', 'no-such.txt'], home);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toBe('mailroute: cannot read --ids-file no-such.txt: no such file\n');
  });
});

