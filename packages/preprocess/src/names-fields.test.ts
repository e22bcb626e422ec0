import { describe, expect, it } from 'vitest';
import { htmlToText } from './html.js';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('names in a field without a colon', () => {
  it("masks the name in an HTML table's row, as serving's stored text reads it", () => {
    const text = htmlToText('<table><tr><td>Name</td><td>Anna Schmidt</td></tr><tr><td>Kunden-ID</td><td>12345678</td></tr></table>');
    expect(text).toBe('Name Anna Schmidt\nKunden-ID 12345678');
    expect(masked(text)).toBe('Name [NAME]\nKunden-ID [ACCOUNT]');
  });

  it('masks a name that ends the line of its label', () => {
    expect(masked('Name\tAnna von der Heide')).toBe('Name\t[NAME]');
    expect(masked('Vorname Anna\nNachname Schmidt')).toBe('Vorname [NAME]\nNachname [NAME]');
    expect(masked('Kontoinhaber Max Mustermann\nIBAN folgt')).toBe('Kontoinhaber [NAME]\nIBAN folgt');
  });

  it("leaves a table's column heads, a firm, words that name no one and a label inside a sentence", () => {
    for (const text of ['Name Betrag Datum', 'Name Vorname Geburtsdatum', 'Name ISIN WKN', 'Name Wert', 'Name Ihrer Bank', 'Inhaber Deutsche Bank AG', 'Bitte Name Anna Schmidt', 'Name Anna Schmidt wurde falsch geschrieben']) {
      expect(masked(text)).toBe(text);
    }
  });
});
