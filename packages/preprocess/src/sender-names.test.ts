import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { senderNames } from './sender-names.js';

describe('senderNames', () => {
  it.each([
    ['Mehmet Kaya <m.kaya@example.com>', ['Mehmet Kaya']],
    ['"Kaya, Mehmet" <m.kaya@example.com>', ['Mehmet Kaya']],
    ["  'Jean-Baptiste Moreau'  <jb@example.org>", ['Jean-Baptiste Moreau']],
    ['Erika Mustermann', ['Erika Mustermann']],
    ['mehmet.kaya@example.com', ['Mehmet Kaya']],
    ['<anna_lena-schmidt@example.com>', ['Anna Lena Schmidt']],
    ['ANNA.SCHMIDT@example.com', ['Anna Schmidt']],
  ])('reads %j as %j', (from, names) => {
    expect(senderNames(from)).toEqual(names);
  });

  it.each([undefined, '', 'info@example.com', 'm.kaya@example.com', 'kunde123.x@example.com', 'a.b.c.d@example.com', '<>', 'Kunde Nr. 12345 <k@example.com>'])('gives nothing for %j', (from) => {
    expect(senderNames(from)).toEqual([]);
  });

  it('reads a display name in lower case capitalised, without a remark in brackets, and an address less the digits at its end', () => {
    expect(senderNames('erika musterfrau <x@web.de>')).toEqual(['Erika Musterfrau']);
    expect(senderNames('"müller-lüdenscheidt, erika" <x@web.de>')).toEqual(['Erika Müller-Lüdenscheidt']);
    expect(senderNames('"Erika Musterfrau (Musterfirma GmbH)" <x@web.de>')).toEqual(['Erika Musterfrau']);
    expect(senderNames('"Erika Musterfrau" (privat) <x@web.de>')).toEqual(['Erika Musterfrau']);
    expect(senderNames('Erika Musterfrau [Musterfirma] <x@web.de>')).toEqual(['Erika Musterfrau']);
    expect(senderNames('erika.musterfrau80@web.de')).toEqual(['Erika Musterfrau']);
    expect(senderNames('<anna_schmidt-1980@example.com>')).toEqual(['Anna Schmidt']);
    // A name with a capital stays as written: its words in lower case are particles or more than a name.
    expect(senderNames('Anna von der Heide <a@example.com>')).toEqual(['Anna von der Heide']);
    // Digits do not make a name: one letter before the surname, digits inside a word, a remark alone give nothing.
    for (const from of ['m.kaya80@example.com', 'kunde123.x@example.com', 'info2@example.com', '12345@example.com', '(Musterfirma GmbH) <x@example.com>']) expect(senderNames(from), from).toEqual([]);
    const text = 'Hier schreibt Erika Musterfrau. Musterfrau ist mein Name.';
    for (const from of ['erika musterfrau <x@web.de>', '"Erika Musterfrau (Musterfirma GmbH)" <x@web.de>', 'erika.musterfrau80@web.de'])
      expect(redactPii(text, { names: true, knownNames: senderNames(from) }).text, from).toBe('Hier schreibt [NAME]. [NAME] ist mein Name.');
  });

  it('masks the sender where no cue names them, as one of redactPii\'s known names', () => {
    // A Spanish closing, which masking does not know (`Cordialement`, which it did not know either, is a cue now).
    const text = 'Atentamente,\nJean Moreau\n\nPS: Moreau ist auch Mitinhaber.';
    expect(redactPii(text, { names: true }).text).toContain('Jean Moreau');
    expect(redactPii(text, { names: true, knownNames: senderNames('Jean Moreau <j@example.org>') }).text).toBe('Atentamente,\n[NAME]\n\nPS: [NAME] ist auch Mitinhaber.');
  });
});
