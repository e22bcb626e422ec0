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

/** A placeholder that masking put in (`[ID_DOCUMENT]`, `[IBAN]`): spacing leaves it whole. */
const PLACEHOLDER = /(\[[A-Z][A-Z0-9_]*\])/;
/** A stem that ends in an email address's domain without its dot (`erika.muster@mail` of `erika.muster@mail.example`): its "extension" is the address's. */
const ADDRESS_END = /@[\p{L}\p{N}-]+$/u;

/**
 * A file name with its words apart, as PII masking reads text (its detectors need word boundaries, which `_` and a
 * lower-case letter meeting a capital are not): `_`, `-`, `+`, `~` and dots between the parts become spaces, and so
 * does a camel-case join; the extension is kept. `Vollmacht_Erika_Muster.pdf` gives `Vollmacht Erika Muster.pdf`,
 * `ErikaMuster.pdf` `Erika Muster.pdf`, `Kontoauszug_DE89370400440532013000.pdf` `Kontoauszug
 * DE89370400440532013000.pdf`. `attachmentWords` reads the same words of either form.
 *
 * Spacing also takes apart what detectors read only as written: an email address's dots
 * (`erika.musterfrau@mail.example.pdf` gave `erika musterfrau@mail example.pdf`, which no detector reads as an
 * address), an institution's pattern (`KD-12345678`). So `maskAsWritten` masks the name first (not its extension,
 * which an address would take as its domain), and its placeholders stay whole (`[ID_DOCUMENT]`). A `+` that starts a
 * part stays before its digits (`Rueckruf_+49_171_1234567.pdf` gives `Rueckruf +49 171 1234567.pdf`, a phone number).
 */
export function spacedAttachmentName(name: string, maskAsWritten: (stem: string) => string = (stem) => stem): string {
  const trimmed = name.trim();
  let extension = EXTENSION.exec(trimmed)?.[0] ?? '';
  if (ADDRESS_END.test(trimmed.slice(0, trimmed.length - extension.length))) extension = '';
  const stem = maskAsWritten(trimmed.slice(0, trimmed.length - extension.length));
  const spaced = stem
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 === 1 ? ` ${part} ` : spacedWords(part)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return `${spaced}${extension}`;
}

/** A lower-case letter before a capital: a camel-case join. A constant, not a literal in the function: esbuild (tsx, the serving bundle) writes a literal with `\p{…}` as `new RegExp(…)`, built anew at every call. */
const CAMEL_JOIN = /(\p{Ll})(?=\p{Lu})/gu;
/** Separators between the words of a file name. */
const SEPARATORS = /[-_+~.]+/g;

/** The words of a part of a file name apart: at a camel-case join and at separators (SEPARATORS). */
function spacedWords(part: string): string {
  return part.replace(CAMEL_JOIN, '$1 ').replace(SEPARATORS, (run: string, at: number, text: string) => (startsNumber(text, run, at) ? ' +' : ' '));
}

/** Whether a run of separators at `at` ends in a `+` that starts a part before digits (`_+49`, ` +49`), a phone number's, not a join (`auszug+2026`). */
function startsNumber(text: string, run: string, at: number): boolean {
  const end = at + run.length;
  return run.endsWith('+') && /\d/.test(text.charAt(end)) && (run.length > 1 || at === 0 || /\s/.test(text[at - 1]));
}
