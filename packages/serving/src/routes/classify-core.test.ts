import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectLanguage, parseReceivedTime, type Email } from '@mailroute/preprocess';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfirmedCases } from '../store/confirmed-cases.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { createFakeClassifier, type FakeClassifier } from '../test-support/fake-classifier.js';
import { authed, json, jsonRequest, testAppBuilder } from '../test-support/harness.js';
import { storableEmail, storedReceivedAt } from './classify-core.js';

const build = testAppBuilder();
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-received-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('storedReceivedAt', () => {
  it('keeps a time that names its zone as sent (no rewrite), and makes one without a zone the instant it names, in ISO 8601 UTC', () => {
    const zoned = ['2026-11-03T10:15:00+01:00', '2026-11-03T09:15:00.000Z', '2026-11-03T10:15+01', '2026-11-03 10:15 -0500', 'Mon, 3 Nov 2025 10:15:00 +0100', 'Mon, 3 Nov 2025 10:15:00 MEZ', 'Mon, 3 Nov 2025 10:15:00 +0100 (CET)', ' 2026-11-03 10:15Z '];
    for (const sent of zoned) {
      for (const zone of ['Europe/Berlin', undefined]) expect(storedReceivedAt(sent, zone), sent).toBe(sent);
    }
    expect(storedReceivedAt('2026-11-03 10:15', 'Europe/Berlin')).toBe('2026-11-03T09:15:00.000Z');
    expect(storedReceivedAt('2026-07-03T10:15:00', 'Europe/Berlin')).toBe('2026-07-03T08:15:00.000Z');
    expect(storedReceivedAt('2026-11-03', 'Europe/Berlin')).toBe('2026-11-02T23:00:00.000Z');
    expect(storedReceivedAt('Tue, 3 Nov 2026 10:15:00', 'Europe/Berlin')).toBe('2026-11-03T09:15:00.000Z');
    // Whatever a time without a zone ends with (seconds, a fraction, a day), it is no offset.
    expect(storedReceivedAt('2026-11-03T10:15:00,25', 'Europe/Berlin')).toBe('2026-11-03T09:15:00.250Z');
    expect(storedReceivedAt('3 Nov 26 10:15', 'Europe/Berlin')).toBe('2026-11-03T09:15:00.000Z');
    expect(storedReceivedAt('2026-12-31', 'Europe/Berlin')).toBe('2026-12-30T23:00:00.000Z');
    // A server without a time zone reads a time without one as UTC, as the API says: kept so, a training config with a timeZone cannot read it otherwise.
    expect(storedReceivedAt('2026-11-03 10:15', undefined)).toBe('2026-11-03T10:15:00.000Z');
    expect(storedReceivedAt('2026-10-25T02:30:00', undefined)).toBe('2026-10-25T02:30:00.000Z');
  });

  it('reads the hour the autumn change repeats as its first occurrence (+02:00), and the hour the spring change skips moved forward by the gap', () => {
    expect(storedReceivedAt('2026-10-25T02:30:00', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(storedReceivedAt('2026-03-29T02:30:00', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('POST /v1/classify with --store-text and --time-zone', () => {
  it('keeps a receivedAt without a zone as one instant, which feedback export writes and training in any timeZone reads: no bad row in the repeated hour', async () => {
    const file = path.join(dir, 'berlin.db');
    const { app } = await build({ storeText: true, timeZone: 'Europe/Berlin', store: createSqliteStore({ file, writer: 'inline' }) });
    const sent = { autumn: '2026-10-25T02:30:00', spring: '2026-03-29 02:30', plain: '2026-11-03 10:15', zoned: '2026-11-03T10:15:00+01:00' };
    const emails = Object.entries(sent).map(([id, receivedAt]) => ({ id, body: 'invoice 12', receivedAt }));
    const classified = await app.request('/v1/classify', jsonRequest({ emails }));
    expect(classified.status).toBe(200);
    const { predictions } = await json(classified);
    const closedAt = new Date(Date.now() - 60_000).toISOString();
    for (const p of predictions) {
      const answer = await app.request('/v1/feedback', jsonRequest({ predictionId: p.predictionId, labels: { queue: 'billing' }, closedAt }));
      expect(answer.status, await answer.clone().text()).toBe(202);
    }
    const exported = Object.fromEntries(readConfirmedCases(file).map((c) => [c.emailId, c.receivedAt]));
    expect(exported).toEqual({ autumn: '2026-10-25T00:30:00.000Z', spring: '2026-03-29T01:30:00.000Z', plain: '2026-11-03T09:15:00.000Z', zoned: '2026-11-03T10:15:00+01:00' });
    // Training reads each row as the server read the email, in the config's timeZone or without one.
    for (const zone of ['Europe/Berlin', 'America/New_York', undefined]) {
      for (const [id, text] of Object.entries(exported)) expect(parseReceivedTime(text ?? '', zone), `${id} in ${zone}`).not.toBeNaN();
    }
    expect(new Date(parseReceivedTime(exported.autumn ?? '', 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('lone surrogates and NULs in an email', () => {
  it('storableEmail leaves a clean email alone (undefined: nothing copied), and repairs only the fields that need it', () => {
    const clean = { id: 'a', subject: 'Grüße 😀', body: 'invoice', html: '<p>x</p>', from: 'kim@example.org', bank: 'Comdirect', attachmentNames: ['a.pdf'] };
    expect(storableEmail(clean)).toBeUndefined();
    const broken = { ...clean, subject: 'Gr\udc00e', body: 'in\u0000voice \ud83d', html: '<p>\u0000</p>', bank: 'Com\u0000direct', attachmentNames: ['a\ud800.pdf', 'b.pdf'] };
    expect(storableEmail(broken)).toEqual({
      email: { ...clean, subject: 'Gr\uFFFDe', body: 'invoice \uFFFD', html: '<p></p>', bank: 'Comdirect', attachmentNames: ['a\uFFFD.pdf', 'b.pdf'] },
      surrogates: true,
    });
    // NULs alone are removed without a word: they carry no text.
    expect(storableEmail({ body: 'a\u0000b\u0000' })).toEqual({ email: { body: 'ab' }, surrogates: false });
  });

  it('POST /v1/classify stores text without lone surrogates (U+FFFD in their place, valid UTF-8) or NULs, and says what was replaced', async () => {
    const { app, context } = await build({ storeText: (t) => t });
    const emails = [
      { id: 'sur', subject: 'Rechnung \ud83d', body: 'Gr\udc00e invoice' },
      { id: 'nul', subject: 'Rech\u0000nung', body: 'invoice\u0000 12', bank: 'Spar\u0000kasse' },
      { id: 'ok', subject: 'Rechnung 😀', body: 'invoice 13' },
    ];
    const res = await app.request('/v1/classify', jsonRequest({ emails }));
    expect(res.status).toBe(200);
    const { predictions, warnings } = await json(res);
    const stored = await Promise.all(predictions.map((p: { predictionId: string }) => context.store.getPrediction(p.predictionId)));
    expect(stored[0]?.text).toContain('Rechnung \uFFFD');
    expect(stored[0]?.text).toContain('Gr\uFFFDe invoice');
    expect(stored[1]?.text).toBe('Rechnung\ninvoice 12');
    expect(stored[1]?.bank).toBe('Sparkasse');
    for (const record of stored) expect(Buffer.from(record?.text ?? '', 'utf8').toString('utf8')).toBe(record?.text);
    expect(stored[2]?.text).toContain('😀');
    // One short warning, for the replaced surrogates only (not U+FFFD's "decoded from bytes that were not UTF-8").
    expect(warnings).toEqual(['1 email(s) (sur) held lone UTF-16 surrogates (an escape such as \\udc00 without its pair), which have no UTF-8 form: each was replaced with U+FFFD.']);
  });
});

/** The fake classifier, answering each email's language as cleaning detects it, and routing as a model trained on `languages`. */
function trainedOn(languages: string[] | undefined): FakeClassifier {
  const fake = createFakeClassifier();
  const predict = fake.predict.bind(fake);
  return Object.assign(fake, {
    routing: { queueTask: 'queue', abstainTasks: ['queue'], thresholds: { queue: 0.5, topic: 0.5 }, ...(languages ? { languages } : {}) },
    predict: async (emails: readonly Email[]) => (await predict(emails)).map((p, i) => ({ ...p, language: detectLanguage(emails[i].body ?? '') })),
  });
}

describe('POST /v1/classify of mail in a language the model was not trained on', () => {
  const french = "Bonjour, je n'arrive pas à payer la facture (invoice) de ce mois, pouvez-vous m'aider s'il vous plaît ? Merci beaucoup.";
  const german = 'Guten Tag, ich habe eine Frage zu meiner Rechnung (invoice) von diesem Monat, können Sie mir bitte helfen? Vielen Dank.';
  const italian = 'Buongiorno, non riesco a pagare la fattura (invoice) di questo mese, potete aiutarmi per favore? Grazie mille.';

  it('warns of the emails in another language (the one routed with confidence too), none of the German; counted by language in /metrics', async () => {
    expect([detectLanguage(french), detectLanguage(german), detectLanguage(italian)]).toEqual(['fr', 'de', 'it']);
    const { app } = await build({ classifier: trainedOn(['de', 'en']) });
    const emails = [{ id: 'crm-1', body: french }, { id: 'crm-2', body: german }, { body: italian }, { id: 'crm-4', body: french }];
    const answer = await json(app.request('/v1/classify', jsonRequest({ emails })));
    expect(answer.predictions[0].route).toEqual({ queue: 'billing', reason: 'confident' });
    expect(answer.warnings).toEqual([
      '2 email(s) (crm-1, crm-4) are in fr, a language the model was not trained on (it was trained on de, en): their labels are unreliable; most such emails go to manual triage, but some are routed with confidence.',
      '1 email(s) (emails[2]) are in it, a language the model was not trained on (it was trained on de, en): their labels are unreliable; most such emails go to manual triage, but some are routed with confidence.',
    ]);
    const metrics = await (await app.request('/metrics', authed())).text();
    expect(metrics).toContain('mailroute_untrained_language_emails_total{language="fr"} 2');
    expect(metrics).toContain('mailroute_untrained_language_emails_total{language="it"} 1');
    // German mail alone: no warning.
    expect((await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-2', body: german }] })))).warnings).toBeUndefined();
  });

  it('warns of nothing for a model whose manifest records no languages (trained before they were counted)', async () => {
    const { app } = await build({ classifier: trainedOn(undefined) });
    const answer = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-1', body: french }, { id: 'crm-2', body: german }] })));
    expect(answer.predictions).toHaveLength(2);
    expect(answer.warnings).toBeUndefined();
    expect(await (await app.request('/metrics', authed())).text()).not.toContain('mailroute_untrained_language_emails_total{');
  });
});
