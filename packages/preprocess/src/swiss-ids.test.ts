import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';
import { isValidAhv } from './swiss-ids.js';

// Swiss numbers a private bank's customers write: AHV/AVS numbers with or without a keyword in any of the country's
// languages, business ids (UID) with their keyword or VAT suffix, and a mobile number after `Natel`.

describe('isValidAhv', () => {
  it('checks 756 and the EAN-13 check digit', () => {
    expect(isValidAhv('7561234567897')).toBe(true);
    expect(isValidAhv('7569217076985')).toBe(true);
    expect(isValidAhv('7561234567890')).toBe(false); // check digit wrong
    expect(isValidAhv('7571234567896')).toBe(false); // not 756
    expect(isValidAhv('756123456789')).toBe(false);
    expect(isValidAhv('756123456789a')).toBe(false);
  });
});

describe('AHV/AVS numbers by their shape', () => {
  it('masks one without a keyword, or after an English, French or Italian one, dotted, in one or in blank-split groups', () => {
    expectMasked([
      ['My AHV number is 756.1234.5678.97', 'My AHV number is [SOCIAL_SECURITY]'],
      ['numéro AVS : 756.1234.5678.97', 'numéro AVS : [SOCIAL_SECURITY]'],
      ['il mio numero AVS è 756.1234.5678.97', 'il mio numero AVS è [SOCIAL_SECURITY]'],
      ['N° AVS 756.1234.5678.97', 'N° AVS [SOCIAL_SECURITY]'],
      ['Sozialversicherungsnummer (AHV) 756.1234.5678.97', 'Sozialversicherungsnummer (AHV) [SOCIAL_SECURITY]'],
      ['Bitte notieren: 756.1234.5678.97.', 'Bitte notieren: [SOCIAL_SECURITY].'],
      ['Meine Nummer 7561234567897 steht im Ausweis', 'Meine Nummer [SOCIAL_SECURITY] steht im Ausweis'],
      ['756 1234 5678 97', '[SOCIAL_SECURITY]'],
      [
        'Sozialversicherungsnummer 756.9217.0769.85 und die meiner Frau: 7569217076985',
        'Sozialversicherungsnummer [SOCIAL_SECURITY] und die meiner Frau: [SOCIAL_SECURITY]',
      ],
    ]);
    const { redactions } = redactPii('AHV 756.1234.5678.97, ma femme 7569217076985');
    expect(redactions.map((r) => r.type)).toEqual(['SOCIAL_SECURITY', 'SOCIAL_SECURITY']);
  });

  it('masks one written with dashes (or en dashes), with or without a keyword, as the dotted and blank-split ones', () => {
    expectMasked([
      ['756-1234-5678-97', '[SOCIAL_SECURITY]'],
      ['Meine AHV-Nummer ist 756-1234-5678-97, bitte speichern', 'Meine AHV-Nummer ist [SOCIAL_SECURITY], bitte speichern'],
      ['numéro AVS 756-9217-0769-85.', 'numéro AVS [SOCIAL_SECURITY].'],
      ['Nummer 756–1234–5678–97', 'Nummer [SOCIAL_SECURITY]'],
      ['756 1234 5678 97 und 756.9217.0769.85 und 7569217076985', '[SOCIAL_SECURITY] und [SOCIAL_SECURITY] und [SOCIAL_SECURITY]'],
      // After a German keyword a wrong check digit is still masked (a typo), dashed too.
      ['AHV-Nr. 756-1234-5678-90', 'AHV-Nr. [SOCIAL_SECURITY]'],
    ]);
    expectKept(['Bestellung 756-1234-5678-90', 'Teil 1-756-1234-5678-97', '756-1234-5678-97-12', '756-1234-5678-97a', '756-1234.5678-97']);
  });

  it('keeps a 756 number whose check digit is wrong, and one inside a longer number or a row of figures', () => {
    expectKept([
      'Bestellnummer 7561234567890 bitte',
      'Referenz 756.1234.5678.90',
      'Artikel 7561234567897123',
      'Code 1756.1234.5678.97',
      'Zeile 1.756.1234.5678.97',
      'Summe 756 1234 5678 97 12',
      'EAN 7612345678900',
    ]);
  });

  it('still masks one after a German keyword, a wrong check digit included (a typo is still the customer’s)', () => {
    expectMasked([
      ['AHV-Nr. 756.1234.5678.97', 'AHV-Nr. [SOCIAL_SECURITY]'],
      ['AHV-Nummer: 7561234567890', 'AHV-Nummer: [SOCIAL_SECURITY]'],
    ]);
  });
});

describe('Swiss business ids (UID) and Natel numbers', () => {
  it('masks a UID after its keyword or before its VAT suffix, as a VAT id is; a bare UID names a firm and stays', () => {
    expectMasked([
      ['UID CHE-123.456.789', 'UID [TAX_ID]'],
      ['UID: CHE123456789', 'UID: [TAX_ID]'],
      ['MWST-Nr. CHE-123.456.789', 'MWST-Nr. [TAX_ID]'],
      ['numéro IDE CHE-123.456.789', 'numéro IDE [TAX_ID]'],
      ['CHE-123.456.789 MWST', '[TAX_ID] MWST'],
      ['CHE-123.456.789 TVA', '[TAX_ID] TVA'],
      ['CHE-123.456.789 IVA', '[TAX_ID] IVA'],
    ]);
    expectKept(['Muster AG, CHE-123.456.789', 'Preis inkl. 8.1% MWST', 'MWST 8.1%', 'TVA 7,7 %', 'inkl. MWST CHF 100.00']);
  });

  it('masks a mobile number after Natel, also without its leading 0', () => {
    expectMasked([
      ['Natel: 79 123 45 67', 'Natel: [PHONE]'],
      ['Natel-Nr. 79 123 45 67', 'Natel-Nr. [PHONE]'],
      ['Tél. 22 123 45 67', 'Tél. [PHONE]'],
      ['numero di telefono 91 123 45 67', 'numero di telefono [PHONE]'],
      ['cellulare 79 123 45 67', 'cellulare [PHONE]'],
    ]);
  });

  it('leaves Swiss amounts, dates and percentages as they are, and masks IBANs and phones as before', () => {
    expectKept(["CHF 1'250.50", 'Fr. 500.–', "CHF 1'250'000.00", 'Termin am 06.12.2026', 'Zins 1.25 %', "Betrag CHF 1'250.50 am 06.12.2026, 7.7% MWST"]);
    expectMasked([
      ['IBAN CH93 0076 2011 6238 5295 7', 'IBAN [IBAN]'],
      ['Tel. +41 79 123 45 67', 'Tel. [PHONE]'],
      ['079 123 45 67', '[PHONE]'],
    ]);
  });
});
