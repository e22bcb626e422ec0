import { describe, expect, it } from 'vitest';
import { createFakeClassifier } from './test-support/fake-classifier.js';
import { json, jsonRequest, testAppBuilder } from './test-support/harness.js';
import { invoiceEmail, recordingClassifier, vagueEmail } from './test-support/route-helpers.js';
import { htmlToText } from '@mailroute/preprocess';
import { prepareModelInput } from '@mailroute/model';

const build = testAppBuilder();

describe('POST /v1/classify', () => {
  it('answers per email, in order, with ids, tasks, route, model id and prediction id', async () => {
    const { app } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, vagueEmail] }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.modelId).toBe('fake-1');
    expect(body.predictions.map((p: { id: string }) => p.id)).toEqual(['e-1', 'e-2']);
    expect(body.predictions[0].tasks.queue).toMatchObject({ label: 'billing', abstained: false });
    expect(body.predictions[0].route).toEqual({ queue: 'billing', reason: 'confident' });
    expect(body.predictions[1].route).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    expect(body.predictions[0].predictionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.predictions[0].predictionId).not.toBe(body.predictions[1].predictionId);
  });

  it('stores a prediction record without the text by default', async () => {
    const { app, context } = await build();
    const res = await app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail] }));
    const { predictions } = await json(res);
    const record = await context.store.getPrediction(predictions[0].predictionId);
    expect(record).toMatchObject({ emailId: 'e-1', modelId: 'fake-1', labels: { queue: 'billing', topic: 'invoice' }, queue: 'billing' });
    expect(record?.text).toBeUndefined();
    expect(record).not.toHaveProperty('bank');
  });

  it("with the text, keeps the email's bank and receivedAt as sent (feedback export's training columns), none when blank or absent", async () => {
    const { app, context } = await build({ storeText: true });
    const emails = [
      { id: 'a', body: 'invoice 12', bank: 'Comdirect Bank', receivedAt: '2026-11-03T10:15:00+01:00' },
      { id: 'b', body: 'invoice 13', bank: '  ', receivedAt: null },
    ];
    const { predictions } = await json(await app.request('/v1/classify', jsonRequest({ emails })));
    expect(await context.store.getPrediction(predictions[0].predictionId)).toMatchObject({ bank: 'Comdirect Bank', receivedAt: '2026-11-03T10:15:00+01:00' });
    const second = await context.store.getPrediction(predictions[1].predictionId);
    expect(second?.text).toBe('invoice 13');
    expect(second).not.toHaveProperty('bank');
    expect(second).not.toHaveProperty('receivedAt');
  });

  it('with the text, keeps the attachment names masked as the text (a name the email gives, an IBAN), none when blank; without the text, none', async () => {
    const emails = [
      {
        id: 'a',
        from: 'Erika Muster <erika@example.org>',
        body: 'Anbei die Vollmacht.',
        attachmentNames: [
          'Vollmacht Erika Muster.pdf',
          'Vollmacht_Erika_Muster.pdf',
          'Erika-Muster-Ausweis.jpg',
          'ErikaMuster.pdf',
          'Kontoauszug_DE89370400440532013000.pdf',
          'Scan2026.pdf',
          ' ',
          'erika.musterfrau@mail.example.pdf',
          'Rueckruf_+49_171_1234567.pdf',
          'Ausweis L01X00T47.jpg',
        ],
      },
      { id: 'b', body: 'invoice 13', attachmentNames: ['  '] },
    ];
    const withText = await build({ storeText: true });
    const { predictions } = await json(await withText.app.request('/v1/classify', jsonRequest({ emails })));
    // Words joined by `_`, `-` or camel case are set apart first, so the detectors see them (the model reads the same words);
    // but an address and a number are masked as written before that (set apart, `erika musterfrau@mail example.pdf`
    // and `Rueckruf 49 171 1234567.pdf` were kept as they were), and a placeholder stays whole.
    expect((await withText.context.store.getPrediction(predictions[0].predictionId))?.attachmentNames).toEqual([
      'Vollmacht [NAME].pdf',
      'Vollmacht [NAME].pdf',
      '[NAME] Ausweis.jpg',
      '[NAME].pdf',
      'Kontoauszug [IBAN].pdf',
      'Scan2026.pdf',
      '[EMAIL].pdf',
      'Rueckruf [PHONE].pdf',
      'Ausweis [ID_DOCUMENT].jpg',
    ]);
    expect(await withText.context.store.getPrediction(predictions[1].predictionId)).not.toHaveProperty('attachmentNames');
    const without = await build();
    const answered = await json(await without.app.request('/v1/classify', jsonRequest({ emails })));
    expect(await without.context.store.getPrediction(answered.predictions[0].predictionId)).not.toHaveProperty('attachmentNames');
  });

  it('stores masked text only when configured', async () => {
    const { app, context } = await build({ storeText: (t) => t.replaceAll(/\d+/g, '#') });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'x', body: 'invoice 12345' }] }));
    const { predictions } = await json(res);
    expect((await context.store.getPrediction(predictions[0].predictionId))?.text).toBe('invoice #');
  });

  it('with storeText: true keeps the text only after PII masking', async () => {
    const { app, context } = await build({ storeText: true });
    const body = 'Sehr geehrte Frau Schneider, bitte überweisen Sie an DE89 3704 0044 0532 0130 00, Rückfragen an kim.muster@example.org, Musterstraße 12, 10115 Berlin';
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'pii', subject: 'invoice', body }] }));
    const { predictions } = await json(res);
    const text = (await context.store.getPrediction(predictions[0].predictionId))?.text ?? '';
    expect(text).toContain('invoice');
    expect(text).not.toMatch(/DE89|0532|kim\.muster@example\.org|Schneider|Musterstraße|Berlin/);
    expect(text).toContain('Frau [NAME]');
  });

  it('with storeText: true masks text whose numbers and names are split by no-break and zero-width spaces', async () => {
    const { app, context } = await build({ storeText: true });
    const body = 'Tel +49\u00a0171\u00a01234567\nIBAN DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000\nMit freundlichen Grüßen\nAnna\u00a0Schmidt\nMusterstraße\u00a012, 10115\u00a0Berlin';
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'nbsp', subject: 'Kunden-ID:\u200b12345678', body }] }));
    const { predictions } = await json(res);
    const text = (await context.store.getPrediction(predictions[0].predictionId))?.text ?? '';
    // What the model read: the subject, then the body without its signature (the name and address went with it).
    expect(text).toBe('Kunden-ID:[ACCOUNT]\nTel [PHONE]\nIBAN [IBAN]');
  });

  it('with storeText: true keeps what the model read, masked: no quote, no signature, and a name signed there masked where the text names it', async () => {
    const { app, context } = await build({ storeText: true });
    const email = {
      id: 'signed',
      subject: 'AW: Unterlagen',
      body: 'Bitte senden Sie die Unterlagen an Anna Schmidt.\n\nMit freundlichen Grüßen\nAnna Schmidt\nMusterstraße 12, 10115 Berlin\n\nAm 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:\n> Sehr geehrte Frau Schmidt, Ihr Depot 12345678 ...',
    };
    const res = await app.request('/v1/classify', jsonRequest({ emails: [email] }));
    const { predictions } = await json(res);
    const text = (await context.store.getPrediction(predictions[0].predictionId))?.text ?? '';
    expect(text).toBe('Unterlagen\nBitte senden Sie die Unterlagen an [NAME].');
  });

  it('with storeText: true keeps a text that training, cleaning it again as an exported row\'s body, reads as serving read the email', async () => {
    const { app, context } = await build({ storeText: true });
    const emails = [
      { id: 'r1', subject: 'AW: WG: Kündigung Depot', body: 'Sehr geehrtes Support-Team,\n\nbitte kündigen Sie mein Depot zum Monatsende.\n\nMit freundlichen Grüßen\nAnna Schmidt' },
      { id: 'r2', subject: 'Re: refund', body: 'Hello,\n\nthe refund still has not arrived.\n\nThanks,\nJohn Smith\n\nOn Mon, 3 Nov 2025 at 10:15, Bank <support@bank.example> wrote:\n> We have issued the refund.' },
      { id: 'r3', subject: 'Sparplan', html: '<p>Sehr geehrter Kundendienst,</p><p>wie &auml;ndere ich meinen Sparplan?</p><p>Viele Gr&uuml;&szlig;e<br>Max Mustermann</p>' },
    ];
    const res = await app.request('/v1/classify', jsonRequest({ emails }));
    const { predictions } = await json(res);
    for (const [i, p] of (predictions as Array<{ predictionId: string }>).entries()) {
      const stored = (await context.store.getPrediction(p.predictionId))?.text ?? '';
      // An exported case is a row whose body is the stored text: training cleans it again and reads the same text.
      expect(prepareModelInput({ body: stored }).text, emails[i].id).toBe(prepareModelInput(emails[i]).text);
    }
  });

  it('with storeText: true masks a name written with no-break, zero-width or soft-hyphen characters, as cleaning leaves it', async () => {
    const { app, context } = await build({ storeText: true });
    const emails = ['\u00a0', '\u202f', '\u200b ', '\u00ad '].map((gap, i) => ({ id: `gap${i}`, subject: 'Karte', body: `Bitte sperren Sie die Karte von Anna${gap}Schmidt.\n\nViele Grüße\nAnna${gap}Schmidt` }));
    const res = await app.request('/v1/classify', jsonRequest({ emails }));
    const { predictions } = await json(res);
    for (const p of predictions as Array<{ predictionId: string }>) {
      expect((await context.store.getPrediction(p.predictionId))?.text).toBe('Karte\nBitte sperren Sie die Karte von [NAME].');
    }
  });

  it('with storeText: true keeps only the fields the served model reads (its modelText): no subject a model trained without one never read', async () => {
    const withoutSubject = { ...createFakeClassifier(), modelText: (e: Parameters<typeof prepareModelInput>[0]) => prepareModelInput({ ...e, subject: undefined }).text };
    const { app, context } = await build({ storeText: true, classifier: withoutSubject });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'ns', subject: 'AW: Steuerbescheinigung 2025 fehlt', body: 'Bitte Depot übertragen.' }] }));
    const { predictions } = await json(res);
    expect((await context.store.getPrediction(predictions[0].predictionId))?.text).toBe('Bitte Depot übertragen.');
  });

  it('with storeText: true masks the sender its from names where the text names them without a cue', async () => {
    const { app, context } = await build({ storeText: true });
    // A name with no greeting or title before it (the French closing and its name go with the signature).
    const emails = [
      { id: 's1', from: 'Jean-Baptiste Moreau <jb.moreau@example.org>', body: 'Bonjour, mon virement est bloqué.\nCordialement,\nJean-Baptiste Moreau' },
      { id: 's2', from: '"Yıldırım, Ayşe" <a@example.org>', body: 'Hier schreibt Familie Yıldırım wegen des Depotübertrags.' },
      { id: 's3', from: 'katrin.wollmann@example.org', body: 'Katrin Wollmann bittet um die Steuerbescheinigung.' },
    ];
    const res = await app.request('/v1/classify', jsonRequest({ emails }));
    const { predictions } = await json(res);
    const texts = await Promise.all(predictions.map(async (p: { predictionId: string }) => (await context.store.getPrediction(p.predictionId))?.text));
    expect(texts).toEqual(['Bonjour, mon virement est bloqué.', 'Hier schreibt Familie [NAME] wegen des Depotübertrags.', '[NAME] bittet um die Steuerbescheinigung.']);
  });

  it('with storeText: true masks an HTML-only email as text, entities and tags read', async () => {
    const { app, context } = await build({ storeText: true });
    const html = '<p>Viele Gr&uuml;&szlig;e<br>Max Mustermann<br>Musterstra&szlig;e 12, 10115 Berlin<br>Tel. +49 30 1234567</p>';
    // The same markup in the plain-text body (a CRM that put the HTML email there) is read the same way.
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'h1', subject: 'invoice', html }, { id: 'h2', subject: 'invoice', body: html }] }));
    const { predictions } = await json(res);
    for (const p of predictions) {
      const text = (await context.store.getPrediction(p.predictionId))?.text ?? '';
      expect(text).toContain('Viele Grüße');
      expect(text).toContain('[NAME]');
      expect(text).toContain('[ADDRESS]');
      expect(text).not.toMatch(/Mustermann|Musterstra|Berlin|1234567|<p>|&uuml;/);
    }
  });

  it('truncates long text and says so', async () => {
    const { app } = await build({ limits: { maxTextChars: 100 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'long', body: `invoice ${'x'.repeat(500)}` }, invoiceEmail] }));
    const body = await json(res);
    expect(body.predictions[0].truncated).toBe(true);
    expect(body.predictions[1].truncated).toBeUndefined();
    expect(body.warnings[0]).toContain('1 email(s) (long)');
    // Emails without an id are named by their place in the request; past five, the rest are counted.
    const many = await json(app.request('/v1/classify', jsonRequest({ emails: [...Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, body: 'x'.repeat(200) })), { body: 'y'.repeat(200) }] })));
    expect(many.warnings[0]).toBe('7 email(s) (m0, m1, m2, m3, m4 and 2 more) had text over 100 characters; it was cut before classification.');
    const anonymous = await json(app.request('/v1/classify', jsonRequest({ emails: [invoiceEmail, { body: 'y'.repeat(200) }] })));
    expect(anonymous.warnings[0]).toMatch(/^1 email\(s\) \(emails\[1\]\) had text over/);
  });

  it('says apart text over the limit and clean text longer than the model reads, each with a warning of its own', async () => {
    // A model that reads 200 characters of clean text, as ngram-bag's featurizer reads its maxChars.
    const classifier = createFakeClassifier();
    const predict = classifier.predict.bind(classifier);
    classifier.predict = async (emails) => (await predict(emails)).map((p, i) => ((emails[i].body ?? '').length > 200 ? { ...p, truncated: true } : p));
    const { app } = await build({ classifier, limits: { maxTextChars: 1000 } });
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'long', body: `invoice ${'x'.repeat(1500)}` }, { id: 'mid', body: `invoice ${'y'.repeat(500)}` }, invoiceEmail] })));
    expect(body.predictions.map((p: { truncated?: boolean }) => p.truncated)).toEqual([true, true, undefined]);
    expect(body.warnings).toEqual([
      '1 email(s) (long) had text over 1000 characters; it was cut before classification.',
      // Cut to 1,000 characters, `long` is still longer than the model reads: both cases hold, both are said.
      "2 email(s) (long, mid) had more text after cleaning than the model reads (its featurizer's maxChars, in the manifest); only the first part was classified.",
    ]);
  });

  it('limits an HTML body by its visible text, not its markup: a long <style> block (Outlook) does not cut the text away', async () => {
    const { classifier, seen } = recordingClassifier();
    const { app } = await build({ classifier, limits: { maxTextChars: 1000 } });
    const outlook = `<html><head><style>${'p.MsoNormal{margin:0cm;font-size:11pt}\n'.repeat(100)}</style></head><body><p>Where is my invoice?</p></body></html>`;
    const long = `<p>${'invoice text '.repeat(300)}</p>`;
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'outlook', html: outlook }, { id: 'long', html: long }] })));
    // 4,000 characters of markup around 20 of text: nothing to cut, the email is classified as sent.
    expect(body.predictions[0].truncated).toBeUndefined();
    expect(seen[0].html).toBe(outlook);
    // 3,900 characters of text: cut to about the limit of text, not of markup.
    expect(body.predictions[1].truncated).toBe(true);
    const kept = htmlToText(seen[1].html ?? '').length;
    expect(kept).toBeGreaterThan(950);
    expect(kept).toBeLessThanOrEqual(1000);
  });

  it('cuts an Outlook HTML body whose text is over the limit too by its text: its <style> block is kept whole, not cut to no text', async () => {
    const { classifier, seen } = recordingClassifier();
    const { app } = await build({ classifier, limits: { maxTextChars: 1000 } });
    const outlook = `<html><head><style>${'p.MsoNormal{margin:0cm;font-size:11pt}\n'.repeat(100)}</style></head><body><p>${'invoice text '.repeat(300)}</p></body></html>`;
    // The same markup in the plain-text body (a CRM that put the HTML email there) is cut the same way.
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'outlook', html: outlook }, { id: 'in-body', body: outlook }] })));
    for (const [i, field] of [[0, 'html'], [1, 'body']] as const) {
      expect(body.predictions[i].truncated).toBe(true);
      expect(body.predictions[i].noText).toBeUndefined();
      const kept = htmlToText(seen[i][field] ?? '').length;
      expect(kept).toBeGreaterThan(950);
      expect(kept).toBeLessThanOrEqual(1000);
    }
  });

  it('takes null as an absent field and a long subject as text to cut, not as a failed batch', async () => {
    const { app } = await build({ limits: { maxTextChars: 3000 } });
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'n', subject: 'invoice', body: null, html: null, bank: null, receivedAt: null }, { id: 'long', subject: `invoice ${'x'.repeat(4000)}` }] }));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.predictions.map((p: { id: string }) => p.id)).toEqual(['n', 'long']);
    expect(body.predictions[1].truncated).toBe(true);
    const spec = await json(app.request('/openapi.json'));
    expect(spec.components.schemas.Email.properties.body.anyOf ?? spec.components.schemas.Email.properties.body.type).toBeDefined();
  });
});
