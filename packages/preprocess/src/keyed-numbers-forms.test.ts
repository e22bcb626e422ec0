import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Customer, contract and savings plan numbers that masking once left: values with letters, short keyword forms, and
// values grouped by slashes. Each case with the ordinary text next to it that must keep its words.

describe('account values with letters', () => {
  it('masks a value with up to six letters before its digits, letters among them, or one after', () => {
    expectMasked([
      ['Kundennummer: ABCD1234567 bitte prüfen', 'Kundennummer: [ACCOUNT] bitte prüfen'],
      ['Kundennummer: abcd1234567', 'Kundennummer: [ACCOUNT]'],
      ['Kundennummer: ABCD1234567.', 'Kundennummer: [ACCOUNT].'],
      ['Customer ID: CUST-00012345', 'Customer ID: [ACCOUNT]'],
      ['Vertragsnummer: V-2024-001234', 'Vertragsnummer: [ACCOUNT]'],
      ['Kundennummer 12AB34CD56', 'Kundennummer [ACCOUNT]'],
      ['Kundennummer AB12CD345678', 'Kundennummer [ACCOUNT]'],
      ['Depotnummer 1234567X', 'Depotnummer [ACCOUNT]'],
    ]);
    // Fewer than five digits, a word of letters only, seven letters, a month, an ISIN.
    expectKept(['Kundennummer: ABCDEFGH', 'Kundennummer AB1234', 'Kundennummer 1A2B3C', 'Konto ABCDEFG-123456', 'Kundennummer: Mai 2025', 'Depot DE0005140008']);
  });

  it('masks digits grouped by slashes, but not a date written so', () => {
    expectMasked([
      ['Kunden-Nr.: 123/456/789', 'Kunden-Nr.: [ACCOUNT]'],
      ['Vertragsnummer 2024/123456', 'Vertragsnummer [ACCOUNT]'],
    ]);
    expectKept(['Konto 12/2025 ausgeglichen', 'Kundennummer seit 01/02/2025', 'Konto 3/2025']);
  });
});

describe('short and compound keywords of account numbers', () => {
  it('masks the number after KNr., Kd.-Nr., Knd.-Nr., Ref.-Nr., a savings plan and any contract number', () => {
    expectMasked([
      ['KNr. 12345678 und Sparplan-Nr. 99887766', 'KNr. [ACCOUNT] und Sparplan-Nr. [ACCOUNT]'],
      ['K-Nr. 12345678', 'K-Nr. [ACCOUNT]'],
      ['Knd.-Nr. 12345678', 'Knd.-Nr. [ACCOUNT]'],
      ['Kd.-Nr. 12345678', 'Kd.-Nr. [ACCOUNT]'],
      ['Sparplan-Nr.: 1234-5678-90', 'Sparplan-Nr.: [ACCOUNT]'],
      ['Sparplannummer 12345678', 'Sparplannummer [ACCOUNT]'],
      ['Sparplan-Nummer: 12345678', 'Sparplan-Nummer: [ACCOUNT]'],
      ['Sparvertragsnummer 12345678', 'Sparvertragsnummer [ACCOUNT]'],
      ['Bausparvertrags-Nr. 12345678', 'Bausparvertrags-Nr. [ACCOUNT]'],
      ['Vertrag Nr. 12345678', 'Vertrag Nr. [ACCOUNT]'],
      ['Ref.-Nr. 12345678', 'Ref.-Nr. [ACCOUNT]'],
      ['Kundenreferenz: AB123456', 'Kundenreferenz: [ACCOUNT]'],
      ['Kundenreferenznummer 12345678', 'Kundenreferenznummer [ACCOUNT]'],
    ]);
    // No number, a number too short, or a bare `Sparplan`, `Referenz` or `Ref.` (a plan's rate, a payment's reference).
    expectKept(['KNr. 1', 'Nr. 1', 'Kd.-Nr. siehe unten', 'Vertrags-Nr. vom 12.03.2025', 'Sparplan 100 Euro monatlich', 'Sparplan 12345678', 'Referenz: 12345678', 'Ref. 12345678']);
  });

  it('masks the number after English account, customer, policy, loan and savings plan keywords', () => {
    expectMasked([
      ['Customer No.: AB1234567', 'Customer No.: [ACCOUNT]'],
      ['Account No: 1234-5678-90', 'Account No: [ACCOUNT]'],
      ['Policy number 12345678', 'Policy number [ACCOUNT]'],
      ['Loan no. 12345678', 'Loan no. [ACCOUNT]'],
      ['Savings plan ID: SP-1234567', 'Savings plan ID: [ACCOUNT]'],
      ['Customer reference: 12345678', 'Customer reference: [ACCOUNT]'],
    ]);
    // A tax reference stays a tax id; a bare reference is a payment's.
    expectMasked([['Tax reference: 1234567890', 'Tax reference: [TAX_ID]']]);
    expectKept(['Reference: 12345678', 'Plan 12345678']);
  });
});

describe('account values with letters on long inputs', () => {
  // A value pattern that backtracked over letters or slashes would run for seconds here: the test times out.
  it('masks a megabyte of lettered, slashed and mixed values after keywords, placing each placeholder where its redaction says', () => {
    const fill = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const text of [fill('KNr. ABCDEF-12AB34 '), fill('Kundennummer 1A2B3C4D5E6F7G8H9 '), fill('Kd.-Nr. 1/2/3/4/5/6/7/8/9/0/1 '), fill('Sparplan-Nr. A1'), fill('AB12CD ')]) {
      const r = redactPii(text);
      expect(r.redactions.filter((x) => r.text.slice(x.start, x.end) !== `[${x.type}]`)).toEqual([]);
    }
    expect(redactPii(fill('KNr. ABCD1234567 ')).redactions.length).toBeGreaterThan(10_000);
  }, 30_000);
});
