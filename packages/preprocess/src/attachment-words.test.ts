import { describe, expect, it } from 'vitest';
import { attachmentWords, MAX_ATTACHMENT_WORDS, spacedAttachmentName } from './attachment-words.js';

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
    const spaced = names.map(spacedAttachmentName);
    expect(spaced).toEqual(['Vollmacht Erika Muster.pdf', 'Erika Muster Ausweis.jpg', 'Erika Muster.PDF', 'Konto auszug 2026 v2.pdf', 'PDFScan.jpeg', 'plain.pdf', 'Depotübertrag.pdf']);
    for (const [i, name] of names.entries()) expect(attachmentWords([spaced[i]]), name).toEqual(attachmentWords([name]));
  });
});
