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

  it('masks the sender where no cue names them, as one of redactPii\'s known names', () => {
    // A Spanish closing, which masking does not know (`Cordialement`, which it did not know either, is a cue now).
    const text = 'Atentamente,\nJean Moreau\n\nPS: Moreau ist auch Mitinhaber.';
    expect(redactPii(text, { names: true }).text).toContain('Jean Moreau');
    expect(redactPii(text, { names: true, knownNames: senderNames('Jean Moreau <j@example.org>') }).text).toBe('Atentamente,\n[NAME]\n\nPS: [NAME] ist auch Mitinhaber.');
  });
});
