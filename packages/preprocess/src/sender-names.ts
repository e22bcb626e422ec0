/**
 * The writer's name as an email's `From` gives it, for masking it wherever the text names the writer without a
 * cue masking sees (a name under a closing it does not know, `Cordialement,\nJean Moreau`; a name with no
 * greeting or title before it). Each is passed as one of `redactPii`'s `knownNames`, which looks for the whole
 * name and its surname.
 *
 * - the display name: `Mehmet Kaya <m.kaya@example.com>`, `"Kaya, Mehmet" <…>` (read as `Mehmet Kaya`);
 * - without one, an address whose local part is two or three words of letters joined by `.`, `_` or `-`
 *   (`mehmet.kaya@…` as `Mehmet Kaya`); `info@…` and `m.kaya@…` give nothing.
 */
export function senderNames(from: string | undefined): string[] {
  if (from === undefined) return [];
  const trimmed = from.trim();
  const angle = DISPLAY_AND_ADDRESS.exec(trimmed);
  const display = (angle ? angle[1] : trimmed.includes('@') ? '' : trimmed).replace(/^["'\s]+|["'\s]+$/gu, '');
  if (display !== '') {
    // `Kaya, Mehmet` as Outlook writes it: the given name first, as the text writes it.
    const comma = display.split(/\s*,\s*/u);
    const name = comma.length === 2 && comma.every((part) => part !== '') ? `${comma[1]} ${comma[0]}` : display;
    return NAME_WORD_RUN.test(name) ? [name.replace(/\s+/gu, ' ')] : [];
  }
  const address = angle ? angle[2] : trimmed;
  const local = /^([^@\s]+)@/u.exec(address)?.[1];
  const words = local?.split(/[._-]/u) ?? [];
  if (words.length < 2 || words.length > 3 || !words.every((w) => LETTERS_ONLY.test(w))) return [];
  return [words.map((w) => `${w[0].toUpperCase()}${w.slice(1).toLowerCase()}`).join(' ')];
}

/** `Name <address>`: the display name (group 1, possibly empty) and the address (group 2). */
const DISPLAY_AND_ADDRESS = /^(.*?)\s*<([^<>]*)>$/su;
/** One to four words of letters (with `'`, `-` or `.` inside, as `O'Neil`, `Müller-Lüdenscheidt`, `Dr.`). */
const NAME_WORD_RUN = /^\p{L}[\p{L}\p{M}'’.-]*(?:\s+\p{L}[\p{L}\p{M}'’.-]*){0,3}$/u;
/** A local-part word that can be a name: two letters or more, nothing else. */
const LETTERS_ONLY = /^\p{L}{2,}$/u;
