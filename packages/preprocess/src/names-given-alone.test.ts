import { describe, expect, it } from 'vitest';
import { namesFound } from './names.js';
import { redactPii } from './redact.js';
import { senderNames } from './sender-names.js';

// A person's given name alone, where the email names them whole elsewhere (its From, a signature): the same person, so
// masked too; never a given name that is also a word (`Rose`, `Frank`, `Ernst`), nor one of a placeholder (`Some One`).

const masked = (text: string, knownNames: string[] = []) => redactPii(text, { names: true, knownNames }).text;

describe('a given name alone, found whole elsewhere in the email', () => {
  it('masks the sender’s given name alone, as From gives the name', () => {
    const known = senderNames('Erika Beispiel <erika@example.org>');
    expect(masked('Erika hat die Vollmacht unterschrieben.', known)).toBe('[NAME] hat die Vollmacht unterschrieben.');
    expect(masked('ERIKA und ich', known)).toBe('[NAME] und ich');
    // Not in lower case, nor inside a word.
    expect(masked('erika und Erikas Depot', known)).toBe('erika und Erikas Depot');
  });

  it('masks the given name of a name signed in the same text, and of one found in another part of the email', () => {
    expect(masked('PS: Anna fragt nach dem Stand.\n\nViele Grüße\nAnna Beispiel')).toBe('PS: [NAME] fragt nach dem Stand.\n\nViele Grüße\n[NAME]');
    const signature = 'Viele Grüße\nAnna Beispiel';
    expect(masked('Anna fragt nach dem Stand.', namesFound(signature))).toBe('[NAME] fragt nach dem Stand.');
    // After a title: the given name with the surname.
    expect(masked('Frau Dr. Anna Beispiel hat angerufen. Anna bittet um Rückruf.')).toBe('Frau Dr. [NAME] hat angerufen. [NAME] bittet um Rückruf.');
  });

  it('keeps a given name that is also a word, a placeholder’s word, and the first word of a firm or a family', () => {
    expect(masked('Rose und Frank sind Wörter. Ernst gemeint.', ['Rose Beispiel', 'Frank Beispiel', 'Ernst Beispiel'])).toBe('Rose und Frank sind Wörter. Ernst gemeint.');
    expect(masked('Some subject', ['Some One'])).toBe('Some subject');
    expect(masked('Familie und Versicherung', [...senderNames('familie.beispiel@example.org'), 'Versicherung Beispiel AG'])).toBe('Familie und Versicherung');
    // A given name of a signer joined to another by `und` is not looked for alone, as before.
    expect(masked('Viele Grüße\nAnna und Peter Beispiel\n\nPS: Anna fragt.')).toBe('Viele Grüße\n[NAME] und [NAME]\n\nPS: Anna fragt.');
  });
});
