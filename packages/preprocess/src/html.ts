import { GONE, INVISIBLE, TINY, visibility } from './html-hidden.js';
import { readStyleSheet, sheetDeclarations, type StyleSheet } from './html-sheet.js';
import { TableCells } from './html-table.js';
import { parseAttrs, tokenizeHtml } from './html-tokens.js';
import { decodeEntities, foldBlanks, Sink, tidyLines } from './html-text.js';
import { headerKey } from './patterns.js';

// What a tag does to the text, as bits: one map lookup per tag instead of one set per kind.
/** Content never visible. */
const SKIP = 1;
/** `<br>`: a line break, always. */
const BREAK = 2;
/** A paragraph: a blank line before and after. */
const PARAGRAPH = 4;
/** A block: a line break before and after. */
const BLOCK = 8;
/** A table cell: a space before. */
const CELL = 16;
/** No content and no closing tag. */
const VOID = 32;

const TAGS = new Map<string, number>();
function tags(kind: number, names: string): void {
  for (const name of names.split(' ')) TAGS.set(name, (TAGS.get(name) ?? 0) | kind);
}
tags(SKIP, 'head style script title noscript template svg object iframe meta link');
tags(BREAK, 'br');
tags(PARAGRAPH, 'p h1 h2 h3 h4 h5 h6 table ul ol blockquote pre hr');
tags(BLOCK, 'div li tr section article header footer aside nav main dd dt dl address center figure figcaption form fieldset body html');
tags(CELL, 'td th');
tags(VOID, 'area base br col embed hr img input link meta param source track wbr');

export interface HtmlText {
  /** The visible text outside quoted parts. */
  text: string;
  /** The visible text of the quoted parts (Gmail, Apple, Outlook, Thunderbird, Yahoo markup). */
  quoted: string;
}

type Attribs = Record<string, string | undefined>;

function classes(a: Attribs): string[] {
  return a.class ? a.class.toLowerCase().split(/\s+/) : [];
}

const QUOTE_CLASSES = ['gmail_quote', 'gmail_attr', 'gmail_extra', 'yahoo_quoted', 'moz-cite-prefix', 'protonmail_quote', 'zmail_extra', 'x_gmail_quote', 'gmail_quote_container'];

/** A style with no border (`border:none`, `border: 0`) and no left border put back after it. */
const NO_BORDER = /(?:^|;)\s*border\s*:\s*(?:none|0(?:px)?)\s*(?:;|$)/i;
const LEFT_BORDER = /border-left\s*:/i;

/**
 * Whether a blockquote is indentation the writer typed, not a quote: Gmail's and Apple Mail's "indent more"
 * (`<blockquote style="margin:0 0 0 40px;border:none;padding:0px">`), with no border where a quote has its bar, no
 * `type="cite"` and no quote class.
 */
function isIndentation(a: Attribs): boolean {
  if (a.style === undefined || !NO_BORDER.test(a.style) || LEFT_BORDER.test(a.style)) return false;
  return (a.type ?? '').toLowerCase() !== 'cite' && !classes(a).some((c) => QUOTE_CLASSES.includes(c));
}

/** How far after Gmail's quote container its attribution is looked for (`<div dir="ltr" class="gmail_attr">` comes first). */
const ATTRIBUTION_LOOKAHEAD = 400;
const BLOCKQUOTE_TAG = /<blockquote/i;

/** Whether Gmail's marked attribution (`class="gmail_attr"`) opens the source after `at`, before any blockquote. */
function attributionMarkedAfter(html: string, at: number): boolean {
  const ahead = html.slice(at, at + ATTRIBUTION_LOOKAHEAD);
  const attribution = ahead.indexOf('gmail_attr');
  if (attribution < 0) return false;
  const quote = ahead.search(BLOCKQUOTE_TAG);
  return quote < 0 || attribution < quote;
}

/**
 * A quoted element that may sit between new text (inline replies): drop it alone. `markedAttribution`: whether a
 * container of Gmail's opens with its attribution marked (`attributionMarkedAfter`).
 */
function isQuoteElement(tag: string, a: Attribs, markedAttribution: () => boolean): boolean {
  // Any blockquote but typed indentation: mail clients quote with it; a message that is nothing but a blockquote is kept by the caller.
  if (tag === 'blockquote') return !isIndentation(a);
  // GMX and WEB.DE quote in `<div name="quote">` (only a div: a span so named holds no quote).
  if (tag === 'div' && (a.name ?? '').toLowerCase() === 'quote') return true;
  const cls = classes(a);
  // Gmail's `<div class="gmail_quote">` holds the attribution (`gmail_attr`) and the quote (its blockquote); text the
  // writer typed under the quote lands in it too, after the blockquote (answers under the bank's questions): the
  // container is no quote itself where its attribution is marked, as Gmail has marked it since 2018.
  if (tag === 'div' && cls.includes('gmail_quote') && markedAttribution()) return false;
  return QUOTE_CLASSES.some((c) => cls.includes(c));
}

const CUT_IDS = ['divrplyfwdmsg', 'x_divrplyfwdmsg', 'olk_src_body_section', 'x_olk_src_body_section'];

/** A marker after which everything in document order is quoted (Outlook's reply header sections). */
function isCutElement(a: Attribs): boolean {
  if (CUT_IDS.includes((a.id ?? '').toLowerCase())) return true;
  const cls = classes(a);
  return cls.includes('outlookmessageheader') || cls.includes('divrplyfwdmsg');
}

const MAY_MARK_QUOTE = /quote|extra|cite|rplyfwd|olk_src|messageheader|gmail_attr/i;

// An open element on the stack: its tag name, and its state as bits (no object per element).
/** Inside a quoted part. */
const IN_QUOTE = 1;
/** Inside content that is never visible. */
const IN_SKIP = 2;
/** Inside `<pre>`: blanks kept. */
const IN_PRE = 4;
/** Where the TINY and INVISIBLE bits of `visibility` sit: text not drawn, though a descendant's may be. */
const HIDE_SHIFT = 2;
const IN_HIDING = (TINY | INVISIBLE) << HIDE_SHIFT;
/** Line breaks its closing tag asks for (0, 1 or 2), stored as a multiple of this. */
const CLOSE_BREAKS = 32;

/** Tags whose opening closes an open `<p>` (HTML's implied end tag): `<p style="display:none">a<p>b` hides `a` only. */
const CLOSES_P = new Set(
  'address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul'.split(' '),
);
/** Elements an implied `</p>` does not reach past (HTML's button scope). */
const P_SCOPE = new Set('applet button caption html marquee object table td template th'.split(' '));

/** Characters of text after an `<hr>` read for a From:/Von: header block. */
const HR_HEAD = 800;

/** The first `n` lines of `s[start, end)` that are not blank. */
function firstLines(s: string, start: number, end: number, n: number): string[] {
  const out: string[] = [];
  for (let i = start; i < end && out.length < n; ) {
    const nl = s.indexOf('\n', i);
    const stop = nl < 0 || nl > end ? end : nl;
    const line = s.slice(i, stop);
    if (line.trim() !== '') out.push(line);
    i = stop + 1;
  }
  return out;
}

/** How far down the stack a closing tag looks for its opening tag; deeper mismatches are ignored. */
const CLOSE_SEARCH = 64;

/** Where `name` stands among the first CLOSE_SEARCH open elements (`<head>` and `<body>` stand near the root); -1 when not there. */
function nearRoot(tags: readonly string[], name: string): number {
  for (let k = 1; k < tags.length && k < CLOSE_SEARCH; k += 1) if (tags[k] === name) return k;
  return -1;
}

/**
 * Visible text of an HTML email, with paragraph and line structure kept and entities decoded. Quoted parts
 * marked up by mail clients go to `quoted`, and so does everything after an `<hr>` that is followed by a
 * From/Von header block. One linear pass over tokens with a flat stack: deep nesting costs no recursion.
 */
export function htmlToTextParts(html: string, options: { detectQuotes?: boolean } = {}): HtmlText {
  const { text, quoted } = htmlParts(html, options);
  return { text, quoted };
}

/** `htmlToTextParts` with the lines of `text` as well, for cleaning them without splitting the text again. */
export function htmlParts(html: string, options: { detectQuotes?: boolean } = {}): HtmlText & { textLines: string[] } {
  const detect = options.detectQuotes !== false;
  const text = new Sink();
  const quoted = new Sink();
  const hrMarks: number[] = [];
  let cut = false;
  const tags: string[] = [''];
  const states: number[] = [0];
  /** `<p>` elements on the stack: most documents have none open when a block opens, and no search is needed then. */
  let openP = 0;
  /**
   * Word's HTML (Outlook on Windows: `class=MsoNormal`, Office namespaces) wraps its source at about 76 characters
   * inside paragraphs, where a reader sees a space (`Mit\r\nfreundlichen Grüßen`, a closing split so): its line breaks
   * are read as blanks, as a browser shows them. Other HTML keeps them, as talon and the fixtures do.
   */
  const wordSource = html.includes('MsoNormal') || html.includes('schemas-microsoft-com:office');
  /** The rules of the `<style>` sheets read so far that may hide text: they apply to the elements after them. */
  let sheet: StyleSheet | undefined;
  /** The open tables whose text is shown, innermost last: one read as header and values is written so as it closes. */
  const tables: TableCells[] = [];
  // Methods of one object, not closures of their own: tsx (esbuild's keepNames) names every closure as it is made,
  // which cost 2% of reading an HTML email.
  const stack = {
    /** Where text goes: to `quoted` inside a quote (`q`) or after a cut, else to `text`. */
    sink(q: boolean): Sink {
      return q || cut ? quoted : text;
    },
    /** Closes the element at stack index `k` and those above it, with the line breaks they ask for. */
    closeFrom(k: number): void {
      while (tags.length > k) {
        const name = tags.pop();
        if (name === 'p') openP -= 1;
        else if (name === 'table' && tables.length > 0 && tables[tables.length - 1].depth === tags.length) (tables.pop() as TableCells).close(hrMarks.length);
        const f = states.pop() as number;
        const breaks = Math.floor(f / CLOSE_BREAKS);
        if ((f & IN_SKIP) === 0 && breaks > 0) stack.sink((f & IN_QUOTE) !== 0).lineBreak(breaks);
      }
    },
    /** Stack index of the `<p>` an opening `tag` closes, or -1. */
    impliedP(tag: string): number {
      if (openP === 0 || !CLOSES_P.has(tag)) return -1;
      for (let k = tags.length - 1; k > 0 && k >= tags.length - CLOSE_SEARCH; k -= 1) {
        if (tags[k] === 'p') return k;
        if (P_SCOPE.has(tags[k])) return -1;
      }
      return -1;
    },
  };
  tokenizeHtml(html, {
    text(start, end, decode) {
      const top = states[states.length - 1];
      if ((top & (IN_SKIP | IN_HIDING)) !== 0) {
        if (tags[tags.length - 1] === 'style') sheet = readStyleSheet(html.slice(start, end), sheet);
        return;
      }
      const out = stack.sink((top & IN_QUOTE) !== 0);
      const pre = (top & IN_PRE) !== 0;
      const t = decode ? decodeEntities(html.slice(start, end)) : undefined;
      if (pre) out.text(t ?? html.slice(start, end));
      else out.foldedText(t !== undefined ? foldBlanks(t, 0, t.length, wordSource) : foldBlanks(html, start, end, wordSource));
    },
    close(name) {
      for (let k = tags.length - 1; k > 0 && k >= tags.length - CLOSE_SEARCH; k -= 1) {
        if (tags[k] !== name) continue;
        stack.closeFrom(k);
        return;
      }
    },
    open(tag, attrSrc, selfClosing, after) {
      if (tag === 'body') {
        // A second <body> opens nothing (as a browser merges it into the first): 100,000 of them made every later
        // one search a stack as deep.
        if (nearRoot(tags, 'body') > 0) return;
        // An unclosed <head> must not swallow the body.
        const head = nearRoot(tags, 'head');
        if (head > 0) {
          for (let k = head; k < tags.length; k += 1) if (tags[k] === 'p') openP -= 1;
          tags.length = states.length = head;
          while (tables.length > 0 && tables[tables.length - 1].depth >= head) tables.pop();
        }
      }
      const p = stack.impliedP(tag);
      if (p > 0) stack.closeFrom(p);
      const top = states[states.length - 1];
      const kind = TAGS.get(tag) ?? 0;
      let state = (top & (IN_QUOTE | IN_SKIP | IN_PRE | IN_HIDING)) | ((kind & SKIP) !== 0 ? IN_SKIP : 0) | (tag === 'pre' ? IN_PRE : 0);
      // Text no reader sees (a preheader, `display:none`, a class a sheet hides) goes with all it holds.
      const ruled = sheet !== undefined && (state & IN_SKIP) === 0 ? sheetDeclarations(sheet, tag, attrSrc) : undefined;
      if ((state & IN_SKIP) === 0 && (attrSrc.length >= 6 || ruled !== undefined)) {
        const shown = visibility(attrSrc, (state & IN_HIDING) >> HIDE_SHIFT, ruled);
        state = shown === GONE ? state | IN_SKIP : (state & ~IN_HIDING) | (shown << HIDE_SHIFT);
      }
      if ((state & IN_SKIP) === 0) {
        if (detect && (state & IN_QUOTE) === 0) {
          // Attributes are parsed only when they may name a quote marker: most tags carry styles only.
          const attrs = (attrSrc.length >= 4 && MAY_MARK_QUOTE.test(attrSrc)) || (tag === 'blockquote' && attrSrc.length >= 6) ? parseAttrs(attrSrc) : undefined;
          if (attrs !== undefined && !cut && isCutElement(attrs)) cut = true;
          if (attrs !== undefined ? isQuoteElement(tag, attrs, () => attributionMarkedAfter(html, after)) : tag === 'blockquote') state |= IN_QUOTE;
          if (tag === 'hr' && (state & IN_QUOTE) === 0 && !cut) hrMarks.push(text.parts.length);
        }
        const out = stack.sink((state & IN_QUOTE) !== 0);
        if (tag === 'table' && !selfClosing) {
          // A table inside a table's cell makes the outer one a layout, read as it is.
          if (tables.length > 0) tables[tables.length - 1].giveUp();
          tables.push(new TableCells(out, tags.length, hrMarks.length));
        } else if (tag === 'tr' && tables.length > 0) tables[tables.length - 1].row();
        if ((kind & BREAK) !== 0) out.hardBreak();
        else if ((kind & PARAGRAPH) !== 0) {
          out.lineBreak(2);
          state += 2 * CLOSE_BREAKS;
        } else if ((kind & BLOCK) !== 0) {
          out.lineBreak(1);
          state += CLOSE_BREAKS;
        } else if ((kind & CELL) !== 0) {
          out.text(' ');
          if (tables.length > 0) tables[tables.length - 1].cell(out, tag === 'th');
        }
      }
      if ((kind & VOID) === 0 && !selfClosing) {
        tags.push(tag);
        states.push(state);
        if (tag === 'p') openP += 1;
      }
    },
  });
  // Elements left open close at the end (a table with no `</table>` is read as one that has it); this only asks for line breaks.
  if (tables.length > 0) stack.closeFrom(1);
  // `<hr>` then a From:/Von: block: Outlook and Thunderbird forwards/replies without marked-up ids.
  // The text is joined once and each head read as a slice of at most HR_HEAD characters: built part by part
  // and split whole, thousands of `<hr>`s over the same text cost a quadratic time (0.3 s for 20,000 characters).
  const joined = hrMarks.length > 0 ? text.parts.join('') : '';
  // Where each part starts in `joined`.
  const offsets = [0];
  if (hrMarks.length > 0) for (const part of text.parts) offsets.push(offsets[offsets.length - 1] + part.length);
  let previous = -1;
  for (const at of hrMarks) {
    // `<hr>`s with no text between them have the same head, already found not to be a header block.
    if (at === previous) continue;
    previous = at;
    const rest = firstLines(joined, offsets[at], Math.min(joined.length, offsets[at] + HR_HEAD), 4);
    const sameLine = /\b(?:date|sent|to|subject|datum|gesendet|an|betreff)\s?:/i.test(rest[0]?.slice(5) ?? '');
    if (rest.length >= 1 && headerKey(rest[0])?.from && (sameLine || rest.slice(1).some((l) => headerKey(l) !== undefined))) {
      // Put before the quoted parts one by one, not spread into arguments (200,000 parts would overflow the stack).
      const moved = text.parts.splice(at);
      const after = quoted.parts.splice(0);
      for (const part of moved) quoted.parts.push(part);
      quoted.parts.push('\n');
      for (const part of after) quoted.parts.push(part);
      break;
    }
  }
  const textLines = tidyLines(text.parts.join(''));
  return { text: textLines.join('\n'), quoted: tidyLines(quoted.parts.join('')).join('\n'), textLines };
}

/** Visible text of an HTML document, quoted parts included (`htmlToTextParts` separates them). */
export function htmlToText(html: string): string {
  return htmlToTextParts(html, { detectQuotes: false }).text;
}
