// What the detectors of `redactPlain` find, and the scan they share.

/** A span to mask, with its type and the placeholder that replaces it. */
export interface Hit {
  type: string;
  start: number;
  end: number;
  placeholder: string;
  /** A name masked where it stands but not looked for elsewhere (a payee that may be a firm, a weakly cued signature). */
  echo?: false;
  /** Left as it stands, but no later detector masks a part of it: an IBAN when the `iban` detector is off. */
  keep?: true;
}

/**
 * The matches of one of a detector's global patterns, in order: what `text.matchAll(re)` gives, without the copy of
 * the pattern it makes per call (none of these patterns matches the empty string).
 */
export function allMatches(re: RegExp, text: string, from = 0): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) found.push(m);
  return found;
}
