import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanText } from './clean.js';
import { forwardedText } from './forward.js';
import { inlineSeparatorStart, splitInlineSeparators } from './forward-marker.js';

const message = 'Bitte kündigen Sie mein Depot zum Monatsende.';
const headers = 'From: Tim <t@example.com>\nDate: Mon, 3 Nov 2025 10:15:00 +0100\nSubject: Depot\n\n';

describe('a separator on the line of the writer\'s note', () => {
  it('is read as on a line of its own: the note is the text, the forwarded message is read under it', () => {
    for (const [note, separator, block, joint] of [
      ['Bitte prüfen.', '---------- Forwarded message ---------', headers],
      ['FYI', '-----Weitergeleitete Nachricht-----', 'Von: Tim <t@example.com>\nGesendet: Montag, 3. November 2025 10:15\nBetreff: Depot\n\n'],
      ['Zur Info', '-------- Weitergeleitete Nachricht --------', '\nBetreff: Depot\nDatum: Mon, 3 Nov 2025 10:15:00 +0100\nVon: Tim <t@example.com>\n\n'],
      // No blank between the note and the rule; Apple Mail's line, with its colon or without.
      ['see below', '---------- Forwarded message ---------', headers, ''],
      ['Zur Info', 'Anfang der weitergeleiteten Nachricht:', `\n${headers}`],
      ['FYI', 'Begin forwarded message', `\n${headers}`],
    ]) {
      const email = { subject: 'Depot', body: `${note}${joint ?? ' '}${separator}\n${block}${message}` };
      const cleaned = cleanEmail(email, { redact: false });
      expect(cleaned.text, email.body).toBe(note);
      expect(cleaned.quoted?.startsWith(separator), email.body).toBe(true);
      expect(forwardedText(email, cleaned, false), email.body).toBe(message);
    }
  });

  it('cuts a reply separator after the note too, as on its own line', () => {
    expect(cleanText(`Siehe unten. -----Original Message-----\n${headers}old text`, 'quotes').text).toBe('Siehe unten.');
  });

  it('is looked for again in every pass: one may take out a `>` line between it and the header block', () => {
    const once = cleanText('FYI -----Original Message-----\n> quoted line\nAn: Max Mustermann', 'quotes').text;
    expect(once).toBe('FYI');
    expect(cleanText(once, 'quotes').text).toBe(once);
  });

  it('is the writer\'s own text when no header block follows it, or when nothing stands before it', () => {
    for (const body of [
      'Ich sehe nur ---------- Forwarded message ---------\n\nund sonst nichts. Was ist da passiert?',
      'Ich sehe nur ---------- Forwarded message ---------',
      'Mein Vorschlag -- Variante A --\nVon: Montag an geht es los.',
      // A sentence that ends in the words of a dashed separator, without its dashes.
      `Here is the forwarded message\nFrom: my landlord\nTo: me\n\n${message}`,
    ]) {
      expect(cleanText(body, 'quotes').text, body).toBe(body);
    }
    expect(inlineSeparatorStart('---------- Forwarded message ---------')).toBe(-1);
    expect(inlineSeparatorStart('Bitte -- danke. -----Original Message-----')).toBe(16);
    expect(inlineSeparatorStart('Das war alles -- wirklich --')).toBe(-1);
  });

  it('goes with the quote when it is a long rule after the last words above a quote (Outlook\'s `____`)', () => {
    const email = { subject: 'WG: Depot', body: `Bitte um Rückmeldung. ________________________________\nVon: Tim <t@example.com>\nGesendet: Montag, 3. November 2025 10:15\nBetreff: Depot\n\n${message}` };
    const cleaned = cleanEmail(email, { redact: false });
    expect(cleaned.text).toBe('Bitte um Rückmeldung.');
    expect(cleaned.quoted?.startsWith('________________________________\nVon: Tim')).toBe(true);
    expect(forwardedText(email, cleaned, false)).toBe(message);
    // A rule of the customer's own (a form to fill in), or a short one, stays where no quote follows.
    for (const body of ['Unterschrift: ______________\nDatum: ______________\n\nBitte zurücksenden.', 'Bitte prüfen ----------']) {
      expect(cleanText(body, 'quotes').text, body).toBe(body);
    }
  });

  it('leaves the lines as they are when there is none (the same array) and `>` lines alone', () => {
    const lines = ['Hallo', 'Danke.'];
    expect(splitInlineSeparators(lines)).toBe(lines);
    const quoted = ['> FYI ---------- Forwarded message ---------', '> From: Tim <t@example.com>'];
    expect(splitInlineSeparators(quoted)).toBe(quoted);
    expect(splitInlineSeparators(['Hallo', 'FYI -----Original Message-----', '', 'Von: Tim <t@example.com>'])).toEqual([
      'Hallo',
      'FYI',
      '-----Original Message-----',
      '',
      'Von: Tim <t@example.com>',
    ]);
  });
});

describe('a reply header on the line of the writer\'s last sentence', () => {
  it('goes on a line of its own: the sentence is the text, the header and the quote under it go', () => {
    for (const [text, header] of [
      ['Bitte stornieren Sie den Auftrag.', 'Am 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:'],
      ['Still no refund on my account!', 'On Mon, 3 Nov 2025 at 10:15, Bank Support <support@bank.example> wrote:'],
      // A sentence with a comma: the line is no header whole, the rest after it is.
      ['ich warte seit drei Wochen auf die Gutschrift, bitte prüfen Sie das endlich.', 'Am 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:'],
    ]) {
      const body = `Hallo,\n${text} ${header}\n> Ihr Auftrag wurde angenommen.`;
      expect(cleanEmail({ body }, { redact: false }).text).toBe(`Hallo,\n${text}`);
      expect(splitInlineSeparators([`${text} ${header}`])).toEqual([text, header]);
    }
  });

  it('is not looked for inside a header alone (its date\'s `3.` or `Mo.`), nor after a sentence when what follows is no header', () => {
    const alone = 'Am Mo., 3. Nov. 2025 um 10:15 schrieb Kundenservice <service@bank.example>:';
    expect(splitInlineSeparators([alone])).toEqual([alone]);
    const prose = ['Ich habe am 3.11. angerufen. Am Telefon sagte man mir Folgendes:'];
    expect(splitInlineSeparators(prose)).toBe(prose);
  });
});
