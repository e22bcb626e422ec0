/**
 * A parameter of a MIME header field (the `charset` of `text/plain; charset=utf-8`) as the MIME parser reads
 * it: plain (`charset=utf-8`, `charset="utf-8"`) or in the forms of RFC 2231, an extended value
 * (`charset*=utf-8''iso-8859-1`: the value's charset and language, then the value percent-encoded) or
 * continuations (`charset*0=iso-8859-; charset*1=1`, percent-encoded ones as `charset*0*=`), which the parser
 * joins and prefers to a plain value. eml-charset.ts and eml-prepare.ts read charsets and boundaries so, as the parser will.
 */

/** One `; name...=value` section of a parameter in a field's raw text (folds included). */
export interface ParameterSection {
  /** Where the section starts (its `;`) and ends (after its value). */
  at: number;
  end: number;
  /** Where its value starts, and the value as written (quotes included). */
  valueAt: number;
  written: string;
}

export interface Parameter {
  /** The value the parser reads: the RFC 2231 sections joined and decoded when there are any, else the plain one. */
  value: string;
  /** The plain section (`name=`), if there is one. */
  plain?: ParameterSection;
  /** The RFC 2231 sections (`name*=`, `name*0=`, `name*1*=` ...), in the order written. */
  extended: ParameterSection[];
}

/**
 * The sections of a parameter, by name: `;`, the name, an RFC 2231 `*`, section number and `*`, `=`, the value. RFC 822
 * comments (`(...)`) may stand before the name, where the parser reads the field without them. A quote that is not
 * closed (`charset="utf-8`) opens a value that runs to the next `;` or the line's end, as the parser reads it.
 */
const PATTERNS = new Map<string, RegExp>();

function pattern(name: string): RegExp {
  let re = PATTERNS.get(name);
  if (re === undefined) {
    re = new RegExp(`;\\s*(?:\\([^()]*\\)\\s*)*${name}(\\*(?:\\d{1,3}\\*?)?)?\\s*=\\s*("[^"]*"|"[^;\\r\\n]*|[^\\s;"]*)`, 'gi');
    PATTERNS.set(name, re);
  }
  return re;
}

/** A value without its quotes: both, or the opening one of a quote not closed. */
function unquoted(written: string): string {
  if (!written.startsWith('"')) return written;
  return written.length >= 2 && written.endsWith('"') ? written.slice(1, -1) : written.slice(1).trimEnd();
}

/** Percent-encoded bytes as characters (a charset label or a boundary is ASCII). */
const percentDecoded = (text: string) => text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The parameter `name` (lower case, letters only) of a field's raw text, or undefined when the field has none. */
export function parameter(raw: string, name: string): Parameter | undefined {
  let plain: ParameterSection | undefined;
  const extended: (ParameterSection & { n: number; encoded: boolean })[] = [];
  for (const match of raw.matchAll(pattern(name))) {
    const written = match[2];
    const section = { at: match.index, end: match.index + match[0].length, valueAt: match.index + match[0].length - written.length, written };
    const star = match[1];
    if (star === undefined) plain ??= section;
    else extended.push({ ...section, n: star.length > 1 ? parseInt(star.slice(1), 10) : 0, encoded: star.endsWith('*') });
  }
  if (extended.length === 0) return plain && { value: unquoted(plain.written), plain, extended: [] };
  let value = '';
  for (const section of [...extended].sort((a, b) => a.n - b.n)) {
    const text = unquoted(section.written);
    if (!section.encoded) value += text;
    // The first encoded section opens with the value's charset and language: `utf-8'de'`.
    else value += percentDecoded(section.n === 0 ? text.replace(/^[^']*'[^']*'/, '') : text);
  }
  return { value, plain, extended: extended.map(({ at, end, valueAt, written }) => ({ at, end, valueAt, written })) };
}
