import { describe, expect, it } from 'vitest';
import { spacedAttachmentName } from './attachment-words.js';
import { namesFound } from './names.js';
import { redactPii } from './redact.js';
import { senderNames } from './sender-names.js';

// Stored attachment names are masked as stored text is (serving's keepTrainingFields): spaced apart, with the names
// the email gives (its From, the names its cues find) as known names. The sender's given name alone is masked too.

const maskedName = (name: string, knownNames: string[]) => redactPii(spacedAttachmentName(name), { names: true, knownNames }).text;

describe('attachment names masked with the email’s names', () => {
  it('masks the sender’s given name alone, as the whole name and the surname', () => {
    const known = senderNames('Erika Beispiel <erika@example.org>');
    expect(maskedName('Kontoauszug_Januar_2026_Erika.pdf', known)).toBe('Kontoauszug Januar 2026 [NAME].pdf');
    expect(maskedName('Vollmacht_Erika_Beispiel.pdf', known)).toBe('Vollmacht [NAME].pdf');
    expect(maskedName('BeispielVertrag.pdf', known)).toBe('[NAME] Vertrag.pdf');
  });

  it('masks the given name of a name signed in the body', () => {
    const known = namesFound('Anbei die Unterlagen.\n\nMit freundlichen Grüßen\nHendrik Beispiel');
    expect(maskedName('Gehaltsnachweis-Hendrik.pdf', known)).toBe('Gehaltsnachweis [NAME].pdf');
  });

  it('masks a name written in ASCII (`ue`, `oe`, `ae`, `ss`, or without its accents) as the sender’s name has it', () => {
    const known = senderNames('Anna Müller <anna@example.org>');
    expect(maskedName('Ausweis_Anna_Mueller.pdf', known)).toBe('Ausweis [NAME].pdf');
    expect(maskedName('Ausweis_Mueller.pdf', known)).toBe('Ausweis [NAME].pdf');
    expect(maskedName('ANNA_MUELLER.pdf', known)).toBe('[NAME].pdf');
    expect(maskedName('Ausweis_Anna_Muller.pdf', known)).toBe('Ausweis [NAME].pdf');
    expect(maskedName('Vollmacht_Francois_Weiss.pdf', senderNames('François Weiß <f@example.org>'))).toBe('Vollmacht [NAME].pdf');
    // Never in lower case: a word, not a name.
    expect(maskedName('mueller_vertrag.pdf', known)).toBe('mueller vertrag.pdf');
  });

  it('keeps a file name’s words that are given names and words too', () => {
    expect(maskedName('Rose_Kaufvertrag.pdf', senderNames('Rose Beispiel <r@example.org>'))).toBe('Rose Kaufvertrag.pdf');
  });
});
