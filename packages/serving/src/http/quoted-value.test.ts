import { describe, expect, it } from 'vitest';
import { sentValue } from './quoted-value.js';
import { schemaMismatchDetail } from './validation-detail.js';

// Invented people and numbers.
const IBAN = 'DE21 3704 0028 1300 0267 67';

describe('sentValue', () => {
  it('quotes a value with nothing to mask as sent, cut with the mark given', () => {
    expect(sentValue('subjekt', 40)).toBe('subjekt');
    expect(sentValue('x'.repeat(50), 40)).toBe(`${'x'.repeat(40)}…`);
    expect(sentValue('x'.repeat(50), 20, '')).toBe('x'.repeat(20));
  });

  it('masks as training masks a quoted cell: IBANs, phones, emails, birth dates, names a cue marks', () => {
    expect(sentValue('geb. 25.03.1964 Frau Kunigunde Flunderhorst', 80)).toBe('geb. [BIRTHDATE] Frau [NAME]');
    expect(sentValue(`Kunde ${IBAN} r.s@example.org 0170 1234567`, 80)).toBe('Kunde [IBAN] [EMAIL] [PHONE]');
  });

  it('masks before it cuts, and cuts no placeholder in two', () => {
    // Cut first, the IBAN would be its first digits, which the masking no longer takes for one.
    expect(sentValue(`${'a'.repeat(30)} ${IBAN}`, 40)).toBe(`${'a'.repeat(30)} [IBAN]`);
    expect(sentValue(`${'a'.repeat(36)} ${IBAN} tail`, 40)).toBe(`${'a'.repeat(36)} …`);
  });

  it('masks the start of a long value, and all of it when its start masks to little', () => {
    expect(sentValue(`${IBAN} ${'word '.repeat(1000)}`, 40)).toBe(`[IBAN] ${'word '.repeat(6)}wor…`);
    // IBANs past 1000 characters, one split by that cut: the start masks to fewer than the quote shows, so all is masked.
    const ibans = `${IBAN} `.repeat(40);
    expect(sentValue(ibans, 300)).toBe('[IBAN] '.repeat(40));
  });

  it('does not cut between the two halves of a surrogate pair', () => {
    expect(sentValue(`${'a'.repeat(39)}😀tail`, 40)).toBe(`${'a'.repeat(39)}…`);
  });
});

describe('schemaMismatchDetail', () => {
  it('masks a key of the request in the path and where the message quotes it', () => {
    const key = 'Herr Reinhold Spargelmann';
    const issues = [{ path: ['emails', 0, 'metadata', key], message: `metadata values must be a string, number, boolean or null; metadata.${key} is an object`, code: 'invalid_union' }];
    expect(schemaMismatchDetail(issues)).toBe(
      'The request does not match the schema: emails[0].metadata.Herr [NAME]: metadata values must be a string, number, boolean or null; metadata.Herr [NAME] is an object.',
    );
  });

  it('leaves the schema\'s own names as they are', () => {
    const issues = [{ path: ['emails', 0, 'id'], message: 'an id has at most 200 characters: this one has 241', code: 'too_big' }];
    expect(schemaMismatchDetail(issues)).toBe('The request does not match the schema: emails[0].id: an id has at most 200 characters: this one has 241.');
  });
});
