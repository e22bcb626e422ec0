import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { iterateConfirmedCases, readConfirmedCases } from './confirmed-cases.js';
import { createSqliteStore, STORE_SCHEMA_VERSION } from './sqlite-store.js';
import { predictionFixture as record } from './store-contract.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readConfirmedCases', () => {
  it("pairs each feedback with the prediction it judged (named, else the email's newest), merged labels, text when stored, in a window", async () => {
    const file = path.join(dir, 'mailroute.db');
    const day = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
    const at = (time: string) => `${day}T${time}.000Z`;
    const store = createSqliteStore({ file, writer: 'inline' });
    try {
      await store.savePredictions([
        { ...record('p-1', 'e-1', at('08:00:00')), text: 'Depot [NAME] übertragen' },
        { ...record('p-2', 'e-2', at('08:00:00')), modelId: 'old-model', text: 'erste Fassung' },
        { ...record('p-3', 'e-2', at('09:00:00')), modelId: 'new-model', text: 'zweite Fassung' },
        record('p-4', 'e-4', at('08:00:00')),
      ]);
      // By prediction id, then corrected for one task; by email id (the newest prediction); no prediction at all; no text.
      await store.saveFeedback({ emailId: 'e-1', predictionId: 'p-1', labels: { queue: 'payments', topic: 'depot' }, closedAt: at('10:00:00'), receivedAt: at('10:00:00') });
      await store.saveFeedback({ emailId: 'e-1', predictionId: 'p-1', labels: { topic: 'depotuebertrag' }, closedAt: at('11:00:00'), receivedAt: at('11:00:00') });
      await store.saveFeedback({ emailId: 'e-2', labels: { queue: 'tax' }, closedAt: at('12:00:00'), receivedAt: at('12:00:00') });
      await store.saveFeedback({ emailId: 'e-3', labels: { queue: 'cards' }, closedAt: at('13:00:00'), receivedAt: at('13:00:00') });
      await store.saveFeedback({ emailId: 'e-4', predictionId: 'p-4', labels: { queue: 'loans' }, closedAt: at('14:00:00'), receivedAt: at('14:00:00') });
    } finally {
      await store.close();
    }
    const cases = readConfirmedCases(file);
    expect(cases.map((c) => c.emailId)).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
    const predicted = { labels: { queue: 'payments' }, confidences: { queue: 0.75 }, abstained: { queue: false } };
    expect(cases[0]).toEqual({ emailId: 'e-1', labels: { queue: 'payments', topic: 'depotuebertrag' }, closedAt: at('11:00:00'), predictionId: 'p-1', modelId: 'test-model', classifiedAt: at('08:00:00'), text: 'Depot [NAME] übertragen', predicted });
    expect(cases[1]).toMatchObject({ predictionId: 'p-3', modelId: 'new-model', text: 'zweite Fassung' });
    expect(cases[2]).toEqual({ emailId: 'e-3', labels: { queue: 'cards' }, closedAt: at('13:00:00') });
    expect(cases[3].text).toBeUndefined();
    // [since, until) by the time the case closed.
    expect(readConfirmedCases(file, { since: new Date(at('12:00:00')), until: new Date(at('14:00:00')) }).map((c) => c.emailId)).toEqual(['e-2', 'e-3']);
    // One at a time: the first case comes before the others are read, and stopping early closes the file.
    const one = iterateConfirmedCases(file);
    expect(one.next().value).toEqual(cases[0]);
    expect(one.return(undefined).done).toBe(true);
  });

  it("refuses a case whose prediction's attachment names were edited by hand, with the store's own error", async () => {
    const file = path.join(dir, 'edited', 'mailroute.db');
    const store = createSqliteStore({ file, writer: 'inline' });
    try {
      await store.savePredictions([{ ...record('p-1', 'e-1', new Date().toISOString()), text: 'Anbei das Formular', attachmentNames: ['Formular.pdf'] }]);
      await store.saveFeedback({ emailId: 'e-1', predictionId: 'p-1', labels: { queue: 'tax' }, closedAt: new Date().toISOString(), receivedAt: new Date().toISOString() });
    } finally {
      await store.close();
    }
    expect(readConfirmedCases(file)[0].attachmentNames).toEqual(['Formular.pdf']);
    for (const edited of ['not json', '{"a":1}']) {
      const edit = new Database(file);
      edit.prepare('UPDATE predictions SET attachment_names = ?').run(edited);
      edit.close();
      expect(() => readConfirmedCases(file)).toThrow("A stored row's attachment_names is not an array of names");
    }
  });

  it('says there is no database yet rather than creating one', () => {
    expect(() => readConfirmedCases(path.join(dir, 'none', 'mailroute.db'))).toThrow(/No database at .*none.*: no server has recorded predictions or feedback under this home yet/);
  });

  it("refuses a file of another data version (times of an older one are not all UTC yet), until a server brings it up to date", async () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    old.exec('CREATE TABLE feedback (email_id TEXT PRIMARY KEY, prediction_id TEXT, labels TEXT NOT NULL, closed_at TEXT NOT NULL, received_at TEXT NOT NULL)');
    old.exec(`INSERT INTO feedback VALUES ('crm-1', NULL, '{"queue":"loans"}', '2026-12-04T14:00:00+01:00', '2026-12-04T13:00:01.000Z')`);
    old.close();
    expect(() => readConfirmedCases(file)).toThrow(`written by an older mailroute (data version 0; this one reads 2 to ${STORE_SCHEMA_VERSION}): start \`mailroute serve\` on this home once`);
    await createSqliteStore({ file, retentionDays: 0 }).close();
    expect(readConfirmedCases(file, { until: new Date('2026-12-04T13:30:00Z') }).map((c) => [c.emailId, c.closedAt])).toEqual([['crm-1', '2026-12-04T13:00:00.000Z']]);
    const newer = new Database(file);
    newer.pragma(`user_version = ${STORE_SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => readConfirmedCases(file)).toThrow(`written by a newer mailroute (data version ${STORE_SCHEMA_VERSION + 1}; this one reads up to ${STORE_SCHEMA_VERSION}): export with that version`);
    // Refused when asked for, not at the first case: a caller writing a file finds out before it starts.
    expect(() => iterateConfirmedCases(file)).toThrow(/written by a newer mailroute/);
  });

  it('gives the kind of a case whose prediction was automated, and reads a file of data version 2 (no kinds then) without a server first', async () => {
    const file = path.join(dir, 'automated.db');
    const at = (time: string) => `2026-12-01T${time}.000Z`;
    const store = createSqliteStore({ file, retentionDays: 0, writer: 'inline' });
    try {
      await store.savePredictions([{ ...record('p-1', 'e-1', at('10:00:00')), queue: 'manual_triage', automated: 'auto_reply' }, record('p-2', 'e-2', at('10:00:01'))]);
      await store.saveFeedback({ emailId: 'e-1', labels: { queue: 'cards' }, closedAt: at('11:00:00'), receivedAt: at('11:00:00') });
      await store.saveFeedback({ emailId: 'e-2', labels: { queue: 'cards' }, closedAt: at('11:00:01'), receivedAt: at('11:00:01') });
    } finally {
      await store.close();
    }
    expect(readConfirmedCases(file).map((c) => [c.emailId, c.automated])).toEqual([
      ['e-1', 'auto_reply'],
      ['e-2', undefined],
    ]);
    // As a mailroute of data version 2 left it: no automated column.
    const v2 = new Database(file);
    v2.exec('ALTER TABLE predictions DROP COLUMN automated');
    v2.pragma('user_version = 2');
    v2.close();
    const cases = readConfirmedCases(file);
    expect(cases.map((c) => [c.emailId, c.predictionId])).toEqual([
      ['e-1', 'p-1'],
      ['e-2', 'p-2'],
    ]);
    expect(cases.some((c) => 'automated' in c)).toBe(false);
  });

  it('says a database whose path is too long for SQLite so, and what to do, not SQLite\'s bare "unable to open database file"', async () => {
    const file = path.join(dir, 'short.db');
    const store = createSqliteStore({ file, writer: 'inline' });
    await store.close();
    let long = dir;
    while (long.length < 520) long = path.join(long, 'f'.repeat(100));
    mkdirSync(long, { recursive: true });
    copyFileSync(file, path.join(long, 'mailroute.db'));
    expect(() => readConfirmedCases(path.join(long, 'mailroute.db'))).toThrow(/^Cannot read the feedback in .*mailroute\.db: its path is too long for SQLite \(\d+ bytes; .*Set MAILROUTE_HOME \(or --home\) to a folder with a shorter path/);
  });

  // Root reads any file: this runs as another user only.
  it.runIf(process.getuid?.() !== 0)("says a database this user may not read so (another user's home), with the user's id and the file's mode", async () => {
    const file = path.join(dir, 'private.db');
    const store = createSqliteStore({ file, writer: 'inline' });
    await store.close();
    chmodSync(file, 0o000);
    try {
      expect(() => readConfirmedCases(file)).toThrow(/^Cannot read the feedback in .*private\.db: this user \(uid \d+\) may not read .*private\.db \(mode 0000, owner uid \d+\)/);
    } finally {
      chmodSync(file, 0o600);
    }
  });
});
