import { describe, expect, it } from 'vitest';
import { dedupeKeyText, type DatasetRow } from '../data/dataset.js';
import { splitDataset } from '../data/split.js';
import { NgramBagParamsSchema } from '../ngram-bag/params.js';
import { inputsOf, prepareModelRows, rowsFingerprint } from './model-rows.js';

function row(id: string, body: string, queue: string, subject = 'Freistellungsauftrag'): DatasetRow {
  const email = { id, subject, body };
  return { id, file: 'x.csv', line: Number(id.slice(1)) + 1, email, labels: { queue }, dedupeKey: dedupeKeyText(`${email.subject}\n${body}\n`) };
}

// One request, sent by many customers: other IBANs, other names in the signature, a quoted reply or not.
const IBANS = ['DE89 3704 0044 0532 0130 00', 'DE12 5001 0517 0648 4898 90', 'DE44 5001 0517 5407 3249 31', 'DE02 1203 0000 0000 2020 51'];
const SIGNS = ['Viele Grüße\nAnna Schmidt', 'Mit freundlichen Grüßen\nMax Müller', 'Beste Grüße\nJana Weber'];
const rows: DatasetRow[] = [];
for (let i = 0; i < 24; i++) {
  const quoted = i % 2 === 0 ? '\n\nAm 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:\n> Ihre Anfrage ist eingegangen.' : '';
  rows.push(row(`t${i}`, `Hallo,\n\nbitte erhöhen Sie meinen Freistellungsauftrag auf 1000 Euro. Mein Konto: ${IBANS[i % 4]}\n\n${SIGNS[i % 3]}${quoted}`, 'tax_documents'));
}
for (let i = 24; i < 60; i++) rows.push(row(`t${i}`, `Hallo, meine Überweisung Nummer ${i} ist nicht angekommen, bitte prüfen Sie den Vorgang ${i * 7}.`, 'payments'));
rows.push(row('t60', '> Nur ein zitierter Text, nichts Neues.', 'payments', ''));
// Text that makes no word or char n-gram: served, each is noText; trained on, only its meta tokens would be learnt.
rows.push(row('t61', '😀🙏', 'payments', ''), row('t62', '?!... ---', 'payments', ''), row('t63', '\u200b\u2060', 'payments', '👍'));
// Automated: an out-of-office reply and a bounce, which an agent filed under some queue.
rows.push(row('t64', 'Ich bin bis zum 14.12. nicht im Büro.', 'payments', 'Automatische Antwort: Überweisung'));
rows.push({ ...row('t65', 'Your message could not be delivered.', 'payments', 'Hinweis'), email: { id: 't65', subject: 'Hinweis', body: 'Your message could not be delivered.', from: 'MAILER-DAEMON@mx.mail.example' } });

describe('prepareModelRows and a split by the text the model reads', () => {
  const prepared = prepareModelRows(rows, NgramBagParamsSchema.parse({}));

  it('leaves out a row with no text the model reads after cleaning (as serving flags noText), and cleans each other row once', () => {
    expect(prepared.noText).toBe(4);
    expect(prepared.noTextAt).toEqual(['x.csv:61', 'x.csv:62', 'x.csv:63', 'x.csv:64']);
    // Served, these are routed as automated whatever the model says: their labels would teach it noise.
    expect(prepared.automated).toBe(2);
    expect(prepared.automatedAt).toEqual(['x.csv:65', 'x.csv:66']);
    expect(prepared.rows.map((r) => r.id).filter((id) => Number(id.slice(1)) >= 60)).toEqual([]);
    expect(prepared.inputs).toHaveLength(60);
    expect(inputsOf(prepared, [rows[3]])[0]).toBe(prepared.inputs[3]);
  });

  it('keeps emails that differ only in an IBAN, a signature or a quoted reply on one side', () => {
    // As exported, the 24 requests are 12 different texts; as the model reads them, one.
    expect(new Set(rows.slice(0, 24).map((r) => r.dedupeKey)).size).toBe(12);
    expect(new Set(prepared.keys.slice(0, 24)).size).toBe(1);
    const config = { kind: 'stratified' as const, on: 'queue', testShare: 0.3, validShare: 0.1, seed: 1 };
    const split = splitDataset(prepared.rows, config, { keys: prepared.keys });
    const sides = [split.train, split.valid, split.test].map((side) => side.filter((r) => Number(r.id.slice(1)) < 24).length);
    expect(sides.filter((n) => n > 0)).toEqual([24]);
    // By the raw text they straddle the sides.
    const raw = splitDataset(prepared.rows, config);
    expect([raw.train, raw.valid, raw.test].filter((side) => side.some((r) => Number(r.id.slice(1)) < 24)).length).toBeGreaterThan(1);
  });

  it('fingerprints the held-out rows by their ids and text, in order', () => {
    expect(rowsFingerprint(rows.slice(0, 3))).toBe(rowsFingerprint(rows.slice(0, 3)));
    expect(rowsFingerprint(rows.slice(0, 3))).not.toBe(rowsFingerprint([rows[0], rows[2], rows[1]]));
    expect(rowsFingerprint(rows.slice(0, 3))).toMatch(/^[0-9a-f]{64}$/);
  });
});
