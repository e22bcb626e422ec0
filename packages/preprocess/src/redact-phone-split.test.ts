import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text).text;

describe('phone numbers whose 0 stands apart from the area code, without a keyword', () => {
  it.each([
    ['erreichbar unter 0 30 12 34 56 78', 'erreichbar unter [PHONE]'],
    ['Ich bin erreichbar unter 0 30 / 12 34 56 78.', 'Ich bin erreichbar unter [PHONE].'],
    ['unter 0 89 12345678 erreichbar', 'unter [PHONE] erreichbar'],
    ['Rufen Sie mich an: 0 40 / 123 456', 'Rufen Sie mich an: [PHONE]'],
    ['erreichbar unter (0 30) 12 34 56 78', 'erreichbar unter [PHONE]'],
    ['Rückruf bitte unter 0 6221 123456, danke', 'Rückruf bitte unter [PHONE], danke'],
  ])('masks %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    'Punkte: 0 30 12 34 56 78 90',
    'Ergebnis 1 0 30 12 34 56 78',
    'Betrag 0 40 / 123 456 EUR',
    'Stückzahl 0 30 12 34 56 78',
    'Es waren 0 20 30 40 Stück',
    'Kontostand: 0 30 123,45',
    'Saldo 0 12 345 678 Euro',
    'Kurs 0 30 12.50',
    'Am 0 30 12 Uhr',
    'Termin 0 30 12.05.2026',
  ])('keeps %j', (text) => {
    expect(masked(text)).toBe(text);
  });
});
