import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

describe('credentials', () => {
  it('masks the value after a PIN, TAN, password or login keyword, German and English; the keyword stays', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Meine PIN ist 4711, bitte nicht weitergeben.', 'Meine PIN ist [CREDENTIAL], bitte nicht weitergeben.'],
      ['Mein Login-Name ist max1985 und mein Passwort lautet Geheim123!', 'Mein Login-Name ist [CREDENTIAL] und mein Passwort lautet [CREDENTIAL]'],
      ['Kennwort: sommerwind', 'Kennwort: [CREDENTIAL]'],
      ['Meine Zugangsnummer / Login-ID: 1234567890', 'Meine Zugangsnummer / Login-ID: [CREDENTIAL]'],
      ['my password is hunter22', 'my password is [CREDENTIAL]'],
      ['TAN 123456', 'TAN [CREDENTIAL]'],
      ['mTAN 123456, pushTAN: 654321', 'mTAN [CREDENTIAL], pushTAN: [CREDENTIAL]'],
      ['Karten-PIN 1234.', 'Karten-PIN [CREDENTIAL].'],
      ['Benutzername: anna.schmidt', 'Benutzername: [CREDENTIAL]'],
      ['Passwort "Geheim 123" geht nicht', 'Passwort [CREDENTIAL] geht nicht'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
    expect(redactPii('TAN 123456').redactions).toEqual([{ type: 'CREDENTIAL', start: 4, end: 16 }]);
  });

  it('leaves the keywords used as words, and values that say something about the secret', () => {
    for (const text of [
      'Ich brauche einen neuen PIN-Brief. Passwort vergessen! Bitte senden Sie mir eine neue TAN-Liste.',
      'Mein Passwort ist gesperrt. Der Login funktioniert weiterhin nicht.',
      'Passwort: vergessen',
      'Passwort: Bitte zurücksetzen',
      'my password is wrong',
      'Ich habe die PIN 3 mal falsch eingegeben',
      'Passwort-Reset 2024',
      'Titan 12345, Stand 2024',
    ]) {
      expect(redactPii(text).text).toBe(text);
    }
  });

  it('leaves a year this century after PIN or TAN with a word about it, and masks four digits otherwise', () => {
    for (const text of ['TAN 2025 abgelaufen', 'PIN 2024 geändert', 'Die PIN 2023 gesperrt, TAN 2026 expired']) expect(redactPii(text).text).toBe(text);
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['PIN: 2024 geändert', 'PIN: [CREDENTIAL] geändert'],
      ['PIN ist 2024, bitte', 'PIN ist [CREDENTIAL], bitte'],
      ['PIN 1985 geändert', 'PIN [CREDENTIAL] geändert'],
      ['PIN 2024', 'PIN [CREDENTIAL]'],
      ['TAN 202512 abgelaufen', 'TAN [CREDENTIAL] abgelaufen'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
  });

  it('masks a login and password after a slash, a long plain word after `is`, and one-time codes', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Zugangsdaten: max1985 / Geheim123', 'Zugangsdaten: [CREDENTIAL]'],
      ['Passwort: Geheim123 / bitte ändern', 'Passwort: [CREDENTIAL] / bitte ändern'],
      ['my password is correcthorsebattery.', 'my password is [CREDENTIAL].'],
      ['Verifizierungscode: 839201, OTP 839201', 'Verifizierungscode: [CREDENTIAL], OTP [CREDENTIAL]'],
      ['Aktivierungscode: X7K9-P2M4, one-time code: 123456', 'Aktivierungscode: [CREDENTIAL], one-time code: [CREDENTIAL]'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
    for (const text of ['my password is too short', 'my password is compromised', 'Das Passwort ist abgelaufen.', 'Der Aktivierungscode ist abgelaufen', 'OTP funktioniert nicht', 'OTP SMS nicht erhalten', 'verification code anywhere_else']) {
      expect(redactPii(text).text).toBe(text);
    }
  });

  it('is switched off with credentials: false', () => {
    expect(redactPii('PIN 4711', { credentials: false }).text).toBe('PIN 4711');
  });
});

describe('credentials after `lautet:` and `ist:`', () => {
  it('masks the value after a colon that follows `lautet` or `ist`', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Meine PIN lautet: 4711', 'Meine PIN lautet: [CREDENTIAL]'],
      ['Mein Passwort lautet: Geheim123', 'Mein Passwort lautet: [CREDENTIAL]'],
      ['TAN ist: 123456', 'TAN ist: [CREDENTIAL]'],
      ['Mein Passwort ist: sommerwind', 'Mein Passwort ist: [CREDENTIAL]'],
      ['Mein Login lautet : anna.schmidt', 'Mein Login lautet : [CREDENTIAL]'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
    expect(redactPii('Mein Passwort ist: vergessen').text).toBe('Mein Passwort ist: vergessen');
  });
  it('masks a PW, an SMS code and the secret values in a web address\'s query; the address and the parameter names stay', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['PW: Geheim123', 'PW: [CREDENTIAL]'],
      ['pw=Geheim123', 'pw=[CREDENTIAL]'],
      ['The SMS code 483920 expired', 'The SMS code [CREDENTIAL] expired'],
      ['SMS-Code: 483920', 'SMS-Code: [CREDENTIAL]'],
      ['https://bank.example/reset?token=8f3a9c0d1e2b&user=hmueller.', 'https://bank.example/reset?token=[CREDENTIAL]&user=[CREDENTIAL].'],
      ['<https://x.example/p?email=anna%40mail.example#top>', '<https://x.example/p?email=[CREDENTIAL]#top>'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
    // What a query says about the request stays (a language, a page, a security), and `PW` that is no password.
    for (const text of ['Ihr SMS-Code kam nicht an', 'PW vergessen', 'PW 2024 ändern', 'PWC-Prüfung', 'siehe https://bank.example/faq?', 'https://bank.example/?flag', 'https://bank.example/faq?lang=de&page=2', 'https://x.example/a?isin=DE000BAY0017']) {
      expect(redactPii(text).text).toBe(text);
    }
    expect(redactPii('https://x.example/p?ref=8f3a9c0d1e2b4f5a6b7c').text).toBe('https://x.example/p?ref=[CREDENTIAL]');
    // Linear on a long run of punctuation at a query's end (a `$`-anchored strip took 760 s on a megabyte).
    expect(redactPii(`http://x.example/?a=${'.'.repeat(1_000_000)}x`).redactions).toEqual([]);
  });

  // 140,000 characters of `http://` and no query: each `http://` in it was read on to the end again (6 s, growing with
  // the square of the length); now milliseconds. No timing asserted: the test times out (2 s) if it turns quadratic again.
  it('reads a run of web addresses without a query once, and still masks the query after it', () => {
    const run = 'http://'.repeat(20_000);
    expect(redactPii(`${run} https://bank.example/reset?token=8f3a9c0d1e2b`).text).toBe(`${run} https://bank.example/reset?token=[CREDENTIAL]`);
    expect(redactPii(`${run}?user=hmueller`).text).toBe(`${run}?user=[CREDENTIAL]`);
    expect(redactPii(`${run}?`).redactions).toEqual([]);
  }, 2_000);
});
