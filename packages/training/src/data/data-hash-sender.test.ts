import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { loadDataset } from './dataset.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-hash-sender-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body', from: 'from' },
  tasks: [{ name: 'queue', labels: ['cards', 'loans'] }],
  split: { kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 0 },
});

let files = 0;

/** The data hash of a small export whose third row has the subject `subject` and comes from `sender`. */
async function hashWithSender(sender: string, subject = 'Karte gesperrt'): Promise<string> {
  const rows = [
    ['m1', 'Karte', 'Meine Karte ist gesperrt.', 'anna@example.org', 'cards'],
    ['m2', 'Kredit', 'Ich möchte einen Kredit.', 'ben@example.org', 'loans'],
    ['m3', subject, 'Bitte entsperren Sie meine Karte.', sender, 'cards'],
  ];
  const file = path.join(dir, `export-${files++}.csv`);
  writeFileSync(file, `id,subject,body,from,queue\n${rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\n')}\n`);
  return (await loadDataset(file, config)).dataHash;
}

describe('the data hash and the sender', () => {
  it('changes when a sender makes a row automated mail (which training leaves out), and only then', async () => {
    const person = await hashWithSender('clara@example.org');
    // Another person: the row trains as before, and the hash is the one data without hashed senders had.
    expect(await hashWithSender('dora@example.org')).toBe(person);
    // A mail system's address turns the same row into a bounce that no longer trains: another hash.
    const bounce = await hashWithSender('MAILER-DAEMON@mail.example.org');
    expect(bounce).not.toBe(person);
    expect(await hashWithSender('postmaster@mail.example.org')).not.toBe(bounce);
    // A bounce by its subject alone is one whoever sent it: the sender decides nothing, and is not hashed.
    const subject = 'Undelivered Mail Returned to Sender';
    expect(await hashWithSender('MAILER-DAEMON@mail.example.org', subject)).toBe(await hashWithSender('clara@example.org', subject));
  });
});
