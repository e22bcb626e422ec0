import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text).text;

describe('identity documents and social security numbers (ids detector)', () => {
  it('masks passport and identity card numbers after their keyword, which stays', () => {
    expect(masked('Meine Reisepassnummer: C01X00T47, bitte prüfen.')).toBe('Meine Reisepassnummer: [ID_DOCUMENT], bitte prüfen.');
    expect(masked('Personalausweis L01X00T47 liegt bei')).toBe('Personalausweis [ID_DOCUMENT] liegt bei');
    expect(masked('Die Ausweisnummer ist T22000129.')).toBe('Die Ausweisnummer ist [ID_DOCUMENT].');
    expect(masked('Passport no. 533380006 attached')).toBe('Passport no. [ID_DOCUMENT] attached');
    expect(masked('ID card number: ab1234567')).toBe('ID card number: [ID_DOCUMENT]');
  });

  it('takes the ways people write them: Nr. after the word, a colon after lautet, brackets, genitive, compounds, ß', () => {
    for (const [text, expected] of [
      ['Reisepass Nr. C01X00T47', 'Reisepass Nr. [ID_DOCUMENT]'],
      ['Ausweisnummer lautet: L01X00T47', 'Ausweisnummer lautet: [ID_DOCUMENT]'],
      ['passport number is: 533380006', 'passport number is: [ID_DOCUMENT]'],
      ['Personalausweis (L01X00T47)', 'Personalausweis ([ID_DOCUMENT])'],
      ['Nummer des Reisepasses: C01X00T47', 'Nummer des Reisepasses: [ID_DOCUMENT]'],
      ['Kinderreisepass C01X00T47', 'Kinderreisepass [ID_DOCUMENT]'],
      ['Reisepaß-Nr. C01X00T47', 'Reisepaß-Nr. [ID_DOCUMENT]'],
      ['ID-Karte L01X00T47', 'ID-Karte [ID_DOCUMENT]'],
      ['Personalausweis T220001293D', 'Personalausweis [ID_DOCUMENT]'],
      ['SSN 123456789', 'SSN [SOCIAL_SECURITY]'],
      ['social security #: 123 45 6789', 'social security #: [SOCIAL_SECURITY]'],
      ['RV-Nummer 65-170839-J-003', 'RV-Nummer [SOCIAL_SECURITY]'],
    ]) expect(masked(text)).toBe(expected);
  });

  it('masks German, US and UK social security numbers after their keyword', () => {
    expect(masked('Sozialversicherungsnummer 65 170839 J 003')).toBe('Sozialversicherungsnummer [SOCIAL_SECURITY]');
    expect(masked('SV-Nr.: 65170839J003 für den Antrag')).toBe('SV-Nr.: [SOCIAL_SECURITY] für den Antrag');
    expect(masked('SSN: 123-45-6789')).toBe('SSN: [SOCIAL_SECURITY]');
    expect(masked('my National Insurance number is QQ 12 34 56 C.')).toBe('my National Insurance number is [SOCIAL_SECURITY].');
  });

  it('leaves words, years and longer words after or around a keyword', () => {
    for (const text of [
      'Personalausweis abgelaufen seit 2025',
      'my passport is valid until 2030',
      'Pass 2025 abgeholt',
      'bitte ausweisen 1234567',
      'Passwort 12345678 vergessen',
      'SSN unknown, see 123-45',
      'Ausweis 150000 EUR',
      'Reisepass ist 1000000 wert',
      'Nino QQ123456C', // a first name, not the NINO keyword
    ]) expect(masked(text)).toBe(text);
  });

  it('is off with the other keyed numbers', () => {
    expect(redactPii('Reisepass C01X00T47', { ids: false }).text).toBe('Reisepass C01X00T47');
  });
});
