import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Numbers a keyword names as a UK, Irish or US customer of a broker writes them: bank details (`acc`, a bare `sort`,
// tax wrappers, a building society's roll number, a US routing number) and tax ids (`Unique Taxpayer Reference`,
// `ITIN`, an Irish PPS number after `Tax ID`). Each case with the fund names, amounts, tax years and references next to
// it that must keep their words and digits.

describe('UK bank details after their keyword', () => {
  it("masks an account number after a bare `acc`, as UK customers shorten `account`", () => {
    expectMasked([
      ['acc 41236587', 'acc [ACCOUNT]'],
      ['Acc: 41236587', 'Acc: [ACCOUNT]'],
      ['sort code 20-45-87 acc 41236587', 'sort code [BANK_CODE] acc [ACCOUNT]'],
      ['(sortcode 204587, acc 41236587)', '(sortcode [BANK_CODE], acc [ACCOUNT])'],
      ['acc. no. 41236587', 'acc. no. [ACCOUNT]'],
    ]);
    // A fund's accumulation class keeps its ISIN, round sums and units; an amount stays.
    expectKept([
      'Please switch £12,750.50 from Vanguard LifeStrategy 80% Equity Acc (GB00B4PQW151) into Fundsmith Equity I Acc (GB00B41YBW71).',
      'Fundsmith Equity I Acc 250000',
      'buy Acc 10432 units',
      'Equity Acc 1,250.00',
      'Acc 2024',
    ]);
  });

  it('masks a sort code after a bare `sort` only in its three groups, and one split by slashes after `sort code`', () => {
    expectMasked([
      ['the account no is 41236587 and the sort is 20-45-87.', 'the account no is [ACCOUNT] and the sort is [BANK_CODE].'],
      ['Sort: 20 45 87', 'Sort: [BANK_CODE]'],
      ['sort code 20/45/87', 'sort code [BANK_CODE]'],
    ]);
    expectKept(['sort 204587', 'sort by 12-03-25', 'sort code 20-00 00', 'sort 20-45-87-12', 'sort code 20/45/87/2025']);
  });

  it('masks the account number after a UK tax wrapper in capitals: ISA, GIA, SIPP, JISA', () => {
    expectMasked([
      ['my accounts (ISA 88120034 and GIA 88120035).', 'my accounts (ISA [ACCOUNT] and GIA [ACCOUNT]).'],
      ['SIPP 1234567', 'SIPP [ACCOUNT]'],
      ['JISA: 7654321', 'JISA: [ACCOUNT]'],
      ['ISA 88120034, 88120035', 'ISA [ACCOUNT], [ACCOUNT]'],
    ]);
    // Allowances, amounts and tax years stay, and so does `Isa`, a name.
    expectKept(['Use my ISA 2024/25 allowance', 'ISA 2024-2025', 'ISA 20,000', 'ISA 15750 left', 'ISA 20000', 'SIPP 2025', 'Isa 1234567', 'Junior ISA 18 today']);
  });

  it("masks a building society's roll number, with letters before it or a suffix after it", () => {
    expectMasked([
      ['to Nationwide, sort code 07-04-36, account no. 13579246, roll number 12345678-ABC.', 'to Nationwide, sort code [BANK_CODE], account no. [ACCOUNT], roll number [ACCOUNT].'],
      ['roll no. R1234567/8', 'roll no. [ACCOUNT]'],
      ['Roll Number: 123/456789/01', 'Roll Number: [ACCOUNT]'],
    ]);
    expectKept(['roll number 12', 'roll number unknown', 'roll number 2024/25']);
  });
});

describe('US bank and tax numbers after their keyword', () => {
  it('masks a routing number after ABA or routing (number), as the bank code it is, not as a phone number', () => {
    expectMasked([
      ['Chase Bank, ABA 121000358, Account # 000123456789', 'Chase Bank, ABA [BANK_CODE], Account # [ACCOUNT]'],
      ['my US bank routing number is 026009593, account 483920175', 'my US bank routing number is [BANK_CODE], account [ACCOUNT]'],
      ['routing number 021000021', 'routing number [BANK_CODE]'],
      ['Routing #: 021000021', 'Routing #: [BANK_CODE]'],
    ]);
    expect(redactPii('routing number 021000021').redactions.map((r) => r.type)).toEqual(['BANK_CODE']);
    expectKept(['routing 5 trades', 'ABA 2024', 'routing number 12345678901']);
  });

  it('masks a Unique Taxpayer Reference and an ITIN as tax ids, and an Irish PPS number after Tax ID', () => {
    expectMasked([
      ['Unique Taxpayer Reference: 1234567890', 'Unique Taxpayer Reference: [TAX_ID]'],
      ['my Unique Taxpayer Reference is 12345 67890 and', 'my Unique Taxpayer Reference is [TAX_ID] and'],
      ['taxpayer reference 1234567890', 'taxpayer reference [TAX_ID]'],
      ["I don't have a social security number, my ITIN is 912-78-4567.", "I don't have a social security number, my ITIN is [TAX_ID]."],
      ['Tax ID: 8765432S', 'Tax ID: [TAX_ID]'],
      ['tax reference 1234567FA', 'tax reference [TAX_ID]'],
    ]);
    expectKept(['ITIN 2024', 'Tax ID: 1234567', 'Tax ID: 8765432 shares']);
  });
});
