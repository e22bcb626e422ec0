import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { expectKept, expectMasked } from './redact-expect.js';
import { plainSpaces } from './spaces.js';

// Forms a fuzzing trial found masking left as written: control characters between a keyword and its value, an IBAN
// run into the word before it, and addresses with a quoted local part, `(ät)`, bracketed dots in the local part or a
// spaced dot after a spelled `at`. Each with the ordinary text beside it that must stay.

describe('control characters', () => {
  it('drops C0 controls and DEL, keeps tab and line breaks, and reads C1 controls as Windows-1252', () => {
    expect(plainSpaces('P\u0000I\u0000N\u0000 \u00001\u00002\u0001\u001f\u007f')).toBe('PIN 12');
    expect(plainSpaces('a\tb\nc\rd\fe\vf')).toBe('a\tb\nc\rd\fe\vf');
    expect(plainSpaces('100\u0080, \u0084Depot\u0093, don\u0092t \u0096 ok\u0081')).toBe('100€, „Depot“, don’t – ok');
  });

  it('masks a secret or a number that a control character parted from its keyword', () => {
    expectMasked([
      ['Mein Passwort\u0000: Geheim123!', 'Mein Passwort: [CREDENTIAL]'],
      ['PIN\u0000: 4711', 'PIN: [CREDENTIAL]'],
      ['Tel\u0007 0171 2345678', 'Tel [PHONE]'],
    ]);
    expect(cleanEmail({ body: 'Mein Passwort\u0000: Geheim123!\nDanke' }).text).toBe('Mein Passwort: [CREDENTIAL]\nDanke');
  });

  it('gives the model one word where a control character split it, in body and subject, and reads text of controls alone as empty', () => {
    const r = cleanEmail({ subject: 'Frei\u0000stellungs\u0001auftrag', body: 'Mein Frei\u0000stellungsauftrag fehlt.\u0000' });
    expect(r.text).toBe('Mein Freistellungsauftrag fehlt.');
    expect(r.subject).toBe('Freistellungsauftrag');
    expect(cleanEmail({ body: '\u0000\u0000\u0000' }).text).toBe('');
  });
});

describe('IBANs run into the word before them', () => {
  it('masks one with a valid checksum and its country\u2019s shape, in one piece or grouped; the word stays', () => {
    expectMasked([
      ['IBANDE89370400440532013000', 'IBAN[IBAN]'],
      ['KontonummerDE89 3704 0044 0532 0130 00 danke', 'Kontonummer[IBAN] danke'],
      ['xxDE89370400440532013000Danke', 'xx[IBAN]Danke'],
      ['KontoAT611904300234573201 und DE89370400440532013000', 'Konto[IBAN] und [IBAN]'],
    ]);
  });

  it('leaves a glued code with a failing checksum, of no country shape, or an ISIN', () => {
    expectKept(['IBANDE89370400440532013001', 'MusterAG12345678901234567', 'ISINDE0005190003', 'ArtikelDE12345', 'TypAB12CD34EF56GH78']);
  });
});

describe('addresses written to keep them from robots', () => {
  it('masks a quoted local part whole, on one line; not quoted words before a bare `@`', () => {
    expectMasked([
      ['Mail: "max mustermann"@example.com', 'Mail: [EMAIL]'],
      ['Zitat "ok" und "max"@example.com', 'Zitat "ok" und [EMAIL]'],
    ]);
    expectKept(['Er sagte "hallo"@home', 'Er sagte "hallo\nwelt"@example', '""@example.com']);
  });

  it('reads `(ät)` and `[ät]` as `(at)`', () => {
    expectMasked([
      ['max.mustermann(ät)web.de', '[EMAIL]'],
      ['Bitte an max.mustermann [ät] web [punkt] de', 'Bitte an [EMAIL]'],
    ]);
    expectKept(['Preis [ät] 5 Euro', 'Gerät (ät) Hause']);
  });

  it('masks a local part with bracketed dots whole', () => {
    expectMasked([['max [dot] mustermann [at] gmail [dot] com', '[EMAIL]']]);
  });

  it('masks a spelled `at` before a domain whose last dot stands between blanks; not prose so written', () => {
    expectMasked([
      ['max.mustermann at web . de', '[EMAIL]'],
      ['Schreiben Sie an anna at firma . de', 'Schreiben Sie an [EMAIL]'],
      ['anna at gmx . de', '[EMAIL]'],
    ]);
    expectKept(['we met at home . de', 'look at example . com', 'Anna at bank . de']);
  });
});

describe('phone numbers that words asking for a call name', () => {
  it('masks a number after `call me at`, `text us on`, `cell`, `erreichbar unter` or `rufen Sie mich unter`, grouped as written', () => {
    expectMasked([
      ['Call me at 212 555 0147', 'Call me at [PHONE]'],
      ['text us on 212 555 0147, thanks', 'text us on [PHONE], thanks'],
      ['My cell is 212 555 0147.', 'My cell is [PHONE].'],
      ['Ich bin erreichbar unter 123 456 789', 'Ich bin erreichbar unter [PHONE]'],
      ['rufen Sie mich bitte unter 0171 2345678 an', 'rufen Sie mich bitte unter [PHONE] an'],
      ['Sie erreichen mich tagsüber unter 01 5123456.', 'Sie erreichen mich tagsüber unter [PHONE].'],
      ['erreichbar: 01 234 56 78 (Wien)', 'erreichbar: [PHONE] (Wien)'],
    ]);
    expectKept(['Ich bin ab 10 Uhr erreichbar', 'erreichbar bis 31.12.2026']);
  });

  it('ends a number a keyword names before a month or a date after it, which a slash once joined to it, and keeps its last group before a currency that an amount follows', () => {
    expectMasked([
      ['Tel. 069-1643967 1/1990', 'Tel. [PHONE] 1/1990'],
      ['Tel. 123 456 12/2025', 'Tel. [PHONE] 12/2025'],
      ['Erreichbar unter 069-1643967 01.2026 bitte', 'Erreichbar unter [PHONE] 01.2026 bitte'],
      ['Tel. 0157/ 344 98 221', 'Tel. [PHONE]'],
      ['Tel. 0049 151 0065997 EUR 1,00', 'Tel. [PHONE] EUR 1,00'],
      ['Handy 0171 2345678 € 20', 'Handy [PHONE] € 20'],
    ]);
    expectKept(['Handy 100 000 EUR', 'Konto 25000 Euro']);
  });

  it('leaves times, addresses, dates, amounts and counts after `at`, `on` and `unter`', () => {
    expectKept(['Call me at 10 30 tomorrow', 'I met him at 212 Main Street', 'on 12 03 2025 we met', 'sold at 250 000 EUR', 'Kauf unter 100 000 Euro', 'Position on 123456 shares', 'the cell at 12345678']);
  });
});

// Found by a data-protection audit of realistic customer emails (each case beside ordinary text that must stay).
describe('a crypto wallet\u2019s recovery phrase and private key', () => {
  const phrase = 'witch collapse practice feed shame open despair creek road again ice least';

  it('masks the phrase after its keyword, on the line or the next, numbered or not; the keyword stays', () => {
    expectMasked([
      [`Seed-Phrase: ${phrase}`, 'Seed-Phrase: [CREDENTIAL]'],
      [`Meine Wiederherstellungsphrase lautet: ${phrase}`, 'Meine Wiederherstellungsphrase lautet: [CREDENTIAL]'],
      [`My seed phrase is:\n${phrase}\nPlease help`, 'My seed phrase is:\n[CREDENTIAL]\nPlease help'],
      [`Die Seed Phrase meiner Ledger Wallet ist\n${phrase.split(' ').map((w, i) => `${i + 1}. ${w}`).join(' ')}`, 'Die Seed Phrase meiner Ledger Wallet ist\n[CREDENTIAL]'],
      ['Mein Private Key: 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ', 'Mein Private Key: [CREDENTIAL]'],
    ]);
  });

  it('leaves the keyword used as a word, and fewer than twelve words', () => {
    expectKept(['Ich habe meine Seed-Phrase verloren, was nun?', 'Private key: not shared here', 'Seed phrase: witch collapse practice feed shame']);
  });
});

describe('secrets and logins in more phrasings', () => {
  it('masks a PIN or password on the line after its colon (one blank line between at most), but not words of a sentence there', () => {
    expectMasked([
      ['Meine PIN lautet:\n4711', 'Meine PIN lautet:\n[CREDENTIAL]'],
      ['PIN:\n\n4711', 'PIN:\n\n[CREDENTIAL]'],
      ['Passwort:\n\nSonne2024!', 'Passwort:\n\n[CREDENTIAL]'],
    ]);
    expectKept(['Passwort:\nHallo, ich habe es vergessen', 'Kennwort:\n\nHerzlichen Dank', 'PIN:\n\n\n4711']);
  });

  it('masks one-time codes, online-banking logins and German security answers after their keywords', () => {
    expectMasked([
      ['Ihr Sicherheitscode lautet 482913', 'Ihr Sicherheitscode lautet [CREDENTIAL]'],
      ['Der Bestätigungscode aus der SMS ist 482913.', 'Der Bestätigungscode aus der SMS ist [CREDENTIAL].'],
      ['Code aus der App: 482913', 'Code aus der App: [CREDENTIAL]'],
      ['Nutzer-ID: AS4711', 'Nutzer-ID: [CREDENTIAL]'],
      ['Kundenkennung AS4711', 'Kundenkennung [CREDENTIAL]'],
      ['Benutzer: anna_s', 'Benutzer: [CREDENTIAL]'],
      ['VR-NetKey: 12345678', 'VR-NetKey: [CREDENTIAL]'],
      ['Teilnehmernummer 123456789, Verfügernummer 1234567890', 'Teilnehmernummer [CREDENTIAL], Verfügernummer [CREDENTIAL]'],
      ['Online-Banking Kennung 9876543210', 'Online-Banking Kennung [CREDENTIAL]'],
      ['Mädchenname meiner Mutter: Kowalski', 'Mädchenname meiner Mutter: [CREDENTIAL]'],
      ['Antwort auf die Sicherheitsfrage: Bello', 'Antwort auf die Sicherheitsfrage: [CREDENTIAL]'],
      ['Die neue PIN ist die 4711.', 'Die neue PIN ist die [CREDENTIAL].'],
    ]);
    expectKept(['Der Benutzer ist gesperrt', 'Die Kennung des Auftrags ist unbekannt', 'Code aus der App funktioniert nicht', 'Sicherheitscode nicht erhalten']);
  });

  it('masks an Austrian savings book, health insurance and policy numbers, and a card number after `Kreditkarte` or `Karte` even failing Luhn', () => {
    expectMasked([
      ['Sparbuch Nr. 1234567890', 'Sparbuch Nr. [ACCOUNT]'],
      ['Meine Kontoverbindung: 532013000 / 37040044', 'Meine Kontoverbindung: [ACCOUNT] / [ACCOUNT]'],
      ['Krankenkassennummer A123456780', 'Krankenkassennummer [ACCOUNT]'],
      ['Meine Krankenversicherungsnummer A123456780', 'Meine Krankenversicherungsnummer [ACCOUNT]'],
      ['Kreditkarte 4111 1111 1111 1112', 'Kreditkarte [CARD]'],
      ['Meine Karte: 4111 1111 1111 111', 'Meine Karte: [CARD]'],
    ]);
    expectKept(['Karte 2 von 3', 'Karte seit 2019 gesperrt', 'Kreditkarte 5000 Euro Limit', 'Sparbuch mit 1500 Euro', 'Karte 1234 5678 bestellt']);
  });
});
