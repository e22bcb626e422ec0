import { describe, it } from 'vitest';
import { expectKept, expectMasked } from './redact-expect.js';

// French and Italian keywords, as a Swiss bank's customers write them: each masked as its German and English
// equivalent is, the keyword staying; with the texts next to them that must keep their numbers.

describe('French and Italian account keywords', () => {
  it('masks customer, account, contract and policy numbers, with `:`, `est` or `è`', () => {
    expectMasked([
      ['Mon numéro de client est 12345678', 'Mon numéro de client est [ACCOUNT]'],
      ['numéro de compte: 123-456789-0', 'numéro de compte: [ACCOUNT]'],
      ['N° client : 12345678', 'N° client : [ACCOUNT]'],
      ['Numero client 12345678', 'Numero client [ACCOUNT]'],
      ['il mio numero cliente è 12345678', 'il mio numero cliente è [ACCOUNT]'],
      ['codice cliente 12345678', 'codice cliente [ACCOUNT]'],
      ['numero di conto: 1234567', 'numero di conto: [ACCOUNT]'],
      ['conto corrente n. 12345678', 'conto corrente n. [ACCOUNT]'],
      ['Contrat n° 1234567', 'Contrat n° [ACCOUNT]'],
      ['numéro de police: 12345678', 'numéro de police: [ACCOUNT]'],
      ['numero di polizza 98765432', 'numero di polizza [ACCOUNT]'],
      ['sur mon compte 12345678', 'sur mon compte [ACCOUNT]'],
      ['numéro de client de ma femme: 12345678', 'numéro de client de ma femme: [ACCOUNT]'],
      ['il numero cliente di mia moglie è 12345678', 'il numero cliente di mia moglie è [ACCOUNT]'],
    ]);
  });

  it('keeps order and invoice numbers, a bare n°, amounts after compte and conto, and words that end in them', () => {
    expectKept([
      'numéro de commande 12345678',
      'Commande n° 12345678',
      'N° 12345678',
      'Facture n° 2024-12345',
      'compte 50000',
      'compte 12345 francs',
      'il mio conto 12345 franchi',
      'sconto 12345',
      'décompte 123456',
    ]);
  });
});

describe('French and Italian birth dates', () => {
  it('masks a date after date de naissance, data di nascita, né(e) le and nato/a il', () => {
    expectMasked([
      ['Date de naissance: 01.02.1960', 'Date de naissance: [BIRTHDATE]'],
      ['Date de naissance est le 01.02.1960', 'Date de naissance est le [BIRTHDATE]'],
      ['Data di nascita: 01.02.1960', 'Data di nascita: [BIRTHDATE]'],
      ['la mia data di nascita è il 01.02.1960', 'la mia data di nascita è il [BIRTHDATE]'],
      ['Je suis né le 01.02.1960', 'Je suis né le [BIRTHDATE]'],
      ['Je suis née le 01.02.1960 à Genève', 'Je suis née le [BIRTHDATE] à Genève'],
      ['Né(e) le : 01.02.1960', 'Né(e) le : [BIRTHDATE]'],
      ['Sono nato il 01.02.1960', 'Sono nato il [BIRTHDATE]'],
      ['nata il 3 giugno 1985', 'nata il [BIRTHDATE]'],
      ['nato/a il 01/02/1960', 'nato/a il [BIRTHDATE]'],
      ['né le 1er février 1960', 'né le [BIRTHDATE]'],
    ]);
  });

  it('keeps other dates after le and il', () => {
    expectKept(['livré le 06.12.2026', 'donné le 12.03.2024', 'aîné le 12.03.2024', 'le 12.03.2024', 'il 12.03.2024 alle 10', 'Lieferung 12 set 2020']);
  });
});

describe('French and Italian credentials and identity documents', () => {
  it('masks a password, login or PIN after mot de passe, identifiant, nome utente, code PIN, with est or è', () => {
    expectMasked([
      ['Mot de passe: Geheim123!', 'Mot de passe: [CREDENTIAL]'],
      ['Mon mot de passe est Geheim123!', 'Mon mot de passe est [CREDENTIAL]'],
      ['La mia password è Geheim123', 'La mia password è [CREDENTIAL]'],
      ['Identifiant: jdupont85', 'Identifiant: [CREDENTIAL]'],
      ['nome utente: mrossi77', 'nome utente: [CREDENTIAL]'],
      ['Mon code PIN est 1234', 'Mon code PIN est [CREDENTIAL]'],
      ['Il codice PIN è 4711', 'Il codice PIN è [CREDENTIAL]'],
    ]);
    expectKept(['Mot de passe: oublié', 'Password: dimenticata', 'mot de passe bloqué']);
  });

  it('masks passport, identity card and driving licence numbers after their French and Italian keywords', () => {
    expectMasked([
      ['Numéro de passeport: X1234567', 'Numéro de passeport: [ID_DOCUMENT]'],
      ['Passaporto n. X1234567', 'Passaporto n. [ID_DOCUMENT]'],
      ["carte d'identité n° AB123456", "carte d'identité n° [ID_DOCUMENT]"],
      ['carta d’identità: CA12345AB', 'carta d’identità: [ID_DOCUMENT]'],
      ['permis de conduire 123456789', 'permis de conduire [ID_DOCUMENT]'],
      ['patente di guida U1234567X', 'patente di guida [ID_DOCUMENT]'],
    ]);
  });
});
