/**
 * Whether a plain-text `body` is in fact HTML: CRMs often put an HTML email into the body field, and its
 * tags, CSS and entities (`&uuml;`) are then what the classifier reads. Cheap, as it runs on every email:
 * two regular expressions over the first `SNIFF_CHARS` characters, no parse.
 *
 * The rule: the body is HTML when
 * - in its first `SNIFF_CHARS` characters, it or one of its lines opens, after blanks (a BOM counts as one)
 *   and any XML declarations (`<?xml ...?>`) and comments (`<!-- ... -->`, Outlook's conditional ones and
 *   their `<![endif]-->` too) that close on that line, with `<!DOCTYPE html`, or with a complete start tag of
 *   `html`, `head`, `body`, `meta`, `style`, `title`, `div`, `p`, `span`, `font`, `center`, `table`, `ul`,
 *   `ol`, `h1`-`h6` or `br` (`<p>`, `<div class="x">`, `<br/>`; a `<` with anything else after it is no
 *   tag: `<Anhang>`, `<max@example.de>`; a tag runs to its first `>`). Any line, not only the first:
 *   cleaning drops lines (a quote, a device line), and a tag that opened a line under them would open the
 *   cleaned text, which a second cleaning would then read as HTML (`> quoted line\n<br>` kept `<br>` as
 *   text, then cleaned to nothing); or
 * - its first `SNIFF_CHARS` characters hold at least two complete line or block tags: `<br>`, a start or
 *   end tag of `p`, `div`, `table`, `tr`, `td`, `li`, `blockquote`, `h1`-`h6` (`Hallo,<br>bitte ...<br>`,
 *   `Hallo</p><p>bitte`).
 * Plain text holding `<` stays plain text: `Betrag < 5 EUR`, `<<Anhang>>`, `->`, `<3`, an address in a
 * quoted header (`Von: Max Muster <max@example.de>`), a link in angle brackets, code such as
 * `if (a < b)` or `List<String>`, a `<br>` inside a line. A snippet of markup quoted in a plain-text mail
 * with two such tags in its first `SNIFF_CHARS` characters, or a line there that opens with one, reads as
 * HTML: its tags go, its text stays.
 */

/** Characters at the start of a body read for the rule. */
export const SNIFF_CHARS = 1024;

// A line starts after a CR as well: cleaning reads a lone CR as a line break. Blanks after a line break stay on its
// line: `\s*` there would run over every blank line below each line break again.
// A tag runs to its first `>`, a `<` before it included, as HTML and tokenizeHtml read it. Stopped at a `<`, a tag over
// lines could form only once cleaning dropped a line with a `<` from inside it: `<p`, `Sent from my iPhone <`, `class=x>`.
// An XML declaration, comments and the end of a conditional comment may open the line before the tag (`<?xml
// version="1.0"?><!DOCTYPE html ...>`, `<!--[if gte mso 9]>...<![endif]--><html>`, `<![endif]--><html>`): each
// is skipped to its end on that line. A comment runs to its first `-->`, never over one, nor over a line end: one
// that could (`[^]*?`) took exponential time on a line of many comments, and one over lines, a scan of the rest
// of the head for each line that opens one. They are taken all or none (`(?=(...))\1`, a group that is not given
// back), as no tag opens as one of them does: giving them back one by one cost 0.4 ms on a line of 110 comments.
const START_TAG =
  /(?:^|[\r\n])[^\S\r\n]*(?=((?:(?:<\?[^>\r\n]*>|<!--(?:[^\r\n-]|-(?!->|[\r\n]))*-->|<!\[[^>\r\n]*>)[^\S\r\n]*)*))\1<(?:!doctype\s+html\b[^>]*|(?:html|head|body|meta|style|title|div|p|span|font|center|table|ul|ol|h[1-6]|br)(?:\s[^>]*)?\/?)>/i;

const BLOCK_TAG = /<(?:br\s*\/?|\/?(?:p|div|table|tr|td|li|blockquote|h[1-6])(?:\s[^>]*)?)>/gi;

/** Whether `body` reads as HTML by the rule above. */
export function bodyIsHtml(body: string): boolean {
  if (!body.includes('<')) return false;
  // Every tag ends at a `>`: the head ends at its last one, so that each `[^>]*` finds one and no try runs on to the
  // end of the head in vain (`<p <p <p ...` cost a scan of the rest for each `<p`: 0.9 ms for 1,024 characters).
  const end = body.lastIndexOf('>', SNIFF_CHARS - 1);
  if (end < 0) return false;
  const head = body.slice(0, end + 1);
  if (START_TAG.test(head)) return true;
  BLOCK_TAG.lastIndex = 0;
  return BLOCK_TAG.exec(head) !== null && BLOCK_TAG.exec(head) !== null;
}
