import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';
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

function classes(el: HTMLElement): string[] {
  const c = el.getAttribute('class');
  return c ? c.toLowerCase().split(/\s+/) : [];
}

/** A quoted element that may sit between new text (inline replies): drop it alone. */
function isQuoteElement(el: HTMLElement): boolean {
  const tag = el.rawTagName?.toLowerCase();
  const cls = classes(el);
  if (tag === 'blockquote' && (el.getAttribute('type') ?? '').toLowerCase() === 'cite') return true;
  if (cls.includes('gmail_quote') || cls.includes('gmail_extra') || cls.includes('yahoo_quoted') || cls.includes('moz-cite-prefix')) return true;
  if (cls.includes('protonmail_quote') || cls.includes('zmail_extra') || cls.includes('x_gmail_quote') || cls.includes('gmail_quote_container')) return true;
  return tag === 'blockquote' && el.getAttribute('cite') !== undefined;
}

/** A marker after which everything in document order is quoted (Outlook's reply header sections). */
function isCutElement(el: HTMLElement): boolean {
  const id = (el.getAttribute('id') ?? '').toLowerCase();
  if (id === 'divrplyfwdmsg' || id === 'x_divrplyfwdmsg' || id === 'olk_src_body_section' || id === 'x_olk_src_body_section') return true;
  if (id === 'appendonsend') return false;
  const cls = classes(el);
  return cls.includes('outlookmessageheader') || cls.includes('divrplyfwdmsg');
}

interface Frame {
  node: Node;
  quoted: boolean;
  closing?: string;
}

/**
 * Visible text of an HTML email, with paragraph and line structure kept and entities decoded. Quoted parts
 * marked up by mail clients go to `quoted`, and so does everything after an `<hr>` that is followed by a
 * From/Von header block. Iterative, so deeply nested markup cannot overflow the stack.
 */
export function htmlToTextParts(html: string, options: { detectQuotes?: boolean } = {}): HtmlText {
  const detect = options.detectQuotes !== false;
  const root = parse(html, { comment: false, lowerCaseTagName: true });
  const out = { text: [] as string[], quoted: [] as string[] };
  const hrMarks: number[] = [];
  let cut = false;
  const stack: Frame[] = [{ node: root, quoted: false }];
  const emit = (quoted: boolean, s: string): void => {
    (quoted || cut ? out.quoted : out.text).push(s);
  };
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.closing !== undefined) {
      emit(frame.quoted, frame.closing);
      continue;
    }
    const node = frame.node;
    if (node.nodeType === NodeType.TEXT_NODE) {
      const parentTag = (node.parentNode as HTMLElement | null)?.rawTagName?.toLowerCase();
      const raw = node.text;
      emit(frame.quoted, parentTag === 'pre' ? raw : raw.replace(/[ \t\r\n\f]+/g, ' '));
      continue;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) continue;
    const el = node as HTMLElement;
    const tag = el.rawTagName?.toLowerCase() ?? '';
    if (SKIP.has(tag)) continue;
    let quoted = frame.quoted;
    if (detect && !quoted && !cut && isCutElement(el)) cut = true;
    if (detect && !quoted && isQuoteElement(el)) quoted = true;
    if (detect && tag === 'hr' && !quoted && !cut) hrMarks.push(out.text.length);
    let open = '';
    let close = '';
    if (BREAK.has(tag)) open = '\n';
    else if (PARAGRAPH.has(tag)) {
      open = '\n\n';
      close = '\n\n';
    } else if (BLOCK.has(tag)) {
      open = '\n';
      close = '\n';
    } else if (CELL.has(tag)) close = ' ';
    if (open) emit(quoted, open);
    if (close) stack.push({ node: el, quoted, closing: close });
    const children = el.childNodes;
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ node: children[i], quoted });
  }
  // `<hr>` then a From:/Von: block: Outlook and Thunderbird forwards/replies without marked-up ids.
  for (const at of hrMarks) {
    const rest = out.text.slice(at).join('').split('\n').filter((l) => l.trim() !== '').slice(0, 4);
    if (rest.length >= 2 && headerKey(rest[0])?.from && rest.slice(1).some((l) => headerKey(l) !== undefined)) {
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
