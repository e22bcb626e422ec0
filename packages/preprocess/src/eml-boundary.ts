/**
 * A multipart entity whose Content-Type names no boundary (`Content-Type: multipart/mixed` alone, as some
 * scripts and gateways write it) has parts the MIME parser cannot find: it read nothing of its body. Its
 * boundary can be read off its body when that body has the form only a multipart has: a delimiter line
 * `--X` (after an optional preamble) and, further on, the closing line `--X--`, or, when it was never closed, a
 * part's header field (`Content-Type:`) on the line right under it.
 */

/** A delimiter line: `--`, then a boundary (RFC 2046: 1 to 70 characters, not ending in a blank), then blanks (and the CRs of its line end). */
const DELIMITER = /^--([^\s"][^\r\n"]{0,68}[^\s"]|[^\s"])[ \t]*\r*$/;

/** A MIME part's header field, opening the line after a delimiter line. */
const PART_FIELD = /^content-(?:type|transfer-encoding|disposition)[ \t]*:/i;

/**
 * The boundary the body s[start, end) uses, or undefined when it has no delimiter line closed further on, or followed
 * at once by a part's header field (`Content-Type:`).
 */
export function unstatedBoundary(s: string, start: number, end: number): string | undefined {
  for (let at = start; at < end; ) {
    const eol = s.indexOf('\n', at);
    const lineEnd = eol === -1 || eol > end ? end : eol;
    const match = s.startsWith('--', at) ? DELIMITER.exec(s.slice(at, lineEnd)) : null;
    if (match) {
      // Searched within the body only: from each of thousands of parts, a search to the message's end was quadratic.
      if (s.slice(lineEnd, end).includes(`\n--${match[1]}--`)) return match[1];
      // Never closed (a script's mail cut short of its closing line): a part's header field right under the line
      // says it is one all the same, where a text's own `--Max` line is followed by text.
      return PART_FIELD.test(s.slice(lineEnd + 1, Math.min(end, lineEnd + 200))) ? match[1] : undefined;
    }
    if (eol === -1) return undefined;
    at = eol + 1;
  }
  return undefined;
}

/**
 * What the line at `i` of s[.., end), which opens with `--` and `boundary`, is (RFC 2046, as the parser reads it): a
 * delimiter (`open`: blanks only after the boundary, to the line's end), the closing delimiter (`close`: `--` then
 * blanks only), or neither (undefined): `--=_b_alt` is no delimiter of the boundary `=_b`.
 */
export function delimiterKind(s: string, i: number, boundary: string, end: number): 'open' | 'close' | undefined {
  let j = i + 2 + boundary.length;
  const close = s.startsWith('--', j);
  if (close) j += 2;
  while (j < end && (s[j] === ' ' || s[j] === '\t')) j++;
  while (j < end && s[j] === '\r') j++;
  if (j < end && s[j] !== '\n') return undefined;
  return close ? 'close' : 'open';
}
