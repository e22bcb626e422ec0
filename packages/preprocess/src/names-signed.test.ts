import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text, { names: true }).text;
const kept = (texts: readonly string[]) => {
  for (const text of texts) expect(masked(text), text).toBe(text);
};

describe('names signed or written in other forms (review)', () => {
  it('masks a name on the closing’s line without a comma, and keeps a closing or greeting in a sentence', () => {
    expect(masked('Bitte um Rückruf. Mit freundlichen Grüßen Thomas Müller')).toBe('Bitte um Rückruf. Mit freundlichen Grüßen [NAME]');
    expect(masked('Please call back.\nBest regards John Smith')).toBe('Please call back.\nBest regards [NAME]');
    expect(masked('Regards John Smith')).toBe('Regards [NAME]');
    kept(['Mit freundlichen Grüßen', 'Einen Gruß an Thomas Müller', 'Grüßen Sie Thomas Müller', 'Grüßen Sie bitte Thomas', 'With regards to Apple Shares', 'Herzliche Grüße aus München']);
  });

  it('masks a name signed surname first, and two signers with one surname, each name apart', () => {
    expect(masked('Bitte um Rückruf.\nMit freundlichen Grüßen\nMüller, Thomas')).toBe('Bitte um Rückruf.\nMit freundlichen Grüßen\n[NAME]');
    expect(masked('Bitte auflösen.\nViele Grüße\nAnna und Peter Schmidt')).toBe('Bitte auflösen.\nViele Grüße\n[NAME] und [NAME]');
    expect(masked('Bitte auflösen.\nViele Grüße\nAnna & Peter Schmidt')).toBe('Bitte auflösen.\nViele Grüße\n[NAME] & [NAME]');
    expect(masked('Please close it.\nBest regards,\nAnna and Peter Smith')).toBe('Please close it.\nBest regards,\n[NAME] and [NAME]');
    // The surname is looked for elsewhere, the first given name alone not.
    expect(masked('Viele Grüße\nAnna und Peter Schmidt\n\nPS: Anna fragt, ob Schmidt reicht.')).toBe('Viele Grüße\n[NAME] und [NAME]\n\nPS: Anna fragt, ob [NAME] reicht.');
    kept(['Danke\nAlso, Thomas', 'Viele Grüße\nBitte und Danke', 'Danke\nDepot und Konto']);
  });

  it('masks a name after `Vielen Dank vorab`, `Danke im Voraus`, `Servus`, `Tschüss`, `Ciao` and `Bis dann`, not after a greeting at the start', () => {
    expect(masked('Bitte prüfen.\nVielen Dank vorab\nThomas Müller')).toBe('Bitte prüfen.\nVielen Dank vorab\n[NAME]');
    expect(masked('Bitte prüfen.\nDanke im Voraus\nThomas')).toBe('Bitte prüfen.\nDanke im Voraus\n[NAME]');
    expect(masked('Bitte prüfen.\nServus\nThomas')).toBe('Bitte prüfen.\nServus\n[NAME]');
    expect(masked('Bitte prüfen.\nServus, Thomas')).toBe('Bitte prüfen.\nServus, [NAME]');
    expect(masked('Bitte prüfen.\nTschüss\nAnna')).toBe('Bitte prüfen.\nTschüss\n[NAME]');
    expect(masked('Bitte prüfen.\nCiao Anna')).toBe('Bitte prüfen.\nCiao [NAME]');
    expect(masked('Bitte prüfen.\nBis dann\nAnna Schmidt')).toBe('Bitte prüfen.\nBis dann\n[NAME]');
    expect(masked('Bitte prüfen.\nBis dann, Anna')).toBe('Bitte prüfen.\nBis dann, [NAME]');
    kept(['Servus,\nBitte überweisen Sie 100 Euro.', 'Servus,\nKonto Auflösung', 'Ciao,\nKurze Frage', 'Bis dann bitte zurückrufen', 'Tschüss\nDepot Auflösung']);
  });

  it('masks a name with its initial glued to it, and the name under a title alone on its line', () => {
    expect(masked('Frau A.Schmidt hat das Konto eröffnet, Herr T.Müller ist Bevollmächtigter.')).toBe('Frau [NAME] hat das Konto eröffnet, Herr [NAME] ist Bevollmächtigter.');
    expect(masked('Danke.\nMfG T.Müller')).toBe('Danke.\nMfG [NAME]');
    expect(masked('Bitte Karte senden an:\nHerrn\nThomas Müller\nMusterstraße 12\n80331 München')).toBe('Bitte Karte senden an:\nHerrn\n[NAME]\n[ADDRESS]');
    expect(masked('Adresse:\nFrau\nDr. Anna Schmidt\nMusterstraße 12\n80331 München')).toBe('Adresse:\nFrau\nDr. [NAME]\n[ADDRESS]');
    kept(['Frau\nBitte Konto', 'Meine Frau\nBitte Konto auflösen', 'Herrn\nKonto Müller', 'Herr\nDepot', 'Herr\nMüller hat angerufen']);
  });

  it('keeps a firm after `LG`: in a list a colon introduces, mid-line, or a firm’s word, and masks a name signed so', () => {
    kept(['Bitte kaufen Sie:\nLG Electronics\nSamsung', 'Position: LG Display', 'Ich kaufe LG Display', 'Danke.\nLG Chem', 'Bitte kaufen:\nLG Display', 'Aktien kaufen.\nLG Display AG']);
    expect(masked('Danke. LG Tom')).toBe('Danke. LG [NAME]');
    expect(masked('Danke!\nLG Tom')).toBe('Danke!\nLG [NAME]');
    expect(masked('Bitte Karte sperren.\n\nVG Anna Schmidt')).toBe('Bitte Karte sperren.\n\nVG [NAME]');
  });
});
