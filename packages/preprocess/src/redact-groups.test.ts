import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';


describe('card, phone and IBAN groups split by two or three blanks or a tab', () => {
  it('masks them whole, and leaves amounts, dates and quantities so spaced alone', () => {
    expectMasked([
      ['Karte 4111  1111  1111  1111 sperren', 'Karte [CARD] sperren'],
      ['Karte 4111\t1111\t1111\t1111', 'Karte [CARD]'],
      ['Tel.  0171  1234567', 'Tel.  [PHONE]'],
      ['Rückruf unter 0171   1234567 bitte', 'Rückruf unter [PHONE] bitte'],
      ['IBAN DE89\t3704\t0044\t0532\t0130\t00', 'IBAN [IBAN]'],
      ['DE89   3704 0044 0532 0130 00', '[IBAN]'],
      ['03.12.2026  4111  1111  1111  1111  49,99 EUR', '03.12.2026  [CARD]  49,99 EUR'],
    ]);
    // Amounts, dates, times, quantities, postal codes, ISINs and WKNs so spaced stay.
    expectKept([
      '1.234,56  EUR',
      'EUR  2  500,00',
      'Nominal 5  000  000  000,00 EUR',
      'Am 03.11.2025  10:15 Uhr',
      'Zeitraum 01/2024  -  12/2024',
      'Datum\t01.02.2026\tBetrag\t1.200,00',
      'Menge  100  Stück',
      'PLZ 10115  Berlin',
      'Bitte kaufen Sie DE0005140008  1000 Stk SAP.',
      'ISIN\tDE0005140008\tWKN\t514000',
      'WKN 514000  100 Stück',
    ]);
  });

  it('keeps the blanks after a number out of its mask, before an amount, a quantity or a second number', () => {
    expectMasked([
      ['Tel.  0171  1234567  10:30 Uhr', 'Tel.  [PHONE]  10:30 Uhr'],
      ['0171  2345678  100 Stück', '[PHONE]  100 Stück'],
      ['Tel 030 1234567  0170 1234567', 'Tel [PHONE]  [PHONE]'],
    ]);
  });
});

describe('IBANs grouped unevenly', () => {
  it('masks one of its country’s length with a valid checksum, without the word IBAN', () => {
    expectMasked([
      ['Bitte auf DE89 370400440532013000 überweisen', 'Bitte auf [IBAN] überweisen'],
      ['Bitte auf DE89 37040044 0532013000 überweisen', 'Bitte auf [IBAN] überweisen'],
      ['Bitte auf DE89 3704 0044 0532 013000 überweisen', 'Bitte auf [IBAN] überweisen'],
      ['AT61 19043 00234573201', '[IBAN]'],
      ['Konto CH93 00762 011623852957.', 'Konto [IBAN].'],
      ['DE89 370400440532013000 0171 1234567', '[IBAN] [PHONE]'],
      ['Konto AB12 bei der DE89 370400440532013000', 'Konto AB12 bei der [IBAN]'],
    ]);
  });

  it('masks one failing its checksum (a typo), with or without the word IBAN, and leaves other codes alone', () => {
    expectMasked([
      ['IBAN DE89 37040044 0532013001 bitte', 'IBAN [IBAN] bitte'],
      ['Meine IBAN lautet: DE89 370400440532013001', 'Meine IBAN lautet: [IBAN]'],
      // Wrapped, so that the keyword's own rule took only the first line.
      ['IBAN DE89 3704 0044 05\n32 0130 01', 'IBAN [IBAN]'],
      ['IBAN: DE89 3704 0044 0532\n013001', 'IBAN: [IBAN]'],
    ]);
    // An ISIN and a number after it have a German IBAN's length, but `00` is never an IBAN's check number.
    expectKept(['DE0005140008 1234567890', 'ISIN DE0005140008 1234567890', 'Ref DE12 34567 890', 'Version DE12 345678', 'XY89 370400440532013000']);
    // Of its country's length and shape, it is an IBAN without the word too (iban-typos.test.ts).
    expect(redactPii('Bitte auf DE89 37040044 0532013001 überweisen').text).toBe('Bitte auf [IBAN] überweisen');
  });

  it('masks an IBAN wrapped inside a group whole, with no part of its account left', () => {
    expectMasked([
      ['IBAN lautet DE89 3704 0044 05\n32 0130 00', 'IBAN lautet [IBAN]'],
      ['Bitte auf DE89 3704 0044 05\n32 0130 00\nDanke', 'Bitte auf [IBAN]\nDanke'],
    ]);
  });
});

describe('cards with an expiry glued on or wrapped after a group', () => {
  it('masks the card number with `/MM`, `/MMYY` or `/MM/YY` glued on, its expiry (card-expiry.test.ts)', () => {
    expectMasked([
      ['Karte 4111111111111111/1227 bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Karte 4111111111111111/12 bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Card 4111111111111111/12/27', 'Card [CARD]'],
    ]);
    // Not before a slash and digits that are no month (a dashed number's next part), nor where the number is no card.
    expectKept(['Karte 4111111111111111/12345', 'Ref 1234567890123/12', 'Order 4111111111111111/1227', 'Rechnung 2026/01234567']);
  });

  it('masks a card wrapped onto the next line after a group, and leaves lists of four-digit numbers a line each', () => {
    expectMasked([
      ['Karte 4111 1111\n1111 1111 bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Karte 4111 1111 1111\n1111', 'Karte [CARD]'],
      ['Karte 4111 1111 1111 1111\n2026 gesperrt', 'Karte [CARD]\n2026 gesperrt'],
    ]);
    expectKept(['4000\n4711\n1234\n5678', 'Jahre 2024 2025\n2026 2027']);
  });
});

describe('email addresses with one blank at the @ or an apostrophe', () => {
  it('masks them before a known top-level domain', () => {
    expectMasked([
      ['Meine Mail: max.mustermann@ example.de', 'Meine Mail: [EMAIL]'],
      ['Meine Mail: max.mustermann @example.de bitte', 'Meine Mail: [EMAIL] bitte'],
      ["o'brien@example.ie", '[EMAIL]'],
      ["Mail an 'max@example.de'", "Mail an '[EMAIL]'"],
    ]);
    expectKept(['Treffen @ 10 Uhr', 'Preis @web', 'Kosten @ 5,00 EUR', 'ab @ cd.Netto', 'siehe @web.xyz']);
  });
});
