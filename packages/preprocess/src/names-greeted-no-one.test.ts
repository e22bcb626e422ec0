import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { namesFound } from './names.js';
import { redactPii } from './redact.js';

// A greeting takes the capitalised word before its comma for a name (`Hallo Anna,`), but not what greets no one:
// `Hallo Welt,`, `Hello World,`, `Hallo Du,`, a group, a desk.

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('a greeting that names no one', () => {
  it('keeps the world, a pronoun, friends, a group or a desk after a greeting, capitalised or not', () => {
    for (const text of [
      'Hallo Welt,\nich habe eine Frage zum Depot.',
      'Hello World,\nplease close my account.',
      'Guten Tag Welt,',
      'Hallo liebe Welt,',
      'hallo welt,',
      'Hallo Du,',
      'Dear Friends,',
      'Hallo Admin,',
      'Hallo Filiale,',
      'Hallo zusammen,',
      'Hallo Team,',
      'Hallo Support,',
      'Hallo liebes Team,',
      'Hi all,',
    ]) {
      expect(masked(text), JSON.stringify(text)).toBe(text);
      expect(namesFound(text), JSON.stringify(text)).toEqual([]);
    }
  });

  it('still masks a greeted name, with or without a title', () => {
    expect(masked('Hallo Anna,\nbitte prüfen.')).toBe('Hallo [NAME],\nbitte prüfen.');
    expect(masked('Hallo Herr Meier,')).toBe('Hallo Herr [NAME],');
    expect(masked('Liebe Frau Schmidt,')).toBe('Liebe Frau [NAME],');
    expect(masked('Hallo Anna Welt,')).toBe('Hallo [NAME],');
    expect(masked('hallo markus,')).toBe('hallo [NAME],');
  });

  it('keeps the greeting in the text cleaning and masking give', () => {
    const r = cleanEmail({ body: 'Hallo Welt,\nbitte mein Depot auflösen.\n\nViele Grüße\nAnna Beispiel' }, { redact: true });
    expect(r.text).toContain('Hallo Welt,');
  });
});
