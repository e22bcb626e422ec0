import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanText } from './clean.js';
import { stripMarkers } from './patterns.js';
import { isDeviceLine, isSignOff, maySignOff, removeSignature, SIGN_OFFS, signOffRules } from './signature.js';

const visible = (s: string) => cleanText(s, 'visible');

describe('signatures, device lines, disclaimers and footers', () => {
  it('recognises German and English sign-offs, with or without a name on the line', () => {
    for (const l of ['Mit freundlichen Grüßen', 'Viele Grüße,', 'MfG', 'Best regards,', 'Kind regards', 'Thanks, Anna', 'Mit freundlichen Gruessen', 'Viele Gruesse,']) expect(isSignOff(l), l).toBe(true);
    for (const l of ['Grüße an Ihr Team und bitte um Antwort bis Freitag', 'Regards to the way you handled this.']) expect(isSignOff(l)).toBe(false);
  });

  it("keeps a customer's paragraph that names boilerplate: reported, quoted, asked about or requested", () => {
    const kept = [
      'Hello,\n\nI received an email from you that I think is phishing. It said: If you are not the intended recipient, please notify the sender. Is this really from you?',
      "Hi,\n\nsorry, your colleague's email was intended for the recipient Anna, not me.",
      'Guten Tag,\n\nder Haftungsausschluss in Ihrem Kreditvertrag widerspricht § 309 BGB. Bitte um Stellungnahme bis 15.12.',
      'Hallo,\n\nbitte vom Newsletter abmelden und keine Werbung mehr per Post.',
      'Hello,\n\nUnsubscribe this address from all marketing newsletters, please.',
      'Hello,\n\nplease close my account.\n\nThis message is confidential. Please delete it if you received it in error. Also, I want my balance of 3,400 EUR sent to my new bank.',
    ];
    for (const text of kept) expect(visible(text).text).toBe(text);
  });

  it('keeps requests and customer sentences with footer or legal words, after any greeting', () => {
    const kept = [
      'Sehr geehrter Herr Meier,\n\nbitte den Newsletter abbestellen.',
      'Liebes Team,\n\nNewsletter abbestellen.',
      'Hallo,\n\nKonto kündigen.\n\nBitte den Newsletter ebenfalls abbestellen und die Daten löschen.',
      'Hello,\n\nplease close my account.\n\nAlso unsubscribe us from the newsletter and remove the data.',
      'Dear team,\n\nplease close the account.\n\nThe court order (Amtsgericht Hamburg) is confidential; a copy follows by post.',
    ];
    for (const text of kept) expect(visible(text).text).toBe(text);
  });

  it('removes boilerplate about this message even when it says me, and footers that ask a question, and the signature above them', () => {
    const above = 'Hallo,\n\nbitte senden Sie mir die Steuerbescheinigung 2024 zu.\n\nViele Grüße\nJonas Weber\n\n';
    for (const tail of [
      'This message is confidential. If you are not the intended recipient, please notify me immediately and delete it.',
      'Diese Nachricht ist vertraulich. Sollten Sie nicht der richtige Adressat sein, teilen Sie mir das bitte mit und löschen Sie die Nachricht.',
      'Vertraulichkeitshinweis: Diese E-Mail ist vertraulich. Haben Sie diese E-Mail irrtümlich erhalten? Dann informieren Sie bitte den Absender.',
      'Please notify the sender immediately if you have received this e-mail in error and delete it.',
      'Sie möchten diesen Newsletter nicht mehr erhalten? Hier abmelden.',
    ]) {
      const r = visible(`${above}${tail}`);
      expect(r.text, tail).toBe('Hallo,\n\nbitte senden Sie mir die Steuerbescheinigung 2024 zu.');
      expect(r.signature).toBe('Viele Grüße\nJonas Weber');
    }
  });

  it('still removes impersonal disclaimers, also under a Disclaimer heading', () => {
    expect(visible('Bitte Depot übertragen.\n\nDiese E-Mail ist vertraulich. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte den Absender.').text).toBe('Bitte Depot übertragen.');
    expect(visible('Bitte Depot übertragen.\n\nDisclaimer: This email is for its addressee only.').text).toBe('Bitte Depot übertragen.');
    expect(visible('Danke!\n\nThis e-mail is intended only for the addressee. If you received this in error, delete it.').text).toBe('Danke!');
  });

  it('removes a sign-off with name and contact lines', () => {
    const r = visible('Bitte senden Sie mir den Depotauszug.\n\nMit freundlichen Grüßen\nMax Mustermann\nMusterstraße 1\n12345 Berlin');
    expect(r.text).toBe('Bitte senden Sie mir den Depotauszug.');
    expect(r.signature).toBe('Mit freundlichen Grüßen\nMax Mustermann\nMusterstraße 1\n12345 Berlin');
  });

  it('cuts closings stacked above the last one in one go, but keeps a thanks above a closing', () => {
    const stacked = 'Bitte senden Sie mir den Depotauszug.\nBest regards,\nViele Grüße, Max Mustermann\nBest regards,\nBest regards,\nViele Grüße\nMax Mustermann';
    const r = visible(stacked);
    expect(r.text).toBe('Bitte senden Sie mir den Depotauszug.');
    expect(visible(r.text).text).toBe(r.text);
    expect(r.signature).toBe('Best regards,\nViele Grüße, Max Mustermann\nBest regards,\nBest regards,\nViele Grüße\nMax Mustermann');
    expect(visible('Please close my account.\n\nThanks,\nBest regards,\nAnna').text).toBe('Please close my account.\n\nThanks,');
    // In one go: blank lines between them, and closings over a `-- ` signature.
    const once = (text: string) => removeSignature(text.split('\n')).lines.join('\n').trim();
    expect(once('Bitte Depot übertragen.\n\nBest regards,\n\nViele Grüße\n\n-- \nMax Mustermann\nTel. 030 1234567')).toBe('Bitte Depot übertragen.');
    // A closing that is all the text stays.
    expect(once('Best regards,\n\nBest regards,\n-- \nMax')).toBe('Best regards,');
  });

  it("keeps the sender's sentence above contact lines, and still removes a contact block with a title", () => {
    const text = 'Hallo,\n\nbitte rufen Sie mich zurück.\nTel. 030 1234567\nE-Mail: anna@example.com\n\nDanke';
    expect(visible(text).text).toBe(text);
    const signed = visible('The report is attached, see page 3 for the totals and the rest below.\n\nJohn E. Doe, Ph.D.\nPresident\njohn@example.com\nwww.example.com');
    expect(signed.text).toBe('The report is attached, see page 3 for the totals and the rest below.');
  });

  it('keeps a postscript under the signature', () => {
    const r = visible('Was kostet ein Depotübertrag?\n\nViele Grüße\nAnna Beispiel\n\nPS: Bitte auch die Gebühren für den Sparplan nennen.');
    expect(r.text).toBe('Was kostet ein Depotübertrag?\n\nPS: Bitte auch die Gebühren für den Sparplan nennen.');
    expect(r.signature).toBe('Viele Grüße\nAnna Beispiel');
    expect(visible('Call me back.\n\nThanks, Anna\nP.S. my new number is in the attachment').text).toBe('Call me back.\n\nP.S. my new number is in the attachment');
  });

  it('cuts a closing and a name on one line: `LG Petra`, `Gruß Tim`, `MfG Weber`', () => {
    for (const l of ['LG Petra', 'Gruß Tim', 'MfG Weber', 'Viele Grüße Anna-Lena Schmidt', 'Best regards John']) expect(isSignOff(l), l).toBe(true);
    for (const l of ['Gruß an alle', 'LG OLED', 'Grüße aus dem Urlaub']) expect(isSignOff(l), l).toBe(false);
    const r = visible('Hallo,\nanbei die unterschriebene Vollmacht.\n\nLG Petra');
    expect(r.text).toBe('Hallo,\nanbei die unterschriebene Vollmacht.');
    expect(r.signature).toBe('LG Petra');
    expect(visible('Beide Buchungen sind nicht von mir. Bitte erstatten.\nGruß Tim').text).toBe('Beide Buchungen sind nicht von mir. Bitte erstatten.');
  });

  it('cuts a closing of thanks and greetings in one (`Vielen Dank und freundliche Grüße`, `Vielen Dank im Voraus`) with the name under it', () => {
    for (const closing of ['Vielen Dank im Voraus,', 'Vielen Dank und freundliche Grüße,', 'Vielen Dank und beste Grüße', 'Danke im Voraus!']) {
      const r = visible(`Bitte senden Sie mir die Steuerbescheinigung.\n\n${closing}\nStefan Schuster\nstefan.schuster@example.org`);
      expect(r.text, closing).toBe('Bitte senden Sie mir die Steuerbescheinigung.');
    }
    // Thanks alone at the end are the message's last words.
    expect(visible('Bitte senden Sie mir die Steuerbescheinigung.\nVielen Dank im Voraus.').text).toBe('Bitte senden Sie mir die Steuerbescheinigung.\nVielen Dank im Voraus.');
  });

  it('cuts the signature above thanks that end the text, with them', () => {
    for (const thanks of ['Vielen Dank', 'Vielen Dank im Voraus', 'Thanks in advance']) {
      const r = visible(`Mein Laptop startet nicht mehr.\n\nMit freundlichen Grüßen,\nDieter Fischer\n\nDieter Fischer | dieter.fischer@example.org\nTel: 0176 28364932\n${thanks}`);
      expect(r.text, thanks).toBe('Mein Laptop startet nicht mehr.');
    }
  });

  it('keeps a sentence under the closing and name: a request or question is the customer\'s text', () => {
    const de = visible('Ich möchte mein Depot kündigen.\n\nMit freundlichen Grüßen\nAnna Schmidt\nBitte bestätigen Sie mir die Kündigung schriftlich.');
    expect(de.text).toBe('Ich möchte mein Depot kündigen.\n\nBitte bestätigen Sie mir die Kündigung schriftlich.');
    expect(de.signature).toBe('Mit freundlichen Grüßen\nAnna Schmidt');
    const en = 'Please block my card.\n\nThanks,\nAlso, can you send a replacement to my home address?';
    expect(visible(en).text).toBe(en);
    // A question whatever its words, and sentences with words of their own (`meine`, `I`, `do`, `wann`).
    for (const [above, under] of [
      ['Ich habe eine Frage zu meinem Konto.', 'Wann kommt meine neue Karte?'],
      ['I have a question about my account.', 'How do I link a new card?'],
      ['Ich habe eine Frage zu meinem Konto.', 'Die Karte ist noch nicht angekommen.'],
    ]) {
      expect(visible(`${above}\n\nMit freundlichen Grüßen\nAnna Schmidt\n${under}`).text).toBe(`${above}\n\n${under}`);
    }
    // Signature lines that are no sentence still go.
    expect(visible('Please block my card.\n\nBest regards\nJohn Smith\nHead of Finance, Example Ltd.').text).toBe('Please block my card.');
    expect(visible('Bitte Karte sperren.\n\nViele Grüße\nAnna Schmidt\nLeiterin Einkauf, Beispiel GmbH.').text).toBe('Bitte Karte sperren.');
    // On behalf (`i.V.`), opening hours (`Mo.-Do.`, `Mo - Do`), a slogan of a firm, a street: no sentence words.
    for (const line of ['i.V. Leiter Einkauf, Beispiel GmbH.', 'i.A. Petra Meier, Buchhaltung.', 'Öffnungszeiten: Mo.-Do. 8:00-18:00 Uhr, Fr. 8:00-14:00 Uhr', 'Sprechzeiten Mo - Do 9 - 17 Uhr', 'Example Ltd – Why settle for less?', 'Es-Straße 5, 12345 Berlin', 'Online Anwesenheit: Tagsüber, außer freitags']) {
      expect(visible(`Bitte Karte sperren.\n\nViele Grüße\nAnna Schmidt\n${line}`).text, line).toBe('Bitte Karte sperren.');
    }
  });

  it('keeps an add-on under the closing and name: a labelled one, a short request in a paragraph of its own, prose under a bare `--`', () => {
    const above = 'Bitte Karte sperren.\n\nViele Grüße\nPeter Probe\n\n';
    // A label says it adds to the message, as `PS:` does.
    for (const addOn of ['Nachtrag: Karte gefunden, Sperre aufheben.', 'Update: card found, no need to block.', 'Zusatz: Depot ebenfalls kündigen.', 'EDIT: die Zweitkarte auch']) {
      const r = visible(`${above}${addOn}`);
      expect(r.text, addOn).toBe(`Bitte Karte sperren.\n\n${addOn}`);
      expect(r.signature).toBe('Viele Grüße\nPeter Probe');
    }
    // Short requests without a pronoun: prose (lower-case words that are no article or preposition) with a `.` or `!`
    // at the end, or in a paragraph of their own; a number there is no contact line.
    for (const request of ['Betrifft auch das Tagesgeldkonto.', 'Same for the second card.', 'auch die Kreditkarte sperren', 'wichtig: auch die Kreditkarte sperren', 'Rückruf erbeten unter 0171 2345678', 'Eilt!']) {
      expect(visible(`${above}${request}`).text, request).toBe(`Bitte Karte sperren.\n\n${request}`);
    }
    // Under a closing and a name alone, a line ending with `.`, `!` or `?` is the customer's, words of prose or not.
    for (const request of ['Nur die Hälfte.', 'Sonst Beschwerde bei der BaFin.', 'Betrifft Order 88123.', 'Gültig bis Ende der Woche.']) {
      expect(visible(`${above}${request}`).text, request).toBe(`Bitte Karte sperren.\n\n${request}`);
    }
    for (const sig of ['Anna Schmidt, M.Sc.', 'Geschäftsführer.', 'Sitz der Gesellschaft: Frankfurt am Main.']) expect(visible(`${above}${sig}`).text, sig).toBe('Bitte Karte sperren.');
    for (const text of ['Bitte das Depot schließen.\n--\nUnd den Restbetrag auf das Girokonto überweisen.', 'Bitte Konto sperren.\n--\nauch die Kreditkarte sperren']) {
      expect(visible(text).text, text).toBe(text);
    }
    // The lines of a signature still go: titles with small words, places, fields, a name between blank lines, thanks.
    for (const sig of [
      'Viele Grüße\nPeter Probe\n\nHead of Sales and Marketing\nExample Ltd\nTel. +49 30 1234567',
      'Viele Grüße\nPeter Probe\n\nLeiter der Abteilung Zahlungsverkehr\nBeispiel GmbH',
      'Viele Grüße\nPeter Probe\n\nSprechzeiten: nach telefonischer Vereinbarung',
      'Atentamente,\n\nPeter Probe\nJefe de proyecto de la empresa',
      'Best regards,\nJane Doe\nMember of the Board.',
      'Viele Grüße\nPeter Probe\n\nPeter Probe | peter@example.com\nThanks in advance',
    ]) {
      expect(visible(`Bitte Karte sperren.\n\n${sig}`).text, sig).toBe('Bitte Karte sperren.');
    }
  });

  it('cuts an Austrian or Swiss firm\u2019s signature by its register line (Firmenbuch, Handelsgericht, UID), as a German one by HRB and USt-IdNr.', () => {
    const request = 'Sehr geehrte Damen und Herren,\n\nbitte senden Sie mir die Depotübersicht.';
    for (const sig of [
      'Mit freundlichen Grüßen\nMax Muster\nMuster Beratung GmbH\nRingstraße 1, 1010 Wien\nFirmenbuchnummer: FN 123456a, Firmenbuchgericht: Handelsgericht Wien',
      'Mit freundlichen Grüßen\nMax Muster\nMuster Beratung GmbH\nRingstraße 1, 1010 Wien\nFN 123456a | UID: ATU12345678',
      'Freundliche Grüsse\nBeat Meier\nMeier Treuhand AG | Bahnhofstrasse 10 | 8001 Zürich | UID CHE-123.456.789 MWST',
    ]) {
      expect(visible(`${request}\n\n${sig}`).text, sig).toBe(request);
    }
    // A customer's own sentence with one such word stays.
    const own = `${request}\n\nMeine UID lautet ATU12345678, bitte auf der Rechnung angeben.`;
    expect(visible(own).text).toBe(own);
  });

  it('cuts a footer, disclaimer or contact block under a one-line message that opens with a greeting: it is no bare greeting', () => {
    for (const [message, tail] of [
      ['Hallo, bitte senden Sie mir die Jahressteuerbescheinigung 2025 zu.', 'Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte den Absender.'],
      ['Sehr geehrte Damen und Herren, bitte senden Sie mir die Jahressteuerbescheinigung 2025 zu.', 'Beispiel Handels GmbH | Sitz: Musterstadt | Amtsgericht Musterstadt HRB 12345 | Geschäftsführer: Peter Probe'],
      ['Hallo, bitte senden Sie mir die Jahressteuerbescheinigung 2025 zu.', 'Peter Probe\nBeispiel Handels GmbH\nTel. +49 30 1234567\nwww.beispiel-handels.example'],
      ['Guten Tag, wir möchten unsere Kreditlinie um 50.000 EUR erhöhen. Bitte um Rückruf.', 'Peter Probe | Leiter Finanzen\nBeispiel Technik AG | Musterallee 5 | 12345 Musterstadt\nVorstand: Erika Beispiel, Hans Muster\nSitz: Musterstadt | Amtsgericht Musterstadt HRB 54321'],
    ]) {
      expect(visible(`${message}\n\n${tail}`).text, message).toBe(message);
    }
    // A greeting alone, with whom it greets, still keeps the paragraph under it.
    for (const greeting of ['Hallo,', 'Sehr geehrte Frau Dr. Weber,', 'Hi there!']) {
      const text = `${greeting}\n\nDiese E-Mail ist vertraulich, bitte Depot 1234567 auflösen.`;
      expect(visible(text).text, greeting).toBe(text);
    }
  });

  it('cuts a closing in its other forms: greetings from a place, two closings joined, a name with an initial', () => {
    for (const sig of [
      'Mit freundlichen Grüßen aus Hamburg\nPeter Probe\nNeuer Weg 3\n12345 Musterstadt',
      'Beste Grüße aus Frankfurt am Main\nPeter Probe',
      'Mit freundlichen Grüßen / Best regards\nPeter Probe\nBeispiel Handels GmbH\nTel. +49 30 1234567',
      'Danke & Gruß\nPeter Probe\nNeuer Weg 3',
      'Gruß und Dank\nPeter Probe',
      'Thanks and regards,\nJane Example\n12 Example Road\nExampletown',
      'Many thanks and best regards\nJane Example',
      'Freundlichst\nPeter Probe',
      'MfG J. Beispiel',
      'Gruß P. Probe',
    ]) {
      const r = visible(`Bitte senden Sie mir die Depotübersicht.\n\n${sig}`);
      expect(r.text, sig).toBe('Bitte senden Sie mir die Depotübersicht.');
      expect(r.signature).toBe(sig);
    }
    for (const l of ['Grüße aus Hamburg', 'Viele Grüße aus Bad Homburg', 'Danke & Gruß', 'Thanks and regards, Jane', 'LG J. Beispiel']) expect(isSignOff(l), l).toBe(true);
    for (const l of ['Grüße aus dem Urlaub', 'Danke und Gruß an alle', 'Thanks and see you', 'LG J.B. Electronics']) expect(isSignOff(l), l).toBe(false);
  });

  it('cuts a footer that asks to spare paper, and the signature above it, not a customer who asks for no paper', () => {
    for (const footer of ['Bitte denken Sie an die Umwelt, bevor Sie diese E-Mail ausdrucken.', 'Please consider the environment before printing this email.']) {
      const r = visible(`Bitte stellen Sie meine Kontoauszüge auf Papier um.\n\nGruß\nPeter Probe\n\n${footer}`);
      expect(r.text, footer).toBe('Bitte stellen Sie meine Kontoauszüge auf Papier um.');
      expect(r.signature).toBe('Gruß\nPeter Probe');
      expect(r.removed.map((p) => p.kind)).toEqual(['footer', 'signature']);
    }
    const own = 'Hallo,\n\nbitte stellen Sie mein Depot auf Online-Postfach um.\n\nBitte keine Ausdrucke mehr schicken, der Umwelt zuliebe.';
    expect(visible(own).text).toBe(own);
  });

  it('keeps a bare list of instructions: not a contact block, nor a `-Name` line', () => {
    const plain = 'Hallo,\n\nDepot 123456789 schließen\nRestbetrag auf DE89 3704 0044 0532 0130 00\n\nDanke, Ralf';
    expect(visible(plain).text).toBe(plain);
    const noClosing = 'Hallo,\n\nDepot 123456789 schließen\nRestbetrag auf DE89 3704 0044 0532 0130 00';
    expect(visible(noClosing).text).toBe(noClosing);
    const dashed = visible('Hallo,\n\n- Depot 123456789 schließen\n- Restbetrag überweisen\n\nDanke\nRalf');
    expect(dashed.text).toBe('Hallo,\n\n- Depot 123456789 schließen\n- Restbetrag überweisen');
    expect(dashed.signature).toBe('Danke\nRalf');
    const html = cleanEmail({ html: '<p>Hallo,</p><ul><li>Depot 123456789 schließen</li><li>Restbetrag auf DE89 3704 0044 0532 0130 00</li></ul><p>Danke, Ralf</p>' }, { redact: false });
    expect(html.text).toContain('Restbetrag auf DE89 3704 0044 0532 0130 00');
    // A closing `-Name` line under text stays a signature.
    expect(visible('Please call me back.\n\n-Anna').text).toBe('Please call me back.');
    // Items written as paragraphs (one <p> each), with numbers in them: no contact block either (HTML audit).
    const items = 'Bitte erledigen Sie Folgendes:\n\n- Depot 1234567890 schließen\n\n- Restbetrag auf DE89 3704 0044 0532 0130 00\n\n- Rückruf unter 0171 2345678';
    expect(visible(items).text).toBe(items);
    expect(cleanEmail({ html: '<p>Bitte erledigen Sie Folgendes:</p><p>- Depot 1234567890 schließen</p><p>- Restbetrag auf DE89 3704 0044 0532 0130 00</p><p>- Rückruf unter 0171 2345678</p>' }, { redact: false }).text).toBe(items);
    // Numbers a `:` line announces (a table of debits, a cell per paragraph), with no address, link or `Tel.`: the customer's.
    const debits = 'Folgende Abbuchungen kenne ich nicht, bitte zurückholen:\n\n03.11.2025 10:15\n\nLastschrift PAYPAL 1045678901234\n\n-12,99 EUR\n\n01.11.2025 08:00\n\nKartenzahlung 4711081512\n\n-89,90 EUR';
    expect(visible(debits).text).toBe(debits);
    // Contact details a `:` line announces, and bulleted contact lines, still go.
    expect(visible('Bitte helfen Sie mir. Hier sind meine Kontaktdaten:\n\nName: Markus Weber\nE-Mail: markus@example.com\nTelefon: 0171 2345678').text).toBe('Bitte helfen Sie mir. Hier sind meine Kontaktdaten:');
    expect(visible('Please call me back today, it is urgent.\n\nJohn Smith\n• Tel: +44 20 7946 0958\n• Mail: john@example.com').text).toBe('Please call me back today, it is urgent.');
  });

  it('keeps a list or order details that start like a closing: no closing under a list\'s intro, no thanks without a name', () => {
    for (const text of [
      'ich möchte folgende Aktien kaufen:\nLG Electronics\nSamsung Electronics\nje 10 Stück, Limit 50 EUR',
      'please buy 10 shares of each:\nBest Buy\nApple\nMicrosoft',
      // Further down the list, as its last line too: an item of the list the `:` line introduces.
      'please buy:\nApple\nBest Buy',
      'folgende Aktien bitte verkaufen:\nSAP\nSiemens\nLG Electronics',
      'Aktien kaufen\nLG Electronics\nSamsung Electronics',
      'bitte folgende Order stornieren.\n\nVielen Dank!\nOrder-Nr: 88812345\nWKN: A0RPWH\nStück: 50',
      'Bitte folgendes erledigen:\n1. Depot schließen\n- Restbetrag überweisen',
      'Bitte folgendes erledigen:\n\n- Restbetrag überweisen',
    ]) {
      expect(visible(text).text, text).toBe(text);
    }
    // A closing with the name on its line and the name again or contact lines under it, or thanks and a name, still go.
    for (const sig of ['LG Petra\nPetra Muster', 'Gruß Tim\nTel. 0171 1234567', 'Danke!\nPetra Muster', 'Best regards John\njohn@example.com']) {
      const r = visible(`Bitte Konto schließen.\n\n${sig}`);
      expect(r.text, sig).toBe('Bitte Konto schließen.');
      expect(r.signature).toBe(sig);
    }
    expect(visible('Please call me back.\n\n-Jan van Berg').signature).toBe('-Jan van Berg');
  });

  it('reads a line under a closing of thanks alike before and after masking: cleaning its own output cuts nothing more', () => {
    // A contact line (named `Tel.`, an address) under thanks is the signature's, digits or not; a bare number stays the
    // customer's, and so does the placeholder masking leaves of it.
    for (const [text, kept] of [
      ['Bitte Konto schließen.\nThanks\nTel. +49 170 1234567', 'Bitte Konto schließen.'],
      ['Bitte Konto schließen.\nThanks\nanna1@example.com', 'Bitte Konto schließen.'],
      ['Bitte buchen.\nDanke\nDE89 3704 0044 0532 0130 00', 'Bitte buchen.\nDanke\n[IBAN]'],
      ['Bitte buchen.\nDanke\n4111 1111 1111 1111', 'Bitte buchen.\nDanke\n[CARD]'],
    ]) {
      const once = cleanEmail({ body: text }).text;
      expect(once, text).toBe(kept);
      expect(cleanEmail({ body: once }).text, text).toBe(once);
    }
  });

  it('measures a line under a closing as masking leaves it: cleaning its own output cuts nothing more', () => {
    // Unmasked, these lines are longer than a signature's (66 and 62 characters) and hid the closing above them;
    // masked (`<[EMAIL]>`, `[PHONE]`), they were short enough, and a second cleaning cut the closing and all under it.
    for (const [text, kept] of [
      ['Bitte überweisen Sie den Betrag.\nMit freundlichen Grüßen\nMax Mustermann | max.mustermann@example-bank.de | Tel 0170 1234567', 'Bitte überweisen Sie den Betrag.'],
      // Kept whole as an inline reply (a quote, text, a quote): the closing and all under it are the signature.
      ['> quoted line\nMit freundlichen Grüßen\nOn Mon, 1 Jun 2026 at 09:43, Support <help@example.com> wrote:\n> quoted line', ''],
      ['>\nBest regards,\n> quoted line\nOn Mon, 1 Jun 2026 at 09:43, Support <help@example.com> wrote:', ''],
    ]) {
      const once = cleanEmail({ body: text }).text;
      expect(once, text).toBe(kept);
      expect(cleanEmail({ body: once }).text, text).toBe(once);
      expect(cleanEmail({ body: text }, { redact: false }).text, text).toBe(kept);
    }
  });

  it('reads a closing with an address or a number on its line as masking leaves it: the dots of `support@example.com` are no sentence', () => {
    expect(isSignOff('Best regards, support@example.com')).toBe(true);
    expect(isSignOff('Best regards, [EMAIL]')).toBe(true);
    expect(isSignOff('Regards to support@example.com. Please answer.')).toBe(false);
    expect(isSignOff('Viele Grüße, Max Mustermann, +49 170 1234567')).toBe(true);
    for (const text of [
      'Please close my account.\nBest regards, support@example.com',
      'Please close my account. <span\n Best regards, <<Anhang>> <support@example.com>:',
      'Please close my account.\nViele Grüße, Max Mustermann, +49 170 1234567',
    ]) {
      const once = cleanEmail({ body: text }).text;
      expect(once, text).toMatch(/^Please close my account\.( <span)?$/);
      expect(cleanEmail({ body: once }).text, text).toBe(once);
    }
  });

  it('keeps a sentence without a full stop under the closing and name', () => {
    const text = 'Viele Grüße\nAnna Schmidt\n\nbitte dringend bearbeiten, Frist läuft am Freitag ab';
    expect(visible(text).text).toBe(text);
    const r = visible(`Anbei das Formular.\n\n${text}`);
    expect(r.text).toBe('Anbei das Formular.\n\nbitte dringend bearbeiten, Frist läuft am Freitag ab');
    expect(r.signature).toBe('Viele Grüße\nAnna Schmidt');
  });

  it('removes a "-- " signature block', () => {
    expect(visible('Please call me back.\n\n-- \nJane Doe\nExample Ltd').text).toBe('Please call me back.');
    expect(visible('Please call me back.\n\n--\nJane Doe\nExample Ltd').text).toBe('Please call me back.');
  });

  it('keeps a sentence under a bare "--" line: a dash in prose, not a signature', () => {
    const text = 'Hallo,\n\nich habe die 500 EUR überwiesen\n--\nbitte bestätigen Sie den Eingang.';
    expect(visible(text).text).toBe(text);
  });

  it('keeps a closing "Thanks" without a name under it', () => {
    expect(visible('I just saw the new plan has the feature.\n\nThank you!').text).toBe('I just saw the new plan has the feature.\n\nThank you!');
  });

  it('keeps a sign-off followed by long prose lines', () => {
    const text = 'Call me, please.\n\nThanks in advance,\nsome long text here which does not look like a signature at all';
    expect(visible(text).text).toBe(text);
  });

  it('recognises device lines in several languages but not sentences about devices', () => {
    for (const l of ['Von meinem iPhone gesendet', 'Sent from my iPhone', 'Gesendet von Outlook für Android', 'Envoyé de mon iPhone', 'Enviado do meu iPhone']) {
      expect(isDeviceLine(l)).toBe(true);
    }
    expect(isDeviceLine('Sent from my desk, is much easier than my mobile phone.')).toBe(false);
    expect(isDeviceLine('Mein iPhone wurde gestohlen, bitte Karte sperren')).toBe(false);
  });

  it('takes a line about a payment for no device line: a date, an account, bank or card word', () => {
    for (const l of [
      'Sent from my HSBC current account on 01/11/2025',
      'Gesendet von meinem Girokonto bei der Sparkasse am 01.11.',
      'Sent from my card',
      'Gesendet von meinem Tagesgeldkonto',
      'Sent from my iPhone on 03.11.2025',
    ]) {
      expect(isDeviceLine(l), l).toBe(false);
    }
    for (const l of ['Sent from my Samsung Galaxy S21', 'Sent from Mail for Windows 10', 'Sent from my TI-85']) expect(isDeviceLine(l), l).toBe(true);
  });

  it("recognises Outlook's mobile lines with their link", () => {
    for (const l of ['Get Outlook for iOS<https://aka.ms/o0ukef>', 'Holen Sie sich Outlook für Android<https://aka.ms/ghei36>', 'Get Outlook for Android <https://aka.ms/ghei36>']) {
      expect(isDeviceLine(l), l).toBe(true);
    }
    expect(visible('Please block my card.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>').text).toBe('Please block my card.');
    // As the German apps word it now (HTML audit).
    for (const l of ['Outlook für Android herunterladen<https://aka.ms/AAb9ysg>', 'Outlook für iOS beziehen<https://aka.ms/o0ukef>', 'Download Outlook for Android']) expect(isDeviceLine(l), l).toBe(true);
  });

  it("cuts a closing that Word's HTML wrapped in its source (Mit\\r\\nfreundlichen Grüßen), and the name and address under it", () => {
    const html = "<p class=MsoNormal><span style='font-size:11.0pt'>Bitte senden Sie mir eine Kopie des Kreditvertrags zu.<o:p></o:p></span></p><p class=MsoNormal>&nbsp;</p><p class=MsoNormal><span style='font-size:11.0pt'>Mit\r\nfreundlichen Grüßen<o:p></o:p></span></p><p class=MsoNormal>Hans-Jürgen Beispielmann</p><p class=MsoNormal>Lindenweg 3, 80331 München</p>";
    expect(cleanEmail({ html }, { redact: false }).text).toBe('Bitte senden Sie mir eine Kopie des Kreditvertrags zu.');
  });

  it("cuts an antivirus program's footer (Avast, AVG), not the customer's words about viruses", () => {
    for (const footer of [
      'Diese E-Mail wurde von Avast Antivirus-Software auf Viren geprüft.\nhttps://www.avast.com/antivirus',
      'Diese E-Mail wurde von Avast Antivirus-Software auf Viren geprüft.',
      'This email has been checked for viruses by Avast antivirus software.\nwww.avast.com',
      'Virus-free. www.avg.com',
      'Virenfrei.www.avast.com',
    ]) {
      expect(visible(`Bitte sperren Sie meine Karte.\n\n${footer}`).text, footer).toBe('Bitte sperren Sie meine Karte.');
    }
    for (const own of ['Hallo,\n\nmein Rechner ist virenfrei, trotzdem klappt der Login nicht.', 'Bitte Karte sperren.\n\nDie Datei wurde auf Viren geprüft und ist sauber, bitte öffnen.', 'Please block my card.\n\nThe attachment was checked for viruses, it is clean.']) {
      expect(visible(own).text, own).toBe(own);
    }
  });

  it('takes a line on which masking finds anything, or found it, for no device line: masking lessens its words', () => {
    for (const l of ['Von meinem iPhone gesendet Tel. [PHONE]', 'Sent from my iPhone [EMAIL]', 'Sent from my iPhone max@example.com']) expect(isDeviceLine(l), l).toBe(false);
  });

  it('keeps a device line with more of the sender\'s words after it', () => {
    expect(isDeviceLine('Gesendet von meinem Telefon. Sorry für Tippfehler')).toBe(false);
    expect(isDeviceLine('Sent from my iPhone.')).toBe(true);
    const text = 'Gesendet von meinem Telefon. Sorry für Tippfehler\nBitte Überweisung stoppen!!';
    expect(visible(text).text).toBe(text);
  });

  it('removes confidentiality disclaimers and marketing footers at the end', () => {
    const r = visible(
      'Bitte Konto schließen.\n\nDiese E-Mail enthält vertrauliche Informationen und ist nur für den Empfänger bestimmt.\n\nNewsletter abbestellen: https://example.com/abmelden',
    );
    expect(r.text).toBe('Bitte Konto schließen.');
    expect(r.removed.map((p) => p.kind)).toEqual(['disclaimer', 'footer']);
  });

  it('removes disclaimers and company footers in their usual wordings', () => {
    for (const tail of [
      'This message is confidential. If you have received it in error, please delete it.',
      "Ce message et ses pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires.",
      'Beispiel Bank AG, Sitz der Gesellschaft: Frankfurt am Main, Amtsgericht Frankfurt HRB 12345',
      'Amtsgericht Frankfurt am Main, HRB 12345, USt-IdNr. DE000000000',
    ]) {
      const r = visible(`Bitte Konto schließen.\n\n${tail}`);
      expect(r.text, tail).toBe('Bitte Konto schließen.');
      expect(r.removed.map((p) => p.kind)).toEqual(['disclaimer']);
    }
  });

  it('keeps a last paragraph whose sentence opens with a capitalised Ich, as one with ich inside it', () => {
    // `Ich` opens most German sentences with the customer as subject; a disclaimer never says it.
    for (const last of [
      'Ich habe diese E-Mail irrtümlich an Sie geschickt, bitte behandeln Sie sie vertraulich.',
      'Leider habe ich diese E-Mail irrtümlich an Sie geschickt, bitte behandeln Sie sie vertraulich.',
    ]) {
      const text = `Bitte Depot 1234567 schließen.\n\n${last}`;
      expect(visible(text).text).toBe(text);
    }
  });

  it("keeps a customer's last paragraph that uses a word of disclaimers", () => {
    for (const last of [
      'Gestern wurden irrtümlich 500 EUR an eine falsche IBAN überwiesen. Können Sie die Überweisung zurückholen?',
      'Please treat this as confidential: my former partner may call you about my account.',
      'Wenn das nicht bis Freitag erledigt ist, beschwere ich mich bei der BaFin.',
      'Anbei der Beschluss vom Amtsgericht zur Kontopfändung.',
      'Jemand hat unbefugt auf mein Konto zugegriffen. Bitte behandeln Sie das vertraulich.',
      'Bitte melden Sie mich vom Newsletter ab.',
    ]) {
      const text = `Guten Tag,\n\n${last}`;
      expect(visible(text).text).toBe(text);
    }
  });

  it("keeps a customer's last paragraph about a privacy policy, an imprint, a newsletter or court papers, or asking to treat this email as confidential", () => {
    for (const last of [
      'Laut Ihrer Datenschutzerklärung geben Sie Daten an Dritte weiter. An wen genau? Bitte um Auskunft nach Art. 15 DSGVO.',
      'Your privacy policy says you share data with partners. Which partners exactly?',
      'Im Impressum Ihrer Website steht noch die alte Adresse. Welche gilt?',
      'Bitte behandeln Sie diese E-Mail vertraulich und sperren Sie sein Depot.',
      'Please treat this email as confidential and freeze his account.',
      'den Newsletter bitte nicht mehr schicken, wir erhalten ihn doppelt.',
      'Ihren Newsletter bekommen wir doppelt, hier die zweite Adresse: info@example.de',
      'Anbei senden wir den Handelsregisterauszug (HRB 12345) und den Beschluss vom Amtsgericht.',
    ]) {
      // Above it a paragraph that is no bare greeting, so only the paragraph's own words decide.
      const text = `Mein Vater ist am 3. März verstorben.\n\n${last}`;
      expect(visible(text).text, last).toBe(text);
    }
  });

  it('still removes disclaimers about this message and company footers with their links', () => {
    for (const [tail, kind] of [
      ['Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte den Absender.', 'disclaimer'],
      ['This e-mail may contain confidential information. If you are not the intended recipient, please notify the sender.', 'disclaimer'],
      ['Beispiel Bank AG, Sitz: Frankfurt, Registergericht: Amtsgericht Frankfurt, HRB 12345, Vorstand: A. Muster\nImpressum: https://www.example.com/impressum', 'disclaimer'],
      ['Impressum | Datenschutzerklärung | AGB', 'footer'],
      ['Datenschutzerklärung: https://www.example.com/datenschutz', 'footer'],
    ]) {
      const r = visible(`Mein Vater ist am 3. März verstorben.\n\n${tail}`);
      expect(r.text, tail).toBe('Mein Vater ist am 3. März verstorben.');
      expect(r.removed.map((p) => p.kind)).toEqual([kind]);
    }
  });

  it("cuts a firm's privacy notice with its link, and the signature above it; not a customer's sentence about data protection", () => {
    const signed = 'bitte Konto eröffnen.\n\nMit freundlichen Grüßen\nSandra Böhm\nTel.: 0711 / 78 90 12';
    for (const notice of [
      'Informationen zum Datenschutz finden Sie unter www.boehm-logistik.de/datenschutz',
      'Hinweise zum Datenschutz: https://www.boehm-logistik.de/datenschutz',
      'Unsere Datenschutzhinweise nach Art. 13 DSGVO finden Sie hier: https://www.boehm-logistik.de/datenschutz',
      'Information on data protection: https://www.example.com/privacy',
    ]) {
      const r = visible(`${signed}\n\n${notice}`);
      expect(r.text, notice).toBe('bitte Konto eröffnen.');
      expect(r.removed.map((p) => p.kind)).toEqual(['footer', 'signature']);
    }
    for (const own of [
      'Hier ist der Datenschutzbeauftragte bereits informiert.',
      'Zum Datenschutz: Meine Daten bitte nach Art. 17 DSGVO löschen, siehe www.example.com/formular',
      'Der Datenschutz Ihrer App ist mangelhaft, siehe https://www.example.com/test. Ich erwarte eine Antwort.',
    ]) {
      const text = `Mein Vater ist am 3. März verstorben.\n\n${own}`;
      expect(visible(text).text, own).toBe(text);
    }
  });

  it('looks past a short last paragraph with a long line for the closing and signature above it, and keeps that paragraph', () => {
    const signed = 'bitte Konto eröffnen.\n\nMit freundlichen Grüßen\nSandra Böhm\nTel.: 0711 / 78 90 12';
    for (const tail of [
      'Besuchen Sie uns auf der BAU 2027 in München, Halle B2, Stand 310, wir freuen uns auf Sie.',
      'Kontonummer 1234567, bitte bis Freitag eröffnen, da sonst die Frist für die Förderung abläuft.',
    ]) {
      const r = visible(`${signed}\n\n${tail}`);
      expect(r.text, tail).toBe(`bitte Konto eröffnen.\n\n${tail}`);
      expect(r.signature).toBe('Mit freundlichen Grüßen\nSandra Böhm\nTel.: 0711 / 78 90 12');
    }
    // The name no longer reaches the model's text; with names masked the paragraph is as it was.
    const named = cleanEmail({ body: `${signed}\n\nBesuchen Sie uns auf der BAU 2027 in München, Halle B2, Stand 310.` }, { redact: { names: true } });
    expect(named.text).toBe('bitte Konto eröffnen.\n\nBesuchen Sie uns auf der BAU 2027 in München, Halle B2, Stand 310.');
    // Not past a long paragraph (four lines), nor to a closing without a line under it, nor to thanks before a question.
    for (const text of [
      `${signed}\n\nZeile eins eines langen Absatzes\nZeile zwei\nZeile drei\nZeile vier, die länger ist als jede Zeile einer Signatur es wäre.`,
      'bitte Konto eröffnen.\n\nViele Grüße\n\nIch habe noch eine Frage: wie lange dauert die Kontoeröffnung bei Ihnen normalerweise?',
      'Call me, please.\n\nThanks in advance,\nsome long text here which does not look like a signature at all',
    ]) {
      expect(visible(text).text, text).toBe(text);
    }
  });
});

/** Lines that start like sign-offs: any case, punctuation and blanks after, a name, markers around. */
const signOffLineArb = fc
  .tuple(
    fc.constantFrom(...SIGN_OFFS, 'Grüße', 'Best', 'Thanks a lot', 'Regards from Berlin', 'Hello'),
    fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    fc.constantFrom('', ',', '!', '.', ' ,', ' -', ':', ';', '\t', ' \u00a0', ', Anna', ',  Max Mustermann', ', the team.', ',Anna?'),
    fc.constantFrom('', '**', '_'),
  )
  .map(([s, upper, after, marker]) => `${marker}${[...s].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('')}${marker}${after}`);

describe('isSignOff gate', () => {
  it('every sign-off is words of letters with one space between them', () => {
    // A letter may carry a combining mark (the dot of Turkish `İ` lower-cased: `i̇yi günler`).
    for (const s of SIGN_OFFS) expect(s).toMatch(/^(?:\p{L}\p{M}?)+(?: (?:\p{L}\p{M}?)+)*$/u);
  });

  it('lets every line through that the sign-off rules accept', () => {
    const lower = (line: string) => stripMarkers(line.slice(0, 80)).toLowerCase();
    const accepted = fc.sample(signOffLineArb, { numRuns: 2000, seed: 3 }).filter((line) => signOffRules(lower(line)));
    expect(accepted.length).toBeGreaterThan(500);
    fc.assert(
      fc.property(fc.oneof(signOffLineArb, fc.string({ maxLength: 70 })), (line) => {
        const l = lower(line);
        if (l.length === 0 || l.length > 60 || !signOffRules(l)) return;
        expect(maySignOff(l)).toBe(true);
        expect(isSignOff(line)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

