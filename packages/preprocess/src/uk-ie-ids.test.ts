import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';
import { isValidPps } from './uk-ie-ids.js';

// UK and Irish numbers a UK or Irish broker's customers write: National Insurance numbers with or without a keyword,
// Irish PPS numbers and Eircodes after theirs, a sort code with the account number after it. Every value is invented;
// the PPS numbers' check letters are computed.

describe('isValidPps', () => {
  it('checks the check letter, with a second letter counted (since 2013) or, for W, T and X, not (before)', () => {
    expect(isValidPps('8765432S')).toBe(true);
    expect(isValidPps('1234567FA')).toBe(true);
    expect(isValidPps('2468013JT')).toBe(true);
    expect(isValidPps('8765432SW')).toBe(true); // W counts as 0 either way
    expect(isValidPps('8765432A')).toBe(false);
    expect(isValidPps('3456789W')).toBe(false); // its check letter is U
    expect(isValidPps('876543S')).toBe(false);
    expect(isValidPps('8765432s')).toBe(false);
  });
});

describe('UK National Insurance numbers', () => {
  it('masks one by its shape: allocated prefix letters, six digits in one or in pairs, a suffix A-D', () => {
    expectMasked([
      ["It's NH 91 55 03 D. Thanks", "It's [SOCIAL_SECURITY]. Thanks"],
      ['My NI is RS 44 55 66 D. Can you check?', 'My NI is [SOCIAL_SECURITY]. Can you check?'],
      ['JT482917B', '[SOCIAL_SECURITY]'],
      ['JT 482917 B and JT 48 29 17B', '[SOCIAL_SECURITY] and [SOCIAL_SECURITY]'],
      [
        'Your app says my National Insurance Number is missing for the ISA application. It is PW 33 21 87 B.',
        'Your app says my National Insurance Number is missing for the ISA application. It is [SOCIAL_SECURITY].',
      ],
    ]);
    // Prefixes never allocated (first letter D, F, I, Q, U, V; second also O; BG, GB, NK, KN, TN, NT, ZZ), lower case,
    // a suffix after E, a company number then a word, a reference it is glued into, and a row of figures stay.
    expectKept([
      'QQ 12 34 56 C',
      'DA123456A',
      'AO123456A',
      'GB123456A',
      'ZZ 12 34 56 A',
      'jt482917b',
      'JT482917E',
      'Company number SC123456 A company',
      'Registered in England No. OC123456',
      'REF-AB123456C',
      'order #AB123456C',
      'JT4829170B',
      'Nino QQ123456C',
    ]);
  });

  it('masks one in any case and with any prefix, the suffix maybe left out, after NINO, NI or national insurance', () => {
    expectMasked([
      ['NINO JT 48 29 17 B', 'NINO [SOCIAL_SECURITY]'],
      ['the form rejects my NINO (QR 77 12 40 A).', 'the form rejects my NINO ([SOCIAL_SECURITY]).'],
      ['NI: jt482917b', 'NI: [SOCIAL_SECURITY]'],
      ['My NI is QQ 12 34 56 C', 'My NI is [SOCIAL_SECURITY]'],
      ['NI no: AB 12 34 56', 'NI no: [SOCIAL_SECURITY]'],
      ['national insurance: QQ 12 34 56 C', 'national insurance: [SOCIAL_SECURITY]'],
      ['NI number - QQ 12 34 56 C', 'NI number - [SOCIAL_SECURITY]'],
    ]);
    // `NI` for Northern Ireland, `Nino` as a name, and a word after a keyword stay.
    expectKept(['NI 2024 trip', 'Belfast BT1 2AB, NI', 'Nino QQ123456C', 'NINO missing', 'national insurance contributions 2024']);
  });
});

describe('Irish PPS numbers', () => {
  it('masks one after PPS, PPSN, PPS No., PPS number or personal public service number, any check letter', () => {
    expectMasked([
      ['PPS number: 8765432S', 'PPS number: [SOCIAL_SECURITY]'],
      ['PPSN 1234567FA', 'PPSN [SOCIAL_SECURITY]'],
      ['PPS No. 2468013JT', 'PPS No. [SOCIAL_SECURITY]'],
      ['His PPS number was 3456789W and his IBAN', 'His PPS number was [SOCIAL_SECURITY] and his IBAN'],
      ['My Irish PPSN was 8765432S.', 'My Irish PPSN was [SOCIAL_SECURITY].'],
      ['personal public service number (PPSN): 8765432 S', 'personal public service number (PPSN): [SOCIAL_SECURITY]'],
    ]);
    const { text } = cleanEmail({ html: '<table><tr><td>PPS No.</td><td>2468013JT</td></tr></table><p>Please open the account.</p>' });
    expect(text).toContain('PPS No. [SOCIAL_SECURITY]');
  });

  it('masks one with a right check letter elsewhere in a text that names PPS, and none by its shape in any other text', () => {
    expectMasked([
      [
        "Revenue need my PPS number on the account for the DIRT return. It's 8765432S. My wife's is 1234567FA.",
        "Revenue need my PPS number on the account for the DIRT return. It's [SOCIAL_SECURITY]. My wife's is [SOCIAL_SECURITY].",
      ],
      // A wrong check letter is an order's number, even in such a text.
      ['PPS: 8765432S, order 7654321A', 'PPS: [SOCIAL_SECURITY], order 7654321A'],
    ]);
    expectKept(['order 7654321A, ref 8765432S', 'Contract note 1234567FA attached', 'PPS 2024 review']);
  });
});

describe('Eircodes', () => {
  it('masks one after its keyword, as the address it names', () => {
    expectMasked([
      ['Eircode: D06 F2X8', 'Eircode: [ADDRESS]'],
      ['my eircode is P31KX62.', 'my eircode is [ADDRESS].'],
      ['Eir code D6W 1234', 'Eir code [ADDRESS]'],
    ]);
    const { text } = cleanEmail({ html: '<table><tr><td>Eircode</td><td>D06 F2X8</td></tr></table><p>Please open the account.</p>' });
    expect(text).toContain('Eircode [ADDRESS]');
    // By its shape alone a part or a model number passes: without the keyword it stays, as do words after it.
    expectKept(['V12 4000 engine', 'Parcel D06 F2X8', 'Eircode unknown', 'Eircode: B12 3456']);
  });
});

describe('a UK sort code with its account number, without a keyword', () => {
  it('masks three pairs of digits then eight digits, each as what it is', () => {
    expectMasked([
      ['hi can u send my cash balance to 20 45 87 41236587 asap', 'hi can u send my cash balance to [BANK_CODE] [ACCOUNT] asap'],
      ['Pay 20-45-87 41236587 please', 'Pay [BANK_CODE] [ACCOUNT] please'],
      ['sort code 20-45-87 41236587', 'sort code [BANK_CODE] [ACCOUNT]'],
    ]);
    expect(redactPii('to 20 45 87 41236587').redactions.map((r) => r.type)).toEqual(['BANK_CODE', 'ACCOUNT']);
    // A date with dashes then an order number, a row of figures, a number run on before or after, and fewer digits stay.
    expectKept(['Trade 14-02-25 10234567 BUY VOD.L', '10 20 30 12345678 40', '1.5 20 45 87 41236587', '20 45 87 4123658', '20 45 87 412365870', '12-34 56 12345678']);
  });
});

describe('the UK and Irish numbers on adversarial input', () => {
  it('masks a megabyte of keywords, prefixes and pairs of digits, placing each placeholder where its redaction says', () => {
    const fill = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const text of [
      fill('AB 12 34 56 '),
      fill('JT482917B'),
      fill('12 34 56 '),
      fill('12-34-56 1234567'),
      fill('NI number - '),
      fill('NI is AB'),
      fill('PPS 1234567A'),
      `PPS ${fill('8765432S ')}`,
      fill('Eircode D06 '),
      fill('national insurance is '),
    ]) {
      const r = redactPii(text);
      expect(r.redactions.filter((x) => r.text.slice(x.start, x.end) !== `[${x.type}]`)).toEqual([]);
    }
    expect(redactPii(fill('JT 48 29 17 B, ')).redactions.length).toBeGreaterThan(50_000);
  }, 30_000);
});
