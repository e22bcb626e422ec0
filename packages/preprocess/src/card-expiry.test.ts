import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// A card's expiry glued on after its number is card data as the number is: it goes into the card's mask. A date
// anywhere else stays.

describe('a card number with its expiry glued on', () => {
  it('masks the expiry after a slash or one blank with the card, as one [CARD]', () => {
    expectMasked([
      ['Meine Karte 4111111111111111/1227 ist gesperrt.', 'Meine Karte [CARD] ist gesperrt.'],
      ['Karte 4111111111111111/12/27', 'Karte [CARD]'],
      ['Karte 4111111111111111/1/27', 'Karte [CARD]'],
      ['4111-1111-1111-1111/12/2027', '[CARD]'],
      ['Karte 4111 1111 1111 1111 12/27', 'Karte [CARD]'],
      ['Karte 4111 1111 1111 1111 12/2027 bitte', 'Karte [CARD] bitte'],
      ['Karte\t4111\t1111\t1111\t1111\t12/27', 'Karte\t[CARD]'],
      ['Karten 4111 1111 1111 1111 12/27 und 5500 0000 0000 0004/0128', 'Karten [CARD] und [CARD]'],
      // A card number a keyword names, failing Luhn.
      ['Kartennummer 1234 5678 9012 3456/1227', 'Kartennummer [CARD]'],
      ['Kartennummer 1234 5678 9012 3456 12/27 bitte', 'Kartennummer [CARD] bitte'],
    ]);
    expect(redactPii('Karte 4111111111111111/1227').redactions).toEqual([{ type: 'CARD', start: 6, end: 12 }]);
  });

  it('leaves a date that is not glued to the card, or no month and year, as it is', () => {
    expectMasked([
      ['Karte 4111 1111 1111 1111, gültig bis 12/27', 'Karte [CARD], gültig bis 12/27'],
      ['Karte 4111 1111 1111 1111 01/26 Betrag 12/27', 'Karte [CARD] Betrag 12/27'],
      ['Karte 4111 1111 1111 1111 12/12/2025 belastet', 'Karte [CARD] 12/12/2025 belastet'],
      ['Karte 4111 1111 1111 1111 3/4 der Fälle', 'Karte [CARD] 3/4 der Fälle'],
      ['[CARD] exp 12/27', '[CARD] exp 12/27'],
    ]);
    expectKept(['am 12/27 kam', 'Karte 4111111111111111/12345', 'Order 4111111111111111/1227', 'Rechnung 2026/01234567']);
  });
});
