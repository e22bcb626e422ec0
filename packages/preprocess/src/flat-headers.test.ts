import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanText } from './clean.js';
import { flatHeaderPieces, splitFlatHeaders } from './flat-headers.js';
import { forwardedText } from './forward.js';

const message = 'Bitte kündigen Sie mein Depot zum Monatsende.';
const english = 'From: Anna Beispiel <anna@example.com> Sent: Monday, 1 June 2026 09:43 To: Service <service@bank.example> Subject: Depot';
const german = 'Von: Anna Beispiel <anna@example.com> Gesendet: Montag, 1. Juni 2026 09:43 An: Service <service@bank.example> Betreff: Depot';

describe('a header block flattened onto the line of the writer\'s note', () => {
  it('is read as a block on lines of its own: the note is the text, the forwarded message is read under it', () => {
    for (const [note, block] of [
      ['Please see below.', english],
      ['Siehe unten.', german],
      // Without addresses (Exchange names), the date line makes it a block; in bold, as Outlook writes the keys.
      ['FYI', 'From: Anna Beispiel Sent: Monday, 1 June 2026 09:43 To: Service Subject: RE: Depot'],
      ['Zur Info', '**Von:** Anna Beispiel <anna@example.com> **Gesendet:** Montag, 1. Juni 2026 09:43 **An:** Service **Betreff:** Depot'],
      // A separator joined on too.
      ['FYI', `-----Original Message----- ${english}`],
    ]) {
      const email = { subject: 'WG: Depot', body: `${note} ${block}\n\n${message}` };
      const cleaned = cleanEmail(email, { redact: false });
      expect(cleaned.text, email.body).toBe(note);
      expect(cleaned.quoted?.startsWith(block.slice(0, 10)), email.body).toBe(true);
      expect(forwardedText(email, cleaned, false), email.body).toBe(message);
      expect(cleanText(cleaned.text).text).toBe(cleaned.text);
    }
  });

  it('puts the note and each key on a line of their own, and a block alone on its line too', () => {
    expect(flatHeaderPieces(`Siehe unten. ${german}`)).toEqual([
      'Siehe unten.',
      'Von: Anna Beispiel <anna@example.com>',
      'Gesendet: Montag, 1. Juni 2026 09:43',
      'An: Service <service@bank.example>',
      'Betreff: Depot',
    ]);
    expect(flatHeaderPieces(english)?.[0]).toBe('From: Anna Beispiel <anna@example.com>');
    // A forward with no note: the block goes and the forwarded message is the text.
    expect(cleanEmail({ subject: 'Fwd: Depot', body: `${english}\n\n${message}` }, { redact: false }).text).toBe(message);
    const lines = ['Hallo', 'Danke.'];
    expect(splitFlatHeaders(lines)).toBe(lines);
  });

  it('leaves prose with `from:` and a customer\'s own fields on one line alone', () => {
    for (const body of [
      'Please send me the statements from: 1 June 2026 to: 30 June 2026, sent: by post, subject: my depot.',
      'Ich habe die Mail von: anna@example.com an: service@bank.example gesendet: am 1. Juni 2026.',
      // Capitalised, but two keys only, or no date line and no address.
      'Bitte buchen Sie um. Von: Girokonto An: Sparkonto Betrag: 500 EUR',
      'Transfer From: my savings To: my current account Subject: rent, as every month.',
      // Keys with no `From:` first.
      'Dear team, Date: 1 June 2026 To: Service Subject: Depot. Please help.',
      // A `>` line is a quote already.
      `> Siehe unten. ${german}`,
    ]) {
      expect(flatHeaderPieces(body), body).toBeUndefined();
      expect(cleanText(`${body}\n\nDanke`, 'quotes').text, body).toBe(`${body}\n\nDanke`.replace(/^> .*\n\n/, ''));
    }
  });
});
