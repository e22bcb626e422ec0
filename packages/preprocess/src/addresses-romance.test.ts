import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text, { names: true }).text;
const kept = (texts: readonly string[]) => {
  for (const text of texts) expect(masked(text), text).toBe(text);
};
const fill = (unit: string, size = 100_000) => unit.repeat(Math.ceil(size / unit.length));

describe('French, Italian and Swiss street addresses', () => {
  it.each([
    ['Rue de Lausanne 15, 1201 Genève', '[ADDRESS]'],
    ['Ma nouvelle adresse: Rue du Marché 3.', 'Ma nouvelle adresse: [ADDRESS].'],
    ['Avenue de la Gare 8, 1003 Lausanne', '[ADDRESS]'],
    ['Chemin de la Tour-de-Champel 12, 1206 Genève', '[ADDRESS]'],
    ["Route de l'Aéroport 10, 1215 Genève 15", '[ADDRESS]'],
    ['Quai du Mont-Blanc 5', '[ADDRESS]'],
    ['Boulevard Carl-Vogt 12', '[ADDRESS]'],
    ['Impasse des Lilas 1 et Allée des Pins 2', '[ADDRESS] et [ADDRESS]'],
    ['Av. de la Gare 8, 1003 Lausanne', '[ADDRESS]'],
    ['Place de la Gare 2', '[ADDRESS]'],
    ['Rue de la Servette 5, 1201 Genève, Suisse', '[ADDRESS], Suisse'],
    // France writes the number first.
    ['15 rue de la Paix, 75002 Paris', '[ADDRESS]'],
    ['Envoyez-le au 3 bis avenue Foch.', 'Envoyez-le au [ADDRESS].'],
    ['12, rue de Rivoli, F-75001 Paris', '[ADDRESS]'],
    // Italian.
    ['Via Nassa 5, 6900 Lugano', '[ADDRESS]'],
    ['Abito in via della Posta 3.', 'Abito in [ADDRESS].'],
    ['Piazza della Riforma 1, 6900 Lugano', '[ADDRESS]'],
    ['Viale Stefano Franscini 10', '[ADDRESS]'],
    ['Vicolo dei Calderai 4', '[ADDRESS]'],
    ['Corso Elvezia 3, 6900 Lugano', '[ADDRESS]'],
    ['Via Roma 12, I-00184 Roma', '[ADDRESS]'],
  ])('masks %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    ['Limmatquai 78, 8001 Zürich', '[ADDRESS]'],
    ['Ich wohne am Bergrain 4.', 'Ich wohne am [ADDRESS].'],
    ['Sonnenhalde 7, 8400 Winterthur', '[ADDRESS]'],
    ['Breitematt 2', '[ADDRESS]'],
    ['General-Guisan-Quai 5', '[ADDRESS]'],
    ['LIMMATQUAI 78', '[ADDRESS]'],
  ])('masks the Swiss German street %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it('keeps a mat and a number (`Yogamatte 2`), and masks a Swiss street named after a meadow (`-matt`, `-matte`)', () => {
    kept([
      'Yogamatte 2', 'Die Yogamatte 2 ist kaputt.', 'Ich habe die Fussmatte 3 mal reklamiert', 'Fußmatte 2', 'Isomatte 2 Stück',
      'Gymnastikmatte 1 und Turnmatte 2', 'YOGAMATTE 2', 'yogamatte 2', 'Schachmatt 2 Züge',
    ]);
    expect(masked('Bahnhofmatte 2')).toBe('[ADDRESS]');
    expect(masked('Neue Adresse: Kirchmatte 5, 6300 Zug')).toBe('Neue Adresse: [ADDRESS]');
    expect(masked('Ich wohne in der Sonnmatt 3.')).toBe('Ich wohne in der [ADDRESS].');
    // A mat's word with the postal code and town after it is a street all the same.
    expect(masked('Turnmatte 3, 6300 Zug')).toBe('[ADDRESS]');
  });

  it('masks a French street with its number before the type and the town after it, the postal code no house number', () => {
    expect(masked('12 rue du Rhône, 1204 Genève')).toBe('[ADDRESS]');
    expect(masked('Neue Adresse: 12 rue du Rhône, 1204 Genève.')).toBe('Neue Adresse: [ADDRESS].');
    expect(masked('Rue du Rhône 12, 1204 Genève')).toBe('[ADDRESS]');
  });

  it('masks a street without a street type before its postal code and a known town (`Graben 21, 1010 Wien`)', () => {
    expect(masked('Graben 21, 1010 Wien')).toBe('[ADDRESS]');
    expect(masked('Neue Adresse: Spalenberg 12, 4051 Basel.')).toBe('Neue Adresse: [ADDRESS].');
    expect(masked('Meine Adresse: Graben 21\n1010 Wien')).toBe('Meine Adresse: [ADDRESS]');
    // No known town, an amount or a count after the number: no address.
    kept(['Seite 21, 5000 Euro', 'Kapitel 3, 1200 Aktien', 'Graben 21, 1010 Dorfhausen', 'Position 3, 12000 Stück']);
  });

  it('masks the postal code and town before a street in the same phrase', () => {
    expect(masked('Ich wohne neu in 8400 Winterthur an der Technikumstrasse 9a.')).toBe('Ich wohne neu in [ADDRESS].');
    expect(masked('Adresse: 75002 Paris, 15 rue de la Paix')).toBe('Adresse: [ADDRESS]');
    expect(masked('Nuovo indirizzo: 6900 Lugano, Via Nassa 5')).toBe('Nuovo indirizzo: [ADDRESS]');
    // An amount before a street is no postal code and town.
    expect(masked('Ich habe 5000 Franken an der Bahnhofstrasse 3 abgehoben.')).toBe('Ich habe 5000 Franken an der [ADDRESS] abgehoben.');
    expect(masked('Ich habe 2000 CHF an der Bahnhofstrasse 3 abgehoben.')).toBe('Ich habe 2000 CHF an der [ADDRESS] abgehoben.');
  });

  it('masks French and Italian PO boxes with the town after them', () => {
    expect(masked('Case postale 123, 1211 Genève 3')).toBe('[ADDRESS]');
    expect(masked('Casella postale 456, 6901 Lugano')).toBe('[ADDRESS]');
    expect(masked('Boîte postale 12')).toBe('[ADDRESS]');
    expect(masked('Postfach 123, 8021 Zürich 1')).toBe('[ADDRESS]');
  });

  it('keeps French, Italian and English words that name a street type elsewhere', () => {
    kept([
      'via email', 'Ich habe via Twint 5 Franken bezahlt.', 'I paid via PayPal 3 times', 'Ho pagato via Postfinance 5 volte',
      'The event will take place 3 times', 'Please take Place 5 seriously', 'Take Route 66 to 12345 Somewhere', 'Route 66',
      'Corso di laurea', 'Il corso di 5 giorni', 'Il corso Python 3 inizia', 'Corso Elvezia 3', 'Largo Zorzi 2', 'Avenue 5', 'rue 3',
      'Via Roma, 12', 'Terrain 5 Hektar', 'The Strain 2 variant', 'Bahrain 2', 'auch. 5 Stück',
    ]);
  });

  it('masks long runs of streets, towns and PO boxes, placing each placeholder where its redaction says', () => {
    const runs = [
      fill('Rue de la Gare '), fill('Rue de la Gare 1 '), fill('via A '), fill('15 rue de la '), fill('Rue A-B-C-D-E '), fill('8400 Winterthur an der Musterstrasse 1 '),
      fill('8400 Winterthur '), fill('Case postale 1 '), fill('Rue A, 1201 Genève '), fill('Via Nassa 5, 6900 L '), `Rue ${fill('de la ')}Gare 5`, `Rue ${fill('A ')}5`,
      fill('Bergrain 4 '), fill('Terrain 4 '), fill('Yogamatte 2 '), fill('Bahnhofmatte 2 '),
    ];
    for (const text of runs) {
      const r = redactPii(text, { names: true });
      for (const x of r.redactions) expect(r.text.slice(x.start, x.end)).toBe(`[${x.type}]`);
    }
  }, 30_000);
});
