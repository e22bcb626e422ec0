import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanText } from './clean.js';

const visible = (s: string) => cleanText(s, 'visible');

describe('request lines and filled-in forms are no signature (review)', () => {
  it('keeps a request under a bare `--` though it names an account number, and still cuts a contact block there', () => {
    const text = 'Hallo,\n\nich habe zwei Anliegen.\n--\nBitte lösen Sie mein Depot 1234567890 auf.\nÜberweisen Sie den Restbetrag auf mein Girokonto.';
    const r = visible(text);
    expect(r.text).toBe(text);
    expect(r.signature).toBeUndefined();
    expect(visible('Please close my account.\n--\nI want account 12345678 closed today.').text).toBe('Please close my account.\n--\nI want account 12345678 closed today.');
    // A name, a phone key or an address under it: a signature, as before.
    expect(visible('Bitte Depot schließen.\n--\nMax Mustermann\nTel. 0171 1234567').text).toBe('Bitte Depot schließen.');
    expect(visible('Bitte Depot schließen.\n--\nMobil: 0171 1234567\nmax@example.com').text).toBe('Bitte Depot schließen.');
  });

  it('keeps a block of `Label: value` lines with the customer’s data, masked, and still cuts a firm’s signature with an IBAN', () => {
    const text = 'Bitte Depot auflösen.\n\nName:            Max Mustermann\nKundennummer:    1234567890\nGeburtsdatum:    01.02.1980\nSteuer-ID:       12345678901';
    expect(visible(text).text).toBe(text);
    expect(visible(text).signature).toBeUndefined();
    const r = cleanEmail({ body: text }, { redact: { names: true } });
    expect(r.text).toBe('Bitte Depot auflösen.\n\nName:            [NAME]\nKundennummer:    [ACCOUNT]\nGeburtsdatum:    [BIRTHDATE]\nSteuer-ID:       [TAX_ID]');
    const credentials = 'Bitte Depot auflösen.\n\nKundennummer:    1234567890\nDepotnummer:     9876543210\nPIN:             4711\nPasswort:        Geheim123!';
    expect(visible(credentials).text).toBe(credentials);
    const english = 'Please close my account.\n\nCustomer number: 12345678\nDate of birth: 01/02/1980\nPhone: +44 20 7946 0958';
    expect(visible(english).text).toBe(english);
    // An `IBAN:` line among a firm's contact lines is the firm's: the block is its signature.
    const firm = 'Bitte Depot auflösen.\n\nMax Mustermann\nMustermann GmbH\nTel.: +49 89 1234567\nFax: +49 89 1234568\nIBAN: DE89 3704 0044 0532 0130 00';
    expect(visible(firm).text).toBe('Bitte Depot auflösen.');
  });
});
