/** Values from the data (labels, task names, ids) in Markdown: as table cells or prose (`cell`), or as code (`codeSpan`). */

/**
 * What formats inline text in Markdown (GitHub's): `|` in a table, emphasis and strikethrough, code, links. An `_`
 * inside a word (`payments_transfers`) emphasises nothing and is left as it is, so the source stays readable.
 */
const MARKDOWN_FORMATTING = /[|*~`[\]]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * An `&` that Markdown would read as the start of an entity or character reference (`&lt;`, `&amp;`, `&#228;`,
 * `&#xE4;`): only such an `&` needs escaping; a plain one (`Hausrat & Haftpflicht`) is text as it stands.
 */
const ENTITY_AMPERSAND = /&(?=(?:[A-Za-z][A-Za-z0-9]*|#[0-9]{1,7}|#[Xx][0-9A-Fa-f]{1,6});)/g;

/**
 * Labels and values come from data: HTML in them is shown, not rendered (`<` and `>` as `&lt;` and `&gt;`), a `|`
 * does not split the cell (nor does a `\` before it, which would escape the escape), `*`, `_`, `~`, backticks and
 * brackets do not format (`x|*em*` is not italic, `[a](b)` no link), text that reads as an entity stays literal
 * (`&lt;` as `\&lt;`; a plain `&` is left as it is), and no line break (`\r` is one in Markdown, as `\n` is) or
 * other control character ends the row or the line: they become blanks. Every value from the data put into
 * Markdown goes through it or `codeSpan`.
 */
export const cell = (s: string): string =>
  blankControls(
    s
      .replace(/\\/g, '\\\\')
      .replace(ENTITY_AMPERSAND, '\\&')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(MARKDOWN_FORMATTING, '\\$&'),
  );

/** Line breaks and other control characters (C0, DEL, C1, the line and paragraph separators) as blanks. */
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
export const blankControls = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');

/**
 * A value from the data or the command line (a label, an id, a path) as a code span, for prose where `cell`
 * is not enough (`*`, `_` and backticks would still format): Markdown shows its text as it is (no emphasis,
 * no HTML), but a line break in it would end the list item or paragraph and let the next line start an HTML
 * block, so breaks and other control characters become blanks; a backtick, which would end the span, becomes '.
 */
export const codeSpan = (s: string): string => `\`${blankControls(s.replace(/`/g, "'"))}\``;
