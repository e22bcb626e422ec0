import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { namesFound } from './names.js';
import { isPlaceLine } from './place-words.js';
import { redactPii } from './redact.js';

// A place on the line under a closing (`Viele Grüße\nBerlin, Germany`) says where the writer is, not who: no name to
// mask there, nor to look for elsewhere in the email. A name on that line is masked as before, and a place after it kept.

const NAMES = { names: true };
const masked = (text: string) => redactPii(text, NAMES).text;

describe('a place under a closing', () => {
  it('keeps a town and its country, a town alone or a country alone, under a closing', () => {
    for (const text of [
      'Hallo,\nbitte Depot prüfen.\n\nViele Grüße\nBerlin, Germany',
      'Danke.\n\nMit freundlichen Grüßen\nFrankfurt am Main',
      'Thanks.\n\nBest regards\nLondon, UK',
      'Thanks.\n\nBest regards\nNew York, USA',
      'Danke.\n\nViele Grüße\nMünchen',
      'Danke.\n\nViele Grüße\nWien, Österreich',
      'Danke.\n\nLG\nZürich, Schweiz',
      'Danke.\n\nMfG\nHamburg',
      'Danke.\n\nGrüße\nBad Homburg',
      'Danke.\n\nViele Grüße\nBad Homburg, Germany',
      'Danke.\n\nViele Grüße\nKöln, DE',
      'Danke.\n\nViele Grüße\nMünchen, Bayern',
      'Danke.\n\nViele Grüße\nNeustadt an der Weinstraße',
      'Danke.\n\nViele Grüße, Berlin',
      'Danke.\n\nViele Grüße\nGermany',
    ]) {
      expect(masked(text), JSON.stringify(text)).toBe(text);
      expect(namesFound(text), JSON.stringify(text)).toEqual([]);
    }
  });

  it('masks the name under a closing, and a name before its town or country, keeping the place', () => {
    expect(masked('Danke.\n\nViele Grüße\nAnna Beispiel')).toBe('Danke.\n\nViele Grüße\n[NAME]');
    expect(masked('Danke.\n\nViele Grüße\nAnna Beispiel\nBerlin, Germany')).toBe('Danke.\n\nViele Grüße\n[NAME]\nBerlin, Germany');
    expect(masked('Danke.\n\nViele Grüße\nAnna Beispiel, Berlin')).toBe('Danke.\n\nViele Grüße\n[NAME], Berlin');
    expect(masked('Danke.\n\nViele Grüße\nAnna Beispiel, London, UK')).toBe('Danke.\n\nViele Grüße\n[NAME], London, UK');
    expect(masked('Danke.\n\nViele Grüße\nBeispiel, Anna')).toBe('Danke.\n\nViele Grüße\n[NAME]');
    expect(masked('Danke.\n\nViele Grüße aus Berlin\nAnna')).toBe('Danke.\n\nViele Grüße aus Berlin\n[NAME]');
    // A surname or name that is a known town's word inside a longer name stays a name.
    expect(masked('Danke.\n\nViele Grüße\nFrank Essen')).toBe('Danke.\n\nViele Grüße\n[NAME]');
  });

  it('reads a line as a place only as a whole: a town or country, maybe after a town, or a town by its form', () => {
    for (const line of ['Berlin', 'Berlin, Germany', 'Beispielstadt, DE', 'St. Gallen', 'Bad Soden am Taunus', 'Mülheim an der Ruhr', 'London, United Kingdom', 'Germany']) expect(isPlaceLine(line), line).toBe(true);
    for (const line of ['Anna Beispiel', 'Anna Beispiel, Germany', 'Beispiel, Anna', 'Leiter bei Beispiel GmbH', 'Berlin Beispiel', 'Berlin, Germany, Europe', 'Paris', 'Bad', 'de', '']) expect(isPlaceLine(line), line).toBe(false);
  });

  it('does not mask the town elsewhere in the email once its signature is read (`mailroute clean` looks for signed names)', () => {
    const body = 'Hallo,\nich ziehe nach München um, bitte die Adresse ändern.\n\nViele Grüße\nMünchen';
    const r = cleanEmail({ body });
    expect(r.signature).toBe('Viele Grüße\nMünchen');
    const known = [r.text, r.signature ?? ''].flatMap(namesFound);
    expect(known).toEqual([]);
    expect(redactPii(r.text, { names: true, knownNames: known }).text).toBe('Hallo,\nich ziehe nach München um, bitte die Adresse ändern.');
  });
});
