import { describe, expect, it } from 'vitest';
import { isValidCodiceFiscale, isValidNir } from './fr-it-ids.js';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Italian and French numbers that a Swiss private bank's customers from over the border write without a keyword. Every
// value is invented: `MSTMRA85C52Z133O` is a Maria Muster born abroad (Z133), its check letter computed.

describe('isValidCodiceFiscale', () => {
  it('checks the shape, the day and the check letter, omocodia letters included', () => {
    expect(isValidCodiceFiscale('MSTMRA85C52Z133O')).toBe(true);
    expect(isValidCodiceFiscale('MSTMRA85C52Z13PK')).toBe(true); // the last digit as its omocodia letter (3 → P)
    expect(isValidCodiceFiscale('BNCLCU72E10H501A')).toBe(true);
    expect(isValidCodiceFiscale('MSTMRA85C52Z133A')).toBe(false); // check letter wrong
    expect(isValidCodiceFiscale('MSTMRA85F52Z133O')).toBe(false); // F is no month
    expect(isValidCodiceFiscale('MSTMRA85C35Z133O')).toBe(false); // day 35 is neither a man's nor a woman's
    expect(isValidCodiceFiscale('MSTMRA85C52Z133')).toBe(false);
  });
});

describe('isValidNir', () => {
  it('checks the key, 97 minus the number mod 97, with Corsica read as 19 and 18', () => {
    expect(isValidNir('185057800608491')).toBe(true);
    expect(isValidNir('185057800608436')).toBe(false);
    expect(isValidNir('290112A00412351')).toBe(true);
    expect(isValidNir('290112B00412378')).toBe(true);
    expect(isValidNir('290112B00412351')).toBe(false);
    expect(isValidNir('18505780060849')).toBe(false);
  });
});

describe('Italian tax codes (codice fiscale) by their shape', () => {
  it('masks one with a right check letter, with or without a keyword, in capitals or in lower case', () => {
    expectMasked([
      ['MSTMRA85C52Z133O', '[TAX_ID]'],
      ['Il mio codice fiscale è MSTMRA85C52Z133O.', 'Il mio codice fiscale è [TAX_ID].'],
      ['Codice fiscale: MSTMRA85C52Z13PK (omocodia)', 'Codice fiscale: [TAX_ID] (omocodia)'],
      ['Mein CF lautet BNCLCU72E10H501A, bitte ändern', 'Mein CF lautet [TAX_ID], bitte ändern'],
      ['cf: mstmra85c52z133o', 'cf: [TAX_ID]'],
    ]);
    expect(redactPii('CF MSTMRA85C52Z133O').redactions).toEqual([{ type: 'TAX_ID', start: 3, end: 11 }]);
  });

  it('keeps a 16-character token whose check letter is wrong, in mixed case, or inside a longer word', () => {
    expectKept([
      'Referenz MSTMRA85C52Z133A',
      'Artikel ABCDEF12A34B567C bestellt',
      'Token MstMra85C52Z133O',
      'XMSTMRA85C52Z133O',
      'MSTMRA85C52Z133OX',
      'MSTMRA85C52Z133O7',
      'Bestellung ABCDEF123456789X',
    ]);
  });
});

describe('French social security numbers (NIR) by their shape', () => {
  it('masks one with a right key, in one or in its blank-split groups, Corsica included', () => {
    expectMasked([
      ['Mon numéro de sécurité sociale : 1 85 05 78 006 084 91', 'Mon numéro de sécurité sociale : [SOCIAL_SECURITY]'],
      ['N° de sécu 185057800608491, merci', 'N° de sécu [SOCIAL_SECURITY], merci'],
      ['NIR 2 90 11 2A 004 123 51', 'NIR [SOCIAL_SECURITY]'],
      ['290112B00412378', '[SOCIAL_SECURITY]'],
    ]);
    expect(redactPii('sécu 1 85 05 78 006 084 91').redactions).toEqual([{ type: 'SOCIAL_SECURITY', start: 5, end: 22 }]);
  });

  it('keeps a 15-digit number whose key is wrong, or that is part of a longer number or a row of figures', () => {
    expectKept(['Auftrag 185057800608436', 'Nummer 3850578006084 91', '1185057800608491', '185057800608491.5', 'Zeile 1.185057800608491']);
    // Wrong key: no social security number, whatever else reads its groups.
    expect(redactPii('1 85 05 78 006 084 36').redactions.map((r) => r.type)).not.toContain('SOCIAL_SECURITY');
    expect(redactPii('Summe 1 85 05 78 006 084 91 12').redactions.map((r) => r.type)).not.toContain('SOCIAL_SECURITY');
  });

  it('is off with `ids`, as the other numbers found by their shape are', () => {
    expect(redactPii('185057800608491 MSTMRA85C52Z133O', { ids: false }).text).toBe('185057800608491 MSTMRA85C52Z133O');
  });
});
