import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RedactPattern } from '@mailroute/preprocess';
import { spacedAttachmentName, type Email } from '@mailroute/preprocess';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, maskPii, type ServingApp } from '../app.js';
import { createNoAuth } from '../auth/api-keys.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { writeFixtureModel } from '../test-support/fixture-model.js';
import { json, jsonRequest } from '../test-support/harness.js';
import { createLocalModelSource, threadMasking } from './local-model.js';
import { loadClassifierInThread } from './thread-classifier.js';
import { BUILT_IN_MASKING, maskStoredText, patternMasking, storedText, type MaskText } from './stored-text.js';

// Every cleaning of an email and every masking on this thread (the request thread) is counted; a model thread loads its
// own modules, uncounted.
const cleanings = vi.hoisted(() => ({ count: 0, maskings: 0 }));
vi.mock('@mailroute/preprocess', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@mailroute/preprocess')>();
  return {
    ...actual,
    cleanEmail: (...args: Parameters<typeof actual.cleanEmail>) => {
      cleanings.count += 1;
      return actual.cleanEmail(...args);
    },
    redactPii: (...args: Parameters<typeof actual.redactPii>) => {
      cleanings.maskings += 1;
      return actual.redactPii(...args);
    },
  };
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mailroute-stored-text-'));
  await writeFixtureModel(path.join(root, 'm1'), 'm1');
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Emails that exercise what the stored text reads: a signature's name, a quote, HTML only, a sender, attachment names, an IBAN. */
const EMAILS: Email[] = [
  {
    id: 'signed',
    subject: 'AW: Unterlagen',
    body: 'Bitte senden Sie die Unterlagen an Anna Schmidt.\n\nMit freundlichen Grüßen\nAnna Schmidt\nMusterstraße 12, 10115 Berlin\n\nAm 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:\n> Sehr geehrte Frau Schmidt, Ihr Depot 12345678 ...',
  },
  { id: 'html', subject: 'Sparplan', html: '<p>Sehr geehrter Kundendienst,</p><p>wie &auml;ndere ich meinen Sparplan?</p><p>Viele Gr&uuml;&szlig;e<br>Max Mustermann</p>' },
  {
    id: 'files',
    from: 'Erika Muster <erika@example.org>',
    body: 'Anbei die Vollmacht, IBAN DE89 3704 0044 0532 0130 00. Tel +49 171 1234567',
    attachmentNames: ['Vollmacht_Erika_Muster.pdf', 'ErikaMuster.pdf', 'Kontoauszug_DE89370400440532013000.pdf', ' ', 'erika.musterfrau@mail.example.pdf', 'KD-12345678.pdf'],
    bank: 'Comdirect',
  },
  { id: 'sig', subject: 'Depot', body: '-- \nMax\n'.repeat(200) },
  { id: 'plain', body: 'Bitte übertragen Sie mein Depot, Kundennummer 1234567.' },
];

/** What classify-core stored before the kept text moved to where the model's input is made: cleaned again here, then masked. */
function storedBefore(email: Email, modelText: ((e: Email) => string) | undefined, mask: MaskText): { text: string; attachmentNames?: string[] } {
  const { text, knownNames } = storedText(email, modelText);
  const names = email.attachmentNames?.filter((name) => name.trim() !== '');
  return { text: mask(text, knownNames), ...(names && names.length > 0 ? { attachmentNames: names.map((n) => mask(spacedAttachmentName(n, (s) => mask(s)), knownNames)) } : {}) };
}

/** A server on the fixture model with one model thread; batches of more than 2 emails (or 8,000 characters) go to it. */
async function serve(storeText: boolean | MaskText): Promise<ServingApp> {
  const { source } = createLocalModelSource({ modelDir: path.join(root, 'm1'), threads: 1, inlineEmails: 2 });
  await source.reload();
  return createApp({ classifierSource: source, store: createSqliteStore({ file: ':memory:', writer: 'inline' }), auth: createNoAuth(), storeText });
}

async function storedOf(serving: ServingApp, emails: readonly Email[]): Promise<Array<{ text?: string; attachmentNames?: string[] }>> {
  const res = await serving.app.request('/v1/classify', jsonRequest({ emails }, null));
  expect(res.status).toBe(200);
  const { predictions } = await json(res);
  return Promise.all(
    predictions.map(async (p: { predictionId: string }) => {
      const record = await serving.context.store.getPrediction(p.predictionId);
      return { text: record?.text, ...(record?.attachmentNames ? { attachmentNames: record.attachmentNames } : {}) };
    }),
  );
}

describe('the text --store-text keeps, made where the model input is', () => {
  it('masks as maskPii does, with and without names and patterns', () => {
    const patterns: RedactPattern[] = [{ type: 'CUSTOMER', pattern: 'KD-\\d{8}' }];
    for (const text of EMAILS.map((e) => `${e.subject ?? ''}\n${e.body ?? e.html}`)) {
      for (const names of [[], ['Anna Schmidt', 'Erika']]) {
        expect(maskStoredText(text, names)).toBe(maskPii(text, names));
        expect(maskStoredText(text, names, patterns)).toBe(maskPii(text, names, patterns));
        expect(patternMasking(patterns)(text, names)).toBe(maskPii(text, names, patterns));
      }
    }
  });

  it('runs on a model thread for maskPii and pattern maskings, not for a function of its own', () => {
    const patterns: RedactPattern[] = [{ type: 'CUSTOMER', pattern: 'KD-\\d{8}' }];
    expect(threadMasking(maskPii)).toBe(BUILT_IN_MASKING);
    expect(threadMasking(patternMasking(patterns))).toEqual({ patterns });
    expect(threadMasking((t) => t)).toBeUndefined();
  });

  it('with storeText, a batch that goes to the model thread is not cleaned on the request thread, and is stored as before, byte for byte', async () => {
    const serving = await serve(true);
    try {
      const modelText = serving.context.source.current()?.modelText;
      cleanings.count = 0;
      cleanings.maskings = 0;
      const stored = await storedOf(serving, EMAILS);
      // Neither cleaned nor masked here: both on the model thread.
      expect(cleanings).toEqual({ count: 0, maskings: 0 });
      expect(stored).toEqual(EMAILS.map((e) => storedBefore(e, modelText, maskPii)));
      expect(stored[2].attachmentNames).toContain('Vollmacht [NAME].pdf');
    } finally {
      await serving.close();
    }
  }, 30_000);

  it('with a masking function of its own, the model thread sends the text and names and the function masks them here, without cleaning', async () => {
    const mask: MaskText = (text, names = []) => `${names.join('|')}: ${text.replaceAll(/\d/g, '#')}`;
    const serving = await serve(mask);
    try {
      const modelText = serving.context.source.current()?.modelText;
      cleanings.count = 0;
      const stored = await storedOf(serving, EMAILS);
      expect(cleanings.count).toBe(0);
      expect(stored).toEqual(EMAILS.map((e) => storedBefore(e, modelText, mask)));
    } finally {
      await serving.close();
    }
  }, 30_000);

  it('with a pattern masking, the model thread masks by the patterns too', async () => {
    const patterns: RedactPattern[] = [{ type: 'CUSTOMER', pattern: 'KD-\\d{8}' }];
    const serving = await serve(patternMasking(patterns));
    try {
      const modelText = serving.context.source.current()?.modelText;
      cleanings.count = 0;
      cleanings.maskings = 0;
      const stored = await storedOf(serving, EMAILS);
      expect(cleanings).toEqual({ count: 0, maskings: 0 });
      expect(stored).toEqual(EMAILS.map((e) => storedBefore(e, modelText, (t, names) => maskPii(t, names, patterns))));
      expect(stored[2].attachmentNames).toContain('[CUSTOMER].pdf');
    } finally {
      await serving.close();
    }
  }, 30_000);

  it('a batch scored on the request thread is cleaned once, for the model, and stored as before', async () => {
    const serving = await serve(true);
    try {
      const modelText = serving.context.source.current()?.modelText;
      const small = EMAILS.slice(0, 2);
      // The model's own cleaning of these emails, counted alone.
      cleanings.count = 0;
      small.forEach((e) => modelText?.(e));
      const once = cleanings.count;
      expect(once).toBeGreaterThan(0);
      cleanings.count = 0;
      cleanings.maskings = 0;
      const stored = await storedOf(serving, small);
      expect(cleanings.count).toBe(once);
      expect(cleanings.maskings).toBeGreaterThan(0); // masked here: what the counter sees
      expect(stored).toEqual(small.map((e) => storedBefore(e, modelText, maskPii)));
    } finally {
      await serving.close();
    }
  }, 30_000);

  it('answers batches a model thread merged each with its own kept text, and a batch without it alone', async () => {
    const threaded = await loadClassifierInThread(path.join(root, 'm1'), { threadMasking });
    try {
      const modelText = threaded.modelText;
      const parts = [EMAILS.slice(0, 1), EMAILS.slice(1, 3), EMAILS.slice(3)];
      // The first goes out at once; the others wait for the thread and go together in one message.
      const [plain, ...kept] = await Promise.all([threaded.predict(EMAILS), ...parts.map((p) => threaded.predictKeeping(p, maskPii)), threaded.predictKeeping(EMAILS, (t) => t)]);
      const own = kept.pop();
      expect(kept.map((k) => k.kept)).toEqual(parts.map((p) => p.map((e) => storedBefore(e, modelText, maskPii))));
      expect(kept.flatMap((k) => k.predictions)).toEqual(plain);
      expect(own?.kept).toEqual(EMAILS.map((e) => storedBefore(e, modelText, (t) => t)));
    } finally {
      await threaded.release();
    }
  }, 30_000);
});
