/**
 * The writer's name as an email's `From` gives it, for masking it wherever the text names the writer without a
 * cue masking sees (a name under a closing it does not know, `Atentamente,\nJuan Moreno`; a name with no
 * greeting or title before it). Each is passed as one of `redactPii`'s `knownNames`, which looks for the whole
 * name and its surname.
 *
 * - the display name: `Mehmet Kaya <m.kaya@example.com>`, `"Kaya, Mehmet" <…>` (read as `Mehmet Kaya`), less a
 *   remark in brackets after it (`"Mehmet Kaya (Beispiel GmbH)" <…>`); one all in lower case capitalised (`mehmet
 *   kaya <…>` as `Mehmet Kaya`), as masking looks for a name capitalised or in capitals, never in lower case;
 * - without one, an address whose local part is two or three words of letters joined by `.`, `_` or `-`, less the
 *   digits at its end (`mehmet.kaya@…`, `mehmet.kaya80@…` as `Mehmet Kaya`), less a third word that is no name
 *   (`karl.brandt.jr@…`, `john.doe.investor@…` as `Karl Brandt`, `John Doe`: see NOT_NAME_AFTER); `info@…` and
 *   `m.kaya@…` give nothing.
 */
export function senderNames(from: string | undefined): string[] {
  if (from === undefined) return [];
  const trimmed = from.trim();
  const angle = DISPLAY_AND_ADDRESS.exec(trimmed);
  // `"Erika Musterfrau (Musterfirma GmbH)"`, `"Erika Musterfrau" (privat)`: the name without its quotes and the remark.
  const quoted = angle ? angle[1] : trimmed.includes('@') ? '' : trimmed;
  const display = quoted.replace(QUOTES_AT_ENDS, '').replace(REMARK_AT_END, '').replace(QUOTES_AT_ENDS, '').replace(SUFFIX_AT_END, '');
  if (display !== '') {
    // `Kaya, Mehmet` as Outlook writes it: the given name first, as the text writes it.
    const comma = display.split(/\s*,\s*/u);
    const name = comma.length === 2 && comma.every((part) => part !== '') ? `${comma[1]} ${comma[0]}` : display;
    if (!NAME_WORD_RUN.test(name)) return [];
    // `erika musterfrau <…>`: capitalised, as masking looks for a name (never in lower case). A name with a capital
    // stays as written: its words in lower case are particles or more than a name (`Anna von der Heide`, `Anna Muster via DocuSign`).
    const spaced = name.replace(/\s+/gu, ' ');
    return [UPPER_CASE.test(spaced) ? spaced : spaced.replace(LOWER_CASE_WORD, capitalised)];
  }
  const address = angle ? angle[2] : trimmed;
  // `erika.musterfrau80@`: a year or a number after the name, no part of it.
  const local = /^([^@\s]+)@/u.exec(address)?.[1].replace(DIGITS_AT_END, '');
  const words = local?.split(/[._-]/u) ?? [];
  if (words.length < 2 || words.length > 3 || !words.every((w) => LETTERS_ONLY.test(w))) return [];
  // `karl.brandt.jr@`, `john.doe.investor@`: the name without what follows it.
  const named = words.length === 3 && NOT_NAME_AFTER.has(words[2].toLowerCase()) ? words.slice(0, 2) : words;
  return [named.map((w) => capitalised(w.toLowerCase())).join(' ')];
}

/** A word with its first letter in capitals (`mehmet` as `Mehmet`). */
const capitalised = (word: string) => `${word[0].toUpperCase()}${word.slice(1)}`;

/**
 * Words an address's local part puts after a name that are no part of it (`karl.brandt.jr@`, `john.doe.investor@`,
 * `anna.schmidt.privat@`): a suffix of generation, or a word of who or what the address is for.
 */
const NOT_NAME_AFTER = new Set(
  [
    'jr jun junior sr sen senior ii iii iv',
    'investor investors invest investment investments trader trading private privat personal persoenlich home mail email post online web work business office job arbeit buero family familie finance finanzen finanz bank banking konto depot account accounts official contact kontakt info news newsletter shop admin',
  ]
    .join(' ')
    .split(' '),
);

/** A suffix of generation after a name of two words or more (`John Doe Jr.`, `John Doe, Jr.`, `Karl Brandt III`): no part of it. */
const SUFFIX_AT_END = /(?<=\S\s+\S+?),?\s+(?:Jr|Sr|Jun|Sen|jr|sr|jun|sen)\.?$|(?<=\S\s+\S+?),?\s+(?:II|III|IV)$/u;
const QUOTES_AT_ENDS = /^["'\s]+|["'\s]+$/gu;
/** A remark in brackets after a display name (`Erika Musterfrau (Musterfirma GmbH)`, `Erika Musterfrau [privat]`): no part of it. */
const REMARK_AT_END = /(?<=\S)\s*(?:\([^()]*\)|\[[^[\]]*\])$/u;
const UPPER_CASE = /\p{Lu}/u;
/** A display name's word, or a part of it after a hyphen, in lower case: `erika`, `lüdenscheidt` of `müller-lüdenscheidt`. */
const LOWER_CASE_WORD = /(?<![\p{L}\p{M}'’])\p{Ll}[\p{Ll}\p{M}'’]*(?![\p{L}\p{M}])/gu;
/** Digits at the end of an address's local part, with the separator before them (`erika.musterfrau80`, `anna.schmidt.1980`). */
const DIGITS_AT_END = /[._-]?\p{N}+$/u;
/** `Name <address>`: the display name (group 1, possibly empty) and the address (group 2). */
const DISPLAY_AND_ADDRESS = /^(.*?)\s*<([^<>]*)>$/su;
/** One to four words of letters (with `'`, `-` or `.` inside, as `O'Neil`, `Müller-Lüdenscheidt`, `Dr.`). */
const NAME_WORD_RUN = /^\p{L}[\p{L}\p{M}'’.-]*(?:\s+\p{L}[\p{L}\p{M}'’.-]*){0,3}$/u;
/** A local-part word that can be a name: two letters or more, nothing else. */
const LETTERS_ONLY = /^\p{L}{2,}$/u;
