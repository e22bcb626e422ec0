import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Full-width forms (U+FF01-U+FF5E), the ideographic space U+3000 and Arabic-Indic digits, which East Asian and Arabic
// keyboards and some mobile clients type: the detectors read them as the ASCII they stand for, and the masks go over
// the characters as written.

/** `text` with its ASCII characters in full-width forms and its blanks as ideographic spaces. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
/** `text` with its digits as Arabic-Indic (U+0660-U+0669) or Extended Arabic-Indic (U+06F0-U+06F9) digits. */
const arabicIndic = (text: string, zero = 0x0660) => text.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));

describe('redactPii on full-width forms, ideographic spaces and Arabic-Indic digits', () => {
  it('masks card numbers in full-width or Arabic-Indic digits, or split by ideographic spaces', () => {
    expectMasked([
      ['Karte ４１１１ １１１１ １１１１ １１１１ bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Karte ٤١١١ ١١١١ ١١١١ ١١١١ bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Karte ۴۱۱۱ ۱۱۱۱ ۱۱۱۱ ۱۱۱۱ bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Karte 4111\u30001111\u30001111\u30001111 bitte sperren', 'Karte [CARD] bitte sperren'],
      ['Karte ４１１１\u3000１１１１\u3000１１１１\u3000１１１１／１２２７', 'Karte [CARD]'],
    ]);
  });

  it('masks an address with the small at sign or an East Asian full stop, and an IBAN whose country code has a Greek or Cyrillic look-alike', () => {
    expectMasked([
      ['Mail: max.mustermann\ufe6bexample.de', 'Mail: [EMAIL]'],
      ['Mail: max.mustermann@example\u3002de bitte', 'Mail: [EMAIL] bitte'],
      ['Mail: max.mustermann@example\uff61de', 'Mail: [EMAIL]'],
      ['IBAN: D\u039589 3704 0044 0532 0130 00', 'IBAN: [IBAN]'],
      ['IBAN: D\u041589 3704 0044 0532 0130 00', 'IBAN: [IBAN]'],
      ['IBAN: \u0392\u039571 0961 2345 6789', 'IBAN: [IBAN]'],
    ]);
    // Greek and Cyrillic words stay as they are: only capitals right before a number are read as Latin.
    expectKept(['Ελληνικά ΑΒΓ κείμενο 12', 'Счёт КАРТА 2025 года']);
  });

  it('masks IBANs, phone numbers (a full-width plus too) and email addresses (a full-width at sign too)', () => {
    expectMasked([
      ['IBAN ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００ danke', 'IBAN [IBAN] danke'],
      ['IBAN DE89\u30003704\u30000044\u30000532\u30000130\u300000 danke', 'IBAN [IBAN] danke'],
      ['IBAN DE٨٩ ٣٧٠٤ ٠٠٤٤ ٠٥٣٢ ٠١٣٠ ٠٠', 'IBAN [IBAN]'],
      ['Tel. ＋４９ １７０ １２３４５６７ bitte', 'Tel. [PHONE] bitte'],
      ['Rückruf unter ０１７１ ２３４５６７８', 'Rückruf unter [PHONE]'],
      ['Rückruf unter +٤٩ ١٧٠ ١٢٣٤٥٦٧', 'Rückruf unter [PHONE]'],
      ['Mail: max＠beispiel.de', 'Mail: [EMAIL]'],
      ['Mail: ｍａｘ＠ｂｅｉｓｐｉｅｌ．ｄｅ', 'Mail: [EMAIL]'],
      ['Kundennummer １２３４５６７８', 'Kundennummer [ACCOUNT]'],
      ['PIN ４７１１', 'PIN [CREDENTIAL]'],
    ]);
  });

  it('runs the Luhn and mod-97 checks on the digits read as ASCII: a number failing them stays', () => {
    expectMasked([
      ['IBAN ＭＴ８４ ＭＡＬＴ ０１１０ ０００１ ２３４５ ＭＴＬＣ ＡＳＴ０ ０１Ｓ', 'IBAN [IBAN]'],
      ['IBAN ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００', 'IBAN [IBAN]'],
    ]);
    // The same with a digit changed: Luhn fails, and mod-97 fails for an IBAN of no country whose shape alone masks it
    // (with no keyword before the card: after `Karte` a card number failing Luhn is masked as a mistyped one).
    expectKept(['Nummer ４１１１ １１１１ １１１１ １１１２ bitte', 'Nummer ٤١١١ ١١١١ ١١١١ ١١١٢ bitte']);
    expect(redactPii('IBAN ＭＴ８４ ＭＡＬＴ ０１１０ ０００１ ２３４５ ＭＴＬＣ ＡＳＴ０ ０１Ｔ').text).not.toContain('[IBAN]');
  });

  it('keeps the characters outside the masks as written, and places the placeholders in the text returned', () => {
    const r = redactPii('Ｋａｒｔｅ：４１１１ １１１１ １１１１ １１１１（ｇｅｓｐｅｒｒｔ）');
    expect(r.text).toBe('Ｋａｒｔｅ：[CARD]（ｇｅｓｐｅｒｒｔ）');
    expect(r.redactions).toEqual([{ type: 'CARD', start: 6, end: 12 }]);
    expectKept(['２０２６年１２月５日', '価格は１，２３４，５６７円です', 'Ｓｅｉｔｅ　１２']);
  });

  it('masks as the ASCII text is masked, with the separators that already read as blanks or nothing among them', () => {
    for (const text of [
      'Bitte IBAN DE89 3704 0044 0532 0130 00 und Karte 4111 1111 1111 1111 sperren, Tel. +49 170 1234567, max.muster@example.de',
      'Kundennummer 12345678, Steuer-ID 12345678901, Rückruf 030 1234567 ab 10:30, Betrag 1.234,56 EUR',
    ]) {
      const ascii = redactPii(text).redactions;
      expect(ascii.length).toBeGreaterThan(0);
      expect(redactPii(fullWidth(text)).redactions).toEqual(ascii);
      expect(redactPii(arabicIndic(text)).redactions).toEqual(ascii);
      expect(redactPii(arabicIndic(text, 0x06f0)).redactions).toEqual(ascii);
    }
    // No-break and thin spaces, zero-width characters, soft hyphens and direction marks between full-width digits.
    expectMasked([
      ['Karte ４１１１\u00a0１１１１\u2009１１１１\u200b１１１１', 'Karte [CARD]'],
      ['Karte ４１１１\u00ad１１１１\u00ad１１１１\u00ad１１１１', 'Karte [CARD]'],
      ['Tel. \u2066＋４９\u00a0１７０\u00a0１２３４５６７\u2069', 'Tel. [PHONE]'],
      ['IBAN ＤＥ８９\u00ad３７０４\u00ad００４４\u00ad０５３２\u00ad０１３０\u00ad００', 'IBAN [IBAN]'],
    ]);
  });

  it('masks them in cleanEmail, in the text and the subject', () => {
    const r = cleanEmail({
      subject: 'Karte ４１１１ １１１１ １１１１ １１１１',
      body: 'Hallo,\n\nmeine Karte ٤١١١\u3000١١١١\u3000١١١١\u3000١١١١ bitte sperren.\nMail: ｍａｘ＠ｂｅｉｓｐｉｅｌ．ｄｅ',
    });
    expect(r.text).toBe('Hallo,\n\nmeine Karte [CARD] bitte sperren.\nMail: [EMAIL]');
    expect(r.subject).toBe('Karte [CARD]');
    expect(r.redactions).toEqual([
      { type: 'CARD', start: 20, end: 26 },
      { type: 'EMAIL', start: 48, end: 55 },
      { type: 'CARD', start: 6, end: 12, part: 'subject' },
    ]);
  });
});
