import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';
import { isDeviceLine, isSignOff } from './signature.js';

const CLOSINGS = [
  'Merci vielmal', 'En schöne Tag', 'Meilleures salutations', 'Salutations distinguées', 'Bonne journée', 'Avec mes meilleures salutations',
  'Un cordiale saluto', 'Saluti cordiali', 'Grazie e cordiali saluti', 'Lieber Gruss', 'Cordialement', 'Bien à vous', 'Cordiali saluti',
  'Distinti saluti', 'Besten Dank', 'Merci et bonne journée', 'Grazie mille', 'Buona giornata', 'Très cordialement', 'Schönen Tag noch',
];

describe('French, Italian and Swiss closings (a Swiss private bank’s customers)', () => {
  it.each(CLOSINGS)('cuts %j and the name under it, and masks the name where it is kept', (closing) => {
    const body = `Bitte das Konto saldieren.\n\n${closing}\nAnna Beispiel`;
    const r = cleanEmail({ body }, { redact: { names: true } });
    expect(r.text).toBe('Bitte das Konto saldieren.');
    expect(r.signature).toBe(`${closing}\nAnna Beispiel`);
    // The signature as `mailroute clean` writes it, and the text as stored with the scope `quotes`.
    expect(redactPii(r.signature!, { names: true }).text).toBe(`${closing}\n[NAME]`);
    expect(cleanEmail({ body }, { scope: 'quotes', redact: { names: true } }).text).toBe(`Bitte das Konto saldieren.\n\n${closing}\n[NAME]`);
  });

  it('reads the closings as sign-offs, and a greeting from a place', () => {
    for (const closing of CLOSINGS) expect(isSignOff(closing), closing).toBe(true);
    expect(isSignOff('Salutations de Genève')).toBe(true);
    expect(isSignOff('Saluti da Lugano')).toBe(true);
  });

  it('cuts the French and Italian `Get Outlook for iOS` lines', () => {
    for (const line of ['Obtenir Outlook pour iOS', 'Télécharger Outlook pour Android', 'Ottieni Outlook per iOS', 'Scarica Outlook per Android']) {
      expect(isDeviceLine(line), line).toBe(true);
    }
    const r = cleanEmail({ body: 'Merci de clôturer le compte.\n\nMeilleures salutations\nAnna Beispiel\n\nObtenir Outlook pour iOS' });
    expect(r.text).toBe('Merci de clôturer le compte.');
    expect(r.removed).toEqual([
      { kind: 'device', text: 'Obtenir Outlook pour iOS' },
      { kind: 'signature', text: 'Meilleures salutations\nAnna Beispiel' },
    ]);
  });

  it('keeps thanks that end the message, and prose that holds the words', () => {
    expect(cleanEmail({ body: 'Bitte das Konto saldieren.\n\nGrazie' }).text).toBe('Bitte das Konto saldieren.\n\nGrazie');
    expect(cleanEmail({ body: 'Bitte das Konto saldieren.\n\nMerci vielmal' }).text).toBe('Bitte das Konto saldieren.\n\nMerci vielmal');
    expect(isSignOff('Bonne journée à tous les collaborateurs de la banque qui ont aidé.')).toBe(false);
    expect(isDeviceLine('Obtenir Outlook pour mon compte')).toBe(false);
  });
});
