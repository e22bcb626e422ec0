import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { senderNames } from './sender-names.js';

// Masking gaps a data-protection review found in stored text (serving's --store-text, feedback export, mistakes.md).

const masked = (text: string, knownNames: string[] = []) => redactPii(text, { names: true, knownNames }).text;
const kept = (texts: readonly string[]) => {
  for (const text of texts) expect(masked(text), text).toBe(text);
};

describe('names with a middle initial', () => {
  it('masks the whole name, the initial and the surname after it too', () => {
    expect(masked('Dear Mr John A. Doe,')).toBe('Dear Mr [NAME],');
    expect(masked('Sehr geehrter Herr Hans P. Müller,')).toBe('Sehr geehrter Herr [NAME],');
    expect(masked('Best,\nJohn A. Doe')).toBe('Best,\n[NAME]');
    expect(masked('Mit freundlichen Grüßen\nHans P. Müller')).toBe('Mit freundlichen Grüßen\n[NAME]');
    expect(masked('Mit freundlichen Grüßen\nHans P. Müller\nTel. 0171 2345678')).toBe('Mit freundlichen Grüßen\n[NAME]\nTel. [PHONE]');
    expect(masked('Kind regards,\nJ. R. R. Tolkien')).toBe('Kind regards,\n[NAME]');
    expect(masked('I am writing on behalf of John F. Kennedy.')).toBe('I am writing on behalf of [NAME].');
  });

  it('takes no sentence after a single capital and its dot for a name', () => {
    kept(['Bitte prüfen Sie Anlage A. Danke.', 'Das steht in Abschnitt B. Viele Grüße']);
  });
});

describe('hyphenated names and the sender’s address', () => {
  it('masks the whole hyphenated word of a name found again', () => {
    expect(masked('Estate of Karl-Heinz Brandt', ['Karl Brandt'])).toBe('Estate of [NAME] [NAME]');
    expect(masked('Frau Müller-Brandt hat angerufen', ['Karl Brandt'])).toBe('Frau [NAME] hat angerufen');
    expect(masked('KARL-HEINZ BRANDT', ['Karl Brandt'])).toBe('[NAME] [NAME]');
    // What makes the surname a company's stays, hyphen or not.
    expect(masked('50 Brandt-Aktien kaufen', ['Karl Brandt'])).toBe('50 Brandt-Aktien kaufen');
  });

  it('reads no suffix or ordinary word of an address or display name as part of the sender’s name', () => {
    expect(senderNames('karl.brandt.jr@example.org')).toEqual(['Karl Brandt']);
    expect(senderNames('john.doe.investor@example.org')).toEqual(['John Doe']);
    expect(senderNames('anna.schmidt.privat@example.org')).toEqual(['Anna Schmidt']);
    expect(senderNames('"Doe, Jr., John" <j@example.org>')).toEqual([]);
    expect(senderNames('"John Doe, Jr." <j@example.org>')).toEqual(['John Doe']);
    expect(senderNames('Karl Brandt III <k@example.org>')).toEqual(['Karl Brandt']);
    expect(senderNames('anna.maria.schmidt@example.org')).toEqual(['Anna Maria Schmidt']);
    const from = senderNames('karl.brandt.jr@example.org');
    expect(masked('Estate of Karl-Heinz Brandt\n\nMr Brandt Jr wrote', from)).toBe('Estate of [NAME] [NAME]\n\nMr [NAME] wrote');
  });
});

describe('relatives the writer names', () => {
  it('masks a name after a relative in any case of `mein` and after `my late`', () => {
    expect(masked('das Konto meiner Mutter Gertrud Krüger')).toBe('das Konto meiner Mutter [NAME]');
    expect(masked('das Depot von meinem Vater Andrzej Kowalski')).toBe('das Depot von meinem Vater [NAME]');
    expect(masked('die Erbschaft meines verstorbenen Vaters Hans Meier')).toBe('die Erbschaft meines verstorbenen Vaters [NAME]');
    expect(masked('Mein Mann Thomas Becker hat Zugriff.')).toBe('Mein Mann [NAME] hat Zugriff.');
    expect(masked('My late father Karl-Heinz Brandt has died.')).toBe('My late father [NAME] has died.');
    expect(masked('I write on behalf of my late father, Karl-Heinz Brandt.')).toBe('I write on behalf of my late father, [NAME].');
    expect(masked('my late mother Jane Smith')).toBe('my late mother [NAME]');
    // A title after the relative cues the name itself, and stays.
    expect(masked('das Depot meines Vaters Herrn Karl Brandt')).toBe('das Depot meines Vaters Herrn [NAME]');
    expect(masked('meine Frau Schmidt')).toBe('meine Frau [NAME]');
  });

  it('masks a given name alone after a close relative where it can be no object', () => {
    expect(masked('Meine Tochter Emma soll ein Depot bekommen.')).toBe('Meine Tochter [NAME] soll ein Depot bekommen.');
    expect(masked('Mein Sohn Max hat ein Konto.')).toBe('Mein Sohn [NAME] hat ein Konto.');
    expect(masked('Can my son Paul open an account?')).toBe('Can my son [NAME] open an account?');
    kept([
      'Darf meine Tochter Aktien kaufen?',
      'Ich möchte meinem Sohn Geld überweisen.',
      'Kann meine Mutter Zugriff bekommen?',
      'Meine Bank Sparkasse hat geschlossen.',
      'Meine Mutter Sie wissen ja Bescheid.',
      'Mein Vater Jahrgang 1950',
      'Meine Mutter Anfang des Jahres ist verstorben.',
      'Mein Mann Ende Mai',
      'Mein Sohn Bitte melden',
      'My son Has An Account',
      'Ein Sohn Peter',
    ]);
  });
});

describe('names born with, and families signing', () => {
  it('masks the name after `geb.`, `geborene` or `née` after a masked name', () => {
    expect(masked('Mit freundlichen Grüßen\nNicole Braun, geb. Schulte')).toBe('Mit freundlichen Grüßen\n[NAME], geb. [NAME]');
    expect(masked('Mit freundlichen Grüßen\nNicole Braun geb. Schulte\nTel. 0171 2345678')).toBe('Mit freundlichen Grüßen\n[NAME] geb. [NAME]\nTel. [PHONE]');
    expect(masked('Ihre Kundin seit 2010\nNicole Braun, geb. Schulte', ['Nicole Braun'])).toBe('Ihre Kundin seit 2010\n[NAME], geb. [NAME]');
    expect(masked('Name: Nicole Braun geborene Schulte')).toBe('Name: [NAME] geborene [NAME]');
    expect(masked('Dear Mrs Jane Smith née Jones,')).toBe('Dear Mrs [NAME] née [NAME],');
    // `geb.` before a date is the birth date's keyword.
    expect(masked('Mit freundlichen Grüßen\nNicole Braun, geb. 14.03.1971')).toBe('Mit freundlichen Grüßen\n[NAME], geb. [BIRTHDATE]');
    kept(['Die Urkunde ist geb. Schulte ausgestellt.']);
  });

  it('masks the surname a family signs with, and looks for it elsewhere', () => {
    expect(masked('Viele Grüße\nFam. Krüger')).toBe('Viele Grüße\nFam. [NAME]');
    expect(masked('Viele Grüße\nFamilie Krüger')).toBe('Viele Grüße\nFamilie [NAME]');
    expect(masked('Bitte an Krüger zahlen.\n\nViele Grüße\nFamilie Krüger')).toBe('Bitte an [NAME] zahlen.\n\nViele Grüße\nFamilie [NAME]');
  });
});

describe('the noun of a request after a cued name', () => {
  it('ends the name before it, so the topic word stays and is not looked for elsewhere as a name', () => {
    expect(masked('Bitte meiner Tochter Anna Schmidt Vollmacht erteilen.')).toBe('Bitte meiner Tochter [NAME] Vollmacht erteilen.');
    expect(masked('Bitte Herrn Meier Kontoauszüge zusenden. Die Kontoauszüge fehlen seit Mai.')).toBe('Bitte Herrn [NAME] Kontoauszüge zusenden. Die Kontoauszüge fehlen seit Mai.');
    expect(masked('Mein Vater Karl Huber Testament liegt bei.')).toBe('Mein Vater [NAME] Testament liegt bei.');
    expect(masked('Bitte Frau Dr. Weber Zugang zum Depot geben.')).toBe('Bitte Frau Dr. [NAME] Zugang zum Depot geben.');
    expect(masked('Mein Name ist Anna Schmidt Vollmacht liegt bei.')).toBe('Mein Name ist [NAME] Vollmacht liegt bei.');
    expect(masked('Bitte meiner Tochter Anna Vollmacht erteilen.')).toBe('Bitte meiner Tochter [NAME] Vollmacht erteilen.');
  });

  it('still masks a name that a noun word once made no name, and a name of three words', () => {
    expect(masked('Bitte meiner Tochter Anna Schmidt Konto eröffnen.')).toBe('Bitte meiner Tochter [NAME] Konto eröffnen.');
    expect(masked('Ich bin Peter Müller Kunde seit 2010.')).toBe('Ich bin [NAME] Kunde seit 2010.');
    expect(masked('Bitte meiner Tochter Anna Maria Schmidt die Karte senden.')).toBe('Bitte meiner Tochter [NAME] die Karte senden.');
    expect(masked('Mein Vater Karl Heinz Huber ist verstorben.')).toBe('Mein Vater [NAME] ist verstorben.');
    expect(masked('Bitte Herrn Hans Hartung anrufen.')).toBe('Bitte Herrn [NAME] anrufen.');
    // A title before a noun alone: masked as before (the cue's own checks decide).
    expect(masked('Bitte Herrn Karte anrufen.')).toBe('Bitte Herrn [NAME] anrufen.');
  });
});

describe('a surname that is also a word of dates or money, found again alone', () => {
  it('keeps the month, day, season or currency the request is about, and masks the person where a cue names them', () => {
    expect(masked('Sehr geehrter Herr Mai,\nbitte die Rate im Mai aussetzen.')).toBe('Sehr geehrter Herr [NAME],\nbitte die Rate im Mai aussetzen.');
    expect(masked('Sehr geehrter Herr August,\nbitte ab August 500 EUR sparen.')).toBe('Sehr geehrter Herr [NAME],\nbitte ab August 500 EUR sparen.');
    expect(masked('Sehr geehrter Herr Franken,\nbitte 1000 Franken überweisen.')).toBe('Sehr geehrter Herr [NAME],\nbitte 1000 Franken überweisen.');
    expect(masked('Dear Mr Friday,\nplease call me on Friday.')).toBe('Dear Mr [NAME],\nplease call me on Friday.');
    expect(masked('Sehr geehrte Frau Winter,\nim Winter bin ich weg.\nGrüße an Frau Winter')).toBe('Sehr geehrte Frau [NAME],\nim Winter bin ich weg.\nGrüße an Frau [NAME]');
  });

  it('masks such a word where it names the person: not after a date word or a number, nor before a number', () => {
    expect(masked('Sehr geehrter Herr Winter,\nHerr Winter hat angerufen. Winter meinte, es eilt.')).toBe('Sehr geehrter Herr [NAME],\nHerr [NAME] hat angerufen. [NAME] meinte, es eilt.');
    expect(masked('Bitte an Frau Mai weiterleiten. Mai hat die Unterlagen.')).toBe('Bitte an Frau [NAME] weiterleiten. [NAME] hat die Unterlagen.');
    expect(masked('Sehr geehrte Frau Mai,\ndie Rate bitte ab 1. Mai 2026 aussetzen.')).toBe('Sehr geehrte Frau [NAME],\ndie Rate bitte ab 1. Mai 2026 aussetzen.');
  });

  it('still masks other surnames found again alone, after a number too (a file name)', () => {
    expect(masked('Sehr geehrter Herr Müller,\nich habe mit Müller telefoniert.')).toBe('Sehr geehrter Herr [NAME],\nich habe mit [NAME] telefoniert.');
    expect(masked('Sehr geehrte Frau Weber,\nanbei Kontoauszug 2026 Weber.pdf')).toBe('Sehr geehrte Frau [NAME],\nanbei Kontoauszug 2026 [NAME].pdf');
  });
});
