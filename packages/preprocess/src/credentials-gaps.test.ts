import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// Credentials that masking once missed: a value lined up in a column, words between the keyword and its link, a PIN or
// TAN written in groups. Each case with the ordinary text next to it that must keep its words.


describe('credentials lined up in a column', () => {
  it('masks a value after four or more spaces or tabs', () => {
    expectMasked([
      ['PIN:             4711', 'PIN:             [CREDENTIAL]'],
      ['Passwort:        Geheim123!', 'Passwort:        [CREDENTIAL]'],
      ['Benutzername\t\t\t\t\t: anna.schmidt', 'Benutzername\t\t\t\t\t: [CREDENTIAL]'],
      ['TAN          123456', 'TAN          [CREDENTIAL]'],
    ]);
    expectKept(['Passwort:        vergessen', 'PIN              funktioniert nicht']);
  });
});

describe('words between a credential keyword and its value', () => {
  it('masks the value after up to four words that say whose it is or what for, then `:`, `ist` or `lautet`', () => {
    expectMasked([
      ['Das Passwort für das Online-Banking ist Sommer2024!', 'Das Passwort für das Online-Banking ist [CREDENTIAL]'],
      ['Die PIN meiner Kreditkarte lautet 4711', 'Die PIN meiner Kreditkarte lautet [CREDENTIAL]'],
      ['PIN für die Karte: 4711', 'PIN für die Karte: [CREDENTIAL]'],
      ['my password for online banking is Summer2024!', 'my password for online banking is [CREDENTIAL]'],
      ['Benutzername für das Online-Banking lautet anna.schmidt', 'Benutzername für das Online-Banking lautet [CREDENTIAL]'],
    ]);
    // Without a link the words read as prose; a word about the secret after the link is no value.
    expectKept([
      'PIN für die Karte 4711',
      'Die PIN für die Karte funktioniert nicht',
      'Das Passwort für das Online-Banking ist abgelaufen.',
      'Das Passwort für mein Konto ist seit gestern gesperrt',
      'Die PIN meiner Karte ist 3 mal falsch eingegeben worden',
    ]);
  });

  it('masks the value after `jetzt` or `neu` following the link, and after a remark in brackets', () => {
    expectMasked([
      ['Mein neues Passwort ist jetzt Sommerwind2024.', 'Mein neues Passwort ist jetzt [CREDENTIAL].'],
      ['Passwort (neu): Sommer2024!', 'Passwort (neu): [CREDENTIAL]'],
      ['PIN ist jetzt 4711', 'PIN ist jetzt [CREDENTIAL]'],
      ['Kennwort lautet neu: sommerwind', 'Kennwort lautet neu: [CREDENTIAL]'],
    ]);
    expectKept([
      'Das Passwort ist abgelaufen',
      'Die PIN funktioniert nicht',
      'Mein Passwort ist jetzt gesperrt.',
      'Mein Passwort ist jetzt freigeschaltet.',
      'Passwort (vergessen) bitte zurücksetzen',
    ]);
  });
});

describe('a PIN or TAN written in groups', () => {
  it('masks groups of one length joined by single blanks or dashes, 4-8 digits in all', () => {
    expectMasked([
      ['TAN 123 456', 'TAN [CREDENTIAL]'],
      ['TAN: 123-456', 'TAN: [CREDENTIAL]'],
      ['PIN lautet 12 34', 'PIN lautet [CREDENTIAL]'],
      ['Meine PIN ist 1234 5678.', 'Meine PIN ist [CREDENTIAL].'],
    ]);
    // A count after a PIN keeps its digits; too many digits, a date or an amount is no PIN.
    expectMasked([['PIN 1234 10 mal falsch eingegeben', 'PIN [CREDENTIAL] 10 mal falsch eingegeben']]);
    expectKept(['TAN 123 456 789', 'Die PIN 3 mal falsch eingegeben', 'TAN 2025 abgelaufen', 'PIN am 01 02 2025 geändert']);
  });
});

describe('credentials on long inputs', () => {
  // A pattern that backtracks over the blanks, qualifying words or digit groups these added runs for seconds: the test times out.
  it('masks a megabyte of column-aligned, qualified and grouped credentials, placing each placeholder where its redaction says', () => {
    const fill = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const text of [
      fill(`PIN:${' '.repeat(40)}4711 `),
      fill(`PIN${' '.repeat(39)}x `),
      fill('Passwort für a b c '),
      fill('Passwort für das Online-Banking ist Sommer2024! '),
      fill('Passwort (a) '),
      `TAN ${fill('12 ')}`,
      fill('TAN 12-'),
      fill('TAN 123 456 '),
    ]) {
      const r = redactPii(text);
      expect(r.redactions.filter((x) => r.text.slice(x.start, x.end) !== `[${x.type}]`)).toEqual([]);
    }
    expect(redactPii(fill('TAN 123 456 ')).redactions.length).toBeGreaterThan(10_000);
  }, 30_000);
});
