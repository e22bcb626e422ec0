import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanText, cleanTextAfresh } from './clean.js';
import { markLines } from './quotes.js';
import { redactPii } from './redact.js';

const quotes = (s: string) => cleanText(s, 'quotes').text;
const visible = (s: string) => cleanText(s, 'visible').text;

describe('quoted replies in plain text', () => {
  it('cuts at a German reply header on one line', () => {
    expect(quotes('Danke, passt so.\n\nAm 03.06.2026 um 09:43 schrieb Kundenservice <service@example.com>:\n> Guten Tag')).toBe('Danke, passt so.');
  });

  it("cuts at Horde's attribution without a verb (`Zitat von <name> <address>:`, `Quoting …:`), with its address only", () => {
    expect(quotes('Ja, bitte so machen.\n\nZitat von FinBroker <service@finbroker.example>:\n\nSehr geehrter Herr Frank, bitte bestätigen Sie die AGB.')).toBe('Ja, bitte so machen.');
    expect(quotes('Yes, please.\n\nQuoting John Doe <john@example.com>:\n\n> Please confirm.')).toBe('Yes, please.');
    expect(quotes('Zitat von Goethe:\nMehr Licht!\nDas gefällt mir.')).toBe('Zitat von Goethe:\nMehr Licht!\nDas gefällt mir.');
  });

  it('cuts at a German reply header wrapped over two lines', () => {
    expect(quotes('Bitte stornieren.\n\nAm 03.06.2026 um 09:43 schrieb Kundenservice\n<service@example.com>:\n> Guten Tag')).toBe('Bitte stornieren.');
  });

  it('cuts at "<name> schrieb am <date>:" wrapped after the date', () => {
    expect(quotes('Okay.\n\nErika Beispiel <erika@example.com> schrieb am Di., 16. Aug. 2026\num 12:52 Uhr:\n\n> Hallo')).toBe('Okay.');
  });

  it("keeps the customer's own lines that start with a date: statements, call notes", () => {
    const statement = 'Hi,\n\nmy statement shows:\n2025-11-04 -1200.00 Rent\n2025-11-05 -49.99 Gym (not authorised!)\n\nPlease reverse the gym charge.';
    expect(quotes(statement)).toBe(statement);
    const umsaetze = 'Hallo,\n\nmeine Umsätze:\n03.11.2025 +2500,00 Gehalt\n04.11.2025 -1200,00 Miete\n\nBitte die Lastschrift zurückbuchen.';
    expect(quotes(umsaetze)).toBe(umsaetze);
    const call = 'Hello,\n\n12/11/2025 at 2:30 pm your hotline told me:\nthe refund would arrive in 5 days.\n\nPlease escalate.';
    expect(quotes(call)).toBe(call);
    const note = 'Hallo,\n\n03.11.2025 Anruf bei der Hotline, Ergebnis:\nDie Karte wird neu versendet.';
    expect(quotes(note)).toBe(note);
  });

  it('cuts at date-time headers naming a person, a team or a firm, and keeps statement rows and notes', () => {
    for (const header of ['03.11.2025 10:15 Anna von der Heide:', '03.11.2025 10:15 Kundenservice der Beispielbank:', '03.11.2025 10:15 "Service Team":', '03.11.2025 10:15 Müller & Partner:', '03.11.2025 10:15 service team:']) {
      expect(quotes(`Danke, erledigt.\n\n${header}\nBitte senden Sie uns Ihre Unterlagen.`), header).toBe('Danke, erledigt.');
    }
    for (const text of ['Hallo,\n\nBuchungen:\n03.11.2025 10:15 Kartenzahlung REWE:\n-45,20 EUR\n\nDiese Zahlung war nicht ich!', 'Hallo,\n\nmein Verlauf:\n03.11.2025 E-Mail an service@bank.example:\nKeine Antwort erhalten.']) {
      expect(quotes(text)).toBe(text);
    }
    // A merchant named after the time reads like a firm: the amount (or another dated row) under it tells.
    for (const text of [
      'Hallo,\n\nich kenne diese Buchung nicht:\n\n03.11.2025 10:15 Amazon Marketplace:\n-49,99 EUR\n\nBitte prüfen Sie das.',
      'Hello,\n\n2025-11-03 10:15 Coffee Corner Ltd:\n\nEUR 4.50\n\nI was never there.',
      'Hallo,\n\n03.11.2025 10:15 Amazon Marketplace:\n04.11.2025 09:02 Amazon Marketplace:\nbeide doppelt abgebucht.',
    ]) {
      expect(quotes(text)).toBe(text);
    }
  });

  it('still cuts at a date-first header whose quoted mail starts with a date', () => {
    for (const header of ['03.11.2025 10:15 Max Mustermann schrieb:', '03.11.2025 10:15 Max Mustermann:']) {
      expect(quotes(`Danke.\n\n${header}\n\n04.11.2025 wurde die Karte gesperrt.`), header).toBe('Danke.');
    }
  });

  it('still cuts at a date-first header: date, time and a name, or an address', () => {
    expect(quotes('Danke!\n\n20.06.2014 14:41 Max Mustermann:\n> alte Nachricht')).toBe('Danke!');
    expect(quotes('Danke!\n\n2014-03-20 8:48 GMT+01:00 Max Mustermann <max@example.com>:\n> alte Nachricht')).toBe('Danke!');
  });

  it('cuts at an English "On ... wrote:" header', () => {
    expect(quotes('Works for me.\n\nOn Tue, Jun 2, 2026 at 9:43 AM Support <help@example.com> wrote:\n> Hello')).toBe('Works for me.');
  });

  it('cuts at -----Ursprüngliche Nachricht----- and -----Original Message-----', () => {
    expect(quotes('Siehe unten.\n\n-----Ursprüngliche Nachricht-----\nVon: Bank\nalter Text')).toBe('Siehe unten.');
    expect(quotes('See below.\n\n-----Original Message-----\nFrom: Bank\nold text')).toBe('See below.');
  });

  it('cuts at Polish and Turkish reply headers, and their closings go as signatures', () => {
    const polish = cleanEmail({ body: 'Dzień dobry,\n\nchciałbym zamknąć konto.\n\nPozdrawiam\nJan Kowalski\n\nW dniu 3.11.2025 o 10:15, Service <service@bank.example> pisze:\n> Dzień dobry' }, { redact: false });
    expect(polish.text).toBe('Dzień dobry,\n\nchciałbym zamknąć konto.');
    const turkish = cleanEmail({ body: 'Merhaba,\n\nhesabımı kapatmak istiyorum.\n\nSaygılarımla\nAhmet Yılmaz\n\n3 Kas 2025 Pzt 10:15 tarihinde Service <service@bank.example> şunu yazdı:\n> Merhaba' }, { redact: false });
    expect(turkish.text).toBe('Merhaba,\n\nhesabımı kapatmak istiyorum.');
    expect([polish.language, turkish.language]).toEqual(['pl', 'tr']);
    // Turkish closings with a capital İ (it lower-cases to i and a combining dot) and without it.
    for (const closing of ['İyi günler', 'iyi çalışmalar', 'Saygılar']) {
      expect(cleanEmail({ body: `Merhaba,\n\nkartım çalınmış, lütfen hesabımı bloke edin.\n\n${closing}\nAyşe Yılmaz` }, { redact: false }).text, closing).toBe('Merhaba,\n\nkartım çalınmış, lütfen hesabımı bloke edin.');
    }
  });

  it("cuts at a help desk's reply marker, bare or drawn as Zendesk draws it (##- ... -##)", () => {
    const thread = 'Your request (12345) has been updated.\n\nAnna (Bank)\n\nHello, could you tell us your new number?';
    for (const marker of ['##- Please type your reply above this line -##', '##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##', 'Please type your reply above this line']) {
      expect(quotes(`Hi,\nplease update my phone number.\n\n${marker}\n\n${thread}`), marker).toBe('Hi,\nplease update my phone number.');
    }
    // A list's item that holds the words is no marker.
    const list = 'Hallo,\n\nwie besprochen:\n- Betrag steht über dieser Zeile\n- Bitte Depot 123 schließen\n- Danke';
    expect(quotes(list)).toBe(list);
  });

  it('cuts at a rule naming the message answered with its date (--- Ihre Nachricht vom 02.02.2026 ---)', () => {
    const old = 'Sehr geehrte Damen und Herren,\nbitte legen Sie ein Festgeld über 10.000 EUR an.';
    expect(quotes(`Ich komme nicht mehr in die App, der Login schlägt fehl.\n\n--- Ihre Nachricht vom 02.02.2026 ---\n${old}`)).toBe('Ich komme nicht mehr in die App, der Login schlägt fehl.');
  });

  it('cuts at a Von/Gesendet/An/Betreff block, also with bold markers', () => {
    const de = 'Neue Frage.\n\n**Von:** Service <s@example.com>\n**Gesendet:** Mittwoch, 3. Juni 2026 09:43\n**An:** Max\n**Betreff:** Depot\n\nalter Text';
    expect(quotes(de)).toBe('Neue Frage.');
    const en = 'New question.\n________________________________\nFrom: Service <s@example.com>\nSent: Wednesday, June 3, 2026 9:43 AM\nTo: Max\nSubject: Depot\n\nold text';
    expect(quotes(en)).toBe('New question.');
  });

  it("keeps the customer's own From/To lines: a header block needs a date line or an address", () => {
    const en = "I made a transfer yesterday:\nFrom: Savings account\nTo: Current account\nAmount: EUR 500\n\nIt still hasn't arrived. Please check urgently.";
    expect(quotes(en)).toBe(en);
    const de = 'Hallo,\n\ngestern habe ich überwiesen:\nVon: Tagesgeldkonto\nAn: Girokonto\nBetreff: Umbuchung\nBetrag: 2.000 EUR\n\nDas Geld ist noch nicht da.';
    expect(quotes(de)).toBe(de);
    expect(cleanEmail({ body: de }).text).toContain('Von: Tagesgeldkonto');
    // A date line inside the customer's own form does not make it a header block: it must stand apart.
    const form = 'Hi,\n\nI made a transfer yesterday:\nFrom: Savings account\nTo: Current account\nAmount: EUR 500\nDate: 03/11/2025\nSubject: Rent November\n\nIt still hasn\'t arrived.';
    expect(quotes(form)).toBe(form);
    // With an address or a date line it is a quoted mail's header.
    expect(quotes('Danke.\n\nFrom: Service <s@example.com>\nTo: Max\nSubject: Depot\n\nold text')).toBe('Danke.');
    expect(quotes('Danke.\n\nVon: Service\nGesendet: Mittwoch, 3. Juni 2026 09:43\nAn: Max\n\nalter Text')).toBe('Danke.');
  });

  it('keeps an attribution in the customer\'s text: a quotation in quote marks with their words under it', () => {
    const mir = 'Hallo,\nIhr Kollege Herr Berger schrieb mir am 3.11.2025:\n"Die Karte ist unterwegs."\nDas ist jetzt zwei Wochen her. Ich erwarte eine Erklärung.';
    expect(quotes(mir)).toBe(mir);
    const third = 'Hallo,\nHerr Berger schrieb am 3.11.2025 um 10:15:\n„Die Karte ist\nunterwegs.“\n\nDas ist jetzt zwei Wochen her.';
    expect(quotes(third)).toBe(third);
    // A quotation that runs to the end, or a header with an address, is still a reply quote.
    expect(quotes('Danke.\n\nAm 3.11.2025 um 10:15 schrieb Herr Berger:\n"Die Karte ist unterwegs."')).toBe('Danke.');
    expect(quotes('Danke.\n\nAm 3.11.2025 um 10:15 schrieb Berger <b@example.com>:\n"Die Karte ist unterwegs."\nalter Text')).toBe('Danke.');
    // Only a closing under the quotation: the quote runs to the end, in one pass as in several.
    expect(visible('Danke.\n\nHerr Berger schrieb am 3.11.2025 um 10:15:\n"Die Karte ist unterwegs."\n\nGruß\nAnna')).toBe('Danke.');
    expect(cleanTextAfresh('Danke.\n\nHerr Berger schrieb am 3.11.2025 um 10:15:\n"Die Karte ist unterwegs."\n\nGruß\nAnna', 'quotes').text).toBe('Danke.');
  });

  it('keeps the reply under a header block at the very top (bottom posting)', () => {
    const text = '**Gesendet:** Mittwoch, 3. Juni 2026 um 09:43\n\n**Von:** "Support" <support@example.com>\n\n**An:** "Max" <max@example.com>\n\n**Betreff:** Karte\n\nGuten Tag,\n\nbitte senden Sie mir das Geld zurück.';
    expect(quotes(text)).toBe('Guten Tag,\n\nbitte senden Sie mir das Geld zurück.');
  });

  it('cuts at forwarded-message separators', () => {
    expect(quotes('FYI\n\n---------- Forwarded message ---------\nFrom: Bank <b@example.com>\nText')).toBe('FYI');
    expect(quotes('Zur Info\n\n-------- Weitergeleitete Nachricht --------\nBetreff: Depot\nText')).toBe('Zur Info');
  });

  it('cuts at Apple Mail\'s forward line without its colon above a header block, and keeps it in a note without one', () => {
    expect(quotes('FYI\n\nBegin forwarded message\n\nFrom: Bank <b@example.com>\nSubject: Depot\n\nText')).toBe('FYI');
    expect(quotes('Zur Info\nAnfang der weitergeleiteten Nachricht\n> Von: Bank <b@example.com>\n> Betreff: Depot\n>\n> Text')).toBe('Zur Info');
    const note = 'Zur Info\n\nAnfang der weitergeleiteten Nachricht\n\nsteht da, sonst nichts.';
    expect(quotes(note)).toBe(note);
  });

  it('removes > lines and keeps new text below a quote (bottom posting)', () => {
    expect(quotes('> Können Sie das bestätigen?\n\nJa, ich bestätige.')).toBe('Ja, ich bestätige.');
    expect(quotes('Test reply\nOn 04/19/2026 07:10 AM, Anna wrote:\n\n> Test.\n\nRegards, Max')).toBe('Test reply\nRegards, Max');
  });

  it('keeps inline replies whole', () => {
    const text = 'See inline\nOn 04/19/2026 07:10 AM, Anna wrote:\n\n> Question 1\nAnswer 1\n> Question 2\nAnswer 2';
    expect(quotes(text)).toBe(text);
  });

  it('keeps the signature in scope quotes and drops it in scope visible', () => {
    const text = 'Bitte um Rückruf.\n\nViele Grüße\nMax Mustermann\n\nAm 03.06.2026 um 09:43 schrieb Service <s@example.com>:\n> Hallo';
    expect(quotes(text)).toBe('Bitte um Rückruf.\n\nViele Grüße\nMax Mustermann');
    expect(visible(text)).toBe('Bitte um Rückruf.');
  });

  it('treats a device line with a greeting or another device line under it as the end of the reply', () => {
    expect(visible('Ja, gerne.\n\nVon meinem iPhone gesendet\n\nSehr geehrter Herr Mustermann, alter Text')).toBe('Ja, gerne.');
    expect(visible('Okay.\n\nSent from my iPhone\n\nHi there!\n\nYour card is on its way.')).toBe('Okay.');
    expect(visible('Okay.\n\nSent from my iPhone\n\nVon meinem iPhone gesendet\nalter Text')).toBe('Okay.');
  });

  it("keeps the customer's text under a device line, and still cuts a reply under one", () => {
    expect(visible('Hallo,\n\nmeine Karte wurde gestohlen.\n\nVon meinem iPhone gesendet\n\nPS: Bitte auch eine neue Karte schicken.')).toBe(
      'Hallo,\n\nmeine Karte wurde gestohlen.\n\n\nPS: Bitte auch eine neue Karte schicken.',
    );
    expect(visible('Please block my card.\n\nSent from my iPhone\n\nAlso, my PIN letter never came.')).toBe('Please block my card.\n\n\nAlso, my PIN letter never came.');
    for (const reply of [
      'On Mon, 3 Nov 2025 at 10:15, Service <s@bank.example> wrote:\n\nDear customer, your card is blocked.',
      'Am 03.11.2025 um 10:15 schrieb Kundenservice:\n> Guten Tag,\n> Ihre Karte ist gesperrt.',
    ]) {
      expect(visible(`Danke.\n\nVon meinem iPhone gesendet\n\n${reply}`), reply).toBe('Danke.');
    }
  });
});

describe('a header block under a greeting alone or a line that introduces it', () => {
  const block = 'Von: Musterbank <info@musterbank-secure.example>\nGesendet: Dienstag, 3. November 2026 14:02\nAn: p.probe@example.net\nBetreff: Konto gesperrt\n\n';

  it('keeps the pasted mail a line ending in `:` introduces, and the question under it', () => {
    expect(quotes(`Ich habe diese Mail bekommen:\n\n${block}Ihr Konto wurde gesperrt. Klicken Sie hier.\n\nIst die echt? Ich habe nicht geklickt.`)).toBe(
      'Ich habe diese Mail bekommen:\n\nIhr Konto wurde gesperrt. Klicken Sie hier.\n\nIst die echt? Ich habe nicht geklickt.',
    );
    expect(quotes('Ich habe folgende Mail bekommen:\nVon: Musterbank <info@musterbank-secure.example>\nDatum: 03.11.2026 14:02\nBetreff: Konto gesperrt\n\nIst die echt?')).toBe(
      'Ich habe folgende Mail bekommen:\n\nIst die echt?',
    );
  });

  it('keeps the answer under a quoted message that only a greeting stands above, as with nothing above', () => {
    const body = `Hallo,\n\n${block}Sehr geehrter Herr Probe, sollen wir Ihre Karte sperren?\n\nJa bitte, sofort sperren.`;
    expect(quotes(body)).toBe('Hallo,\n\nSehr geehrter Herr Probe, sollen wir Ihre Karte sperren?\n\nJa bitte, sofort sperren.');
    // A message of its own above the block, a greeting with one, or a forward: the quote goes, as before.
    for (const note of ['Danke, erledigt.', 'Hallo, danke für die Info.', 'Tel:']) expect(quotes(`${note}\n\n${body.slice('Hallo,\n\n'.length)}`), note).toBe(note);
    expect(quotes('Hallo,\n\n---------- Forwarded message ---------\nFrom: Tim <t@example.com>\nDate: Mon, 3 Nov 2025\nSubject: Depot\n\nPlease transfer my account.')).toBe('Hallo,');
  });
});

describe("the customer's own account of what the bank wrote", () => {
  const request = 'Es ist nichts passiert. Ich bitte um sofortige Gutschrift der 250 EUR.';

  it('keeps an attribution that speaks to the reader, and the request under it', () => {
    for (const line of [
      'Sie schrieben mir am 03.11.2025:',
      'Sie schrieben am 03.11.2025:',
      'am 03.11.2025 schrieb Ihr Berater Herr Meier:',
      'On Monday your colleague wrote:',
      'You wrote on 3 Nov 2025:',
      'Am 03.11.2025 um 10:15 schrieb Ihre Kollegin:',
    ]) {
      const text = `Guten Tag,\n\n${line}\n\ndie Gutschrift erfolgt in 3 Tagen.\n\n${request}`;
      expect(quotes(text), line).toBe(text);
    }
  });

  it('keeps one wrapped over two lines', () => {
    const text = `Guten Tag,\n\nam 03.11.2025 schrieb mir Ihr Berater\nHerr Meier aus der Filiale:\n\ndie Gutschrift erfolgt in 3 Tagen.\n\n${request}`;
    expect(quotes(text)).toBe(text);
  });

  it('keeps the `>` lines the customer quotes between such an attribution and more of their own text', () => {
    for (const line of ['Sie schrieben mir am 3.11.2025:', 'You wrote to me on 3 Nov 2025:', 'am 18.10. schrieb ich Ihnen bereits:']) {
      const text = `Hallo,\n\n${line}\n> Ihre neue Karte kommt bis 10.11.\n\nSie ist bis heute nicht gekommen!`;
      expect(quotes(text), line).toBe(text);
      expect(visible(text), line).toBe(text);
    }
    // With nothing of theirs under it, or under a line that is no attribution, the `>` lines go as before.
    expect(quotes('Hallo,\n\nSie schrieben mir am 3.11.2025:\n> Ihre neue Karte kommt bis 10.11.')).toBe('Hallo,\n\nSie schrieben mir am 3.11.2025:');
    expect(quotes('Meine Karte fehlt.\n> Ihre neue Karte kommt bis 10.11.\n\nSie ist bis heute nicht gekommen!')).toBe('Meine Karte fehlt.\nSie ist bis heute nicht gekommen!');
  });

  it('still cuts a reply header: with an address, or with `>` lines under it', () => {
    for (const header of [
      'Am 03.11.2025 um 10:15 schrieb Kundenservice <service@bank.example>:\n\nSehr geehrter Kunde,',
      'Am 03.11.2025 um 10:15 schrieb Ihr Kundenservice <service@bank.example>:\n\nSehr geehrter Kunde,',
      'On Mon, 3 Nov 2025 at 10:15, Your Bank <s@bank.example> wrote:\n\nDear customer,',
      'On Mon, 3 Nov 2025 at 10:15, Service\n<s@bank.example> wrote:\n> Dear customer,\n>',
      'Am 03.11.2025 um 10:15 schrieb Ihr Kundenservice:\n> Sehr geehrter Kunde,\n>',
      'On Nov 26, 2013 you wrote:\n\nThis is my quote.',
    ]) {
      expect(quotes(`${request}\n\n${header}\ndie Gutschrift erfolgt in 3 Tagen.`), header).toBe(request);
    }
  });
});

describe("the customer's own lines that start with > and a number (greater than)", () => {
  it('keeps them between lines of their text, and cuts > lines set apart by a blank line as quoted', () => {
    const own = 'Hallo,\nfolgende Umsätze bitte prüfen:\n> 500 EUR am 03.03. an Amazon\n>1000 EUR am 04.03.\nBeide habe ich nicht veranlasst!';
    expect(quotes(own)).toBe(own);
    expect(quotes('Bitte prüfen.\n\n> 500 EUR am 03.03. an Amazon\n> Ihr Kundenservice')).toBe('Bitte prüfen.');
    expect(quotes('Bitte prüfen.\n> 500 EUR am 03.03. an Amazon\n> Ihr Kundenservice\nDanke')).toBe('Bitte prüfen.\nDanke');
  });
});

describe('reply headers with a masked address', () => {
  it('marks a masked address (`[EMAIL]`) as it marks the address: cleaning its own output reads it alike', () => {
    for (const [text, marks] of [
      // A header wrapped over three lines, an address on the last: once masked, its last two lines read as a header
      // block that ran on over the quote, and a second cleaning cut what the first kept (found by the property test).
      [
        'Am 03.06.2026 um 09:43 schrieb Support Team\nGesendet: Mittwoch, 3. Juni 2026 09:43\nVon: Support <help@example.com>\n> quoted line\n!\n> quoted line',
        'header header header quote text quote',
      ],
      ['03.06.2026 09:43, Support <help@example.com>:\n> Guten Tag', 'header quote'],
      ['2014-03-20 8:48 GMT+01:00 Support <help@example.com>\n> Guten Tag', 'header quote'],
      ['Von: Support <help@example.com>\nAn: Max Mustermann\nBetreff: Ihre Anfrage', 'block block block'],
    ]) {
      const masked = redactPii(text).text;
      expect(masked, text).toContain('[EMAIL]');
      expect(markLines(text.split('\n')).join(' '), text).toBe(marks);
      expect(markLines(masked.split('\n')).join(' '), masked).toBe(marks);
    }
  });
});

describe('separator lines of other mail programs', () => {
  const headers = 'Von: Ernst Vogel <ernst.vogel@web.de>\nAn: service@bank.example\nDatum: 05.03.26 09:58 (GMT+01:00)\nBetreff: Beschwerde\n\nIch warte seit drei Wochen auf meine Girocard.';

  it("cuts Zimbra's and Samsung's separators with the message under them", () => {
    for (const line of ['----- Weitergeleitete Mail -----', '----- Ursprüngliche Mail -----', '-------- Originalnachricht --------']) {
      expect(quotes(`Zur Info\n\n${line}\n${headers}`), line).toBe('Zur Info');
    }
  });

  it("cuts Lotus Notes' forward line, German and English, and reads no sentence about a forward as one", () => {
    for (const line of ['----- Weitergeleitet von Petra Lang/PBM am 05.03.2026 10:12 -----', '----- Forwarded by Petra Lang/PBM on 03/05/2026 10:12 AM -----']) {
      expect(quotes(`Zur Info\n\n${line}\n\n${headers}`), line).toBe('Zur Info');
      expect(markLines([line])).toEqual(['forward']);
    }
    expect(markLines(['----- Weitergeleitet von Petra, bitte prüfen -----'])).toEqual(['text']);
  });
});
