import { describe, expect, it } from 'vitest';
import { cleanEmail, CleanResultSchema } from './clean.js';

const german = `Hallo zusammen,

bitte senden Sie mir die Depotauszüge für 2025.

Mit freundlichen Grüßen
Max Mustermann

Von meinem iPhone gesendet

Am 03.06.2026 um 09:43 schrieb Support Team
<support@example.com>:
> Sehr geehrter Herr Mustermann,
> vielen Dank für Ihre Nachricht.`;

describe('cleanEmail', () => {
  it('removes a wrapped German reply header, the quote, the device line and the signature', () => {
    const r = cleanEmail({ body: german, subject: 'AW: WG: Depotauszug' });
    expect(CleanResultSchema.parse(r)).toEqual(r);
    expect(r.text).toBe('Hallo zusammen,\n\nbitte senden Sie mir die Depotauszüge für 2025.');
    expect(r.subject).toBe('Depotauszug');
    expect(r.signature).toBe('Mit freundlichen Grüßen\nMax Mustermann');
    expect(r.quoted).toContain('> vielen Dank');
    expect(r.removed.map((p) => p.kind).sort()).toEqual(['device', 'quoted', 'signature']);
    expect(r.language).toBe('de');
  });

  it('keeps the signature in scope quotes, but drops the device line (it carries no customer text)', () => {
    const r = cleanEmail({ body: german }, { scope: 'quotes' });
    expect(r.text).toContain('Mit freundlichen Grüßen\nMax Mustermann');
    expect(r.text).not.toContain('Von meinem iPhone gesendet');
    expect(r.text).not.toContain('schrieb');
  });

  it('cleans an English reply with On ... wrote:', () => {
    const body = 'Please close my account.\n\nBest regards,\nJane\n\nOn Tue, Jun 3, 2026 at 9:43 AM Support <help@example.com> wrote:\n> Hello Jane';
    const r = cleanEmail({ body });
    expect(r.text).toBe('Please close my account.');
    expect(r.language).toBe('en');
  });

  it('masks PII by default and not when redaction is off', () => {
    const body = 'Meine IBAN ist DE89 3704 0044 0532 0130 00, bitte prüfen.';
    expect(cleanEmail({ body }).text).toBe('Meine IBAN ist [IBAN], bitte prüfen.');
    expect(cleanEmail({ body }, { redact: false }).text).toBe(body);
  });

  it('masks the subject as the text, listing its redactions with part subject (the model reads the subject too)', () => {
    const email = { subject: 'AW: Kündigung DE89 3704 0044 0532 0130 00, Rückruf 0171 2345678', body: 'Bitte kündigen, IBAN DE89 3704 0044 0532 0130 00.' };
    const r = cleanEmail(email);
    expect(r.subject).toBe('Kündigung [IBAN], Rückruf [PHONE]');
    expect(r.text).toBe('Bitte kündigen, IBAN [IBAN].');
    expect(r.redactions.map((x) => [x.type, x.part ?? 'text'])).toEqual([['IBAN', 'text'], ['IBAN', 'subject'], ['PHONE', 'subject']]);
    expect(r.subject.slice(r.redactions[1].start, r.redactions[1].end)).toBe('[IBAN]');
    expect(cleanEmail(email, { redact: false }).subject).toBe('Kündigung DE89 3704 0044 0532 0130 00, Rückruf 0171 2345678');
  });

  it('composes letters written with combining marks (NFD) first, so every rule and the model see one form', () => {
    const nfd = (s: string) => s.normalize('NFD');
    const r = cleanEmail({ body: nfd(german), subject: nfd('AW: Depotauszüge') });
    expect(r.text).toBe('Hallo zusammen,\n\nbitte senden Sie mir die Depotauszüge für 2025.');
    expect(r.signature).toBe('Mit freundlichen Grüßen\nMax Mustermann');
    expect(r.subject).toBe('Depotauszüge');
    expect(cleanEmail({ html: nfd('<p>Grüße aus Köln</p>') }, { redact: false }).text).toBe('Grüße aus Köln');
  });

  it("keeps the customer's request under their account of what the bank wrote, and under a line about a payment", () => {
    const mfg = '\n\nMfG\nKarl Brandt';
    const account = 'Guten Tag,\n\nSie schrieben mir am 03.11.2025:\n\ndie Gutschrift erfolgt in 3 Tagen.\n\nEs ist nichts passiert. Ich bitte um sofortige Gutschrift der 250 EUR.';
    const r = cleanEmail({ body: account + mfg }, { redact: false });
    expect(r.text).toBe(account);
    expect(r.quoted).toBeUndefined();
    const sent = 'Hello,\n\nmy transfer has not arrived.\n\nSent from my HSBC current account on 01/11/2025\n\nPlease check where the money is.';
    expect(cleanEmail({ body: `${sent}\n\nThanks\nAnna` }, { redact: false }).text).toBe(sent);
  });

  it('cleans text that reads as HTML (a tag spelt with entities) as such a body, with every signature cut as they stood', () => {
    const html = '<p>Please close my account.</p><p>&lt;p&gt;Thanks,<br>Anna</p><p>Best regards<br>Anna Schmidt<br>Example Ltd</p>';
    const r = cleanEmail({ html }, { redact: false });
    expect(r.text).toBe('Please close my account.');
    expect(r.signature).toBe('Thanks,\nAnna\n\nBest regards\nAnna Schmidt\nExample Ltd');
    expect(cleanEmail({ body: r.text }, { redact: false }).text).toBe(r.text);
  });

  it('gives every signature cut, as they stood, when a second pass cuts one above the first', () => {
    const r = cleanEmail({ body: 'Please close my account.\n\nThanks,\nAnna\n\nBest regards\nAnna Schmidt\nExample Ltd' }, { redact: false });
    expect(r.text).toBe('Please close my account.');
    expect(r.removed.filter((p) => p.kind === 'signature').map((p) => p.text).sort()).toEqual(['Best regards\nAnna Schmidt\nExample Ltd', 'Thanks,\nAnna']);
    expect(r.signature).toBe('Thanks,\nAnna\n\nBest regards\nAnna Schmidt\nExample Ltd');
  });

  it('masks the subject as the text is, also where it holds no digit or @', () => {
    const subject = (s: string, names = false) => cleanEmail({ subject: s, body: 'Hallo' }, names ? { redact: { names: true } } : {}).subject;
    expect(subject('AW: Mein Passwort: GeheimXY!')).toBe('Mein Passwort: [CREDENTIAL]');
    expect(subject('Kontakt max.mustermann(at)web.de')).toBe('Kontakt [EMAIL]');
    expect(subject('Kündigung Konto Frau Anna Müller', true)).toBe('Kündigung Konto Frau [NAME]');
    const r = cleanEmail({ subject: 'Mein Passwort: GeheimXY!', body: 'Hallo' });
    expect(r.redactions).toEqual([{ type: 'CREDENTIAL', start: 15, end: 27, part: 'subject' }]);
    // Names only with names on; subjects without personal data stay.
    expect(subject('Kündigung Konto Frau Anna Müller')).toBe('Kündigung Konto Frau Anna Müller');
    expect(subject('Passwort vergessen')).toBe('Passwort vergessen');
    expect(subject('Depotübertrag', true)).toBe('Depotübertrag');
  });
});
