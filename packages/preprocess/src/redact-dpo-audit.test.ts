import { describe, expect, it } from 'vitest';
import { germanSocialCheckDigit } from './de-social-security.js';
import { redactPii } from './redact.js';

// Gaps a data protection officer's audit of 82 invented bank emails found: personal data of kinds the README promises
// to mask, written as German customers write them, and words of a request masked as a name.

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('phone numbers as German customers write them', () => {
  it('masks a country code before a dashed number, and a slash with a blank on one side', () => {
    expect(masked('Handy: +49 160 - 9988 7766, ab 17 Uhr.')).toBe('Handy: [PHONE], ab 17 Uhr.');
    expect(masked('Tel: +49 30 - 1234 5678')).toBe('Tel: [PHONE]');
    expect(masked('Rückruf unter +49 (0)160 - 9988 7766 bitte')).toBe('Rückruf unter [PHONE] bitte');
    expect(masked('Tel. 0157/ 344 98 221')).toBe('Tel. [PHONE]');
    expect(masked('Handy 0171/ 2345678')).toBe('Handy [PHONE]');
    expect(masked('Erreichbar: 030/ 1234567')).toBe('Erreichbar: [PHONE]');
    expect(masked('ich bin unter 0157 /34498221 erreichbar')).toBe('ich bin unter [PHONE] erreichbar');
  });

  it('masks a bracketed area code written in pairs', () => {
    expect(masked('Tel. (0 62 21) 48 77 32')).toBe('Tel. [PHONE]');
    expect(masked('Sie erreichen mich unter (0 62 21) 48 77 32.')).toBe('Sie erreichen mich unter [PHONE].');
  });

  it('keeps lists, counts and short numbers that are no phone', () => {
    for (const text of ['Konten 0815 - 0816 - 0817', 'Kurs 030/ 12', '+49 Aktien - 12 Stück']) expect(masked(text), text).toBe(text);
    expect(masked('Tel. 030 123456 / 2 Anschlüsse')).toBe('Tel. [PHONE] / 2 Anschlüsse');
  });
});

describe('German social security numbers', () => {
  it('checks the digit as the pension insurance computes it', () => {
    // 65 170839 J 003: J is the 10th letter; the digit sums of 6·2, 5·1, 1·2, 7·5, 0·7, 8·1, 3·2, 9·1, 1·2, 0·1, 0·2, 0·1 add to 43.
    expect(germanSocialCheckDigit('651708391000')).toBe(3);
  });

  it('masks one with a right check digit wherever it stands, and one with a wrong one after its keyword', () => {
    expect(masked('Nummer 65 170839 J 003 bitte')).toBe('Nummer [SOCIAL_SECURITY] bitte');
    expect(masked('65170839J003')).toBe('[SOCIAL_SECURITY]');
    // The official name of the number, which the account keywords read as a policy's: its letter and serial were left.
    expect(masked('meine Versicherungsnummer: 41 080555 B 512')).toBe('meine Versicherungsnummer: [SOCIAL_SECURITY]');
    expect(masked('Sozialversicherungsnummern: 12 150368 K 017 und 12 220765 M 503.')).toBe('Sozialversicherungsnummern: [SOCIAL_SECURITY] und [SOCIAL_SECURITY].');
    expect(masked('meine Sozialversicherungsnummer ist 12 150368 K 017, die meines Mannes 12 220765 M 503.')).toBe(
      'meine Sozialversicherungsnummer ist [SOCIAL_SECURITY], die meines Mannes [SOCIAL_SECURITY].',
    );
  });

  it('keeps the shape without a right check digit or a keyword, and one whose birth date is no day', () => {
    for (const text of ['Nummer 65 170839 J 004 bitte', 'Artikel 12 150368 K 017', 'Artikel 65 173339 J 003']) expect(masked(text), text).toBe(text);
  });
});

describe('contract and savings plan numbers with the number word in brackets', () => {
  it('masks them as an account number, as `Mein Depot (Nr. …)`', () => {
    expect(masked('Mein Depot (Nr. 5512098711) und mein Vertrag (Nr. 5512098712) und Sparplan (Nr. 55120987).')).toBe(
      'Mein Depot (Nr. [ACCOUNT]) und mein Vertrag (Nr. [ACCOUNT]) und Sparplan (Nr. [ACCOUNT]).',
    );
    expect(masked('Der Vertrag vom 12.03.2024 (Nr. 3 der Liste)')).toBe('Der Vertrag vom 12.03.2024 (Nr. 3 der Liste)');
  });
});

describe('names', () => {
  it('masks the name under greetings from a region with its article', () => {
    expect(masked('Hallo,\nwie geht das?\n\nHerzliche Grüße aus dem Allgäu\nAnneliese Brandl')).toBe('Hallo,\nwie geht das?\n\nHerzliche Grüße aus dem Allgäu\n[NAME]');
    expect(masked('Danke.\nViele Grüße aus der Pfalz\nJan Roth')).toBe('Danke.\nViele Grüße aus der Pfalz\n[NAME]');
  });

  it('keeps a request noun after `meine Frau`, which was masked as a name wherever it stood, and still masks her name', () => {
    const text = 'kann meine Frau Zugriff auf das Konto bekommen? Der Zugriff soll ab Montag gelten.';
    expect(masked(text)).toBe(text);
    expect(masked('meiner Frau Vollmacht erteilen')).toBe('meiner Frau Vollmacht erteilen');
    expect(masked('meine Frau Anna Müller hat Zugriff')).toBe('meine Frau [NAME] hat Zugriff');
  });

  it('keeps a team greeted by a compound (`Wertpapier-Team`)', () => {
    for (const text of ['Hallo Wertpapier-Team,\nbitte um Rückruf.', 'Liebes Kredit-Team,\ndanke.']) expect(masked(text), text).toBe(text);
  });

  it("keeps the next field's label of a form run onto one line", () => {
    expect(masked('Vorname: Hans-Jürgen Nachname: Möllenkamp Geburtsdatum: 30.09.1961')).toBe('Vorname: [NAME] Nachname: [NAME] Geburtsdatum: [BIRTHDATE]');
    // A surname before a colon is no field's label: the whole name is masked.
    expect(masked('Konto von Herrn Max Spargelmann: DE89 3704 0044 0532 0130 00')).toBe('Konto von Herrn [NAME]: [IBAN]');
  });
});

describe('addresses', () => {
  it('masks a US street with its apartment, town, state and ZIP code, not the street alone', () => {
    expect(masked('New address: 2417 Maple Avenue, Apt 5C, Evanston, IL 60201.')).toBe('New address: [ADDRESS].');
    expect(masked('New address: 2417 Maple Avenue Suite 200, Evanston, IL 60201.')).toBe('New address: [ADDRESS].');
    expect(masked('12 Baker Street, Flat 3, London SW1A 2AA')).toBe('[ADDRESS]');
  });
});
