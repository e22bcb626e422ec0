/**
 * How the cleaning rules read a short line: as the sender's sentence, or as a line of a signature (a name, a firm, a
 * title, a contact line). Shared by the signature rules (signature.ts) and the list reading (introduced-list.ts).
 */

/** A contact line: an address, a link, a phone number, or a key such as `Tel.`, `Fax:`. */
export const CONTACT = /@|https?:\/\/|www\.|\+?\(?\d{2,5}\)?[ ./-]?\d{3,}[ ./-]?\d{2,}|^(?:tel|fon|fax|mobil|mobile|phone|skype|t|f|m)\.?\s?:?\s/i;

/**
 * Pronouns, auxiliaries, negations and question words of a sentence; a signature line (`John E. Doe, Ph.D.`,
 * `Beispiel Bank AG.`) has none. Not `i.A.`/`i.V.` (on behalf), `Mo.-Do.` (opening hours) or `Es-Straße`.
 */
// Word edges as letter classes of their own (ASCII and German letters), not `\b`, which reads `außer` as `au` and `er`;
// no `u` flag, whose Unicode letter classes in look-arounds cost more per line.
const SENTENCE_WORD =
  /(?<![A-Za-zÄÖÜäöüß])(?:bitte|ich|mich|mir|mein|meine|meinen|meinem|meiner|sie|ihnen|wir|uns|(?:es|er)(?!-)|ist|sind|bin|war|wäre|habe|haben|hat|kann|können|wurde|wird|werden|würde|soll|muss|möchte|kommt|gibt|nicht|kein|keine|noch|schon|bereits|wann|wie|warum|wo|please|i(?!\.)|me|my|you|your|we|us|is|are|was|have|has|does|did|not|can|could|would|will|should|must|how|what|when|why|where|there)(?![A-Za-zÄÖÜäöüß0-9])/i;
/** `do` in lower case only: `Do` is a weekday in opening hours (`Mo - Do 9 - 17 Uhr`). */
const LOWER_DO = /\bdo\b(?!\.)/;
/** A firm's legal form: a line with one is a signature's (`Example Ltd – Why settle for less?`), question or not. */
export const FIRM = /\b(?:GmbH|AG|KG|SE|Ltd|Inc|LLC|plc)\b|\be\.V\./;

/** Whether a trimmed line has `atLeast` words or more (a signature line has few); it counts no further. */
export function hasWords(t: string, atLeast: number): boolean {
  let words = t === '' ? 0 : 1;
  for (let k = t.indexOf(' '); k > 0 && words < atLeast; k = t.indexOf(' ', k + 1)) words += 1;
  return words >= atLeast;
}

/**
 * A short line that reads as the sender's sentence, not a signature line: three words or more with a pronoun
 * or auxiliary and a `.`, `?` or `!` at its end (`Bitte rufen Sie mich zurück.`), or five words or more
 * without one, as customers write (`bitte dringend bearbeiten, Frist läuft am Freitag ab`); or three words or more
 * in prose (`proseWords`) with a `.` or `!` at its end, as a short request has without a pronoun (`Betrifft auch das
 * Tagesgeldkonto.`, `Same for the second card.`, `Und den Restbetrag auf das Girokonto überweisen.`).
 */
export function isSentence(t: string, contact: RegExp = CONTACT): boolean {
  const end = t[t.length - 1];
  const ended = end === '.' || end === '?' || end === '!';
  // A question of three words or more is the sender's, whichever words it has (`Wann kommt meine neue Karte?`).
  const worded = hasWords(t, ended ? 3 : 5) && (end === '?' || SENTENCE_WORD.test(t) || LOWER_DO.test(t));
  if (!worded && !(ended && end !== '?' && hasWords(t, 3) && proseWords(t))) return false;
  return !contact.test(t) && !FIRM.test(t);
}

/** A word of lower-case letters; a `.` or `!` after it only at the line's end, elsewhere it is an abbreviation's (`med.`). */
const LOWER_WORD = /^\p{Ll}{2,}[,:;]?$/u;
const LOWER_LAST_WORD = /^\p{Ll}{2,}[,:;.!]?$/u;
/**
 * Articles, prepositions and conjunctions, and a name's particles (`van`, `de`): the lower-case words of titles,
 * slogans, places and names (`Head of Sales and Marketing`, `Ihre Bank für die Region`, `Frankfurt am Main`).
 */
const FUNCTION_WORDS = new Set(
  (
    'der die das den dem des ein eine einen einem einer eines und oder sowie für von vom zu zum zur bei beim mit nach vor an am auf aus im in ins ' +
    'bis über unter um durch gegen ohne seit außer ab per pro the a an of and or for to at on by with from as via de da di du le la ten ter dos del van'
  ).split(' '),
);

/**
 * Whether a line has two lower-case words or more, one of them no article, preposition or conjunction (a verb, an
 * adverb, an adjective: `sperren`, `auch`, `second`, `erbeten`): the words of prose. A signature's lines are names,
 * firms, titles and places, capitalised but for those small words.
 */
export function proseWords(t: string): boolean {
  const words = t.split(/\s+/);
  let lower = 0;
  let content = false;
  for (let k = 0; k < words.length; k += 1) {
    const w = words[k];
    if (!(k === words.length - 1 ? LOWER_LAST_WORD : LOWER_WORD).test(w)) continue;
    lower += 1;
    content = content || !FUNCTION_WORDS.has(w.replace(/[,:;.!]$/, ''));
  }
  return lower >= 2 && content;
}
