/**
 * A writer who answers in the quoted message says so above it: `Meine Antworten unten in Rot.`, `Antworten im Text`,
 * `siehe meine Anmerkungen unten`, `Please see my answers below in red.`, `my comments inline`. Their answers stand
 * in the quote then (coloured, or marked `-->`, `[Name]`), so the quote is read as their text (clean.ts).
 */
const ANNOUNCES = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:` +
    String.raw`(?:antworten|anmerkungen|kommentare|ergänzungen)(?:[^.!?\n]{0,40}?)(?:unten|im text|in (?:rot|blau|grün|fett)|zwischen|direkt in|inline)|` +
    String.raw`fragen(?:[^.!?\n]{0,30}?)(?:unten|im text)(?:[^.!?\n]{0,20}?)beantwortet|` +
    String.raw`(?:answers|responses|replies|comments|notes)(?:[^.!?\n]{0,40}?)(?:below|inline|in-line|in (?:red|blue|green|bold))|` +
    String.raw`answered(?:[^.!?\n]{0,30}?)(?:below|inline)` +
    String.raw`)(?![\p{L}])`,
  'iu',
);

/** The most words of a note that announces answers below it: a longer text is a message of its own. */
const MAX_NOTE_WORDS = 40;

/** A `>` line: answers typed between such lines are in the text already (an inline reply, quotes.ts). */
const QUOTE_LINE = /^[^\S\n]*>/m;

/**
 * Whether `text` (the writer's text above a quote) is a short note announcing answers in the quote below, not an
 * inline reply whose answers it holds already.
 */
export function announcesAnswersBelow(text: string): boolean {
  // A text over 600 characters is no note of forty words or fewer, whatever its words.
  if (text.length > 600 || !ANNOUNCES.test(text) || QUOTE_LINE.test(text)) return false;
  let words = 0;
  for (const _ of text.matchAll(/\S+/g)) if (++words > MAX_NOTE_WORDS) return false;
  return true;
}
