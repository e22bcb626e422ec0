import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// IBANs grouped unevenly, with a typo in the check digits, or a character or two short or too long: masked whole in
// any context, with or without the word IBAN, so that no group of the account is left or taken for a phone number.

/** The places an IBAN stands in an email: alone, after its keyword, on a line of its own, after `Konto`, in a sentence. */
const CONTEXTS = ['{}', 'IBAN {}', 'IBAN: {}', 'Hallo,\n{}\nDanke', 'Konto {} bitte', 'Konto: {}.', 'Bitte auf {} überweisen.', 'Bankverbindung ({}), danke'];

/** Each IBAN in every context of CONTEXTS, masked as one [IBAN] with the context's words kept. */
function expectWholeEverywhere(ibans: readonly string[]): void {
  for (const iban of ibans) {
    for (const context of CONTEXTS) expect(redactPii(context.replace('{}', iban)).text, `${context} / ${iban}`).toBe(context.replace('{}', '[IBAN]'));
  }
}

describe('IBANs of countries whose account has letters, grouped unevenly', () => {
  it('masks GB, NL, IE, IT and FR IBANs in even and uneven groups whole, in every context', () => {
    expectWholeEverywhere([
      'GB29 NWBK 6016 1331 9268 19',
      'GB29 NWBK 601613 319268 19',
      'GB29 NWBK 60161331926819',
      'NL91 ABNA 0417 1643 00',
      'NL91 ABNA 041716 4300',
      'IE29 AIBK 9311 5212 3456 78',
      'IE29 AIBK 931152 123456 78',
      'IT60 X054 2811 1010 0000 0123 456',
      'IT60 X0542811101 000000123456',
      'FR14 2004 1010 0505 0001 3M02 606',
      'FR14 20041 01005 0500013M026 06',
    ]);
  });
});

describe('mistyped IBANs', () => {
  it('masks one whose check digits are wrong, in even or uneven groups, whole', () => {
    expectWholeEverywhere([
      'GB28 NWBK 6016 13 31 9268 19',
      'NL92 ABNA 0417 1643 00',
      'IE28 AIBK 931152 123456 78',
      'IT61 X054 2811 1010 0000 0123 456',
      'FR15 20041 01005 0500013M026 06',
      'DE88 370400 440532 013000',
      'DE88 37040044 0532013000',
      'de88 370400 440532 013000',
    ]);
  });

  it('masks one a character or two short or too long whole, with its last group (it was left, or read as a phone number)', () => {
    expectWholeEverywhere([
      'DE89 3704 0044 0532 0130 0',
      'DE89 3704 0044 0532 0130 000',
      'DE89 3704 0044 0532 0130 0000',
      'DE8937040044053201300',
      'de89 3704 0044 0532 0130 0',
      'GB29 NWBK 6016 1331 9268 1',
      'GB29NWBK6016133192681',
      'NL91 ABNA 0417 1643 0',
      'AT61 1904 3002 3457 320',
      'IT60 X054 2811 1010 0000 0123 45',
      'FR14 2004 1010 0505 0001 3M02 6067',
    ]);
  });

  it('finds an IBAN after groups of four that are none, and ends one before a code or word after it', () => {
    expectMasked([
      ['EU27 DE89 3704 0044 0532 0130 00', 'EU27 [IBAN]'],
      ['Ref AB12 UND DE89 3704 0044 0532 0130 00', 'Ref AB12 UND [IBAN]'],
      ['DE12 DE89 3704 0044 0532 0130 00', 'DE12 [IBAN]'],
      ['GB29 NWBK 601613 319268 19 BIC NWBKGB2L', '[IBAN] BIC NWBKGB2L'],
      ['DE89 3704 0044 0532 0130 0 EUR 500', '[IBAN] EUR 500'],
      ['FR14 2004 1010 0505 0001 3M02 60 EUR', '[IBAN] EUR'],
    ]);
    // Not a listed country, far from its length, or a phone number, an ISIN or a VAT id after a country code.
    expectKept(['XY89 3704 1044 1532 1130 1', 'DE89 3704 0044 05', 'ISIN DE0005140008 1234567890', 'FR 12 345 678 901', 'Tel DE 49 30 1234 5678', 'NL123456789B01']);
  });
});

describe('uneven IBAN candidates on long inputs', () => {
  // A pattern that backtracked over the groups, or a scan that looked again inside each candidate, would take seconds.
  it('masks a megabyte of uneven groups with capitals and country starts, placing each placeholder where its redaction says', () => {
    const fill = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const text of [fill('GB29 NWBK '), fill('EU27 '), `DE89 ${fill('AB12 ')}`, fill('DE89 1 A '), fill('EU27 DE89 3704 '), fill('GB29 NWBK 601613 319268 1 ')]) {
      const r = redactPii(text);
      expect(r.redactions.filter((x) => r.text.slice(x.start, x.end) !== `[${x.type}]`)).toEqual([]);
    }
    expect(redactPii(fill('GB29 NWBK 601613 319268 1 ')).redactions.length).toBeGreaterThan(10_000);
  }, 30_000);
});
