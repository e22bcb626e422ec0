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
    // The Swiss `Identitätskarte`.
    expect(masked('Identitätskarte S1234567')).toBe('Identitätskarte [ID_DOCUMENT]');
    expect(masked('Identitätskarte Nr. S1234567 liegt bei')).toBe('Identitätskarte Nr. [ID_DOCUMENT] liegt bei');
    expect(masked('Meine Identitätskarte ist abgelaufen.')).toBe('Meine Identitätskarte ist abgelaufen.');
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
    expect(masked('NI no. AB123456C, my NI no is QQ 12 34 56 C')).toBe('NI no. [SOCIAL_SECURITY], my NI no is [SOCIAL_SECURITY]');
  });

  it('masks Austrian and Swiss (AHV) social security numbers after their keyword', () => {
    expect(masked('Sozialversicherungsnummer: 1234 010180')).toBe('Sozialversicherungsnummer: [SOCIAL_SECURITY]');
    expect(masked('SV-Nr. 1234010180, bitte')).toBe('SV-Nr. [SOCIAL_SECURITY], bitte');
    expect(masked('AHV-Nr. 756.1234.5678.97')).toBe('AHV-Nr. [SOCIAL_SECURITY]');
    expect(masked('meine AHV-Nummer ist 7561234567897.')).toBe('meine AHV-Nummer ist [SOCIAL_SECURITY].');
    expect(masked('AHVN13: 756 1234 5678 97')).toBe('AHVN13: [SOCIAL_SECURITY]');
    expect(masked('AHV 2025 Beiträge')).toBe('AHV 2025 Beiträge');
  });

  it('leaves words, years and longer words after or around a keyword', () => {
    for (const text of [
      'Personalausweis abgelaufen seit 2025',
      'my passport is valid until 2030',
      'Pass 2025 abgeholt',
      'bitte ausweisen 1234567',
      'SSN unknown, see 123-45',
      'Ausweis 150000 EUR',
      'Reisepass ist 1000000 wert',
      'Nino QQ123456C', // a first name, not the NINO keyword
    ]) expect(masked(text)).toBe(text);
    // `Pass` of `Passwort` names no passport; the password is a credential.
    expect(masked('Passwort 12345678 vergessen')).toBe('Passwort [CREDENTIAL] vergessen');
  });

  it('masks driving licence numbers after their keyword: German (11 characters), UK (16) and US (5-13)', () => {
    for (const [text, expected] of [
      ['Führerschein B072RRE2I55 liegt bei', 'Führerschein [ID_DOCUMENT] liegt bei'],
      ['Führerscheinnummer: B072RRE2I55', 'Führerscheinnummer: [ID_DOCUMENT]'],
      ['Führerschein-Nr. B072RRE2I55', 'Führerschein-Nr. [ID_DOCUMENT]'],
      ['Fuehrerschein Nr.: B072RRE2I55', 'Fuehrerschein Nr.: [ID_DOCUMENT]'],
      ['Nummer des Führerscheins: B072RRE2I55', 'Nummer des Führerscheins: [ID_DOCUMENT]'],
      ['my driving licence number is MORGA753116SM9IJ.', 'my driving licence number is [ID_DOCUMENT].'],
      ['Driving License No. MORGA753116SM9IJ', 'Driving License No. [ID_DOCUMENT]'],
      ["driver's license: D1234567", "driver's license: [ID_DOCUMENT]"],
      ['Driver’s License # 123456789012', 'Driver’s License # [ID_DOCUMENT]'],
      ['drivers license A1234', 'drivers license [ID_DOCUMENT]'],
      ['driver license number S530-460-56-320-0', 'driver license number [ID_DOCUMENT]'],
    ]) expect(masked(text)).toBe(expected);
  });

  it('leaves words, years, classes, amounts and over-long runs after a driving licence keyword', () => {
    for (const text of [
      'Führerschein seit 2010, Klasse B',
      'Führerschein 2010 gemacht',
      'Führerschein 1500 EUR teuer',
      'Führerscheinprüfung 12345678 bestanden',
      "driver's license expires 2027",
      'driving licence 2019-2024',
      'Führerschein ABCDEFGHIJKLMNOPQRST12',
      'DL no. 12345678', // too ambiguous a keyword
    ]) expect(masked(text)).toBe(text);
  });

  it('masks driving licence numbers written in groups split by blanks, up to the first word that is no part of them', () => {
    for (const [text, expected] of [
      ['Führerscheinnummer: B072 RRE2 I55', 'Führerscheinnummer: [ID_DOCUMENT]'],
      ['driving licence no. MORGA 753116 SM9IJ', 'driving licence no. [ID_DOCUMENT]'],
      ['Führerschein B072 RRE2 I55 liegt bei', 'Führerschein [ID_DOCUMENT] liegt bei'],
      ['my driving licence number is MORGA 753116 SM9IJ 35, issued in 2019', 'my driving licence number is [ID_DOCUMENT], issued in 2019'],
      ["driver's license D123 4567 8901.", "driver's license [ID_DOCUMENT]."],
      // A group of letters between groups with digits is part of it; words in capitals and a year after it are not.
      ['Führerschein-Nr. B072 RREX 2I55 KLASSE B', 'Führerschein-Nr. [ID_DOCUMENT] KLASSE B'],
      ['Führerschein B072 RRE2 I55 2019 ausgestellt', 'Führerschein [ID_DOCUMENT] 2019 ausgestellt'],
      ['Führerschein B072RRE2I55 2019 ausgestellt', 'Führerschein [ID_DOCUMENT] 2019 ausgestellt'],
    ]) expect(masked(text)).toBe(expected);
  });

  it('masks numbers of digits alone in groups when the keyword says it is a number (Nr., no., number)', () => {
    for (const [text, expected] of [
      ['Führerschein-Nr. 1234 5678 901', 'Führerschein-Nr. [ID_DOCUMENT]'],
      ['driving licence number 1234 5678 9012', 'driving licence number [ID_DOCUMENT]'],
      ['my passport no. 123 456 789 expires soon', 'my passport no. [ID_DOCUMENT] expires soon'],
      ['Passnummer 1234 5678, gültig bis 2030', 'Passnummer [ID_DOCUMENT], gültig bis 2030'],
    ]) expect(masked(text)).toBe(expected);
    // Without a number word, years, amounts and too few digits stay.
    for (const text of ['Personalausweis 1234 5678 90', 'Ausweisnummer 2019 2024', 'Reisepass Nr. 1234 5678 EUR', 'Ausweis-Nr. 12 34']) expect(masked(text)).toBe(text);
  });

  it('leaves classes, years, amounts and words in groups after a driving licence keyword', () => {
    for (const text of [
      'Führerschein Klasse B seit 2019',
      'driving licence class C1 since 2019',
      'Führerschein BE 2019 gemacht',
      'Führerschein C1 2020',
      'Führerschein B96 C1E 2018',
      'Führerschein B BE C1 2018',
      'Führerschein KLASSE B 2018',
      'Führerschein 2010 2015 verlängert',
      'driving licence 2019 - 2024',
      'Führerschein 1 500 EUR',
      'Führerschein AB12 CD34 EUR', // an amount after it, as for numbers in one piece
      'Führerschein b072 rre2 i55', // lower case: prose, or too unusual to tell from it
    ]) expect(masked(text)).toBe(text);
  });


  it('is off with the other keyed numbers', () => {
    expect(redactPii('Reisepass C01X00T47', { ids: false }).text).toBe('Reisepass C01X00T47');
  });
});
