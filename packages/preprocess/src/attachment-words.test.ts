import { describe, expect, it } from 'vitest';
import { attachmentWords, MAX_ATTACHMENT_WORDS, spacedAttachmentName } from './attachment-words.js';
import { redactPii } from './redact.js';

describe('attachmentWords', () => {
  it('reads the words of file names: letters only, lower case, camel case split, no extension, each once', () => {
    expect(attachmentWords(['Freistellungsauftrag_2026.pdf', 'Depotübertrag-Formular.PDF', 'ScanAusweis.jpg', 'KYC-Form.docx', 'freistellungsauftrag.pdf'])).toEqual([
      'freistellungsauftrag',
      'depotübertrag',
      'formular',
      'scan',
      'ausweis',
      'kyc',
      'form',
    ]);
  });

  it('leaves out digits, and with them the numbers file names carry, and words under three letters', () => {
    expect(attachmentWords(['Kontoauszug_DE89370400440532013000.pdf', '2026-12-03.pdf', 'IMG_1234.HEIC', 'a b.txt'])).toEqual(['kontoauszug', 'img']);
    // Written decomposed (a Mac's file name): composed, one word.
    expect(attachmentWords(['Mu\u0308ller Vollmacht.pdf'])).toEqual(['müller', 'vollmacht']);
  });

  it(`reads at most ${MAX_ATTACHMENT_WORDS} words`, () => {
    const names = Array.from({ length: 30 }, (_, i) => `Anlage${String.fromCharCode(65 + (i % 26))}${'x'.repeat(i)}.pdf`);
    expect(attachmentWords(names)).toHaveLength(MAX_ATTACHMENT_WORDS);
    expect(attachmentWords([])).toEqual([]);
  });

  it('sets the words of a file name apart for masking (spacedAttachmentName), and reads the same words of either form', () => {
    const names = ['Vollmacht_Erika_Muster.pdf', 'Erika-Muster-Ausweis.jpg', 'ErikaMuster.PDF', 'Konto.auszug+2026~v2.pdf', 'PDFScan.jpeg', 'plain.pdf', ' Depotübertrag .pdf'];
    const spaced = names.map((name) => spacedAttachmentName(name));
    expect(spaced).toEqual(['Vollmacht Erika Muster.pdf', 'Erika Muster Ausweis.jpg', 'Erika Muster.PDF', 'Konto auszug 2026 v2.pdf', 'PDFScan.jpeg', 'plain.pdf', 'Depotübertrag.pdf']);
    for (const [i, name] of names.entries()) expect(attachmentWords([spaced[i]]), name).toEqual(attachmentWords([name]));
  });

  it('masks a file name as written before setting its words apart, which would break an address or a phone number for the detectors', () => {
    const masked = (name: string) => redactPii(spacedAttachmentName(name, (stem) => redactPii(stem).text)).text;
    // Set apart first, these were `erika musterfrau@mail example.pdf` and `Rueckruf 49 171 1234567.pdf`: no detector read them.
    expect(masked('erika.musterfrau@mail.example.pdf')).toBe('[EMAIL].pdf');
    expect(masked('Antrag_erika_musterfrau@mail.example.pdf')).toBe('[EMAIL].pdf');
    // A name that is an address alone: its top-level domain is no extension.
    expect(masked('erika.muster@mail.example')).toBe('[EMAIL]');
    expect(masked('Rueckruf_+49_171_1234567.pdf')).toBe('Rueckruf [PHONE].pdf');
    expect(masked('Rueckruf+491711234567.pdf')).toBe('Rueckruf [PHONE].pdf');
    expect(masked('Kontoauszug-DE89.3704.0044.0532.0130.00.pdf')).toBe('Kontoauszug [IBAN].pdf');
    // A placeholder stays whole, and so does its `_`, whether masking put it in now or before (a stored name exported again).
    expect(masked('Ausweis_L01X00T47.jpg')).toBe('Ausweis [ID_DOCUMENT].jpg');
    expect(spacedAttachmentName('Ausweis_[ID_DOCUMENT]_Kopie.jpg')).toBe('Ausweis [ID_DOCUMENT] Kopie.jpg');
    // A `+` joining words or numbers is still a blank.
    expect(spacedAttachmentName('Konto.auszug+2026.pdf')).toBe('Konto auszug 2026.pdf');
  });
});
