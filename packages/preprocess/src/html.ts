import { parseAttrs, tokenizeHtml } from './html-tokens.js';
import { headerKey } from './patterns.js';

/** Elements whose content is never visible text. */
const SKIP = new Set(['head', 'style', 'script', 'title', 'noscript', 'template', 'svg', 'object', 'iframe', 'meta', 'link']);
const BREAK = new Set(['br']);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'blockquote', 'pre', 'hr']);
const BLOCK = new Set([
  'div', 'li', 'tr', 'section', 'article', 'header', 'footer', 'aside', 'nav', 'main', 'dd', 'dt', 'dl', 'address', 'center',
  'figure', 'figcaption', 'form', 'fieldset', 'body', 'html',
]);
const CELL = new Set(['td', 'th']);

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

const QUOTE_CLASSES = ['gmail_quote', 'gmail_extra', 'yahoo_quoted', 'moz-cite-prefix', 'protonmail_quote', 'zmail_extra', 'x_gmail_quote', 'gmail_quote_container'];

/** A quoted element that may sit between new text (inline replies): drop it alone. */
function isQuoteElement(tag: string, a: Attribs): boolean {
  // Any blockquote: mail clients quote with it; a message that is nothing but a blockquote is kept by the caller.
  if (tag === 'blockquote') return true;
  const cls = classes(a);
  return QUOTE_CLASSES.some((c) => cls.includes(c));
}

const CUT_IDS = ['divrplyfwdmsg', 'x_divrplyfwdmsg', 'olk_src_body_section', 'x_olk_src_body_section'];

/** A marker after which everything in document order is quoted (Outlook's reply header sections). */
function isCutElement(a: Attribs): boolean {
  if (CUT_IDS.includes((a.id ?? '').toLowerCase())) return true;
  const cls = classes(a);
  return cls.includes('outlookmessageheader') || cls.includes('divrplyfwdmsg');
}

const WS_TO_FOLD = /[\t\r\n\f]| {2}/;
const MAY_MARK_QUOTE = /quote|extra|cite|rplyfwd|olk_src|messageheader/i;
const NO_ATTRS: Attribs = {};

interface Frame {
  tag: string;
  quoted: boolean;
  skip: boolean;
  pre: boolean;
  close: number;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** How far down the stack a closing tag looks for its opening tag; deeper mismatches are ignored. */
const CLOSE_SEARCH = 64;

/** Collects text with line breaks requested by block elements and written only between pieces of text. */
class Sink {
  readonly parts: string[] = [];
  private pending = 0;

  text(s: string): void {
    if (s === '') return;
    if (this.pending > 0 && this.parts.length > 0) this.parts.push('\n'.repeat(this.pending));
    this.pending = 0;
    this.parts.push(s);
  }

  lineBreak(n: number): void {
    this.pending = Math.max(this.pending, n);
  }

  /** `<br>` always adds a line, even after another one. */
  hardBreak(): void {
    if (this.pending > 0 && this.parts.length > 0) this.parts.push('\n'.repeat(this.pending));
    this.pending = 0;
    this.parts.push('\n');
  }
}

/**
 * Visible text of an HTML email, with paragraph and line structure kept and entities decoded. Quoted parts
 * marked up by mail clients go to `quoted`, and so does everything after an `<hr>` that is followed by a
 * From/Von header block. One linear pass over tokens with a flat stack: deep nesting costs no recursion.
 */
export function htmlToTextParts(html: string, options: { detectQuotes?: boolean } = {}): HtmlText {
  const detect = options.detectQuotes !== false;
  const text = new Sink();
  const quoted = new Sink();
  const hrMarks: number[] = [];
  let cut = false;
  const root: Frame = { tag: '', quoted: false, skip: false, pre: false, close: 0 };
  const stack: Frame[] = [root];
  const sink = (q: boolean): Sink => (q || cut ? quoted : text);
  tokenizeHtml(html, {
    text(t) {
      const top = stack[stack.length - 1];
      if (top.skip) return;
      // Source line breaks survive as line breaks (talon and the fixtures keep them); other runs become one space.
      sink(top.quoted).text(top.pre || !WS_TO_FOLD.test(t) ? t : t.replace(/[ \t\r\f]+/g, ' ').replace(/ ?\n[ \n]*/g, '\n'));
    },
    close(name) {
      for (let k = stack.length - 1; k > 0 && k >= stack.length - CLOSE_SEARCH; k -= 1) {
        if (stack[k].tag !== name) continue;
        while (stack.length > k) {
          const f = stack.pop() as Frame;
          if (!f.skip && f.close > 0) sink(f.quoted).lineBreak(f.close);
        }
        return;
      }
    },
    open(tag, attrSrc, selfClosing) {
      if (tag === 'body') {
        // An unclosed <head> must not swallow the body.
        const head = stack.findIndex((f) => f.tag === 'head');
        if (head > 0) stack.length = head;
      }
      const top = stack[stack.length - 1];
      const frame: Frame = { tag, quoted: top.quoted, skip: top.skip || SKIP.has(tag), pre: top.pre || tag === 'pre', close: 0 };
      if (!frame.skip) {
        // Attributes are parsed only when they may name a quote marker: most tags carry styles only.
        const attrs = detect && !frame.quoted && MAY_MARK_QUOTE.test(attrSrc) ? parseAttrs(attrSrc) : NO_ATTRS;
        if (detect && !frame.quoted && !cut && isCutElement(attrs)) cut = true;
        if (detect && !frame.quoted && (tag === 'blockquote' || isQuoteElement(tag, attrs))) frame.quoted = true;
        if (detect && tag === 'hr' && !frame.quoted && !cut) hrMarks.push(text.parts.length);
        const out = sink(frame.quoted);
        if (BREAK.has(tag)) out.hardBreak();
        else if (PARAGRAPH.has(tag)) {
          out.lineBreak(2);
          frame.close = 2;
        } else if (BLOCK.has(tag)) {
          out.lineBreak(1);
          frame.close = 1;
        } else if (CELL.has(tag)) out.text(' ');
      }
      if (!VOID.has(tag) && !selfClosing) stack.push(frame);
    },
  });
  // `<hr>` then a From:/Von: block: Outlook and Thunderbird forwards/replies without marked-up ids.
  for (const at of hrMarks) {
    let head = '';
    for (let i = at; i < text.parts.length && head.length < 800; i += 1) head += text.parts[i];
    const rest = head.split('\n').filter((l) => l.trim() !== '').slice(0, 4);
    const sameLine = /\b(?:date|sent|to|subject|datum|gesendet|an|betreff)\s?:/i.test(rest[0]?.slice(5) ?? '');
    if (rest.length >= 1 && headerKey(rest[0])?.from && (sameLine || rest.slice(1).some((l) => headerKey(l) !== undefined))) {
      quoted.parts.unshift(...text.parts.splice(at), '\n');
      break;
    }
  }
  return { text: tidy(text.parts.join('')), quoted: tidy(quoted.parts.join('')) };
}

/** Lines trimmed at the end, spaces after a line break removed, at most one blank line in a row. */
function tidy(text: string): string {
  const lines = (text.includes('\u00a0') ? text.replace(/\u00a0/g, ' ') : text).split('\n');
  const out: string[] = [];
  let blanks = 0;
  for (const line of lines) {
    const t = line.trim();
    if (t === '') {
      blanks += 1;
      if (blanks > 1) continue;
    } else blanks = 0;
    out.push(t);
  }
  return out.join('\n').trim();
}

/** Visible text of an HTML document, quoted parts included (`htmlToTextParts` separates them). */
export function htmlToText(html: string): string {
  return htmlToTextParts(html, { detectQuotes: false }).text;
}
