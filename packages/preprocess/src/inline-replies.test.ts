import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';

const text = (email: Parameters<typeof cleanEmail>[0]) => cleanEmail(email, { redact: false }).text;

describe('inline answers and wrapped quoted lines', () => {
  it('keeps an answer typed in lower case right under a quoted question: it is no wrapped line of the quote', () => {
    const inline = '> Möchten Sie Ihre Karte sperren lassen?\nja, bitte sofort\n> Sollen wir die neue Karte an Ihre Meldeadresse schicken?\nnein, bitte an die neue Adresse';
    expect(text({ body: inline })).toBe(inline);
    // A fraud report under the bank's question was lost whole.
    expect(
      text({ body: 'On Wed, 3 Dec 2026 at 10:15, Customer Service <service@examplebank.example> wrote:\n> Please confirm that the transfer of GBP 2,500 was made by you.\nno, I did not make this transfer. please block my card' }),
    ).toBe('no, I did not make this transfer. please block my card');
    const answers = 'siehe unten\n\nAm 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n> Haben Sie die Überweisung über 2.500 EUR selbst beauftragt?\nnein, das war ich nicht\n> Sollen wir Ihre Karte sperren?\nja bitte';
    expect(text({ body: answers })).toBe(answers);
  });

  it('reads a line the mailer wrapped out of a long quoted line as quote, in capitals too (German nouns), so a top-posted reply loses its quote', () => {
    const german =
      'Hallo,\n\nbitte kündigen Sie mein Depot zum Monatsende.\n\nAm 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n' +
      '> Sehr geehrter Herr Berger, ab dem 01.01.2027 gilt ein neues Preismodell für\nDepots. Details finden Sie im Preis- und Leistungsverzeichnis.\n> Mit freundlichen Grüßen\n> Ihr Musterbank Kundenservice';
    expect(text({ body: german })).toBe('Hallo,\n\nbitte kündigen Sie mein Depot zum Monatsende.');
    const english =
      'Please close my account.\n\nOn Wed, 3 Dec 2026 at 10:15, Customer Service <service@examplebank.example> wrote:\n' +
      '> Dear Mr Berger, we would like to inform you that the new account fees apply from\n1 January 2027 onwards.\n> Kind regards\n> Customer Service';
    expect(text({ body: english })).toBe('Please close my account.');
    // A short quoted line without an end mark, wrapped in lower case, is quote as before.
    expect(text({ body: 'Bitte stornieren.\n\nAm 03.12.2026 schrieb Service <s@bank.example>:\n> Ihre Order wird ausgeführt am\nmorgen früh.\n> Gruß' })).toBe('Bitte stornieren.');
  });

  it('keeps answers typed between the `>` lines under an Outlook separator and header block, which go', () => {
    const outlook =
      '-----Ursprüngliche Nachricht-----\nVon: Service <service@bank.de>\nGesendet: Donnerstag, 5. März 2026 09:00\nAn: jan@posteo.de\nBetreff: Fragen\n\n';
    const answers = '> Wohin soll das Restguthaben überwiesen werden?\nAuf DE89 3704 0044 0532 0130 00 bitte.\n> Sollen wir die Girocard einziehen?\nJa.';
    const cleaned = cleanEmail({ body: `Hallo,\n\nsiehe unten.\n\n${outlook}${answers}` }, { redact: false });
    expect(cleaned.text).toBe(`Hallo,\n\nsiehe unten.\n\n${answers}`);
    expect(cleaned.quoted).toContain('Betreff: Fragen');
    expect(text({ body: `${outlook}${answers}` })).toBe(answers);
    expect(text({ body: cleaned.text })).toBe(cleaned.text);
    // `>` lines alone under the block are no answers: the block and they go.
    expect(text({ body: `Bitte so erledigen.\n\n${outlook}> Wohin soll das Restguthaben?\n> Gruß` })).toBe('Bitte so erledigen.');
  });

  it('drops a reply header with nothing of the writer\'s above it, however many answers follow; under their text it stays', () => {
    const header = 'Am Di., 3. März 2026 um 16:20 Uhr schrieb Service <s@bank.de>:\n';
    const one = '> Wohin soll das Restguthaben überwiesen werden?\nAuf mein Girokonto.';
    const two = `${one}\n> Sollen wir die Girocard einziehen?\nJa.`;
    expect(text({ body: `${header}${one}` })).toBe('Auf mein Girokonto.');
    expect(text({ body: `${header}${two}` })).toBe(two);
    expect(text({ body: `Hallo,\n\n${header}${two}` })).toBe(`Hallo,\n\n${two}`);
    expect(text({ body: `Meine Antworten:\n\n${header}${two}` })).toBe(`Meine Antworten:\n\n${two}`);
    expect(text({ body: `Siehe unten.\n${header}${two}` })).toBe(`Siehe unten.\n${header}${two}`);
  });

  it("cuts an older thread under inline answers, and keeps an answer of contact lines under its question", () => {
    const answers = 'Antworten unten.\n\nAm 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n> Haben Sie die Überweisung selbst beauftragt?\nNein.\n> Sollen wir die Karte sperren?\nJa, bitte.';
    const older = '\n\n-----Original Message-----\nFrom: Jonas Berger <j.berger@mail.example>\nSent: Monday, December 1, 2026 09:00\nTo: service@musterbank.example\nSubject: Abbuchung\n\nGuten Tag, ich sehe eine Abbuchung.';
    const cleaned = cleanEmail({ body: answers + older }, { redact: false });
    expect(cleaned.text).toBe(answers);
    expect(cleaned.quoted).toContain('Guten Tag, ich sehe eine Abbuchung.');
    // The reply header on top, with no text of the writer's above it, goes as it goes above a single answer.
    const contact = '> Sollen wir Ihre Anschrift ändern?\n\nJa, ab 01.01.2027.\n\n> Unter welcher Telefonnummer erreichen wir Sie?\n\nTel. 0171 1234567\nE-Mail: j.berger@mail.example';
    expect(text({ body: `Am 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n${contact}` })).toBe(contact);
  });

  it("reads GMX's and WEB.DE's <div name=\"quote\"> as a quote: the answer under it is the writer's text", () => {
    const html =
      '<div style="font-family: Verdana;font-size: 12.0px;"><div>&nbsp;</div>\n<div name="quote" style="margin:10px 5px 5px 10px; padding: 10px 0 10px 10px; border-left:2px solid #C3D9E5;">\n' +
      '<div style="margin:0 0 10px 0;"><b>Gesendet:</b>&nbsp;Mittwoch, 03. Dezember 2026 um 10:15 Uhr<br/>\n<b>Von:</b>&nbsp;&quot;Musterbank Kundenservice&quot; &lt;service@musterbank.example&gt;<br/>\n<b>An:</b>&nbsp;j.berger@mail.example<br/>\n<b>Betreff:</b>&nbsp;Rückfrage Depotübertrag</div>\n\n' +
      '<div name="quoted-content">Sehr geehrter Herr Berger,<br/>\nbei welcher Bank wird das neue Depot geführt?<br/>\nMit freundlichen Grüßen<br/>\nIhr Kundenservice</div>\n</div>\n' +
      '<div>Bei der Sparkasse KölnBonn, Depotnummer 1234567890.</div>\n<div>Gruß Jonas Berger</div></div>';
    expect(text({ html })).toBe('Bei der Sparkasse KölnBonn, Depotnummer 1234567890.');
    // A top-posted GMX reply loses the quote under it.
    expect(text({ html: '<div>Bitte stornieren.</div><div name="quote"><div name="quoted-content">Ihre Order ...</div></div>' })).toBe('Bitte stornieren.');
  });
});

describe('answers announced above the quote', () => {
  it('reads the quote as the writer\'s text when a short note above it says the answers are there (Outlook, Gmail, Thunderbird)', () => {
    // Outlook, plain text: the answers marked -->, under a header block.
    expect(
      text({
        body:
          'siehe meine Antworten unten.\n\n-----Ursprüngliche Nachricht-----\nVon: Musterbank Kundenservice <service@musterbank.example>\nGesendet: Mittwoch, 3. Dezember 2026 10:15\nAn: Jonas Berger <j.berger@mail.example>\nBetreff: Rückfrage Depotübertrag\n\n' +
          '1. Bei welcher Bank wird das neue Depot geführt?\n--> Sparkasse KölnBonn\n2. Sollen alle Positionen übertragen werden?\n--> Nein, nur die Siemens-Aktien.',
      }),
    ).toBe('siehe meine Antworten unten.\n\n1. Bei welcher Bank wird das neue Depot geführt?\n--> Sparkasse KölnBonn\n2. Sollen alle Positionen übertragen werden?\n--> Nein, nur die Siemens-Aktien.');
    // Gmail, an answer in red inside the blockquote; the bank's closing still goes.
    const gmail = cleanEmail(
      {
        html:
          '<div dir="ltr">Meine Antworten unten in Rot.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Am Mi., 3. Dez. 2026 um 10:15 Uhr schrieb Musterbank Kundenservice &lt;service@musterbank.example&gt;:<br></div>' +
          '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Haben Sie die Überweisung über 2.500 EUR selbst beauftragt?<br><font color="#ff0000">Nein, die war nicht von mir! Bitte sofort zurückholen.</font><br>Mit freundlichen Grüßen</blockquote></div>',
      },
      { redact: false },
    );
    expect(gmail.text).toBe('Meine Antworten unten in Rot.\n\nHaben Sie die Überweisung über 2.500 EUR selbst beauftragt?\nNein, die war nicht von mir! Bitte sofort zurückholen.');
    expect(gmail.quoted).toContain('schrieb Musterbank Kundenservice');
    // Outlook on the web, English.
    expect(
      text({
        html:
          '<div><p>Please see my answers below in red.</p></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Customer Service &lt;service@examplebank.example&gt;<br><b>Sent:</b> Wednesday, December 3, 2026 10:15 AM<br><b>To:</b> Jonas Berger<br><b>Subject:</b> Account closure</div>' +
          '<div><p>Which account would you like to close?</p><p><span style="color:rgb(255,0,0)">The savings account ending 4471.</span></p></div>',
      }),
    ).toBe('Please see my answers below in red.\n\nWhich account would you like to close?\n\nThe savings account ending 4471.');
    // Cleaning the text again changes nothing.
    expect(text({ body: gmail.text })).toBe(gmail.text);
  });

  it('leaves the quote cut without such a note, or under a message of its own', () => {
    const quote = '\n\nAm 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n> Haben Sie die Überweisung selbst beauftragt?\n> Mit freundlichen Grüßen';
    expect(text({ body: `Bitte sperren Sie meine Karte.${quote}` })).toBe('Bitte sperren Sie meine Karte.');
    expect(text({ body: `Siehe unten.${quote}` })).toBe('Siehe unten.');
    const long = `Antworten unten. ${'Ich habe noch eine weitere Frage zu meinem Depot und zur Steuer. '.repeat(4)}`.trim();
    expect(text({ body: `${long}${quote}` })).toBe(long);
  });
});

describe('the limits of those rules (review of the first version)', () => {
  it("keeps a reply written right under a long quoted line: the writer's own wrapped lines do not continue the quote", () => {
    const quote =
      'Am 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n> Sehr geehrter Herr Berger,\n> anbei erhalten Sie die gewünschten Unterlagen.\n' +
      '> Mit freundlichen Grüßen\n> Musterbank AG, Sitz Frankfurt am Main, Amtsgericht Frankfurt HRB 12345\n';
    const reply = 'Vielen Dank für die Unterlagen. Leider fehlt die Steuerbescheinigung für\nmein Depot 2025, bitte schicken Sie mir diese noch zu. Außerdem möchte ich\nmeinen Freistellungsauftrag auf 1000 EUR erhöhen.';
    expect(text({ body: `${quote}${reply}\n\nGruß Jonas Berger` })).toBe(reply);
  });

  it("cuts the writer's signature under a quoted closing, and keeps contact lines that answer a quoted question", () => {
    const inline = '> Sollen wir die Karte sperren?\nJa, sofort.\n> Mit freundlichen Grüßen\n> Ihr Kundenservice';
    const header = 'Am 03.12.2026 um 10:15 schrieb Musterbank Kundenservice <service@musterbank.example>:\n';
    expect(text({ body: `${header}${inline}\n\nJonas Berger\nMusterweg 5, 50667 Köln\nTel. 0171 1234567\nE-Mail: j.berger@mail.example` })).toBe(inline);
  });

  it("announces nothing where the note names the bank's answers, and finds the writer's announcements in other words", () => {
    const quote = '\n\n-----Ursprüngliche Nachricht-----\nVon: Musterbank Kundenservice <service@musterbank.example>\nGesendet: Mittwoch, 3. Dezember 2026 10:15\nAn: Jonas Berger <j.berger@mail.example>\nBetreff: Gebühr\n\nDie Gebühr beträgt 5 Euro im Monat und kann nicht erstattet werden.';
    for (const note of ['Danke für Ihre Antworten unten, aber ich möchte die Gebühr erstattet haben.', 'Ihre Antworten unten sind leider unvollständig.', 'Thanks for your answers below, but I still want the fee refunded.', 'Your replies below do not answer my question.']) {
      expect(text({ body: `${note}${quote}` }), note).toBe(note);
    }
    for (const note of ['Meine Antwort steht unten in Rot.', 'Antwort siehe unten.', 'Siehe unten in Rot.', 'See below in red.', 'My answers are in the text.']) {
      expect(text({ body: `${note}${quote}` }), note).toBe(`${note}\n\nDie Gebühr beträgt 5 Euro im Monat und kann nicht erstattet werden.`);
    }
  });

  it('finds answers announced after a greeting, with the noun\'s article, or as answered questions', () => {
    const quote =
      '\n\nVon: Musterbank Service <service@musterbank.example>\nGesendet: Dienstag, 3. November 2026 14:02\nAn: Peter Probe\nBetreff: Fragen\n\n1. Ist die Adresse aktuell? JA\n2. Möchten Sie Papierauszüge? NEIN, NUR ONLINE';
    const answers = '1. Ist die Adresse aktuell? JA\n2. Möchten Sie Papierauszüge? NEIN, NUR ONLINE';
    for (const note of ['Hallo, Antworten in Großbuchstaben unten.', 'Die Antworten stehen unten.', 'Hallo, die Antworten habe ich direkt in Ihre Mail geschrieben.', "Hello, I've answered your questions below.", 'Habe Ihre Fragen direkt in der Mail beantwortet.']) {
      expect(text({ body: `${note}${quote}` }), note).toBe(`${note}\n\n${answers}`);
    }
    // The bank's answers, named with an article or after a greeting, still announce nothing.
    for (const note of ['Danke für die Antworten unten, aber die Gebühr bleibt zu hoch.', 'Hallo, Ihre Antworten unten sind unvollständig.', "You haven't answered my questions below."]) {
      expect(text({ body: `${note}${quote}` }), note).toBe(note);
    }
  });

  it('reads announced answers that turn out to be a footer only as cleaning its output would: idempotent', () => {
    // The header block runs into the quoted text (no blank line under it), a footer under the bank's closing.
    const body =
      'Meine Antworten unten in Rot.\n\nVon: Musterbank <service@musterbank.example>\nGesendet: Mittwoch, 3. Dezember 2026 10:15\nAn: Jonas Berger\nBetreff: Rückfrage\n' +
      'Haben Sie die Überweisung selbst beauftragt?\nNein, das war ich nicht!\nMit freundlichen Grüßen\nIhr Kundenservice\n\n' +
      'Musterbank AG, Sitz Frankfurt, HRB 12345\nDiese E-Mail ist vertraulich. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender.';
    const once = text({ body });
    expect(text({ body: once })).toBe(once);
  });

  it('reads only a div named quote as a quote (GMX), not a span so named', () => {
    expect(text({ html: '<div>Hallo,</div><div><span name="quote">ich möchte ein Angebot für einen Ratenkredit über 10.000 Euro.</span></div>' })).toBe(
      'Hallo,\nich möchte ein Angebot für einen Ratenkredit über 10.000 Euro.',
    );
  });
});
