import { GREETING_WORDS } from './signature.js';

// Whose the words below are: the writer's (`meine`, `my`) or a pointer to them (`siehe`, `see`), at most two words
// before the noun; or the noun opens a line of the note, after a greeting (`Hallo, Antworten unten.`) and with its
// article (`Die Antworten stehen unten.`). Not `Ihre Antworten unten`, `thanks for your answers below`, `Danke für die
// Antworten unten`: the bank's.
const CUE = String.raw`(?:(?:meine|unsere|my|our|siehe|s\.|see|please see)\s+(?:\S+\s+){0,2}|^\s*(?:${GREETING_WORDS}[^,!.?:\n]{0,40}[,!:]\s*)?(?:die\s+|the\s+)?)`;
const NOUN_DE = String.raw`(?:antwort(?:en)?|anmerkung(?:en)?|kommentar(?:e)?|ergänzung(?:en)?|notiz(?:en)?)`;
const NOUN_EN = String.raw`(?:answers?|responses?|repl(?:y|ies)|comments?|notes?)`;
const WHERE_DE = String.raw`(?:(?:weiter )?unten(?:stehend)?|darunter|im (?:text|mailtext)|in (?:ihre|ihrer|die|der) (?:mail|e-mail|nachricht)|in (?:rot|blau|grün|fett)|zwischen den zeilen|inline)`;
const WHERE_EN = String.raw`(?:below|inline|in-line|in (?:the )?(?:text|body)|in (?:your|the) (?:email|e-mail|message)|in (?:red|blue|green|bold))`;
const COLOUR = String.raw`(?:rot|blau|grün|red|blue|green)`;
/** The writer as the one who answered (`I've answered`, `we have now answered`), not `you haven't answered`. */
const I_ANSWERED = String.raw`(?:i|we)(?:'ve| have)?\s+(?:\S+\s+)?answered`;

/**
 * A writer who answers in the quoted message says so above it: `Meine Antworten unten in Rot.`, `Antworten im Text`,
 * `siehe meine Anmerkungen unten`, `Siehe unten in Rot.`, `Please see my answers below in red.`, `my comments inline`,
 * `Fragen unten beantwortet`, `Hallo, die Antworten stehen unten.`, `I've answered your questions below.`. Their
 * answers stand in the quote then (coloured, or marked `-->`, `[Name]`), so the quote is read as their text
 * (clean.ts). The bank's answers named (`Danke für Ihre Antworten unten, aber ...`, `Your replies below do not answer
 * my question`) announce nothing.
 */
const ANNOUNCES = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:` +
    String.raw`${CUE}(?:${NOUN_DE}[^.!?\n]{0,30}?${WHERE_DE}|${NOUN_EN}[^.!?\n]{0,30}?${WHERE_EN})|` +
    String.raw`(?:siehe|see|please see)\s+(?:unten|below)\s+in\s+${COLOUR}|` +
    String.raw`(?:fragen|questions)[^.!?\n]{0,30}?(?:${WHERE_DE}|${WHERE_EN})[^.!?\n]{0,20}?(?:beantwortet|answered)|` +
    String.raw`${I_ANSWERED}\s+(?:\S+\s+){0,2}questions?\s+${WHERE_EN}` +
    String.raw`)(?![\p{L}])`,
  'imu',
);

/**
 * A word every match of ANNOUNCES holds, with its flags: a noun (`antwort`, also in `beantwortet`; `answer`, also in
 * `answered`), or `unten`/`below` (`Siehe unten in Rot`). Most texts hold none, and this scan costs half of ANNOUNCES'.
 */
const ANSWER_WORD = /antwort|anmerkung|kommentar|ergänzung|notiz|answer|respons|repl|comment|note|unten|below/iu;

/** The most words of a note that announces answers below it: a longer text is a message of its own. */
const MAX_NOTE_WORDS = 25;

/** A `>` line: answers typed between such lines are in the text already (an inline reply, quotes.ts). */
const QUOTE_LINE = /^[^\S\n]*>/m;

/**
 * Whether `text` (the writer's text above a quote) is a short note announcing answers in the quote below, not an
 * inline reply whose answers it holds already.
 */
export function announcesAnswersBelow(text: string): boolean {
  // A text over 600 characters is no note of 25 words or fewer, whatever its words.
  if (text.length > 600 || !ANSWER_WORD.test(text) || !ANNOUNCES.test(text) || QUOTE_LINE.test(text)) return false;
  let words = 0;
  for (const _ of text.matchAll(/\S+/g)) if (++words > MAX_NOTE_WORDS) return false;
  return true;
}
