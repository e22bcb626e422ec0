import { describe, expect, it } from 'vitest';
import { automatedKind } from './automated.js';

describe('automatedKind', () => {
  it('knows automatic replies and read receipts by their subject, in the languages of the inbox', () => {
    for (const subject of [
      'Automatische Antwort: Ihre Depotübertragung',
      'Automatic reply: Your tax certificate 2025',
      'Out of Office: Sparplan',
      'Out of Office AutoReply: Kündigung',
      'Abwesenheitsnotiz: Freistellungsauftrag',
      'AutoReply: Login',
      'Auto-Reply: Login',
      'Réponse automatique : Virement',
      'Respuesta automática: Transferencia',
      'Gelesen: Ihre Nachricht vom 03.12.2026',
      'Read: Your order',
      '[EXTERNAL] Automatic reply: Card blocked',
      '[SPAM] Automatische Antwort: Sparplan',
      'AUTO: Max Mustermann ist außer Haus (Rückkehr am 14.12.2026)',
      'Out-of-Office: Sparplan',
      'Abwesenheitsnotiz',
      'Return Receipt (displayed) - Depot',
      'Empfangsbestätigung (angezeigt) - Depot',
      'Delivery Status Notification (Delay)',
      'Delayed Mail (still being retried)',
    ]) {
      expect(automatedKind({ subject }), subject).toBe('auto_reply');
    }
  });

  it("knows a mail system's delivery report by its sender or subject", () => {
    expect(automatedKind({ subject: 'Undeliverable: Ihr Freistellungsauftrag' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Unzustellbar: Ihr Freistellungsauftrag' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Mail delivery failed: returning message to sender' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Undelivered Mail Returned to Sender' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Delivery Status Notification (Failure)' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Hinweis', from: 'Mail Delivery System <MAILER-DAEMON@mx.mail.example>' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'Hinweis', from: 'postmaster@bank.example' })).toBe('delivery_failure');
    expect(automatedKind({ subject: 'DELIVERY FAILURE: User kunde not listed in Domino Directory' })).toBe('delivery_failure');
    // parseEml's reading of a delivery report (multipart/report of report-type delivery-status).
    expect(automatedKind({ subject: 'Nondelivery notification', autoSubmitted: 'auto-replied (delivery-status)' })).toBe('delivery_failure');
    // A bounce also says auto-replied: the sender tells which kind.
    expect(automatedKind({ from: 'MAILER-DAEMON@mx.mail.example', autoSubmitted: 'auto-replied' })).toBe('delivery_failure');
  });

  it('takes Auto-Submitted: auto-replied, not auto-generated (web forms send requests with it) or no', () => {
    expect(automatedKind({ subject: 'Ihre Nachricht', autoSubmitted: 'auto-replied' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Ihre Nachricht', autoSubmitted: 'Auto-Replied (vacation)' })).toBe('auto_reply');
    expect(automatedKind({ subject: 'Kontaktformular: Depot kündigen', autoSubmitted: 'auto-generated' })).toBeUndefined();
    expect(automatedKind({ subject: 'Ihre Nachricht', autoSubmitted: 'no' })).toBeUndefined();
  });

  it("leaves a person's email a person's: a reply to an automatic answer, a letter or card that did not arrive", () => {
    for (const subject of [
      'AW: Automatische Antwort: Ihre Anfrage',
      'Re: Out of Office: Sparplan',
      'Zustellung fehlgeschlagen – neue Karte nicht angekommen',
      'Delivery failure of my new debit card',
      'Abwesenheit im Dezember: bitte Post aufbewahren',
      'Ich bin nicht im Büro, bitte rufen Sie später an',
      'Readme: Steuerbescheinigung',
      'Nicht zustellbar: Brief an meine alte Adresse',
      'Returned mail: my statement letter came back',
      'Auto: Kfz-Versicherung abbuchen',
      'Delivery failure: my new card',
      '',
    ]) {
      expect(automatedKind({ subject, from: 'kunde@mail.example' }), subject).toBeUndefined();
    }
    expect(automatedKind({ from: 'postmaster.fan@mail.example' })).toBeUndefined();
    // The address decides, not the name shown.
    expect(automatedKind({ from: '"postmaster@old.example" <kunde@new.example>' })).toBeUndefined();
    expect(automatedKind({ from: 'Mail System <postmaster@mx.example>' })).toBe('delivery_failure');
    expect(automatedKind({})).toBeUndefined();
  });

  it('reads null fields as absent, as predict takes them', () => {
    expect(automatedKind({ subject: null, from: null, autoSubmitted: null } as never)).toBeUndefined();
  });
});
