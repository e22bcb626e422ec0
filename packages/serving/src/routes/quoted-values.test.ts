import { describe, expect, it } from 'vitest';
import { authed, json, jsonRequest, testAppBuilder } from '../test-support/harness.js';
import { closedAt } from '../test-support/route-helpers.js';

const build = testAppBuilder();

// Invented people and numbers. A value the client sent comes back in a warning or detail masked as training masks a
// quoted cell (IBANs, phones, emails, birth dates, names a cue marks); ids and the model's own labels come back as sent.
const IBAN = 'DE21 3704 0028 1300 0267 67';
const BIRTH = 'geb. 25.03.1964 Kunigunde Flunderhorst +49 170 1234567';

describe('values quoted back to the client', () => {
  it('masks a receivedAt that could not be read in its warning, and keeps the email id', async () => {
    const { app } = await build();
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-7', body: 'invoice', receivedAt: BIRTH }] })));
    expect(body.warnings[0]).toMatch(/^receivedAt "geb\. \[BIRTHDATE\] Kunigunde Flunderhorst …" of emails\[0\] \(id "crm-7"\) was not read/);
    expect(JSON.stringify(body)).not.toContain('25.03.1964');
  });

  it('masks before it cuts: an IBAN past the cut is not quoted as its first digits', async () => {
    const { app } = await build();
    const sent = `Konto von Herrn Reinhold Spargelmann: ${IBAN}`;
    const body = await json(app.request('/v1/classify', jsonRequest({ emails: [{ id: 'crm-8', body: 'invoice', receivedAt: sent }] })));
    expect(body.warnings[0]).toContain('receivedAt "Konto von Herrn [NAME]: [IBAN]" of emails[0]');
    expect(JSON.stringify(body)).not.toMatch(/DE21|Spargelmann/);
  });

  it('masks a label outside the taxonomy in the 422, and keeps the did-you-mean and the valid labels', async () => {
    const { app } = await build();
    const label = `Kunde Reinhold Spargelmann ${IBAN} reinhold.s@example.org`;
    const res = await app.request('/v1/feedback', jsonRequest({ emailId: 'crm-9', labels: { queue: label }, closedAt }));
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.detail).toBe('Label "Kunde Reinhold Spargelmann [IBAN] [EMAIL]" is not in the taxonomy of task "queue".');
    expect(body.validLabels).toEqual({ queue: ['billing', 'technical', 'general'] });
    const typo = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-9', labels: { queue: 'biling' }, closedAt })));
    expect(typo.detail).toBe('Label "biling" is not in the taxonomy of task "queue" (did you mean billing?).');
  });

  it('masks a task name near one of the model\'s in its 422, and the unknown task names of a feedback with nothing to record', async () => {
    const { app } = await build();
    const near = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-9', labels: { [`queue ${IBAN}`]: 'billing' }, closedAt })));
    expect(near.detail ?? '').not.toContain('DE21');
    const none = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-9', labels: { 'Frau Irmgard Crumpetson 0170 1234567': 'billing' }, closedAt })));
    expect(none.detail).toBe('Nothing to record: "Frau [NAME] [PHONE]": not one of the model\'s tasks (queue, topic).');
  });

  it("masks a key of the request in each issue's message as in the detail, the issue's path kept as sent (QA: issues[].message repeated an IBAN the detail masked)", async () => {
    const { app } = await build();
    const key = `Kunde Reinhold Spargelmann IBAN ${IBAN.replaceAll(' ', '')}`;
    const res = await app.request('/v1/classify', jsonRequest({ emails: [{ id: 'm1', subject: 'x', metadata: { [key]: { x: 1 } } }] }));
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.issues[0].path).toEqual(['emails', 0, 'metadata', key]);
    const masked = 'metadata.Kunde Reinhold Spargelmann IBAN [IBAN] is an object';
    expect(body.issues[0].message).toBe(`metadata values must be a string, number, boolean or null; ${masked}`);
    expect(body.detail).toContain(masked);
    expect(JSON.stringify(body.issues[0].message)).not.toContain('DE21');
  });

  it('masks unknown field names and query parameters in warnings and in a 400 detail', async () => {
    const { app } = await build();
    const email = { id: 'crm-10', body: 'invoice', 'Herr Reinhold Spargelmann': 'x' };
    const ok = await json(app.request(`/v1/classify?${encodeURIComponent(`kunde ${IBAN}`)}=1`, jsonRequest({ emails: [email], 'r.s@example.org': 1 })));
    expect(ok.warnings).toEqual([
      'Fields mailroute does not read were ignored, in emails: Herr [NAME]; beside emails: [EMAIL]. An email\'s fields are id, subject, body, html, from, bank, receivedAt, autoSubmitted, attachmentNames, metadata; anything else can go in metadata (flat string, number, boolean or null values).',
      expect.stringMatching(/^Query parameters mailroute does not read were ignored: kunde \[IBAN\]\. /),
    ]);
    const refused = await json(app.request('/v1/classify', jsonRequest({ emails: [{ 'Herr Reinhold Spargelmann': 'x' }] })));
    expect(refused.detail).toContain('in emails: Herr [NAME];');
    const feedback = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-10', labels: { queue: 'billing' }, closedAt, 'r.s@example.org': 1 })));
    expect(feedback.warnings.join(' ')).toContain('ignored: [EMAIL].');
    expect(feedback.emailId).toBe('crm-10');
  });

  it('masks a key of the request that a 400 detail names by its path', async () => {
    const { app } = await build();
    const long = 'x'.repeat(300);
    const res = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'crm-11', labels: { 'Herr Reinhold Spargelmann': long }, closedAt })));
    expect(res.detail).toMatch(/^The request does not match the schema: labels\.Herr \[NAME\]: a label has at most/);
  });

  it('masks the hours of /v1/quality it could not read', async () => {
    const { app } = await build();
    const res = await json(app.request(`/v1/quality?hours=${encodeURIComponent('0170 1234567')}`, authed()));
    expect(res.detail).toContain('not "[PHONE]"');
  });

  it('quotes ids as sent: an emailId that names no prediction', async () => {
    const { app } = await build();
    const body = await json(app.request('/v1/feedback', jsonRequest({ emailId: 'r.s@example.org', labels: { queue: 'billing' }, closedAt })));
    expect(body.warnings[0]).toContain('No prediction of email "r.s@example.org"');
  });
});
