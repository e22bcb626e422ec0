import { describe, expect, it } from 'vitest';
import { isIsin } from './keyed-numbers.js';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';

/** Each text masked as given, with the default detectors. */
function expectMasked(cases: ReadonlyArray<readonly [text: string, masked: string]>): void {
  for (const [text, masked] of cases) expect(redactPii(text).text, text).toBe(masked);
}

describe('numbers a keyword names', () => {
  it('masks the value after `lautet:` and `ist:`', () => {
    expectMasked([
      ['Depotnummer lautet: 1234567890', 'Depotnummer lautet: [ACCOUNT]'],
      ['Meine Kundennummer ist: 1234567', 'Meine Kundennummer ist: [ACCOUNT]'],
      ['Steuer-ID lautet: 12345678901', 'Steuer-ID lautet: [TAX_ID]'],
      ['Geburtsdatum lautet: 12.03.1980', 'Geburtsdatum lautet: [BIRTHDATE]'],
      ['Kartennummer lautet: 4111 1111 1111 1112', 'Kartennummer lautet: [CARD]'],
      ['Meine Handynummer lautet : 123 456 789', 'Meine Handynummer lautet : [PHONE]'],
    ]);
  });

  it('masks the value after `ist der`, `ist die` and `is the`, and only after a keyword', () => {
    expectMasked([
      ['Mein Geburtsdatum ist der 12. März 1975.', 'Mein Geburtsdatum ist der [BIRTHDATE].'],
      ['Meine Kontonummer ist die 4455667788.', 'Meine Kontonummer ist die [ACCOUNT].'],
      ['my date of birth is the 3rd March 1980', 'my date of birth is the [BIRTHDATE]'],
      // No keyword before the article: a date in prose.
      ['Der Termin ist der 12.03.2026.', 'Der Termin ist der 12.03.2026.'],
      ['Das ist der 12. März 1975.', 'Das ist der 12. März 1975.'],
    ]);
  });

  it('masks a loan\'s or a direct debit\'s reference as an account, not as a phone number for its leading 0 (the model read `phone`)', () => {
    expectMasked([
      ['Mandatsreferenz 000123456789', 'Mandatsreferenz [ACCOUNT]'],
      ['Bitte Kreditvertrag 0045678901 kündigen', 'Bitte Kreditvertrag [ACCOUNT] kündigen'],
      ['Darlehen Nr. 0045678901', 'Darlehen Nr. [ACCOUNT]'],
      ['Darlehensnummer: 0045678901', 'Darlehensnummer: [ACCOUNT]'],
      ['Kreditvertragsnummer 0045678901', 'Kreditvertragsnummer [ACCOUNT]'],
      // No number keyword: an amount stays, and a bare `Darlehen` names no reference.
      ['Kredit über 5000 Euro', 'Kredit über 5000 Euro'],
    ]);
  });

  it('masks a customer id, and a value on the line after its keyword', () => {
    expectMasked([
      ['Kunden-ID: 12345678', 'Kunden-ID: [ACCOUNT]'],
      ['Kunden ID 12345678', 'Kunden ID [ACCOUNT]'],
      ['Depotnummer:\n1234567890', 'Depotnummer:\n[ACCOUNT]'],
      ['Kundennr.:\r\n12345678', 'Kundennr.:\r\n[ACCOUNT]'],
      ['Steuer-ID\n12345678901', 'Steuer-ID\n[TAX_ID]'],
    ]);
    // Not over a blank line: the number there is another paragraph's.
    expect(redactPii('Bitte mein Depot\n\n1234567890 prüfen').text).toBe('Bitte mein Depot\n\n1234567890 prüfen');
    // But over one after a label's `:`: a web form's field and value, each in its own <p> (HTML audit).
    expectMasked([
      ['Kundennummer:\n\n1234567890', 'Kundennummer:\n\n[ACCOUNT]'],
      ['Geburtsdatum:\n\n12.03.1980', 'Geburtsdatum:\n\n[BIRTHDATE]'],
      ['Steuer-ID: \n\n12345678901', 'Steuer-ID: \n\n[TAX_ID]'],
    ]);
    expect(cleanEmail({ html: '<p><strong>Kundennummer:</strong></p><p>1234567890</p><p><strong>Geburtsdatum:</strong></p><p>12.03.1980</p>' }).text).toBe('Kundennummer:\n\n[ACCOUNT]\n\nGeburtsdatum:\n\n[BIRTHDATE]');
    // Two blank lines, or a blank line and no `:`, still part them.
    expect(redactPii('Kundennummer:\n\n\n1234567890').text).toBe('Kundennummer:\n\n\n1234567890');
  });

  it('masks the value after a bracket, `=` or a dash between blanks', () => {
    expectMasked([
      ['Depotnummer (1234567890)', 'Depotnummer ([ACCOUNT])'],
      ['Depotnummer = 1234567890', 'Depotnummer = [ACCOUNT]'],
      ['Depotnummer - 1234567890', 'Depotnummer - [ACCOUNT]'],
      ['Steuer-Identifikationsnummer (IdNr.): 12345678901', 'Steuer-Identifikationsnummer (IdNr.): [TAX_ID]'],
    ]);
  });

  it('masks every value of a list after one keyword', () => {
    expectMasked([
      ['Steuer-ID: 12345678901 (meine) und 98765432109 (Ehefrau)', 'Steuer-ID: [TAX_ID] (meine) und [TAX_ID] (Ehefrau)'],
      ['Depotnummern 1234567890 und 2345678901', 'Depotnummern [ACCOUNT] und [ACCOUNT]'],
      ['Kontonummern: 12345678, 87654321, 11223344', 'Kontonummern: [ACCOUNT], [ACCOUNT], [ACCOUNT]'],
    ]);
    // What follows a list is not in it: a postal code, an amount, a date, an ISIN.
    expectMasked([
      ['Konto 12345678, 10115 Berlin', 'Konto [ACCOUNT], 10115 Berlin'],
      ['Depot 1234567890 und 250000 EUR', 'Depot [ACCOUNT] und 250000 EUR'],
      ['Depot 1234567890, 12.03.2025 gekauft', 'Depot [ACCOUNT], 12.03.2025 gekauft'],
      ['Depot 1234567890 und DE0005140008', 'Depot [ACCOUNT] und DE0005140008'],
    ]);
  });

  it('masks a shorter value that ends the list or has another after it, as its keyword takes it alone', () => {
    expectMasked([
      ['Kontonummern: 12345678, 23456789 und 34567', 'Kontonummern: [ACCOUNT], [ACCOUNT] und [ACCOUNT]'],
      ['Kundennummern 1234567, 34567 und 2345678.', 'Kundennummern [ACCOUNT], [ACCOUNT] und [ACCOUNT].'],
      ['Kontonummern 12345678 oder 34567;\nDanke', 'Kontonummern [ACCOUNT] oder [ACCOUNT];\nDanke'],
    ]);
    // Text after it (a town, an amount, a word), a round number, fewer digits than a depot noun takes, a tax id's length.
    expectMasked([
      ['Konto 12345678 und 10115 Berlin', 'Konto [ACCOUNT] und 10115 Berlin'],
      ['Kundennummern 1234567 und 54321 EUR', 'Kundennummern [ACCOUNT] und 54321 EUR'],
      ['Konto 12345678 und 12345 weitere', 'Konto [ACCOUNT] und 12345 weitere'],
      ['Kundennummern 1234567 und 50000.', 'Kundennummern [ACCOUNT] und 50000.'],
      ['Depot 1234567890 und 12345.', 'Depot [ACCOUNT] und 12345.'],
      ['Steuer-ID: 12345678901 und 12345.', 'Steuer-ID: [TAX_ID] und 12345.'],
    ]);
  });

  it('masks a birth date written month first, as in the US, and one after `Geburtstag am`', () => {
    expectMasked([
      ['born on March 3, 1980', 'born on [BIRTHDATE]'],
      ['Date of birth: Mar 3rd, 1980, Kundennummer 1234567', 'Date of birth: [BIRTHDATE], Kundennummer [ACCOUNT]'],
      ['Mein Geburtstag am 03.03.1985 steht im Ausweis', 'Mein Geburtstag am [BIRTHDATE] steht im Ausweis'],
    ]);
    // A date so written with no birth keyword is a date.
    for (const text of ['Meeting on March 3, 2026 at 10', 'I was away in March 3, 1980 too']) expect(redactPii(text).text).toBe(text);
  });

  it("masks a birth date after the abbreviations of forms and CRMs, a format hint, or `geb. den`; a compact one too", () => {
    expectMasked([
      ['Geb.-Dat. 04.12.1986', 'Geb.-Dat. [BIRTHDATE]'],
      ['Geb.Dat.: 04.12.1986', 'Geb.Dat.: [BIRTHDATE]'],
      ['Geb. Datum: 04.12.1986', 'Geb. Datum: [BIRTHDATE]'],
      ['Geburtsdat.: 04.12.1986', 'Geburtsdat.: [BIRTHDATE]'],
      ['Max Muster, geb. den 04.12.1986', 'Max Muster, geb. den [BIRTHDATE]'],
      ['Geburtsdatum (TT.MM.JJJJ): 02.02.1990', 'Geburtsdatum (TT.MM.JJJJ): [BIRTHDATE]'],
      ['Date of birth (DD/MM/YYYY): 02/02/1990', 'Date of birth (DD/MM/YYYY): [BIRTHDATE]'],
      ['Birthday: 05.05.1975', 'Birthday: [BIRTHDATE]'],
      ['Geburtsdatum: 19861204', 'Geburtsdatum: [BIRTHDATE]'],
      ['Geburtsdatum 04121986', 'Geburtsdatum [BIRTHDATE]'],
    ]);
    // Dates, not birth dates: a form's date, a date in prose after `den`, a number that is no date.
    for (const text of ['Datum: 04.12.2026', 'Dat. 04.12.2026', 'Zahlung bis den 04.12.2026', 'Bitte ab den 04.12.2026 buchen', 'Geburtsdatum: 12345678']) expect(redactPii(text).text, text).toBe(text);
  });

  it('masks the value after a keyword with words on whose it is or what for, before a colon', () => {
    expectMasked([
      ['Steuer-ID für den Freistellungsauftrag: 12345678901', 'Steuer-ID für den Freistellungsauftrag: [TAX_ID]'],
      ['Die Steuer-ID meiner Frau: 12345678901', 'Die Steuer-ID meiner Frau: [TAX_ID]'],
      ['Depotnummer bei Ihnen: 1234567890', 'Depotnummer bei Ihnen: [ACCOUNT]'],
    ]);
    for (const text of ['Depot Wert aktuell: 250000', 'Bestellung für meine Frau: 1234567890', 'Kauf von ISIN: DE0005140008, WKN: 514000, 12,50 EUR']) {
      expect(redactPii(text).text).toBe(text);
    }
  });
});


const masked = (text: string) => redactPii(text).text;

describe('numbers a keyword names', () => {
  it('knows an ISIN by its check digit', () => {
    expect(isIsin('DE0005140008')).toBe(true);
    expect(isIsin('US0378331005')).toBe(true);
    expect(isIsin('DE000A0D9PT0')).toBe(true);
    expect(isIsin('DE0005140009')).toBe(false);
    expect(isIsin('DE00051400088')).toBe(false);
  });

  it('leaves ISINs and WKNs after Depot or Konto: securities, not accounts', () => {
    for (const text of ['in mein Depot DE0005140008 einbuchen', 'Depot US0378331005', 'im Depot 514000', 'Konto: DE0005140008']) expect(masked(text)).toBe(text);
  });

  it('leaves amounts after a bare noun: with a decimal fraction, round, or after Depot shorter than a depot number', () => {
    for (const text of ['Depot 12345,67', 'Konto: 12345,67 Guthaben', 'Depot 12345.67', 'Tagesgeldkonto 50000 anlegen', 'Girokonto 15000 Dispo', 'Mandat 2500000 Volumen', 'Konto 250000 überwiesen', 'Tagesgeldkonto 12500 anlegen', 'Depot 12345']) {
      expect(masked(text)).toBe(text);
    }
  });

  it('still masks account and depot numbers of their length, and any length after a number keyword', () => {
    const cases: Array<[string, string]> = [
      ['Depotnummer 1234567890, Kontonummer 1234567, Konto-Nr. 123456', 'Depotnummer [ACCOUNT], Kontonummer [ACCOUNT], Konto-Nr. [ACCOUNT]'],
      ['Depot-Nr. 514000, Kontonummer 50000, Depotnummer 12345', 'Depot-Nr. [ACCOUNT], Kontonummer [ACCOUNT], Depotnummer [ACCOUNT]'],
      ['mein Konto 897234, Depot 1234567, Girokonto 0532013000', 'mein Konto [ACCOUNT], Depot [ACCOUNT], Girokonto [ACCOUNT]'],
      ['Rechnungsfrage zu Konto 48321', 'Rechnungsfrage zu Konto [ACCOUNT]'],
      ['Account 12345, Account: 563822', 'Account [ACCOUNT], Account: [ACCOUNT]'],
    ];
    for (const [text, want] of cases) expect(masked(text)).toBe(want);
  });

  it('knows a keyword that ends with a digit', () => {
    expect(masked('CVV2 1234, CVC2: 123, cvv2 ist 987')).toBe('CVV2 [CVV], CVC2: [CVV], cvv2 ist [CVV]');
  });
  it('masks account numbers after Referenzkonto, Tagesgeldkonto Nr., Mandanten-, Versicherungs- and Policennummern, VAT ids and a mistyped IBAN after its keyword', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Referenzkonto 1234567890', 'Referenzkonto [ACCOUNT]'],
      ['Tagesgeldkonto Nr. 1234567890', 'Tagesgeldkonto Nr. [ACCOUNT]'],
      ['Mandantennummer 4455667', 'Mandantennummer [ACCOUNT]'],
      ['Police-Nr. 12345678', 'Police-Nr. [ACCOUNT]'],
      ['Versicherungsnummer 123456789', 'Versicherungsnummer [ACCOUNT]'],
      ['USt-IdNr. DE123456789', 'USt-IdNr. [TAX_ID]'],
      ['VAT no. GB123456789', 'VAT no. [TAX_ID]'],
      ['IBAN: DE89 3704 0044 0532 0130 0 (eine Ziffer fehlt)', 'IBAN: [IBAN] (eine Ziffer fehlt)'],
      ['Umsatzsteuer-ID: ATU12345678', 'Umsatzsteuer-ID: [TAX_ID]'],
      // Nothing glued after them is taken: a WKN, a date, a count.
      ['IBAN DE89 3704 0044 0532 0130 0 WKN 840400', 'IBAN [IBAN] WKN 840400'],
      ['neue IBAN: DE89 3704 0044 0532 0130 0 ab 01.01.2025', 'neue IBAN: [IBAN] ab 01.01.2025'],
      ['VAT: DE123456789 2 Stück', 'VAT: [TAX_ID] 2 Stück'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
    // Amounts after the new keywords stay; so does an IBAN keyword without one.
    for (const text of ['Tagesgeldkonto 25000 Euro', 'Referenzkonto 15000', 'IBAN DE12 bitte prüfen']) expect(redactPii(text).text).toBe(text);
  });

  it('masks phone numbers a keyword names with an area code in brackets or a (0) trunk, and keeps a count, a year, a range or a remark after them', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Tel.-Nr.: (0 69) 12 34 56', 'Tel.-Nr.: [PHONE]'],
      ['Tel. (069) 123456', 'Tel. [PHONE]'],
      ['Tel: 0049 (0)151 23456789', 'Tel: [PHONE]'],
      ['Rufnummer 069 123456 - 10 Uhr', 'Rufnummer [PHONE] - 10 Uhr'],
      ['Tel. 069 12345-67 ab 9:00', 'Tel. [PHONE] ab 9:00'],
      ['Telefon 069 123456 - 3 Versuche', 'Telefon [PHONE] - 3 Versuche'],
      ['Fax 069 12345 / 2 Seiten', 'Fax [PHONE] / 2 Seiten'],
      ['Tel. 069 123456 / 2024 Depot', 'Tel. [PHONE] / 2024 Depot'],
      ['Handy 0171 2345678 (3) verpasste Anrufe', 'Handy [PHONE] (3) verpasste Anrufe'],
      ['Tel 069/123456 (9-17)', 'Tel [PHONE] (9-17)'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
  });
  it('masks the value after a keyword with words on whose it is, before `lautet` or `ist` as before a colon', () => {
    expect(redactPii('Die Steuer-ID meiner Frau lautet 47 036 892 816.').text).toBe('Die Steuer-ID meiner Frau lautet [TAX_ID].');
    expect(redactPii('Die Depotnummer meines Sohnes ist 1234567890').text).toBe('Die Depotnummer meines Sohnes ist [ACCOUNT]');
    // Not after other words: an amount stays.
    for (const text of ['Der Depotwert meiner Frau ist 250000 Euro', 'Der Preis für die Aktie ist 150']) expect(redactPii(text).text).toBe(text);
  });
});
