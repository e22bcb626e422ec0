import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';
import { normaliseSubject } from './subject.js';

describe('detectLanguage', () => {
  it('tells German from English on one sentence', () => {
    expect(detectLanguage('Bitte überweisen Sie mir den Betrag bis Freitag.')).toBe('de');
    expect(detectLanguage('Ich habe eine Frage zu meinem Depot.')).toBe('de');
    expect(detectLanguage('Please send me the statement for my account.')).toBe('en');
    expect(detectLanguage('I would like to close my account.')).toBe('en');
  });

  it('tells the other languages of a German bank\'s customers (French, Spanish, Dutch, Italian, Polish, Turkish)', () => {
    expect(detectLanguage('Bonjour, je voudrais clôturer mon compte titres.')).toBe('fr');
    expect(detectLanguage('Hola, quiero cerrar mi cuenta.')).toBe('es');
    expect(detectLanguage('Buongiorno, vorrei chiudere il mio conto.')).toBe('it');
    expect(detectLanguage('Goedemorgen, ik wil graag mijn rekening opheffen, bedankt.')).toBe('nl');
    // Polish read as German for `konto` before, Turkish as undetermined.
    expect(detectLanguage('Dzień dobry, chciałbym zamknąć konto.')).toBe('pl');
    expect(detectLanguage('Merhaba, hesabımı kapatmak istiyorum.')).toBe('tr');
  });

  it("reads a German price list's `je` (per) as German, not French: a newsletter of `Je Order 3,90` lines", () => {
    expect(detectLanguage('NEWSLETTER DEZEMBER\nJe Order 3,90\nJe Sparplan 0,99\nJe Depot 0,00')).toBe('de');
    expect(detectLanguage('Je vous remercie, je voudrais un relevé.')).toBe('fr');
  });

  it('says und when there is no evidence, and never throws', () => {
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('12345 !!!')).toBe('und');
    expect(detectLanguage('\u0000\ud800')).toBe('und');
  });
});

describe('normaliseSubject', () => {
  it('removes stacked reply and forward prefixes', () => {
    expect(normaliseSubject('AW: WG: Re: Fwd: Depotübertrag')).toBe('Depotübertrag');
    expect(normaliseSubject('RE[2]:  Frage   zur Karte')).toBe('Frage zur Karte');
    expect(normaliseSubject(undefined)).toBe('');
    expect(normaliseSubject('Rechnung: März')).toBe('Rechnung: März');
  });

  it("removes the receiving system's external-sender tags, wherever they stand among the prefixes", () => {
    expect(normaliseSubject('[EXTERNAL] AW: Freistellungsauftrag')).toBe('Freistellungsauftrag');
    expect(normaliseSubject('AW: [Extern] Depotübertrag')).toBe('Depotübertrag');
    expect(normaliseSubject('*EXTERNAL* Re: Card blocked')).toBe('Card blocked');
    expect(normaliseSubject('EXTERN: [Externe E-Mail] Sparplan')).toBe('Sparplan');
    // A subject about external things keeps its words.
    expect(normaliseSubject('Externer Depotübertrag')).toBe('Externer Depotübertrag');
    expect(normaliseSubject('External transfer: status')).toBe('External transfer: status');
  });
});
