import { describe, it } from 'vitest';
import { expectKept, expectMasked } from './redact-expect.js';

// What may stand between an identity document's or a social security number's keyword and its value: the past of a
// linking word, `=` and a dash between blanks, as after an account's keyword (`his account number was [ACCOUNT]`).

describe('identity documents and social security numbers after a past linking word, `=` or ` - `', () => {
  it('masks the value after was, were, war, waren and lautete', () => {
    expectMasked([
      ['His account number was 30918274 and his NI number was ZX 11 22 33 A.', 'His account number was [ACCOUNT] and his NI number was [SOCIAL_SECURITY].'],
      ['His SSN was 078-05-1120', 'His SSN was [SOCIAL_SECURITY]'],
      ['his passport number was 533401276', 'his passport number was [ID_DOCUMENT]'],
      ['Their SSNs were: 078-05-1120.', 'Their SSNs were: [SOCIAL_SECURITY].'],
      ['Die Reisepassnummer war C01X00T47', 'Die Reisepassnummer war [ID_DOCUMENT]'],
      ['Seine Sozialversicherungsnummer lautete 65 170839 J 003', 'Seine Sozialversicherungsnummer lautete [SOCIAL_SECURITY]'],
      ['my driving licence number was MORGA753116SM9IJ.', 'my driving licence number was [ID_DOCUMENT].'],
    ]);
  });

  it('masks the value after `=` or a dash between blanks', () => {
    expectMasked([
      ['NI number - JT 48 29 17 B', 'NI number - [SOCIAL_SECURITY]'],
      ['passport number = 533401276', 'passport number = [ID_DOCUMENT]'],
      ['SSN=078-05-1120', 'SSN=[SOCIAL_SECURITY]'],
      ['Sozialversicherungsnummer - 65 170839 J 003', 'Sozialversicherungsnummer - [SOCIAL_SECURITY]'],
    ]);
    // A word, a year or an amount after them stays.
    expectKept(['my passport was renewed in 2019', 'Reisepass war 150000 EUR wert', 'passport - valid until 2030', 'SSN was unknown', 'passport = 2025']);
  });
});
