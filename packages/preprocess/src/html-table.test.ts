import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { htmlToText, htmlToTextParts } from './html.js';
import { redactPii } from './redact.js';

const row = (tag: string, cells: string[]): string => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
const table = (...rows: string[]): string => `<table>${rows.join('')}</table>`;

describe('a header row over a few value rows reads as `Header: value` lines', () => {
  it('writes each value after its header, one pair a line', () => {
    const html = table(row('th', ['Kundennummer', 'Depotnummer']), row('td', ['1234567890', '9876543210']));
    expect(htmlToText(html)).toBe('Kundennummer: 1234567890\nDepotnummer: 9876543210');
  });

  it('masks every value as its header names it (the depot number leaked when it read `[ACCOUNT] 9876543210`)', () => {
    const html = `<p>Hallo,</p>${table(row('th', ['Kundennummer', 'Depotnummer']), row('td', ['1234567890', '9876543210']))}<p>bitte das Depot schließen.</p>`;
    const { text } = cleanEmail({ html });
    expect(text).toBe('Hallo,\n\nKundennummer: [ACCOUNT]\nDepotnummer: [ACCOUNT]\n\nbitte das Depot schließen.');
    expect(text).not.toMatch(/\d/);
  });

  it('takes a first row of short <td> labels with no digit over values whose first cell holds one', () => {
    const html = table(row('td', ['Kundennummer', 'Depotnummer', 'Steuer-ID']), row('td', ['1234567890', '9876543210', '12 345 678 901']));
    expect(htmlToText(html)).toBe('Kundennummer: 1234567890\nDepotnummer: 9876543210\nSteuer-ID: 12 345 678 901');
    expect(cleanEmail({ html }).text).toBe('Kundennummer: [ACCOUNT]\nDepotnummer: [ACCOUNT]\nSteuer-ID: [TAX_ID]');
  });

  it("reads <thead>/<tbody>, Word's paragraphs in cells, a header's own colon, a caption, and a table left open", () => {
    const expected = 'Kundennummer: 1234567890\nDepotnummer: 9876543210';
    expect(htmlToText(`<table><thead>${row('th', ['Kundennummer', 'Depotnummer'])}</thead><tbody>${row('td', ['1234567890', '9876543210'])}</tbody></table>`)).toBe(expected);
    const word = (s: string): string => `<p class=MsoNormal>${s}<o:p></o:p></p>`;
    expect(htmlToText(table(row('td', [word('Kundennummer'), word('Depotnummer')]), row('td', [word('1234567890'), word('9876543210')])))).toBe(expected);
    expect(htmlToText(table(row('th', ['Kundennummer:', 'Depotnummer:']), row('td', ['1234567890', '9876543210'])))).toBe(expected);
    expect(htmlToText(`<table><caption>Ihre Daten</caption>${row('th', ['Kundennummer', 'Depotnummer'])}${row('td', ['1234567890', '9876543210'])}</table>`)).toBe(`Ihre Daten\n\n${expected}`);
    expect(htmlToText(`<p>Hallo</p><table>${row('th', ['Kundennummer', 'Depotnummer'])}${row('td', ['1234567890', '9876543210'])}`)).toBe(`Hallo\n\n${expected}`);
  });

  it('writes up to 3 value rows as records split by a blank line, leaving out empty values', () => {
    const html = table(row('th', ['Datum', 'Betrag', 'Verwendungszweck']), row('td', ['01.02.2025', '12,00 EUR', 'Miete']), row('td', ['03.02.2025', '5,00 EUR', '']));
    expect(htmlToText(html)).toBe('Datum: 01.02.2025\nBetrag: 12,00 EUR\nVerwendungszweck: Miete\n\nDatum: 03.02.2025\nBetrag: 5,00 EUR');
  });

  it('pairs a table inside a layout table, and a quoted one in the quoted text', () => {
    const inner = table(row('th', ['Kundennummer', 'Depotnummer']), row('td', ['1234567890', '9876543210']));
    expect(htmlToText(`<table><tr><td>${inner}</td></tr><tr><td>Impressum</td></tr></table>`)).toBe('Kundennummer: 1234567890\nDepotnummer: 9876543210\n\nImpressum');
    expect(htmlToTextParts(`<div>Neu</div><blockquote type="cite">${inner}</blockquote>`)).toEqual({ text: 'Neu', quoted: 'Kundennummer: 1234567890\nDepotnummer: 9876543210' });
  });
});

describe('other tables read as before', () => {
  it('keeps a `label | value` table, one field a row, already masked (keyword then value on one line)', () => {
    const html = table(row('td', ['Kundennummer', '1234567890']), row('td', ['Depotnummer', '9876543210']));
    expect(htmlToText(html)).toBe('Kundennummer 1234567890\nDepotnummer 9876543210');
    expect(cleanEmail({ html }).text).toBe('Kundennummer [ACCOUNT]\nDepotnummer [ACCOUNT]');
    // Its first row all text is no header: the first column of the rows under it is text too.
    const named = table(row('td', ['Name', 'Anna Schmidt']), row('td', ['Kundennummer', '1234567890']));
    expect(htmlToText(named)).toBe('Name Anna Schmidt\nKundennummer 1234567890');
    expect(cleanEmail({ html: named }).text).toBe('Name Anna Schmidt\nKundennummer [ACCOUNT]');
    // Row headers (<th> first in each row) name the value beside them.
    const rowHeads = '<table><tr><th>Name</th><td>Anna Schmidt</td></tr><tr><th>Depotnummer</th><td>9876543210</td></tr></table>';
    expect(htmlToText(rowHeads)).toBe('Name Anna Schmidt\nDepotnummer 9876543210');
  });

  it('keeps a list of more than 3 value rows (a statement) as its header line over one line a row', () => {
    const rows = ['01.02.2025', '02.02.2025', '03.02.2025', '04.02.2025'].map((d, i) => row('td', [d, `${i + 1},00 EUR`, 'Lastschrift']));
    expect(htmlToText(table(row('th', ['Datum', 'Betrag', 'Verwendungszweck']), ...rows))).toBe(
      'Datum Betrag Verwendungszweck\n01.02.2025 1,00 EUR Lastschrift\n02.02.2025 2,00 EUR Lastschrift\n03.02.2025 3,00 EUR Lastschrift\n04.02.2025 4,00 EUR Lastschrift',
    );
  });

  it('keeps layout tables: one column, text cells over text, paragraphs, rows of other lengths, a table in a cell', () => {
    expect(htmlToText(table(row('td', ['Newsletter']), row('td', ['Ausgabe 12/2025'])))).toBe('Newsletter\nAusgabe 12/2025');
    expect(htmlToText(table(row('td', ['Name', 'Vorname']), row('td', ['Schmidt', 'Anna'])))).toBe('Name Vorname\nSchmidt Anna');
    expect(htmlToText(table(row('td', ['Logo', 'Kontakt']), row('td', ['Unsere Filiale<br>Hauptstraße 1', 'Tel. 069 123456'])))).toBe('Logo Kontakt\nUnsere Filiale\nHauptstraße 1 Tel. 069 123456');
    expect(htmlToText(table(row('th', ['Kundennummer', 'Depotnummer']), row('td', ['1234567890'])))).toBe('Kundennummer Depotnummer\n1234567890');
    const nested = table(row('td', ['Kundennummer', 'Depotnummer']), row('td', ['1234567890', table(row('td', ['9876543210']))]));
    expect(htmlToText(nested)).toBe('Kundennummer Depotnummer\n1234567890\n\n9876543210');
  });

  it('keeps a header row with a digit in a <td>, or a cell longer than a label', () => {
    expect(htmlToText(table(row('td', ['Stand 2025', 'Betrag']), row('td', ['01.02.2025', '12,00 EUR'])))).toBe('Stand 2025 Betrag\n01.02.2025 12,00 EUR');
    const long = 'Bitte geben Sie bei allen Rückfragen diese Nummer an';
    expect(htmlToText(table(row('th', [long, 'Depotnummer']), row('td', ['1234567890', '9876543210'])))).toBe(`${long} Depotnummer\n1234567890 9876543210`);
  });
});

describe('a header row of <th>s over a first column of text', () => {
  it('reads a `Feld | Wert` table over label rows row by row, so that each value is masked after its label', () => {
    const html = table(row('th', ['Feld', 'Wert']), row('td', ['Kundennummer', '1234567890']));
    expect(htmlToText(html)).toBe('Feld Wert\nKundennummer 1234567890');
    expect(cleanEmail({ html }).text).toBe('Feld Wert\nKundennummer [ACCOUNT]');
    // Three label rows: each value masked, and none of them taken for a signature.
    const three = table(row('th', ['Feld', 'Wert']), row('td', ['Kundennummer', '1234567890']), row('td', ['Depotnummer', '9876543210']), row('td', ['IBAN', 'DE89 3704 0044 0532 0130 00']));
    expect(cleanEmail({ html: three }).text).toBe('Feld Wert\nKundennummer [ACCOUNT]\nDepotnummer [ACCOUNT]\nIBAN [IBAN]');
    const short = table(row('th', ['Bezeichnung', 'Angabe']), row('td', ['KNr.', '12345678']), row('td', ['PIN', '4711']));
    expect(cleanEmail({ html: short }).text).toBe('Bezeichnung Angabe\nKNr. [ACCOUNT]\nPIN [CREDENTIAL]');
    // With names masked, a name after its label too.
    expect(redactPii(htmlToText(table(row('th', ['Feld', 'Wert']), row('td', ['Name', 'Anna Beispiel']))), { names: true }).text).toBe('Feld Wert\nName [NAME]');
  });

  it('pairs a table whose headers name the values of a first column of people or products', () => {
    const html = table(row('th', ['Name', 'Kundennummer']), row('td', ['Anna Beispiel', '1234567890']));
    expect(htmlToText(html)).toBe('Name: Anna Beispiel\nKundennummer: 1234567890');
    expect(cleanEmail({ html }).text).toBe('Name: Anna Beispiel\nKundennummer: [ACCOUNT]');
    expect(htmlToText(table(row('th', ['Produkt', 'Kontonummer']), row('td', ['Girokonto', '1234567890'])))).toBe('Produkt: Girokonto\nKontonummer: 1234567890');
    // Nothing masked either way: the pairs, as before.
    expect(htmlToText(table(row('th', ['Tag', 'Status']), row('td', ['Montag', 'offen'])))).toBe('Tag: Montag\nStatus: offen');
  });
});
