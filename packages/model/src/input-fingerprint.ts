import { createHash } from 'node:crypto';
import type { Email } from '@mailroute/preprocess';
import { prepareModelInput, type ModelInput } from './model-input.js';

/**
 * Invented emails that touch each step of `prepareModelInput`: quoted replies in German and English, a
 * forward, signatures and disclaimers, an external-sender banner, HTML with CSS, and personal data of every kind masking knows (IBANs,
 * cards, phones, addresses, names, customer numbers, bank codes, VAT ids, secrets in links).
 */
const PROBES: readonly Email[] = [
  {
    subject: 'AW: Freistellungsauftrag ändern',
    body:
      'Guten Tag Frau Albers,\n\nbitte erhöhen Sie meinen Freistellungsauftrag auf 1.000 Euro. Meine Kundennummer ist 4711 0815, IBAN DE89 3704 0044 0532 0130 00.\n\n' +
      'Mit freundlichen Grüßen\nJonas Brandt\nLindenweg 12, 50667 Köln\nTel. 0221 123456\n\n' +
      'Am 03.11.2026 um 09:12 schrieb Kundenservice <service@bank.example>:\n> Sehr geehrter Herr Brandt,\n> wir benötigen noch Ihre Unterschrift.',
    bank: 'Rheinau Wertpapierbank',
  },
  {
    subject: 'Re: card blocked',
    body:
      'Hi,\n\nmy card 4111 1111 1111 1111 was blocked after I typed the wrong PIN. Please call me on +44 20 7946 0958.\n\nThanks,\nEmily Carter\n\n' +
      'On Mon, 2 Nov 2026 at 10:04, Support <support@bank.example> wrote:\n> Dear customer,\n> thank you for your message.\n\n' +
      'This e-mail may contain confidential information. If you are not the intended recipient, please notify the sender and delete it.',
  },
  {
    subject: 'WG: Depotübertrag',
    body:
      'Zur Info.\n\n---------- Weitergeleitete Nachricht ---------\nVon: Petra Lohmann <petra.lohmann@mail.example>\nDatum: 28. Oktober 2026\nBetreff: Depotübertrag\n\n' +
      'Hallo, ich möchte mein Depot (Depotnummer 7766554433) zur Nordhafen Bank übertragen. BLZ 370 400 44.\nGruß Petra',
  },
  {
    subject: 'Steuerbescheinigung 2025',
    html:
      '<html><head><style>p{font-family:Arial} .sig{color:#888}</style></head><body><p>Sehr geehrte Damen und Herren,</p>' +
      '<p>wo finde ich die Steuerbescheinigung f&uuml;r 2025? USt-IdNr. DE123456789.</p><p class="sig">Viele Gr&uuml;&szlig;e<br>Dr. Markus Vogel</p>' +
      '<blockquote>Sehr geehrter Herr Dr. Vogel, anbei Ihre Unterlagen.</blockquote></body></html>',
  },
  {
    subject: 'Login funktioniert nicht',
    body:
      'Hallo,\nseit dem Update komme ich nicht mehr ins Onlinebanking, die 2FA-App zeigt keinen Code. SMS-Code war 482913.\n' +
      'Link aus der Mail: https://bank.example/reset?token=9f8e7d6c5b4a&user=jbrandt\nPasswort: Sommer2026!\n\nGesendet von meinem iPhone',
  },
  {
    subject: 'Sparplan pausieren',
    body: 'Please pause my savings plan for ETF MSCI World (ISIN IE00B4L5Y983) from December.\n\nKind regards\nOliver Schmidt\nSort code 12-34-56, account 12345678',
    bank: 'Nordhafen Bank',
  },
  {
    // An external-sender banner over the writer's first line, a reply header on the writer's last line.
    subject: '[EXTERNAL] Re: card blocked at the ATM',
    body:
      'CAUTION: This email originated from outside of the organization.\nPlease verify the sender before clicking links or opening attachments.\n' +
      'My card was blocked at the ATM, please unblock it. On Tue, 3 Nov 2026 at 08:30, Support <support@bank.example> wrote:\n> Dear customer,\n> we have blocked your card.',
  },
  // A closing of thanks and greetings in one, and a question under the name.
  { body: 'Bitte senden Sie mir die Kontoauszüge für Oktober.\n\nVielen Dank und freundliche Grüße\nKarin Ulrich\nWann kommt meine neue Karte?' },
  { subject: 'Beschwerde', body: '' },
  { body: 'Überweisung an Hans Meier ist nicht angekommen!!! 2.500,00 EUR am 14.11.2026. Bitte sofort prüfen.\n\n-- \nHans-Peter Krüger\nMobil: +49 171 9876543' },
  // A subject with personal data; an indented block, a list of items, a web form's fields; Microsoft 365's tip; a help desk's marker.
  {
    subject: 'AW: Kündigung DE89 3704 0044 0532 0130 00',
    html:
      '<div>Some people who received this message don\'t often get email from kunde@mail.example. Learn why this is important</div>' +
      '<div>Bitte stornieren Sie diese Überweisung:</div><blockquote style="margin:0 0 0 40px;border:none;padding:0px"><div>Empfänger: Beispiel GmbH</div></blockquote>' +
      '<p>- Depot 1234567890 schließen</p><p>- Rückruf unter 0171 2345678</p><p><b>Kundennummer:</b></p><p>1234567890</p>',
  },
  // Word's HTML, its source wrapped inside a closing.
  {
    html: "<p class=MsoNormal>Bitte senden Sie mir eine Kopie\r\ndes Kreditvertrags zu.</p><p class=MsoNormal>Mit\r\nfreundlichen Grüßen</p><p class=MsoNormal>Hans-Jürgen Beispielmann</p>",
  },
  { body: 'Bitte Zählernummer 0012345678 prüfen. <br>Es eilt.\n\n##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##\n\nIhre Anfrage wurde aktualisiert.' },
];

/** The sha256 (first 16 hex digits) of what `prepare` makes of the probe emails. */
export function inputFingerprintOf(prepare: (email: Email) => ModelInput = prepareModelInput): string {
  const hash = createHash('sha256');
  for (const probe of PROBES) hash.update(`${JSON.stringify(prepare(probe))}\n`);
  return hash.digest('hex').slice(0, 16);
}

let current: string | undefined;

/**
 * How this version of mailroute turns an email into model input (cleaning, masking, forwards, language, meta
 * tokens), as one short hash: a model keeps the one it was trained under (`inputFingerprint` in its manifest),
 * so a model served by a version that cleans otherwise is told apart. It only sees what the probe emails
 * show: a change of cleaning that none of them touches goes unseen.
 */
export function inputFingerprint(): string {
  current ??= inputFingerprintOf();
  return current;
}

/**
 * What to warn of when a model's inputs are made otherwise now than in its training, or undefined when they
 * are made alike: its figures (and its confidences) were measured on other input.
 */
export function inputFingerprintNote(manifest: { modelId: string; inputFingerprint?: string }): string | undefined {
  const now = inputFingerprint();
  if (manifest.inputFingerprint === now) return undefined;
  const advice = 'its measured figures may not hold for the input it gets now: train it again on the same data and compare (`mailroute compare`) before relying on them';
  if (manifest.inputFingerprint === undefined) {
    return `model ${manifest.modelId} does not record how its training cleaned emails (trained by a mailroute from before it kept an input fingerprint); if an older version trained it, emails may be cleaned and masked otherwise now, and ${advice}`;
  }
  return `model ${manifest.modelId} was trained by a mailroute that cleaned and masked emails otherwise (input fingerprint ${manifest.inputFingerprint}, now ${now}): ${advice}`;
}
