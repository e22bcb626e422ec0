import { composeDiacritics } from './compose.js';

/** Words a model reads of an email's attachment names at most: a message with a hundred files says no more. */
export const MAX_ATTACHMENT_WORDS = 20;

/** A file name's extension (`.pdf`, `.jpeg`): the type, no word of the name. */
const EXTENSION = /\.[\p{L}\p{N}]{1,5}$/u;
/** A word's letters, split where a lower-case letter meets a capital (`FreistellungsAuftrag`: two words). */
const WORD = /\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})/gu;

/**
 * The words of attachment names, as a model reads them (its meta tokens `file=<word>`, `prepareModelInput`):
 * letters only, lower case, 3 to 30 of them, each word once, at most 20. Digits go, and with them the dates,
 * customer numbers and IBANs that file names carry (`Kontoauszug_DE89370400440532013000.pdf` gives `kontoauszug`);
 * so does the extension. `Freistellungsauftrag_2026.pdf`, `Depotübertrag-Formular.PDF` and `ScanAusweis.jpg` give
 * `freistellungsauftrag`, `depotübertrag`, `formular`, `scan` and `ausweis`.
 */
export function attachmentWords(names: readonly string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    const stem = composeDiacritics(name.trim()).replace(EXTENSION, '');
    for (const m of stem.matchAll(WORD)) {
      const word = m[0].toLowerCase();
      if (word.length >= 3 && word.length <= 30) words.add(word);
      if (words.size >= MAX_ATTACHMENT_WORDS) return [...words];
    }
  }
  return [...words];
}

/**
 * A file name with its words apart, as PII masking reads text (its detectors need word boundaries, which `_` and a
 * lower-case letter meeting a capital are not): `_`, `-`, `+`, `~` and dots between the parts become spaces, and so
 * does a camel-case join; the extension is kept. `Vollmacht_Erika_Muster.pdf` gives `Vollmacht Erika Muster.pdf`,
 * `ErikaMuster.pdf` `Erika Muster.pdf`, `Kontoauszug_DE89370400440532013000.pdf` `Kontoauszug
 * DE89370400440532013000.pdf`. `attachmentWords` reads the same words of either form.
 */
export function spacedAttachmentName(name: string): string {
  const trimmed = name.trim();
  const extension = EXTENSION.exec(trimmed)?.[0] ?? '';
  const stem = trimmed.slice(0, trimmed.length - extension.length);
  const spaced = stem
    .replace(/(\p{Ll})(?=\p{Lu})/gu, '$1 ')
    .replace(/[-_+~.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `${spaced}${extension}`;
}
