import { describe, expect, it } from 'vitest';
import { automatedKind } from './automated.js';

/** Outlook's read receipt, as a CRM passes its body. */
const RECEIPT_BODY =
  'Ihre Nachricht\n\n  An: Kundenservice\n  Betreff: Ihr Depot\n  Gesendet: Mittwoch, 3. Dezember 2026 09:12:00 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien\n\n' +
  'wurde am Mittwoch, 3. Dezember 2026 09:14:02 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien gelesen.';

describe('automatedKind', () => {
  it('knows automatic replies and receipts by the templates of their subjects, alone, in the languages of the inbox', () => {
    for (const subject of [
      'Automatische Antwort: Ihre Depotübertragung',
      'Automatic reply: Your tax certificate 2025',
      'Out of Office AutoReply: Kündigung',
      'Out of Office Auto Reply: Kündigung',
      'Réponse automatique : Virement',
      'Respuesta automática: Transferencia',
      'Respuesta automatica: Transferencia',
      'Resposta automática: Transferência',
      'Automatyczna odpowiedź: Przelew',
      'Otomatik cevap: Hesap',
      'OTOMATİK YANIT: Hesap',
      '[EXTERNAL] Automatic reply: Card blocked',
      '[CAUTION: External Email] Automatic reply: Card',
      '[Externe Nachricht] Automatische Antwort: Depot',
      '[Extern] [Achtung] Automatische Antwort: Depot',
      '[SPAM] Automatische Antwort: Sparplan',
      '***SPAM*** Automatische Antwort: Sparplan',
      '[Ticket#2026120110000123] Automatische Antwort: Depot',
      'AUTO: Max Mustermann ist außer Haus (Rückkehr am 14.12.2026)',
      'AUTO: Erika Muster is out of the office (returning 12/14/2026)',
      'Abwesenheitsnotiz',
      'Abwesenheitsmeldung',
      // With the dates of the absence.
      'Abwesenheitsnotiz bis 15.12.2026',
      'Abwesenheitsnotiz vom 10.12. bis 20.12.',
      'Abwesenheitsmeldung bis zum 3. Januar',
      'Out of Office until 12/15',
      'Out of the office from 2026-12-10 to 2026-12-20',
      'Automatic reply',
      'Auto-Reply',
      'Out of Office',
      'Return Receipt (displayed) - Depot',
      'Empfangsbestätigung (angezeigt) - Depot',
      'Delivery Status Notification (Delay)',
      'Delayed Mail (still being retried)',
      // A folded header's tab, a double or no-break space, an accent written apart.
      'Automatische\tAntwort: Ihre Anfrage',
      'Automatic  reply: Card',
      'Automatic\u00a0reply: Card',
      'Re\u0301ponse automatique : Virement',
    ]) {
      expect(automatedKind({ subject, from: 'kunde@mail.example' }), subject).toBe('auto_reply');
    }
  });

  it("takes the words customers start subjects with too only with another sign: Auto-Submitted auto-replied, or a receipt's text", () => {
    const words = ['Out of Office: Sparplan', 'Out-of-Office: Sparplan', 'Abwesenheitsnotiz: Freistellungsauftrag', 'Auto-Reply: Login', 'AutoReply: Login', 'Read: Your order', 'Gelesen: Ihre Nachricht vom 03.12.2026'];
    for (const subject of words) {
      expect(automatedKind({ subject, from: 'kunde@mail.example' }), subject).toBeUndefined();
      // auto-generated (web forms send customers' requests with it), blank or false are no sign.
      for (const autoSubmitted of ['auto-generated', '', ' ', 'false']) expect(automatedKind({ subject, from: 'kunde@mail.example', autoSubmitted }), `${subject} ${autoSubmitted}`).toBeUndefined();
      expect(automatedKind({ subject, from: 'kunde@mail.example', autoSubmitted: 'auto-replied' }), subject).toBe('auto_reply');
    }
    expect(automatedKind({ subject: 'Gelesen: Ihr Depot', from: 'kunde@mail.example', body: RECEIPT_BODY })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Read: Your order', body: 'Your message\n\n  To: Service\n  Subject: Your order\n\nwas read on Wednesday, December 3, 2026 9:14:02 AM (UTC+01:00).' })).toBe('auto_reply');
  });

  it("takes an away notice's words with the subject of mail the bank sent after them, or with an automatic reply's text", () => {
    // The trial's `Abwesenheitsnotiz: Ihr Depot`, from the customer's address, without Auto-Submitted.
    for (const subject of [
      'Abwesenheitsnotiz: Ihr Depot',
      'Abwesenheitsnotiz:Ihre Anfrage vom 03.12.2026',
      'Abwesenheitsmeldung: Your tax certificate 2025',
      'Out of Office: AW: Sparplan',
      'Out-of-Office: RE: Ihre Kündigung',
      'Auto-Reply: [Ticket#2026120110000123] Depot',
      'AutoReply: WG: Kontoauszug',
      'Abwesend: Ihre Kontoauszüge',
      '[EXTERNAL] Abwesenheitsnotiz: Ihr Depot',
    ]) {
      expect(automatedKind({ subject, from: 'kunde@mail.example' }), subject).toBe('auto_reply');
    }
    const gmx = 'Vielen Dank für Ihre Nachricht. Ich bin bis zum 15.12.2026 nicht im Büro. In dringenden Fällen wenden Sie sich bitte an meine Kollegin.';
    expect(automatedKind({ subject: 'Abwesenheitsnotiz: Freistellungsauftrag', from: 'kunde@mail.example', body: gmx })).toBe('auto_reply');
    const outlook = "I am out of the office until December 15 with limited access to email. I will reply to your message after my return.";
    expect(automatedKind({ subject: 'Out of Office: Sparplan', from: 'kunde@mail.example', body: outlook })).toBe('auto_reply');
    // A customer's: a subject of their own after the words, an away statement alone, the text without the words.
    for (const [subject, body] of [
      ['Abwesenheitsnotiz: Vollmacht für meine Frau', 'Ich bin ab Montag im Urlaub, bitte richten Sie bis dahin die Vollmacht ein.'],
      ['Out of office: please block my card', "I'm out of the office in Rome and my card was stolen. Please block it."],
      ['Abwesenheitsnotiz: ihre Vollmacht', 'Meine Frau ist in Reha, bitte die Vollmacht prüfen.'],
      ['Vollmacht', gmx],
      ['Re: Abwesenheitsnotiz: Ihr Depot', 'Ich bin nicht abwesend, bitte beantworten Sie meine Frage.'],
      ['AW: Out of Office: AW: Sparplan', outlook],
    ]) {
      expect(automatedKind({ subject, from: 'kunde@mail.example', body }), subject).toBeUndefined();
    }
  });

  it("takes a delivery report's sender name alone, and postmaster@ with a report's text, as a mail system", () => {
    for (const from of ['Mail Delivery System <bounce+4711@mx.mail.example>', '"Mail Delivery Subsystem" <noreply@mx.example>', 'Mail Delivery System', 'MAILER-DAEMON <bounces@mx.example>']) {
      expect(automatedKind({ subject: 'Ihre Nachricht', from, body: 'Delivery has failed to these recipients or groups:' }), from).toBe('delivery_failure');
      expect(automatedKind({ subject: 'Hinweis', from }), from).toBe('delivery_failure');
    }
    // The trial's: postmaster@, a subject without a sign, Exchange's report text (in English, in German).
    for (const body of [
      "Delivery has failed to these recipients or groups:\n\nkunde@mail.example\nThe email address you entered couldn't be found.",
      'Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:\n\nkunde@mail.example',
      'This is the mail system at host mx.firma.example.\n\nI\'m sorry to have to inform you that your message could not be delivered',
      'This message was created automatically by mail delivery software.',
      'Ihre Nachricht konnte nicht an kunde@mail.example zugestellt werden.',
    ]) {
      expect(automatedKind({ subject: 'Ihre Nachricht', from: 'postmaster@firma.example', body }), body).toBe('delivery_failure');
      // Quoted by a customer from their own address: a person's email.
      expect(automatedKind({ subject: 'Ihre Mail kam zurück', from: 'kunde@mail.example', body: `Ich bekomme immer diese Meldung: ${body}` }), body).toBeUndefined();
    }
    expect(automatedKind({ subject: 'Bitte Lastschrift zurückgeben', from: 'Bäckerei Müller <postmaster@baeckerei-mueller.example>', body: 'Bitte geben Sie die Lastschrift vom 1.12. zurück.' })).toBeUndefined();
    expect(automatedKind({ from: 'Klaus Daemon <k.daemon@mail.example>', body: 'Delivery has failed to these recipients or groups:' })).toBeUndefined();
    expect(automatedKind({ from: 'Mail Delivery Fan <fan@mail.example>', body: 'Hallo' })).toBeUndefined();
  });

  it("knows a mail system's delivery report by its sender, a report, or its subject's template", () => {
    expect(automatedKind({ subject: 'Mail delivery failed: returning message to sender' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Undelivered Mail Returned to Sender' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Delivery Status Notification (Failure)' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Hinweis', from: 'Mail Delivery System <MAILER-DAEMON@mx.mail.example>' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Returned mail: see transcript for details', from: 'Mail Delivery Subsystem <MAILER-DAEMON>' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Niedostarczalne: Przelew', from: 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@firma.example' })).toBe('delivery_failure');
    // postmaster@ with a system's name or a report's words; a report's words with a system's sender or Auto-Submitted.
    expect(automatedKind({ subject: 'Undeliverable: Ihr Freistellungsauftrag', from: 'Microsoft Outlook <postmaster@bank.example>' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Unzustellbar: Ihr Freistellungsauftrag', from: 'postmaster@bank.example' })).toBe('delivery_failure');
    expect(automatedKind({ from: 'Mail System <postmaster@mx.example>' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Unzustellbar: Ihr Freistellungsauftrag', autoSubmitted: 'auto-replied' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Unzustellbar: Brief mit neuer PIN', autoSubmitted: 'auto-generated' })).toBeUndefined();
    expect(automatedKind({ subject: 'DELIVERY FAILURE: User kunde not listed in Domino Directory', from: 'Mail Router <postmaster@notes.example>' })).toBe('delivery_failure');
    // parseEml's reading of a delivery report (multipart/report of report-type delivery-status).
    expect(automatedKind({ subject: 'Nondelivery notification', autoSubmitted: 'auto-replied (delivery-status)' })).toBe('delivery_failure');
    // A bounce also says auto-replied: the sender tells which kind.
    expect(automatedKind({ from: 'MAILER-DAEMON@mx.mail.example', autoSubmitted: 'auto-replied' })).toBe('delivery_failure');
  });

  it('reads a delay or delivery notice as an auto-reply, not a failure, from a mail system or as a report of such', () => {
    const gmail = 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>';
    expect(automatedKind({ subject: 'Delivery Status Notification (Delay)', from: gmail })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Warning: message 1tXyzA-0001Ab-2C delayed 24 hours', from: 'Mailer-Daemon@mx.example' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Zugestellt: Ihr Kontoauszug', from: 'Microsoft Outlook <postmaster@bank.example>' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Zustellung verzögert: Ihr Kontoauszug', from: 'postmaster@bank.example' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Warning: could not send message for past 4 hours', from: 'MAILER-DAEMON@mx.example' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Delivery Status Notification', autoSubmitted: 'auto-replied (delivery-status; delayed)' })).toBe('auto_reply');
  });

  it('takes Auto-Submitted: auto-replied, not auto-generated (web forms send requests with it) or no', () => {
    expect(automatedKind({ subject: 'Ihre Nachricht', autoSubmitted: 'auto-replied' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Ihre Nachricht', autoSubmitted: 'Auto-Replied (vacation)' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Kontaktformular: Depot kündigen', autoSubmitted: 'auto-generated' })).toBeUndefined();
    expect(automatedKind({ subject: 'Ihre Nachricht', autoSubmitted: 'no' })).toBeUndefined();
    expect(automatedKind({ subject: 'Out of Office: Sparplan', autoSubmitted: 'no' })).toBeUndefined();
  });

  it("leaves a person's email a person's: a reply to an automatic answer, subjects about a card, letter or car, a small firm's postmaster", () => {
    for (const subject of [
      'AW: Automatische Antwort: Ihre Anfrage',
      'Re: Out of Office: Sparplan',
      'WG: Unzustellbar: Ihr Auszug',
      'Zustellung fehlgeschlagen – neue Karte nicht angekommen',
      'Zustellung verzögert: Wo bleibt meine neue Karte?',
      'Delivery delayed: my new card has not arrived',
      'Delivery failure of my new debit card',
      'Abwesenheit im Dezember: bitte Post aufbewahren',
      'Ich bin nicht im Büro, bitte rufen Sie später an',
      'Readme: Steuerbescheinigung',
      'Nicht zustellbar: Brief an meine alte Adresse',
      'Returned mail: my statement letter came back',
      'Auto: Kfz-Versicherung abbuchen',
      'AUTO: Kredit für Neuwagen',
      'AUTO: FINANZIERUNG ANFRAGE',
      'Delivery failure: my new card',
      'Gelesen: Ihre AGB - ich widerspreche',
      'Not read: your letter',
      'Abwesenheitsnotiz: Vollmacht für meine Frau während meiner Reha',
      'Abwesenheitsnotiz bis wann gilt die Vollmacht?',
      'Out of office until further notice: please block my card',
      'Out of office: please block my card, it was stolen in Rome',
      '[WICHTIG] Unzustellbar: Brief mit neuer PIN',
      'Unzustellbar: Kontoauszug kam zurück',
      'Mail delivery failed: meine Überweisung ist nicht angekommen',
      'Failure notice',
      '',
    ]) {
      expect(automatedKind({ subject, from: 'kunde@mail.example', body: 'Bitte helfen Sie mir.' }), subject).toBeUndefined();
    }
    expect(automatedKind({ subject: 'Bitte Lastschrift zurückgeben', from: 'Bäckerei Müller <postmaster@baeckerei-mueller.example>' })).toBeUndefined();
    // That firm's out-of-office reply is an auto-reply, not a bounce; its forward no notice.
    expect(automatedKind({ subject: 'Automatische Antwort: Ihre Lastschrift', from: 'Bäckerei Müller <postmaster@baeckerei-mueller.example>', autoSubmitted: 'auto-replied' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Weitergeleitet: Rechnung', from: 'postmaster@baeckerei-mueller.example' })).toBeUndefined();
    expect(automatedKind({ subject: 'Auto: mein Berater ist abwesend, wer hilft?', from: 'kunde@mail.example' })).toBeUndefined();
    expect(automatedKind({ subject: 'Hinweis', from: 'postmaster@bank.example' })).toBeUndefined();
    expect(automatedKind({ from: 'postmaster.fan@mail.example' })).toBeUndefined();
    // The address decides, not the name shown.
    expect(automatedKind({ from: '"postmaster@old.example" <kunde@new.example>' })).toBeUndefined();
    expect(automatedKind({ from: 'Klaus Daemon <k.daemon@mail.example>' })).toBeUndefined();
    expect(automatedKind({})).toBeUndefined();
  });

  it('reads null fields as absent, as predict takes them', () => {
    expect(automatedKind({ subject: null, from: null, autoSubmitted: null, body: null } as never)).toBeUndefined();
  });
});
