import { describe, expect, it } from 'vitest';
import { maskedErrorText } from '../tracking/run-record.js';
import { maskedText, quotedAsWritten, quotedCell, shownCell } from './quoted-cell.js';

describe('quotedCell (a cell of the export as a kept message quotes it)', () => {
  it('masks as a failed run masks its error, names too, before it cuts to 40 characters', () => {
    expect(quotedCell('Kunde Anna Schmidt Tel 0171 2345678')).toBe('"Kunde Anna Schmidt Tel [PHONE]"');
    expect(quotedCell('Mit freundlichen Grüßen\nAnna Schmidt')).toBe('"Mit freundlichen Grüßen [NAME]"');
    expect(quotedCell('Herr Müller')).toBe('"Herr [NAME]"');
    // An IBAN past the 40th character is masked whole, not cut short first (a cut IBAN is no IBAN to the masking).
    const long = 'Überweisung an Anna Schmidt, Goethestraße 12, 10115 Berlin, IBAN DE89 3704 0044 0532 0130 00';
    expect(shownCell(long)).toBe('Überweisung an Anna Schmidt, [ADDRESS],...');
    expect(shownCell(long)).not.toMatch(/Goethe|10115|DE89/);
    expect(maskedText(long)).toBe(maskedErrorText(long));
  });

  it('quotes a label that is plainly one as written, so its typo is seen', () => {
    for (const label of ['tax_documnt', 'Card Arrival', 'login_2fa', 'queue-v2', 'Steuerbescheinigung']) {
      expect(quotedCell(label)).toBe(JSON.stringify(label));
      expect(quotedAsWritten(label)).toBe(true);
    }
    expect(quotedCell('Kunde "VIP"')).toBe('"Kunde \\"VIP\\""');
    for (const cell of ['Kunde 0171 2345678', 'Herr Müller', 'a'.repeat(41)]) expect(quotedAsWritten(cell)).toBe(false);
    // Blanks as written: a label refused for two spaces inside (or a tab, a trailing blank) is not quoted as the one it
    // is not, and the alias copied from the message maps it.
    expect(quotedCell('Technical  Support')).toBe('"Technical  Support"');
    expect(quotedCell('Technical\tSupport ')).toBe('"Technical\\tSupport "');
    expect(quotedAsWritten('two  spaces')).toBe(true);
  });

  it('masks a long cell by its start, but whole where that start masks to little', () => {
    const body = `Guten Tag, ${'bitte prüfen Sie meine Überweisung. '.repeat(100)}IBAN DE89 3704 0044 0532 0130 00`;
    expect(shownCell(body)).toBe('Guten Tag, bitte prüfen Sie meine Überwe...');
    // Blanks up to the cut at 1000 characters, then an IBAN the cut would split: masked whole, not quoted half.
    expect(shownCell(`${' '.repeat(990)}DE89 3704 0044 0532 0130 00`)).toBe('[IBAN]');
    // Not cut between the halves of an emoji.
    expect(shownCell(`${'x'.repeat(39)}😀 and more`)).toBe(`${'x'.repeat(39)}...`);
  });
});
