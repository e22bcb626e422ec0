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

  it('knows a forward by its marker alone: the four markers, above a separator line, `>`-quoted, or with Apple Mail\'s `>`-quoted message', () => {
    const message = 'Bitte kündigen Sie mein Depot zum Monatsende, ich wechsle die Bank.';
    const headers = 'From: Tim <t@example.com>\nDate: Mon, 3 Nov 2025 10:15:00 +0100\nSubject: Depot\n\n';
    const bodies = [
      `Zur Info.\n\n---------- Forwarded message ---------\n${headers}${message}`,
      `Zur Info.\n\n-------- Weitergeleitete Nachricht --------\nBetreff: \tDepot\nDatum: \tMon, 3 Nov 2025 10:15:00 +0100\nVon: \tTim <t@example.com>\n\n${message}`,
      `FYI\n\nBegin forwarded message:\n\n${headers}${message}`,
      `Zur Info.\n\nAnfang der weitergeleiteten Nachricht:\n\nVon: Tim <t@example.com>\nBetreff: Depot\n\n${message}`,
      `Zur Info.\n\n________________________________\n---------- Forwarded message ---------\n${headers}${message}`,
      `FYI\n\n> ---------- Forwarded message ---------\n> ${headers.replace(/\n(?!$)/g, '\n> ')}> ${message}`,
      `Zur Info.\n\nVon meinem iPhone gesendet\n\nAnfang der weitergeleiteten Nachricht:\n\n> Von: Tim <t@example.com>\n> Betreff: Depot\n> \n> ${message}`,
      `Anfang der weitergeleiteten Nachricht:\n\n> Von: Tim <t@example.com>\n> Betreff: Depot\n> \n> ${message}`,
      // Apple Mail's line without its colon, above a header block.
      `FYI\n\nBegin forwarded message\n\n${headers}${message}`,
      `Zur Info.\n\nAnfang der weitergeleiteten Nachricht\n\nVon: Tim <t@example.com>\nBetreff: Depot\n\n${message}`,
      `Zur Info.\n\n**Anfang der weitergeleiteten Nachricht**\n\n> Von: Tim <t@example.com>\n> Betreff: Depot\n> \n> ${message}`,
    ];
    for (const body of bodies) {
      const email = { subject: 'Depot', body };
      expect(forwardedText(email, cleanEmail(email), false), body).toBe(message);
    }
  });

  it('does not take an email that merely mentions a forward, or a reply, for a forward', () => {
    for (const body of [
      // The phrase in a sentence, not as a line of its own.
      'Ich habe die weitergeleitete Nachricht nicht bekommen.\nBegin forwarded message ist alles, was ich sehe.',
      // The phrase alone on a line, but no header block under it.
      'Zur Info.\n\nBegin forwarded message\n\nmehr steht da nicht, bitte prüfen Sie das.',
      // A reply whose quoted message holds a forward further down.
      'Danke!\n\nAm 03.11.2025 um 10:15 schrieb Service <s@example.com>:\n> Wir haben Ihre Nachricht erhalten.\n> ---------- Forwarded message ---------\n> From: Tim <t@example.com>\n>\n> Bitte kündigen Sie mein Depot.',
      // A reply quoted with `>` markers, and an Outlook reply under a separator line.
      'Danke!\n\n> Am 03.11.2025 um 10:15 schrieb Service <s@example.com>:\n> Ihr Depot wurde übertragen.',
      'Danke!\n\n________________________________\nVon: Service <s@example.com>\nGesendet: Montag, 3. November 2025 10:15\nBetreff: Depot\n\nIhr Depot wurde übertragen.',
      // A header block under a rule of dashes, but not closed by the same rule (as an attached message's headers are).
      'Danke!\n\n----------\nVon: Service <s@example.com>\nBetreff: Depot\n-----\n\nIhr Depot wurde übertragen.',
    ]) {
      const email = { subject: 'Depot', body };
      expect(forwardedText(email, cleanEmail(email)), body).toBeUndefined();
    }
  });

  it('gives nothing for a reply, or under a note of more than a few words', () => {
    const reply = { subject: 'AW: Depot', body: 'Danke!\n\nAm 03.11.2025 um 10:15 schrieb Service <s@example.com>:\n> Ihr Depot wurde übertragen.' };
    expect(forwardedText(reply, cleanEmail(reply))).toBeUndefined();
    const long = { subject: 'WG: Depotübertrag', body: outlookForward('Ich beschwere mich, der Übertrag dauert schon sechs Wochen und keiner antwortet.\n\n') };
    expect(forwardedText(long, cleanEmail(long))).toBeUndefined();
  });

  it("gives the customer's own earlier mail quoted under a reminder, known by the sender's address or name", () => {
    const own = 'Meine Kreditkarte wurde ohne Grund gesperrt. Bitte entsperren Sie sie.';
    const outlook = (from: string) => `Noch keine Antwort?!\n\n-----Ursprüngliche Nachricht-----\nVon: ${from}\nGesendet: Dienstag, 27. Oktober 2026 09:00\nAn: service@musterbank.example\nBetreff: Karte\n\n${own}`;
    const gmail = `Hallo?? Keine Antwort? Ich warte jetzt seit einer Woche auf Ihre Antwort, das ist wirklich nicht in Ordnung.\n\nAm 27.10.2026 um 09:00 schrieb Peter Probe <p.probe@example.net>:\n> ${own}`;
    for (const [from, body] of [
      ['Peter Probe <p.probe@example.net>', outlook('Peter Probe <p.probe@example.net>')],
      ['P.Probe@Example.net', outlook('Peter Probe <p.probe@example.net>')],
      ['Peter Probe <p.probe@example.net>', outlook('Peter Probe')],
      ['p.probe@example.net', gmail],
    ]) {
      const email = { subject: 'AW: Karte', body, from };
      expect(forwardedText(email, cleanEmail(email), false), `${from} ${body}`).toBe(own);
    }
    // Another sender's message quoted, or none named: a reply, as before.
    for (const [from, body] of [
      ['anna@example.org', outlook('Peter Probe <p.probe@example.net>')],
      ['Peter <peter@example.org>', outlook('Peter Probe')],
      [undefined, outlook('Peter Probe <p.probe@example.net>')],
    ]) {
      const email = { subject: 'AW: Karte', body, from };
      expect(forwardedText(email, cleanEmail(email), false), `${from}`).toBeUndefined();
    }
  });

  it("keeps the forwarded message's own key: value lines", () => {
    const body = 'Zur Info.\n\n---------- Forwarded message ---------\nVon: Inkasso GmbH <info@inkasso.example>\nDatum: Mo., 3. Nov. 2025\nBetreff: Mahnung\nAn: <kunde@example.de>\n\nKundennummer: 4711\nOffener Betrag: 89,90 EUR\nFällig am: 01.12.2025\n\nSehr geehrte Damen und Herren,\nbitte zahlen Sie umgehend.';
    const email = { subject: 'WG: Mahnung', body };
    expect(forwardedText(email, cleanEmail(email), false)).toBe('Kundennummer: 4711\nOffener Betrag: 89,90 EUR\nFällig am: 01.12.2025\n\nSehr geehrte Damen und Herren,\nbitte zahlen Sie umgehend.');
  });

  it("gives the message under Lotus Notes' forward line, German and English, with a cover note or none, whatever the subject", () => {
    const de = '----- Weitergeleitet von Petra Lang/PBM am 05.03.2026 10:12 -----\n\nVon:\tErnst Vogel <ernst.vogel@web.de>\nAn:\tservice@pb.de\nDatum:\t05.03.2026 09:58\nBetreff:\tBeschwerde\n\nIch warte seit drei Wochen auf meine neue Girocard.';
    const en = '----- Forwarded by Petra Lang/PBM on 03/05/2026 10:12 AM -----\n\nFrom:\tErnst Vogel <ernst.vogel@web.de>\nTo:\tservice@pb.de\nDate:\t03/05/2026 09:58 AM\nSubject:\tComplaint\n\nI have been waiting three weeks for my new debit card.';
    for (const [body, message] of [
      [de, 'Ich warte seit drei Wochen auf meine neue Girocard.'],
      [en, 'I have been waiting three weeks for my new debit card.'],
    ]) {
      for (const subject of ['WG: Beschwerde', 'Beschwerde']) {
        // No note: the line and the header block go, the message is the text.
        expect(cleanEmail({ subject, body }).text, body).toBe(message);
        const email = { subject, body: `Zur Info\n\n${body}` };
        const cleaned = cleanEmail(email);
        expect(cleaned.text).toBe('Zur Info');
        expect(forwardedText(email, cleaned)).toBe(message);
      }
    }
  });

  it('ends a header block at its first line that is no field (GMX, WEB.DE: the text right under `Betreff:`)', () => {
    const message = 'Ich warte seit drei Wochen auf meine neue Girocard.';
    const gmx = `Gesendet: Donnerstag, 05. März 2026 um 09:58 Uhr\nVon: "Ernst Vogel" <ernst.vogel@web.de>\nAn: service@pb.de\nBetreff: Beschwerde\n${message}`;
    expect(cleanEmail({ subject: 'WG: Beschwerde', body: gmx }).text).toBe(message);
    const email = { subject: 'WG: Beschwerde', body: `Zur Info\n\n-------- Weitergeleitete Nachricht --------\n${gmx}` };
    const cleaned = cleanEmail(email);
    expect(cleaned.text).toBe('Zur Info');
    expect(forwardedText(email, cleaned)).toBe(message);
    // Fields of any key and values wrapped onto the next line stay in the block.
    const block =
      'Von: Human Resources\n<hr-really-long-automated-address@humanresources.example>\nAn: service@pb.de; kundenservice@pb.de;\nbeschwerde@pb.de\nWichtigkeit: Hoch\nBetreff: AW: AW: Ihre Beschwerde vom 03.03.2026 über die Lieferung der neuen\nGirocard\n';
    expect(forwardedBody(`-----Original Message-----\n${block}${message}`)).toBe(message);
  });

  it('takes off separator lines, the header block and > markers', () => {
    expect(forwardedBody('> Begin forwarded message:\n>\n> From: A <a@example.com>\n> Subject: X\n>\n> Body line')).toBe('Body line');
  });
});
