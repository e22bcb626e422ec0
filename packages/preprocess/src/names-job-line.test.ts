import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { LEGAL_FORMS } from './name-words.js';
import { isJobLine } from './place-words.js';
import { redactPii } from './redact.js';

// A signed name, a comma and the writer's job or firm (`Hendrik Beispiel, Datenverarbeitungsleiter bei Beispiel GmbH`):
// the name is masked, the job and firm stay; a line of a job or firm alone names no one. All names invented.

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('a signed name before a job or a firm', () => {
  it('masks the name and keeps the job and the firm', () => {
    expect(masked('Mit freundlichen Grüßen\nHendrik Beispiel, Datenverarbeitungsleiter bei Beispiel GmbH')).toBe(
      'Mit freundlichen Grüßen\n[NAME], Datenverarbeitungsleiter bei Beispiel GmbH',
    );
    expect(masked('Viele Grüße\nAnna Jung, Filialleiterin')).toBe('Viele Grüße\n[NAME], Filialleiterin');
    expect(masked('Viele Grüße\nAnna Beispiel, Stellv. Filialleiterin')).toBe('Viele Grüße\n[NAME], Stellv. Filialleiterin');
    expect(masked('Viele Grüße\nAnna Beispiel, Beispiel GmbH & Co. KG')).toBe('Viele Grüße\n[NAME], Beispiel GmbH & Co. KG');
    expect(masked('Best regards\nJohn Example, Head of Finance at Example Ltd')).toBe('Best regards\n[NAME], Head of Finance at Example Ltd');
    expect(masked('Best regards,\nJohn Example, CFO')).toBe('Best regards,\n[NAME], CFO');
  });

  it('reads every legal form of names.ts as a firm, a cooperative bank\'s eG too', () => {
    expect(masked('Mit freundlichen Grüßen\nAnna Beispiel, Volksbank Musterstadt eG')).toBe('Mit freundlichen Grüßen\n[NAME], Volksbank Musterstadt eG');
    for (const form of LEGAL_FORMS) expect(isJobLine(`Beispiel ${form}`), form).toBe(true);
  });

  it('keeps a line of a job or a firm alone, and a sentence after a comma', () => {
    for (const text of [
      'Mit freundlichen Grüßen\nDatenverarbeitungsleiter bei Beispiel GmbH',
      'Mit freundlichen Grüßen\nLeiter Datenverarbeitung, Beispiel GmbH',
      'Mit freundlichen Grüßen\nAbteilung Recht, Beispiel AG',
      'Viele Grüße\nBeispiel Versicherung, Abteilung Leben',
      'Danke\nKurze Frage, Manager sagt nein',
      'Danke\nKurze Frage, ist die Beispiel GmbH pleite',
      'Danke\nMein Anliegen, bitte prüfen',
    ])
      expect(masked(text), JSON.stringify(text)).toBe(text);
  });

  it('reads a job or a firm after a name, not a sentence', () => {
    for (const line of ['Datenverarbeitungsleiter bei Beispiel GmbH', 'Senior Consultant', 'Head of Finance', 'Beispiel AG', 'Team-Leiterin Kredit']) expect(isJobLine(line), line).toBe(true);
    for (const line of ['Manager sagt nein', 'bitte prüfen', 'Berlin', '', 'ist die Beispiel GmbH pleite']) expect(isJobLine(line), line).toBe(false);
  });

  it('is cut with the signature by cleaning', () => {
    const r = cleanEmail({ body: 'Bitte mein Depot prüfen.\n\nMit freundlichen Grüßen\nHendrik Beispiel, Datenverarbeitungsleiter bei Beispiel GmbH' });
    expect(r.text).toBe('Bitte mein Depot prüfen.');
  });
});
