import { Parser } from 'htmlparser2';
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

interface Frame {
  quoted: boolean;
  skip: boolean;
  pre: boolean;
  close: string;
}

/**
 * Visible text of an HTML email, with paragraph and line structure kept and entities decoded. Quoted parts
 * marked up by mail clients go to `quoted`, and so does everything after an `<hr>` that is followed by a
 * From/Von header block. A streaming tokenizer (htmlparser2) and a flat stack: linear in the input, and
 * deeply nested markup cannot overflow the call stack.
 */
export function htmlToTextParts(html: string, options: { detectQuotes?: boolean } = {}): HtmlText {
  const detect = options.detectQuotes !== false;
  const out = { text: [] as string[], quoted: [] as string[] };
  const hrMarks: number[] = [];
  let cut = false;
  const root: Frame = { quoted: false, skip: false, pre: false, close: '' };
  const stack: Frame[] = [root];
  const emit = (quoted: boolean, s: string): void => {
    (quoted || cut ? out.quoted : out.text).push(s);
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const parent = stack[stack.length - 1];
        const tag = name.toLowerCase();
        const frame: Frame = { quoted: parent.quoted, skip: parent.skip || SKIP.has(tag), pre: parent.pre || tag === 'pre', close: '' };
        stack.push(frame);
        if (frame.skip) return;
        if (detect && !frame.quoted && !cut && isCutElement(attribs)) cut = true;
        if (detect && !frame.quoted && isQuoteElement(tag, attribs)) frame.quoted = true;
        if (detect && tag === 'hr' && !frame.quoted && !cut) hrMarks.push(out.text.length);
        if (BREAK.has(tag)) emit(frame.quoted, '\n');
        else if (PARAGRAPH.has(tag)) {
          emit(frame.quoted, '\n\n');
          frame.close = '\n\n';
        } else if (BLOCK.has(tag)) {
          emit(frame.quoted, '\n');
          frame.close = '\n';
        } else if (CELL.has(tag)) frame.close = ' ';
      },
      onclosetag() {
        const frame = stack.length > 1 ? (stack.pop() as Frame) : root;
        if (!frame.skip && frame.close) emit(frame.quoted, frame.close);
      },
      ontext(text) {
        const frame = stack[stack.length - 1];
        if (frame.skip) return;
        // Source line breaks survive as line breaks (talon and the fixtures keep them); other runs become one space.
        emit(frame.quoted, frame.pre ? text : text.replace(/[ \t\r\n\f]+/g, (ws) => (ws.includes('\n') ? '\n' : ' ')));
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  // `<hr>` then a From:/Von: block: Outlook and Thunderbird forwards/replies without marked-up ids.
  for (const at of hrMarks) {
    let head = '';
    for (let i = at; i < out.text.length && head.length < 800; i += 1) head += out.text[i];
    const rest = head.split('\n').filter((l) => l.trim() !== '').slice(0, 4);
    const sameLine = /\b(?:date|sent|to|subject|datum|gesendet|an|betreff)\s?:/i.test(rest[0]?.slice(5) ?? '');
    if (rest.length >= 1 && headerKey(rest[0])?.from && (sameLine || rest.slice(1).some((l) => headerKey(l) !== undefined))) {
      out.quoted.unshift(...out.text.slice(at));
      out.text.length = at;
      break;
    }
  }
  return { text: tidy(out.text.join('')), quoted: tidy(out.quoted.join('')) };
}

/** Lines trimmed at the end, spaces after a line break removed, at most one blank line in a row. */
function tidy(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/^ +/, '').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Visible text of an HTML document, quoted parts included (`htmlToTextParts` separates them). */
export function htmlToText(html: string): string {
  return htmlToTextParts(html, { detectQuotes: false }).text;
}
