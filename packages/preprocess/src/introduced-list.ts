import { isBlank } from './blank.js';
import { isSentence } from './sentence.js';

/** A line ending in `:` introduces what follows (`folgende Aktien kaufen:`): a closing in its list is an item (`inIntroducedList`). */
export const INTRODUCES = /:\s*$/;
/** Items of a list a line ending in `:` introduces, at most this many above the line in question. */
const MAX_LIST_ITEMS = 8;
/** A list's item is short: a longer line ends the list. */
const LIST_ITEM_MAX = 60;

/**
 * Whether a line is an item of a list that a line ending in `:` introduces, `above` giving the lines above it, the
 * nearest first: that line stands above it in the same paragraph, with only short items between that read as no
 * sentence (`please buy:\nApple\nBest Buy`, `folgende Aktien kaufen:\nLG Electronics`; not `Bitte kaufen Sie:\nIch warte
 * auf Ihre Antwort.\nLG Petra`), so a closing word there is a company's or a product's name. Reads at most
 * MAX_LIST_ITEMS items and the line that introduces them.
 */
function introducedAbove(above: Iterable<string>): boolean {
  let items = 0;
  for (const line of above) {
    if (isBlank(line)) return false;
    if (INTRODUCES.test(line)) return true;
    const t = line.trim();
    if (t.length > LIST_ITEM_MAX || isSentence(t) || items === MAX_LIST_ITEMS) return false;
    items += 1;
  }
  return false;
}

/** The lines above `lines[i]`, the nearest first. */
function* linesAbove(lines: readonly string[], i: number): Generator<string> {
  for (let k = i - 1; k >= 0; k -= 1) yield lines[k];
}

/** The lines of `text` above the line starting at `lineStart`, the nearest first. */
function* textLinesAbove(text: string, lineStart: number): Generator<string> {
  // `end`: where the line above ends, at the line break before `lineStart`.
  for (let end = lineStart - 1; end >= 0; ) {
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    yield text.slice(start, end);
    end = start - 1;
  }
}

/**
 * Whether line `i` is an item of a list that a line ending in `:` introduces (`introducedAbove`): the cleaner's
 * reading of a closing word there (signature.ts).
 */
export function inIntroducedList(lines: readonly string[], i: number): boolean {
  return introducedAbove(linesAbove(lines, i));
}

/**
 * Whether the line of `text` starting at `lineStart` is an item of a list that a line ending in `:` introduces, as the
 * cleaner reads it (`inIntroducedList`): the names detector's reading of a closing word there (names.ts).
 */
export function inIntroducedListAt(text: string, lineStart: number): boolean {
  return introducedAbove(textLinesAbove(text, lineStart));
}
