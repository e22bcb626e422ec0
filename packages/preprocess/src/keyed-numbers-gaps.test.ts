import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Numbers a keyword names that masking once missed: a value lined up in a column, account compounds, past and plural
// links, plural tax-id keywords. Each case with the ordinary text next to it that must keep its words.


describe('numbers a keyword names, lined up in a column', () => {
  it('masks a value after four or more spaces or tabs, as a form lines its values up', () => {
    expectMasked([
      ['Kundennummer:    1234567890', 'Kundennummer:    [ACCOUNT]'],
      ['Depotnummer:\t\t\t\t\t9876543210', 'Depotnummer:\t\t\t\t\t[ACCOUNT]'],
      ['Steuer-ID:       12345678901', 'Steuer-ID:       [TAX_ID]'],
      ['Geburtsdatum:    01.02.1980', 'Geburtsdatum:    [BIRTHDATE]'],
      ['Kundennummer    : 1234567890', 'Kundennummer    : [ACCOUNT]'],
      [`Steuer-Identifikationsnummer:${' '.repeat(40)}12345678901`, `Steuer-Identifikationsnummer:${' '.repeat(40)}[TAX_ID]`],
      ['Steuer-ID meiner Frau:          12345678901', 'Steuer-ID meiner Frau:          [TAX_ID]'],
      [
        'Kundennummer:    1234567890\nDepotnummer:     9876543210\nGeburtsdatum:    01.02.1980',
        'Kundennummer:    [ACCOUNT]\nDepotnummer:     [ACCOUNT]\nGeburtsdatum:    [BIRTHDATE]',
      ],
    ]);
    // Several &nbsp; between label and value, as an HTML form writes them.
    const { text } = cleanEmail({ html: '<p>Kundennummer:&nbsp;&nbsp;&nbsp;&nbsp;1234567890</p>' });
    expect(text).toContain('[ACCOUNT]');
    expect(text).not.toContain('1234567890');
    // Amounts, dates and counts in a column keep their digits; a number far from its keyword is no value of it.
    expectKept(['Betrag:        1.234,56 EUR', 'Datum:         01.02.2026', 'Menge:         100 Stück', `Kundennummer${' '.repeat(60)}1234567890`]);
  });
});

describe('account keywords', () => {
  it('masks the number after any compound ending in Konto or Depot, a customer master number and the typo Kundenummer', () => {
    expectMasked([
      ['Depotkonto 1234567890', 'Depotkonto [ACCOUNT]'],
      ['Kundenkonto 2345678901', 'Kundenkonto [ACCOUNT]'],
      ['Gemeinschaftskonto 3456789012', 'Gemeinschaftskonto [ACCOUNT]'],
      ['Geschäftskonto 1234567890', 'Geschäftskonto [ACCOUNT]'],
      ['Wertpapierkonto 1234567890', 'Wertpapierkonto [ACCOUNT]'],
      ['Darlehenskonto 1234567890', 'Darlehenskonto [ACCOUNT]'],
      ['Bausparkonto 1234567890', 'Bausparkonto [ACCOUNT]'],
      ['Kreditkartenkonto 1234567890', 'Kreditkartenkonto [ACCOUNT]'],
      ['Kinderdepot 1234567', 'Kinderdepot [ACCOUNT]'],
      ['Gemeinschaftskontonummer: 1234567890', 'Gemeinschaftskontonummer: [ACCOUNT]'],
      ['Kundenstammnummer 1234567890', 'Kundenstammnummer [ACCOUNT]'],
      ['Kundenummer 4567890123', 'Kundenummer [ACCOUNT]'],
    ]);
    // As after `Konto` and `Depot`: a round number is an amount, six digits after a depot a WKN; `Skonto` is a discount.
    expectKept(['Gemeinschaftskonto 50000 anlegen', 'Kinderdepot 514000', 'Bausparkonto 25000 Euro', 'Skonto 12345 bis Freitag', 'Mein Konto ist gesperrt', 'Kontonummer ändern']);
  });

  it('masks the number that `Nr.` or `Nummer` names within three words after an account noun', () => {
    expectMasked([
      ['Mein Depot (Nr. 1234567890) bitte schließen.', 'Mein Depot (Nr. [ACCOUNT]) bitte schließen.'],
      ['mein Konto mit der Nummer 2345678901', 'mein Konto mit der Nummer [ACCOUNT]'],
      ['my account with the number 12345678', 'my account with the number [ACCOUNT]'],
    ]);
    // Four words between them, or a number word after other nouns, name no account.
    expectKept(['Konto bei der alten Bank Nummer 12345678', 'Die Rechnung mit der Nummer 12345678']);
  });
});

describe('links between a keyword and its value', () => {
  it('masks the values after `lauten`, `lautete`, `sind`, `war`, `waren`, `are`, `was`, `were`', () => {
    expectMasked([
      ['Unsere Depotnummern lauten 1234567890 und 2345678901', 'Unsere Depotnummern lauten [ACCOUNT] und [ACCOUNT]'],
      ['Meine alte Kundennummer lautete 3456789012.', 'Meine alte Kundennummer lautete [ACCOUNT].'],
      ['Die Kontonummern sind 12345678 und 23456789.', 'Die Kontonummern sind [ACCOUNT] und [ACCOUNT].'],
      ['Meine Kundennummer war 3456789012.', 'Meine Kundennummer war [ACCOUNT].'],
      ['Die Kontonummern waren 12345678 und 23456789.', 'Die Kontonummern waren [ACCOUNT] und [ACCOUNT].'],
      ['Our account numbers are 12345678 and 23456789.', 'Our account numbers are [ACCOUNT] and [ACCOUNT].'],
      ['My account number was 12345678', 'My account number was [ACCOUNT]'],
      ['the account numbers were 12345678 and 23456789', 'the account numbers were [ACCOUNT] and [ACCOUNT]'],
      ['Die Steuer-ID meiner Frau war 12345678901', 'Die Steuer-ID meiner Frau war [TAX_ID]'],
    ]);
    // An amount after a bare noun stays an amount.
    expectKept(['Mein Konto war 25000 Euro im Plus', 'Das Depot war 50000 wert']);
  });

  it('masks the value after a short remark in brackets before the colon', () => {
    expectMasked([
      ['Kundennummer (neu): 4567890123', 'Kundennummer (neu): [ACCOUNT]'],
      ['Kundennummer (alte Nummer): 1234567890', 'Kundennummer (alte Nummer): [ACCOUNT]'],
      ['Steuer-ID (Ehefrau): 12345678901', 'Steuer-ID (Ehefrau): [TAX_ID]'],
    ]);
    expectKept(['Kundenservice (neu): 1234567890', 'Konto (Stand 31.12.): 25000']);
  });
});

describe('tax ids in the plural', () => {
  it('masks every id of the list after a plural keyword or `Steuer-Identifikations-Nr.`', () => {
    expectMasked([
      ['Steuer-IDs: 12345678901 (ich), 98765432109 (meine Frau)', 'Steuer-IDs: [TAX_ID] (ich), [TAX_ID] (meine Frau)'],
      ['Steuernummern: 12/345/67890, 98/765/43210', 'Steuernummern: [TAX_ID], [TAX_ID]'],
      ['Steueridentifikationsnummern: 12345678901 und 98765432109', 'Steueridentifikationsnummern: [TAX_ID] und [TAX_ID]'],
      ['Tax IDs: 12345678901, 98765432109', 'Tax IDs: [TAX_ID], [TAX_ID]'],
      ['Steuer-Identifikations-Nr. 12345678901', 'Steuer-Identifikations-Nr. [TAX_ID]'],
    ]);
    // What follows the list is not in it.
    expectKept(['Steuer-IDs: siehe Anlage, 12345 Berlin']);
  });
});

describe('keyed numbers on long inputs', () => {
  // A pattern that backtracks over the blanks, remarks or words these added runs for seconds: the test times out.
  it('masks a megabyte of column-aligned keywords, remarks and account nouns, placing each placeholder where its redaction says', () => {
    const fill = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const text of [
      fill(`Kundennummer:${' '.repeat(40)}1234567890 `),
      fill(`Kundennummer${' '.repeat(40)}123 `),
      fill('Kundennummer (neu): 1234567890 '),
      fill('(aaaa) 123 '),
      fill('Konto a b c Nr. 1234567890 '),
      fill('Depotnummern lauten 1234567890 und '),
      fill('für a waren 123 '),
      fill(`a:${' '.repeat(39)}123 `),
    ]) {
      const r = redactPii(text);
      expect(r.redactions.filter((x) => r.text.slice(x.start, x.end) !== `[${x.type}]`)).toEqual([]);
    }
    expect(redactPii(fill(`Kundennummer:${' '.repeat(40)}1234567890 `)).redactions.length).toBeGreaterThan(10_000);
  }, 30_000);
});

describe('keywords and values a mail-quality review found unmasked', () => {
  it("masks a mandate's, a portfolio's, a Swiss partner or master number and an insurance claim's", () => {
    expectMasked([
      ['Mandatsnummer 1234567', 'Mandatsnummer [ACCOUNT]'],
      ['Mandat-Nr. 1234567', 'Mandat-Nr. [ACCOUNT]'],
      ['Mandats-Nr. 1234567', 'Mandats-Nr. [ACCOUNT]'],
      ['Portfolio-Nr. 1234567', 'Portfolio-Nr. [ACCOUNT]'],
      ['Portfolionummer: 1234567', 'Portfolionummer: [ACCOUNT]'],
      ['Partnernummer 1234567', 'Partnernummer [ACCOUNT]'],
      ['Stammnummer 1234567', 'Stammnummer [ACCOUNT]'],
      // Its leading 0 made it a phone number.
      ['Schadennummer 01234567', 'Schadennummer [ACCOUNT]'],
      ['Schaden-Nr. 01234567', 'Schaden-Nr. [ACCOUNT]'],
    ]);
    expectKept(['Das Mandat läuft seit 2019.', 'Mandat 2500000 Volumen', 'Der Schaden beträgt 12345 EUR.']);
  });

  it('masks digits grouped in thousands after a number keyword, and a Swiss account with its suffix', () => {
    expectMasked([
      ['Kundennummer 12.345.678', 'Kundennummer [ACCOUNT]'],
      ["Konto-Nr. 12'345'678", 'Konto-Nr. [ACCOUNT]'],
      ['Kundennummern 12.345.678 und 23.456.789', 'Kundennummern [ACCOUNT] und [ACCOUNT]'],
      ['Konto-Nr. 235-123456.01C', 'Konto-Nr. [ACCOUNT]'],
      ['Konto 0235-00123456.01A', 'Konto [ACCOUNT]'],
    ]);
    // Amounts stay: decimals, a Swiss amount's `.–`, one or two groups, and any grouped digits after a bare noun.
    expectKept([
      'Konto 1.000,00 EUR überwiesen',
      "Auf Konto 1'250'000.– eingegangen",
      "Konto 1'234'567.– eingegangen",
      "Konto 1'234'567.50 eingegangen",
      'Konto 1.234.567 Guthaben',
      "Konto 12'345'678",
      'Kundennummer 12.03.1980',
      'Konto 12.345,67',
      'Depot DE0005140008 und WKN 514000',
      'Bestellnummer 1.234.567',
    ]);
  });

  it('masks a birth date whose keyword has whose or what for after it, a WhatsApp number and a card code with words between', () => {
    expectMasked([
      ['Date of birth for verification: 12.03.1980', 'Date of birth for verification: [BIRTHDATE]'],
      ['Geburtsdatum Ehemann: 12.03.1980', 'Geburtsdatum Ehemann: [BIRTHDATE]'],
      ['Geburtsdatum zwecks Legitimation: 12.03.1980', 'Geburtsdatum zwecks Legitimation: [BIRTHDATE]'],
      ['Mein Geburtsdatum, falls nötig: 12.03.1980', 'Mein Geburtsdatum, falls nötig: [BIRTHDATE]'],
      ['WhatsApp: 4917123456789', 'WhatsApp: [PHONE]'],
      ['Die Prüfziffer auf der Rückseite ist 987', 'Die Prüfziffer auf der Rückseite ist [CVV]'],
    ]);
    // After a comma only a birth date's keyword: the words before a colon there say nothing of an account.
    expectKept(['Konto, Stand heute: 12345', 'Depot, Wert aktuell: 1234567', 'Auftrag vom 12.03.2024, Depot 514000']);
  });
});
