import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Leaks a privacy review found: phone numbers whose groups runs of blanks split (Outlook's `&nbsp;` runs), birth dates
// after the genealogical star or after `geb` without its dot, and account-like numbers after keywords not known before.
// Each case with the ordinary text next to it that must keep its words.

const ORDINARY = [
  'Termin am 01.02.2026',
  'Auftrag vom 1.2.2026',
  '*) gilt ab 01.02.2026',
  '**Wichtig** 01.02.2026',
  'Preis* 01.02.2026 gültig',
  'Freistellungsauftrag über 801 Euro',
  'Depot 514000',
  'ISIN DE0005140008, WKN 514000',
  'Bestellnummer 4711-0815-2024',
  'Betrag 1.234,56 EUR am 01.02.2026',
];

describe('phone numbers whose groups runs of blanks split', () => {
  it('masks a number with four to eight blanks or tabs between its groups, after a keyword or a leading 0 or +; not other numbers so split', () => {
    expectMasked([
      ['erreichbar: 0171    1234567', 'erreichbar: [PHONE]'],
      ['Tel. 030    12345678', 'Tel. [PHONE]'],
      ['erreichbar: 0171\t\t\t\t1234567', 'erreichbar: [PHONE]'],
      ['Rückruf unter 0171        1234567 bitte', 'Rückruf unter [PHONE] bitte'],
      ['+49    171    1234567', '[PHONE]'],
      ['0171    1234567    0301234567', '[PHONE]    [PHONE]'],
      ['0171    1234567    100 Stück', '[PHONE]    100 Stück'],
    ]);
    const nbsp = '&nbsp;&nbsp;&nbsp;&nbsp;';
    const { text } = cleanEmail({ html: `<p>Bitte rufen Sie mich an: 0171${nbsp}1234567</p>` });
    expect(text).toContain('[PHONE]');
    expect(text).not.toContain('1234567');
    // Not a number a keyword names as no phone, an amount, one without a leading 0, one split by more than eight blanks,
    // nor an IBAN the IBAN detector leaves (its checksum fails).
    expectKept([
      'Auftragsnummer 0171    1234567',
      'Auftragsnummer 0171\t\t\t\t1234567',
      '5    000    000    000 EUR',
      '171    1234567',
      '0171         1234567',
      'DE89    3704    0044    0532    0130    01',
      'de89    3704    0044    0532    0130    01',
      ...ORDINARY,
    ]);
  });
});

describe('birth dates after the genealogical star or `geb` without its dot', () => {
  it('masks the date after a star that stands alone right before it', () => {
    expectMasked([
      ['Max Mustermann (*01.02.1980)', 'Max Mustermann (*[BIRTHDATE])'],
      ['Max Mustermann, * 01.02.1980 in Köln', 'Max Mustermann, * [BIRTHDATE] in Köln'],
      ['* 01.02.1980 in Köln', '* [BIRTHDATE] in Köln'],
      ['Max Mustermann\n*1.2.1980', 'Max Mustermann\n*[BIRTHDATE]'],
      ['Erblasser: Max Muster (* 12. März 1950, † 3. Mai 2025)', 'Erblasser: Max Muster (* [BIRTHDATE], † 3. Mai 2025)'],
    ]);
    // A footnote's or bold text's star, or a star glued on to a word, marks no birth; nor a star two blanks away.
    expectKept(['Fußnote*01.02.2026', 'Stand: 01.02.2026*', 'Max *  01.02.1980', ...ORDINARY]);
  });

  it('masks the date after `geb` with or without its dot and blank', () => {
    expectMasked([
      ['geb 1.2.1980', 'geb [BIRTHDATE]'],
      ['Max Muster, geb 01.02.1980, Köln', 'Max Muster, geb [BIRTHDATE], Köln'],
      ['Geb am 1.2.1980', 'Geb am [BIRTHDATE]'],
      ['geb. 1.2.1980', 'geb. [BIRTHDATE]'],
      ['geb.01.02.1980', 'geb.[BIRTHDATE]'],
    ]);
    // `Gebühr`, `Gebiet` and a date in words stay (a date written in words is not read).
    expectKept(['Gebühr 1.2.1980', 'Gebiet 01.02.1980', 'am ersten Februar 1980 geboren', ...ORDINARY]);
  });
});

describe('account-like numbers after more keywords', () => {
  it('masks a customer number after `kd nr` and its forms', () => {
    expectMasked([
      ['kd nr 1234567', 'kd nr [ACCOUNT]'],
      ['KD Nr. 1234567', 'KD Nr. [ACCOUNT]'],
      ['Knd. Nr. 1234567', 'Knd. Nr. [ACCOUNT]'],
      ['kd-nr 1234567', 'kd-nr [ACCOUNT]'],
      ['Kd.Nr. 1234567', 'Kd.Nr. [ACCOUNT]'],
    ]);
    expectKept(['kd nr 1234', 'k nr 1234567', ...ORDINARY]);
  });

  it('masks a building savings contract number, not its sum', () => {
    expectMasked([
      ['Bausparvertrag 12345678', 'Bausparvertrag [ACCOUNT]'],
      ['mein Bausparvertrag: 12345678 soll ruhen', 'mein Bausparvertrag: [ACCOUNT] soll ruhen'],
      ['Bausparvertrags-Nr. 12345678', 'Bausparvertrags-Nr. [ACCOUNT]'],
    ]);
    expectKept(['Bausparvertrag 50000', 'Bausparvertrag über 50000 Euro', 'Bausparvertrag 25000 EUR', ...ORDINARY]);
  });

  it('masks a health insurance number, a letter then nine digits, and a life insurance number', () => {
    expectMasked([
      ['Krankenversichertennummer A123456789', 'Krankenversichertennummer [ACCOUNT]'],
      ['KV-Nummer A123456789', 'KV-Nummer [ACCOUNT]'],
      ['KV-Nr.: A123456789', 'KV-Nr.: [ACCOUNT]'],
      ['Versichertennummer A123456789', 'Versichertennummer [ACCOUNT]'],
      ['Lebensversicherung Nr. 123456789', 'Lebensversicherung Nr. [ACCOUNT]'],
      ['Lebensversicherungsnummer 123456789', 'Lebensversicherungsnummer [ACCOUNT]'],
      ['LV-Nr. 123456789', 'LV-Nr. [ACCOUNT]'],
    ]);
    // A social security number keeps its own type; a life insurance's sum stays.
    expectMasked([['Rentenversicherungsnummer 12 010180 M 123', 'Rentenversicherungsnummer [SOCIAL_SECURITY]']]);
    expectKept(['Lebensversicherung 100000 Euro', 'Lebensversicherung über 50.000 EUR', ...ORDINARY]);
  });
});
