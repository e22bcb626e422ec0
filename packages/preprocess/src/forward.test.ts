import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { forwardedBody, forwardedText } from './forward.js';

const outlookForward = (note: string) =>
  `${note}________________________________\nVon: Tim Kurz <tim@example.com>\nGesendet: Montag, 3. November 2025 10:15\nAn: Service <service@bank.example>\nBetreff: Depotübertrag\n\nBitte übertragen Sie mein Depot zur Musterbank. Die Depotnummer ist 123456789.\n\nViele Grüße\nTim Kurz`;

describe('forwardedText', () => {
  it('gives the forwarded message, cleaned and masked, under a short cover note or none', () => {
    for (const note of ['Zur Info.\n\n', '']) {
      const email = { subject: 'WG: Depotübertrag', body: outlookForward(note) };
      const cleaned = cleanEmail(email);
      expect(cleaned.text).toBe(note.trim()); // cleanEmail's text stays the customer's own words
      expect(forwardedText(email, cleaned)).toBe('Bitte übertragen Sie mein Depot zur Musterbank. Die Depotnummer ist [ACCOUNT].');
    }
  });

  it('knows a forward by its first line when the subject does not say so', () => {
    const email = { subject: 'Depot', body: 'FYI\n\n---------- Forwarded message ---------\nFrom: Tim <t@example.com>\nDate: Mon, 3 Nov 2025\nSubject: Depot\n\nPlease transfer my securities account.' };
    expect(forwardedText(email, cleanEmail(email))).toBe('Please transfer my securities account.');
  });

  it('gives nothing for a reply, or under a note of more than a few words', () => {
    const reply = { subject: 'AW: Depot', body: 'Danke!\n\nAm 03.11.2025 um 10:15 schrieb Service <s@example.com>:\n> Ihr Depot wurde übertragen.' };
    expect(forwardedText(reply, cleanEmail(reply))).toBeUndefined();
    const long = { subject: 'WG: Depotübertrag', body: outlookForward('Ich beschwere mich, der Übertrag dauert schon sechs Wochen und keiner antwortet.\n\n') };
    expect(forwardedText(long, cleanEmail(long))).toBeUndefined();
  });

  it("keeps the forwarded message's own key: value lines", () => {
    const body = 'Zur Info.\n\n---------- Forwarded message ---------\nVon: Inkasso GmbH <info@inkasso.example>\nDatum: Mo., 3. Nov. 2025\nBetreff: Mahnung\nAn: <kunde@example.de>\n\nKundennummer: 4711\nOffener Betrag: 89,90 EUR\nFällig am: 01.12.2025\n\nSehr geehrte Damen und Herren,\nbitte zahlen Sie umgehend.';
    const email = { subject: 'WG: Mahnung', body };
    expect(forwardedText(email, cleanEmail(email), false)).toBe('Kundennummer: 4711\nOffener Betrag: 89,90 EUR\nFällig am: 01.12.2025\n\nSehr geehrte Damen und Herren,\nbitte zahlen Sie umgehend.');
  });

  it('takes off separator lines, the header block and > markers', () => {
    expect(forwardedBody('> Begin forwarded message:\n>\n> From: A <a@example.com>\n> Subject: X\n>\n> Body line')).toBe('Body line');
  });
});
