import { decodeHTML } from 'entities';

/** What the tokenizer reports: text (entities decoded), opening tags with their raw attributes, closing tags. */
export interface HtmlHandler {
  text(text: string): void;
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
}

/** Elements whose content is raw text up to their closing tag. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'noscript', 'template']);
// Whitespace, '/' and '>' end a tag name.
const NAME_END = new Set([9, 10, 12, 13, 32, 47, 62]);
const CLOSERS = new Map<string, RegExp>();
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** The attributes of an opening tag's source (`class="a" id=b`), names lower-cased, values decoded. */
export function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of src.matchAll(ATTR)) {
    const key = m[1].toLowerCase();
    if (!(key in attrs)) attrs[key] = decodeHTML(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

// The rest of a tag: unquoted characters, or quoted values that may hold `>`; the tokens are disjoint, so linear.
const TAG_REST = /[^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>/y;

/**
 * Index of the `>` that ends a tag starting at `from`, skipping quoted attribute values; -1 if none.
 * After one unbalanced quote the document's quoting is not trusted again, so no tag rescans to the end twice.
 */
function tagEnd(html: string, from: number, state: { quotesBroken: boolean }): number {
  const gt = html.indexOf('>', from);
  if (gt < 0 || state.quotesBroken) return gt;
  const inner = html.slice(from, gt);
  if (!inner.includes('"') && !inner.includes("'")) return gt;
  TAG_REST.lastIndex = from;
  if (TAG_REST.exec(html)) return TAG_REST.lastIndex - 1;
  state.quotesBroken = true;
  return gt;
}

/**
 * A small forgiving HTML tokenizer: one forward pass, every scan moves on, so the cost is linear in the
 * input whatever its nesting. Comments, doctypes and processing instructions are skipped.
 */
export function tokenizeHtml(html: string, h: HtmlHandler): void {
  let i = 0;
  const n = html.length;
  const state = { quotesBroken: false };
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = html.slice(i, textEnd);
      h.text(raw.includes('&') ? decodeHTML(raw) : raw);
    }
    if (lt < 0) return;
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const next = html[i + 1];
    if (next === '!' || next === '?') {
      const end = html.indexOf('>', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const closing = next === '/';
    const nameStart = i + (closing ? 2 : 1);
    const c = html.charCodeAt(nameStart) | 0x20;
    if (c < 97 || c > 122) {
      // A lone `<` is text.
      h.text('<');
      i += 1;
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < n && nameEnd - nameStart < 64 && !NAME_END.has(html.charCodeAt(nameEnd))) nameEnd += 1;
    const rawName = html.slice(nameStart, nameEnd);
    const name = rawName.toLowerCase();
    const end = tagEnd(html, i + 1, state);
    if (end < 0) return;
    if (closing) {
      h.close(name);
      i = end + 1;
      continue;
    }
    const inner = html.slice(nameEnd, end);
    const selfClosing = inner.endsWith('/');
    h.open(name, inner, selfClosing);
    i = end + 1;
    if (RAW_TEXT.has(name) && !selfClosing) {
      let closeRe = CLOSERS.get(name);
      if (!closeRe) {
        closeRe = new RegExp(`</${name}`, 'gi');
        CLOSERS.set(name, closeRe);
      }
      closeRe.lastIndex = i;
      const close = closeRe.exec(html);
      const stop = close ? close.index : n;
      if (stop > i) h.text(name === 'title' || name === 'textarea' ? decodeHTML(html.slice(i, stop)) : html.slice(i, stop));
      i = stop;
    }
  }
}
