import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Tax ids, IBANs and card numbers that masking once left as written: a tax id with dots, with words on whose it is
// between keyword and value, after `Identifikations-Nr.`; IBANs and cards split by slashes, underscores, commas or runs
// of blanks, an IBAN with a word glued on. Each case with the ordinary text next to it that must keep its digits.

/** Amounts, dates, securities and order numbers that no new separator or keyword form may take. */
const ORDINARY = [
  'Freistellungsauftrag über 801 Euro',
  '1.000, 2.000, 3.000 Euro',
  '4111 Euro, 1111 Euro',
  'Beträge: 1.250.000,00, 2.500.000,00 Euro',
  'Umsätze: 4111,00 1111,50 2222,75 3333,20',
  'ISIN DE0005140008, WKN 514000',
  'Bestellnummer 4711-0815-2024',
  'Termin am 12.03.2024, Preis 12,50 EUR',
];

describe('tax ids after their keyword', () => {
  it('masks a tax id written with dots between its groups, not a date or an amount so written', () => {
    expectMasked([
      ['Steuer-ID: 12.345.678.901', 'Steuer-ID: [TAX_ID]'],
      ['Meine Steuer-ID lautet 12.345.678.901.', 'Meine Steuer-ID lautet [TAX_ID].'],
    ]);
    expectKept(['Steuer-ID: 12.03.2024', 'Steuer-ID am 12.03.2024 beantragt', 'Steuer-ID für 1.234.567.890 Euro', ...ORDINARY]);
  });

  it('masks a tax id with a few words on whose it is between keyword and value, and every value of such a list', () => {
    expectMasked([
      ['Steuer-IDs: ich 12 345 678 901, mein Mann 98 765 432 109.', 'Steuer-IDs: ich [TAX_ID], mein Mann [TAX_ID].'],
      ['Steuer-ID mein Mann: 98765432109', 'Steuer-ID mein Mann: [TAX_ID]'],
      ['Steuer-IDs: ich 12345678901 und meine Frau: 98765432109', 'Steuer-IDs: ich [TAX_ID] und meine Frau: [TAX_ID]'],
      ['Steuer-ID für meinen Sohn 12345678901', 'Steuer-ID für meinen Sohn [TAX_ID]'],
      ['Steuer-IDs: Ehemann 12345678901, Ehefrau 98765432109', 'Steuer-IDs: Ehemann [TAX_ID], Ehefrau [TAX_ID]'],
      ["Tax IDs: mine 12345678901, my wife's 98765432109", "Tax IDs: mine [TAX_ID], my wife's [TAX_ID]"],
      ["Tax ID my husband's: 12345678901", "Tax ID my husband's: [TAX_ID]"],
    ]);
    // A name that holds `tin` names no tax id; what follows a list is not in it.
    expectKept(['Martin: ich 12345678901', 'Steuer-ID: ich 12 Monate', ...ORDINARY]);
    expect(redactPii('Steuer-IDs: ich 12345678901, mein Mann 98765432109, Postfach 12345 Berlin').text).toBe(
      'Steuer-IDs: ich [TAX_ID], mein Mann [TAX_ID], Postfach 12345 Berlin',
    );
  });

  it('masks a tax id after `Identifikations-Nr.`, `Steuer-Ident-Nr.`, `Steuer-ID-Nr.` and `Identifikationsnr.`', () => {
    expectMasked([
      ['Identifikations-Nr. 12345678901', 'Identifikations-Nr. [TAX_ID]'],
      ['Steuer-Ident-Nr. 12345678901', 'Steuer-Ident-Nr. [TAX_ID]'],
      ['Steuer-ID-Nr.: 12345678901', 'Steuer-ID-Nr.: [TAX_ID]'],
      ['Identifikationsnr. 12 345 678 901', 'Identifikationsnr. [TAX_ID]'],
    ]);
    expectKept(ORDINARY);
  });
});

describe('IBANs with other separators between their groups', () => {
  it('masks an IBAN split by slashes, commas or underscores, with or without its keyword, only with a valid checksum', () => {
    expectMasked([
      ['IBAN DE89/3704/0044/0532/0130/00', 'IBAN [IBAN]'],
      ['IBAN DE89,3704,0044,0532,0130,00', 'IBAN [IBAN]'],
      ['IBAN DE89_3704_0044_0532_0130_00', 'IBAN [IBAN]'],
      ['bitte auf DE89/3704/0044/0532/0130/00 überweisen', 'bitte auf [IBAN] überweisen'],
      // After its keyword a mistyped one too, as with blanks.
      ['IBAN DE89/3704/0044/0532/0130/0', 'IBAN [IBAN]'],
      ['IBAN DE89_3704_0044_0532_0130_0 bitte', 'IBAN [IBAN] bitte'],
    ]);
    // Without its keyword, a checksum that fails keeps it: no account shape alone is enough with these separators.
    expectKept(['DE89/3704/0044/0532/0130/01', 'DE89,3704,0044,0532,0130,01', ...ORDINARY]);
  });

  it('masks an IBAN whose groups four to eight blanks or tabs split, as Outlook writes `&nbsp;` runs', () => {
    expectMasked([
      ['IBAN DE89    3704 0044 0532 0130 00', 'IBAN [IBAN]'],
      ['DE89        3704        0044        0532        0130        00', '[IBAN]'],
      ['IBAN DE89\t\t\t\t3704\t\t\t\t0044\t\t\t\t0532\t\t\t\t0130\t\t\t\t00', 'IBAN [IBAN]'],
      ['IBAN DE89    3704 0044 0532 0130 0', 'IBAN [IBAN]'],
    ]);
    const nbsp = '&nbsp;&nbsp;&nbsp;&nbsp;';
    const { text } = cleanEmail({ html: `<p>Meine IBAN: DE89${nbsp}3704${nbsp}0044${nbsp}0532${nbsp}0130${nbsp}00</p>` });
    expect(text).toContain('[IBAN]');
    expect(text).not.toMatch(/3704|0130/);
    expectKept(['DE89    3704    0044    0532    0130    01', ...ORDINARY]);
  });

  it('masks an IBAN with a word glued on after it when its checksum is valid; the word stays', () => {
    expectMasked([
      ['IBAN: DE89370400440532013000Danke', 'IBAN: [IBAN]Danke'],
      ['DE89370400440532013000Mitfreundlichengrüßen', '[IBAN]Mitfreundlichengrüßen'],
    ]);
    expectKept(['DE89370400440532013001Danke', 'ISIN DE0005140008Aktie', ...ORDINARY]);
  });
});

describe('card numbers with other separators between their groups', () => {
  it('masks a card in groups of four split by slashes, commas or underscores, passing Luhn, with its expiry', () => {
    expectMasked([
      ['Karte 4111/1111/1111/1111 gesperrt?', 'Karte [CARD] gesperrt?'],
      ['4111,1111,1111,1111', '[CARD]'],
      ['4111_1111_1111_1111', '[CARD]'],
      ['Amex 3782/822463/10005', 'Amex [CARD]'],
      ['4111/1111/1111/1111/1227', '[CARD]'],
    ]);
    // A list with a blank after each comma, failing Luhn, or named as another number: none.
    expectKept(['4111, 1111, 1111, 1111', '4111/1111/1111/1112', 'Order-ID 4111/1111/1111/1111', '4111/1111/1111/1111/12345', ...ORDINARY]);
  });

  it('masks a card whose groups runs of four to eight blanks or tabs split', () => {
    expectMasked([
      ['4111    1111    1111    1111', '[CARD]'],
      ['Kartennummer:    5500        0000        0000        0004', 'Kartennummer:    [CARD]'],
      ['4111\t\t\t\t1111\t\t\t\t1111\t\t\t\t1111', '[CARD]'],
    ]);
    const nbsp = '&nbsp;&nbsp;&nbsp;&nbsp;';
    const { text } = cleanEmail({ html: `<p>Karte 4111${nbsp}1111${nbsp}1111${nbsp}1111 gestohlen</p>` });
    expect(text).toContain('[CARD]');
    expect(text).not.toContain('1111');
    expectKept(['4111    1111    1111    1112', '2023    2024    2025    2026', ...ORDINARY]);
  });
});

describe('the new separators on long inputs', () => {
  // A pattern that backtracks over the separators, blanks or owner words these added runs for seconds: the test times out.
  it('masks a megabyte of separated groups, glued words and owner lists, placing each placeholder where its redaction says', () => {
    const fill = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const text of [
      fill('DE89/3704/'),
      fill('DE89        '),
      fill('DE89370400440532013000Danke '),
      fill('4111    '),
      fill('4111,1111,'),
      fill('4111/1111/1111/1111/'),
      fill('Steuer-IDs: ich '),
      `Steuer-IDs: ${fill('ich 12345678901, mein Mann ')}`,
      fill('Steuer-ID mein Mann meine Frau: 1 '),
      fill('IBAN DE89_3704_'),
    ]) {
      const r = redactPii(text);
      expect(r.redactions.filter((x) => r.text.slice(x.start, x.end) !== `[${x.type}]`)).toEqual([]);
    }
    expect(redactPii(`Steuer-IDs: ${fill('ich 12345678901, mein Mann ')}`).redactions.length).toBeGreaterThan(30_000);
  }, 30_000);
});
