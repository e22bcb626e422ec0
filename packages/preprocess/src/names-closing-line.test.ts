import { describe, expect, it } from 'vitest';
import { namesFound } from './names.js';
import { redactPii } from './redact.js';

// A closing under another (`Danke.` then `Gruß Hamburg`) is a cue of its own: its line is not one name, so the closing
// stays, a place after it stays, and a name after it is masked.

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('a closing that opens the line under a closing', () => {
  it('keeps a place after the closing on its line', () => {
    for (const text of ['Danke.\n\nGruß Hamburg', 'Danke.\n\nSchöne Grüße München', 'Thanks!\nBest Regards London', 'Danke.\nCiao Hamburg']) {
      expect(masked(text), JSON.stringify(text)).toBe(text);
      expect(namesFound(text), JSON.stringify(text)).toEqual([]);
    }
  });

  it('masks the name after the closing, not the closing', () => {
    expect(masked('Danke.\n\nGruß Anna')).toBe('Danke.\n\nGruß [NAME]');
    expect(masked('Danke.\n\nGruß Anna Beispiel')).toBe('Danke.\n\nGruß [NAME]');
    expect(masked('Danke.\n\nSchöne Grüße Anna')).toBe('Danke.\n\nSchöne Grüße [NAME]');
    expect(masked('Thanks!\nBest Regards John Example')).toBe('Thanks!\nBest Regards [NAME]');
    expect(namesFound('Danke.\n\nGruß Anna Beispiel')).toEqual(['Anna Beispiel']);
  });

  it('masks the name under a closing that names no one by the word list (`Freundliche Grüße`), not the closing', () => {
    expect(masked('Vielen Dank im Voraus.\n\nFreundliche Grüße\nDavid Beispiel\nTel.: 0171 1234567')).toBe(
      'Vielen Dank im Voraus.\n\nFreundliche Grüße\n[NAME]\nTel.: [PHONE]',
    );
    expect(masked('Danke.\n\nSchöne Grüße')).toBe('Danke.\n\nSchöne Grüße');
  });
});
