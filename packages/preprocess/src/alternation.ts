/** Regular-expression sources put together for the engine to scan faster. */

/** The top-level alternatives of a pattern's source (`a|b(?:c|d)|[|]` gives `a`, `b(?:c|d)`, `[|]`). */
function alternativesOf(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') i += 1;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      alternatives.push(source.slice(start, i));
      start = i + 1;
    }
  }
  alternatives.push(source.slice(start));
  return alternatives;
}

/**
 * The alternatives of `sources` as one alternation, grouped by the letter each starts with (after a `\b`), for a
 * case-insensitive test: it holds the same alternatives, so it finds a match where their plain alternation does, but
 * at each character the engine tries a group where it tried every alternative (`signature.ts`' LEGAL_ANY: 50
 * alternatives in 17 groups, 0.56 of the time on the paragraphs of 3,000 demo emails).
 */
export function byFirstLetter(sources: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const alternative of sources.flatMap(alternativesOf)) {
    const letter = (alternative.startsWith('\\b') ? alternative.charAt(2) : alternative.charAt(0)).toLowerCase();
    groups.set(letter, [...(groups.get(letter) ?? []), alternative]);
  }
  return [...groups.values()].map((group) => (group.length === 1 ? group[0] : `(?:${group.join('|')})`)).join('|');
}
