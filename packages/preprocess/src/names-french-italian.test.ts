import { describe, expect, it } from 'vitest';
import { namesFound } from './names.js';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text, { names: true }).text;
const kept = (texts: readonly string[]) => {
  for (const text of texts) expect(masked(text), text).toBe(text);
};
const fill = (unit: string, size = 100_000) => unit.repeat(Math.ceil(size / unit.length));

describe('French and Italian names (a Swiss private bank’s customers)', () => {
  it.each([
    ['Bonjour Madame Dupont,', 'Bonjour Madame [NAME],'],
    ['Madame Dupont a appelé hier.', 'Madame [NAME] a appelé hier.'],
    ['Mme Dupont, Mme. Favre', 'Mme [NAME], Mme. [NAME]'],
    ['M. Dupont a signé.', 'M. [NAME] a signé.'],
    ['Monsieur Jean Dupont', 'Monsieur [NAME]'],
    ['Mlle Favre et Mademoiselle Morel', 'Mlle [NAME] et Mademoiselle [NAME]'],
    ['Signora Rossi, Signor Bianchi, Sig. Verdi, Sig.ra Neri', 'Signora [NAME], Signor [NAME], Sig. [NAME], Sig.ra [NAME]'],
    ['Chère Madame Favre,', 'Chère Madame [NAME],'],
    ['Cher Monsieur Dupont,', 'Cher Monsieur [NAME],'],
    ['Buongiorno Signora Bianchi,', 'Buongiorno Signora [NAME],'],
    ['Gentile Dott.ssa Ferrari,', 'Gentile Dott.ssa [NAME],'],
    // Hyphenated given names whole, and the particles of a surname with it.
    ['Monsieur Jean-Pierre de Montmollin', 'Monsieur [NAME]'],
    ['Gentile Signor Marco della Valle,', 'Gentile Signor [NAME],'],
    ['Sig. Luca Di Stefano', 'Sig. [NAME]'],
  ])('masks the name after a title: %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    ['Bonjour Pierre,\nmerci.', 'Bonjour [NAME],\nmerci.'],
    ['Bonjour Jean-Pierre,', 'Bonjour [NAME],'],
    ['Salut Pierre,', 'Salut [NAME],'],
    ['Cher Pierre,', 'Cher [NAME],'],
    ['Ciao Luca,\nvorrei chiudere il conto.', 'Ciao [NAME],\nvorrei chiudere il conto.'],
    ['Caro Marco,', 'Caro [NAME],'],
    ['Buongiorno Giulia,', 'Buongiorno [NAME],'],
    ['bonjour pierre,', 'bonjour [NAME],'],
  ])('masks the name a French or Italian greeting greets: %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    ["Je m'appelle Jean Dupont.", "Je m'appelle [NAME]."],
    ['Je m’appelle Jean Dupont et je suis client.', 'Je m’appelle [NAME] et je suis client.'],
    ["je m'appelle jean dupont, client depuis 2010", "je m'appelle [NAME], client depuis 2010"],
    ['Mi chiamo Marco Rossi.', 'Mi chiamo [NAME].'],
    ['Mon nom est Jean Dupont.', 'Mon nom est [NAME].'],
    ['Il mio nome è Marco Rossi.', 'Il mio nome è [NAME].'],
    ['Titulaire du compte: Jean Dupont', 'Titulaire du compte: [NAME]'],
    ['Titulaire de la carte: Jean Dupont', 'Titulaire de la carte: [NAME]'],
    ['Titolare del conto: Marco Rossi', 'Titolare del conto: [NAME]'],
    ['Intestatario: Marco Rossi', 'Intestatario: [NAME]'],
    ['Nom: Dupont Prénom: Jean', 'Nom: [NAME] Prénom: [NAME]'],
    ['Cognome: Rossi\nNome: Marco', 'Cognome: [NAME]\nNome: [NAME]'],
    ['Bénéficiaire: Jean Dupont', 'Bénéficiaire: [NAME]'],
  ])('masks the name a writer gives or a field names: %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    ['Le compte de ma mère Monique Favre', 'Le compte de ma mère [NAME]'],
    ['Ma mère Monique Favre est décédée.', 'Ma mère [NAME] est décédée.'],
    ['mon père Jean-Pierre Favre', 'mon père [NAME]'],
    ['mia madre Maria Rossi', 'mia madre [NAME]'],
    ['Il conto di mio padre Luca Bianchi', 'Il conto di mio padre [NAME]'],
    ['mon fils Paul a 18 ans', 'mon fils [NAME] a 18 ans'],
    ['mia figlia Giulia vorrebbe un conto', 'mia figlia [NAME] vorrebbe un conto'],
  ])('masks the name of a relative: %j', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    'Cordialement', 'Bien cordialement', 'Bien à vous', 'Meilleures salutations', 'Avec mes meilleures salutations', 'Salutations distinguées',
    'Bonne journée', 'Merci vielmal', 'Merci beaucoup', 'En schöne Tag', 'Cordiali saluti', 'Distinti saluti', 'Saluti cordiali', 'Un cordiale saluto',
    'Grazie e cordiali saluti', 'Grazie mille', 'Buona giornata', 'Besten Dank', 'Lieber Gruss',
  ])('masks the name signed under %j', (closing) => {
    expect(masked(`Bitte das Konto saldieren.\n\n${closing}\nAnna Beispiel`)).toBe(`Bitte das Konto saldieren.\n\n${closing}\n[NAME]`);
    expect(namesFound(`Bitte das Konto saldieren.\n\n${closing}\nAnna Beispiel`)).toEqual(['Anna Beispiel']);
  });

  it('masks a name on the closing’s line and under a closing from a place, and reads a second closing as a closing', () => {
    expect(masked('Merci.\nCordialement Jean Dupont')).toBe('Merci.\nCordialement [NAME]');
    expect(masked('Grazie.\nCordiali saluti Marco Rossi')).toBe('Grazie.\nCordiali saluti [NAME]');
    expect(masked('Grazie.\nSaluti da Lugano\nMarco Rossi')).toBe('Grazie.\nSaluti da Lugano\n[NAME]');
    expect(masked('Merci.\nSalutations de Genève\nJean Dupont')).toBe('Merci.\nSalutations de Genève\n[NAME]');
    expect(masked('Merci.\nCordiali Saluti\nMarco Rossi')).toBe('Merci.\nCordiali Saluti\n[NAME]');
    // Found again elsewhere, as a signed name is.
    expect(masked('M. Dupont demande la clôture.\nCordialement\nJean Dupont')).toBe('M. [NAME] demande la clôture.\nCordialement\n[NAME]');
  });

  it('keeps a title or greeting that names no one, and ordinary French and Italian words', () => {
    kept([
      'Madame', 'Madame, Monsieur,', 'Bonjour Madame,', 'Bonjour Madame, Monsieur,', 'Chère Madame,', 'Cher Monsieur,', 'Bonjour Messieurs,',
      'Cher client,', 'Chère cliente,', 'Chers collègues,', 'Bonjour à tous,', 'Bonjour Service Client,', 'Salut les amis,', 'Salut,',
      'Gentile cliente,', 'Gentile Cliente,', 'Gentili Signori,', 'Egregi Signori,', 'Buongiorno a tutti,', 'Ciao a tutti,', 'ciao ciao,', 'cara mia,', 'Caro cliente,',
      'Ciao,\nvorrei chiudere il conto.', 'Salve,',
      // What a given name's phrase says about the name instead.
      'Mon nom est mal orthographié.', 'mon nom est mal écrit, merci', "Je m'appelle comme mon père.", 'Mi chiamo come mio padre.',
      // A degree, a firm, a bank, a greeting from a place.
      'Anna Schmidt, M. Sc.', 'Titulaire: Dupont SA', 'Titolare del conto: Rossi Srl', 'ma fille Banque', 'Saluti da Roma',
      // Words of prose.
      'Merci für die Info.', 'Das ist absolut sicher, welcher Kunde?', 'Grazie per la risposta.', 'Bonne journée à vous', 'Ci vediamo, saluti a tutti',
      'Meilleures salutations', 'Nominal value: 100',
    ]);
  });

  it('keeps the title after a title as a title (`Madame Monsieur Dupont`)', () => {
    expect(masked('Madame Monsieur Dupont')).toBe('Madame Monsieur [NAME]');
  });

  it('masks long runs of the new cues, placing each placeholder where its redaction says', () => {
    const runs = [
      fill('Bonjour Madame '), fill('Madame Monsieur '), fill('Cordialement\n'), fill('Merci Merci '), fill('Salutations '), fill('cher '),
      fill('salut salut, '), fill('ma mère '), fill("Je m'appelle "), fill('Nom: Nom: '), fill('M. M. '), fill('Saluti da Roma\n'), fill('Ciao Luca, '),
    ];
    for (const text of runs) {
      const r = redactPii(text, { names: true });
      for (const x of r.redactions) expect(r.text.slice(x.start, x.end)).toBe(`[${x.type}]`);
    }
  }, 30_000);
});
