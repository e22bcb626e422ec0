import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text, { names: true }).text;
const kept = (texts: readonly string[]) => {
  for (const text of texts) expect(masked(text), text).toBe(text);
};

describe('names given with cues a writer uses besides the common ones', () => {
  it('masks a name signed surname first in capitals, as the capitalised one, and not words that name no one', () => {
    expect(masked('Bitte kündigen Sie mein Depot.\n\nHochachtungsvoll\n\nMUSTERFRAU, Erika')).toBe('Bitte kündigen Sie mein Depot.\n\nHochachtungsvoll\n\n[NAME]');
    expect(masked('Bitte kündigen Sie mein Depot.\nMit freundlichen Grüßen\nMÜLLER, THOMAS')).toBe('Bitte kündigen Sie mein Depot.\nMit freundlichen Grüßen\n[NAME]');
    expect(masked('Bitte kündigen Sie mein Depot.\nViele Grüße\nMusterfrau, Erika')).toBe('Bitte kündigen Sie mein Depot.\nViele Grüße\n[NAME]');
    kept(['Bitte kaufen.\nViele Grüße\nETF, DAX', 'Bitte kaufen.\nViele Grüße\nOK, Thomas', 'Bitte kaufen.\nViele Grüße\nBITTE, DRINGEND', 'Danke\nAlso, Thomas']);
  });

  it('masks a name under `Hochachtungsvoll` after thanks, which is a closing, not the name', () => {
    expect(masked('Bitte prüfen.\nDanke.\n\nHochachtungsvoll\n\nErika Musterfrau')).toBe('Bitte prüfen.\nDanke.\n\nHochachtungsvoll\n\n[NAME]');
    expect(masked('Danke.\nHochachtungsvoll\nMUSTERFRAU, Erika')).toBe('Danke.\nHochachtungsvoll\n[NAME]');
  });

  it('masks a name after `Mein Name lautet`, not what the phrase says otherwise', () => {
    expect(masked('Mein Name lautet Erika Musterfrau. Musterfrau mit u.')).toBe('Mein Name lautet [NAME]. [NAME] mit u.');
    expect(masked('mein name lautet erika musterfrau.')).toBe('mein name lautet [NAME].');
    kept(['Mein Name lautet auf das Konto 1234.', 'mein name lautet auf das konto.', 'Der Name lautet Beispiel Fonds.']);
  });

  it('masks a relative’s name after `unser(e/en/em/er)` and `our` (and `meinen`), not a firm, a security or a word joined to the relative', () => {
    expect(masked('Unsere Tochter Lena Musterfrau hat ein Konto.')).toBe('Unsere Tochter [NAME] hat ein Konto.');
    expect(masked('Für unseren Sohn Paul Musterfrau möchte ich ein Depot. Für meinen Sohn Max Muster auch.')).toBe('Für unseren Sohn [NAME] möchte ich ein Depot. Für meinen Sohn [NAME] auch.');
    expect(masked('Das Depot unserer verstorbenen Mutter Gertrud Krüger, das Konto unseres Vaters Karl Krüger.')).toBe('Das Depot unserer verstorbenen Mutter [NAME], das Konto unseres Vaters [NAME].');
    expect(masked('Our daughter Emily Smith has an account. Our late father, John Smith, had one.')).toBe('Our daughter [NAME] has an account. Our late father, [NAME], had one.');
    kept([
      'Unsere Bank ist gut. Unsere Tochtergesellschaft Beispiel Leasing hilft.',
      'Unsere Tochter Beispiel Leasing GmbH übernimmt den Vertrag.',
      'Unser Partner Max Müller berät Sie.',
      'Für unseren Sohn Apple Aktien kaufen. Our son Tesla Shares. Für unsere Tochter MSCI World ETF besparen.',
      'Für meinen Sohn Deka Fonds kaufen.',
      'Unsere Tochter wohnt in der Goethestraße.',
      'Our daughter company Example Trading handles it.',
    ]);
  });

  it('masks a name between commas after a first-person pronoun opening a sentence, not other words between them', () => {
    expect(masked('Ich, Erika Musterfrau, widerrufe den Auftrag.')).toBe('Ich, [NAME], widerrufe den Auftrag.');
    expect(masked('I, John Smith, hereby revoke the order. Smith is my name.')).toBe('I, [NAME], hereby revoke the order. [NAME] is my name.');
    expect(masked('Sehr geehrte Damen und Herren,\n\nich, Erika Musterfrau, geb. Schulze, widerrufe hiermit.')).toBe('Sehr geehrte Damen und Herren,\n\nich, [NAME], geb. [NAME], widerrufe hiermit.');
    expect(masked('Ich, Frau Erika Musterfrau, widerrufe.')).toBe('Ich, Frau [NAME], widerrufe.');
    kept([
      'Ich, als Kunde seit 2010, bin enttäuscht.',
      'I, too, want this. I, for one, agree.',
      'Ich, Kunde Ihrer Bank, bin enttäuscht.',
      'I, The Undersigned, hereby revoke.',
      'Ich, Apple Aktionär, bin sauer.',
      'Ich, Anfang Mai, war verreist.',
      'Teil I, Abschnitt II, Absatz 3.',
      'Wie ich, Kunde seit Jahren, weiß, dauert das.',
      'Natürlich, Apple Aktien, das geht.',
    ]);
  });
});
