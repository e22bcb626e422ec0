import { decodeHTML } from 'entities';

/**
 * What the tokenizer reports. Text comes as a range of the source (`decode`: whether entities in it are
 * decoded), so that the common run of blanks between two tags costs no copy; opening tags come with
 * their raw attribute source.
 */
export interface HtmlHandler {
  text(start: number, end: number, decode: boolean): void;
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
}

/** Elements whose content is raw text up to their closing tag, and whether entities in it are decoded. */
const RAW_TEXT = new Map([
  ['script', false],
  ['style', false],
  ['title', true],
  ['textarea', true],
  ['xmp', false],
  ['noscript', false],
  ['template', false],
]);
const CLOSERS = new Map<string, RegExp>();
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const MAX_NAME = 64;

/** The attributes of an opening tag's source (`class="a" id=b`), names lower-cased, values decoded. */
export function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of src.matchAll(ATTR)) {
    const key = m[1].toLowerCase();
    if (!(key in attrs)) attrs[key] = decodeHTML(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Whitespace, '/' and '>' end a tag name. */
function endsName(c: number): boolean {
  return c === 32 || c === 62 || c === 47 || c === 10 || c === 9 || c === 13 || c === 12;
}

interface ScanState {
  /** After one unbalanced quote the document's quoting is not trusted again, so no tag rescans to the end twice. */
  quotesBroken: boolean;
}

/**
 * Index of the `>` that ends a tag starting at `from`, skipping quoted attribute values (which may hold `>`);
 * -1 if none. A quote left open to the end of the document counts as no quote: the first `>` ends the tag.
 */
function tagEnd(html: string, from: number, state: ScanState): number {
  if (state.quotesBroken) return html.indexOf('>', from);
  const n = html.length;
  let j = from;
  while (j < n) {
    const c = html.charCodeAt(j);
    if (c === 62) return j;
    if (c === 34 || c === 39) {
      const close = html.indexOf(c === 34 ? '"' : "'", j + 1);
      if (close < 0) break;
      j = close + 1;
    } else j += 1;
  }
  const gt = html.indexOf('>', from);
  if (gt >= 0) state.quotesBroken = true;
  return gt;
}

/** Index of the closing tag of a raw-text element (`</style`, any case) at or after `from`, or the end. */
function rawTextEnd(html: string, name: string, from: number): number {
  let closeRe = CLOSERS.get(name);
  if (!closeRe) {
    closeRe = new RegExp(`</${name}`, 'gi');
    CLOSERS.set(name, closeRe);
  }
  closeRe.lastIndex = from;
  const close = closeRe.exec(html);
  return close ? close.index : html.length;
}

/**
 * A small forgiving HTML tokenizer: one forward pass over character codes, every scan moves on, so the cost
 * is linear in the input whatever its nesting. Comments, doctypes and processing instructions are skipped.
 */
export function tokenizeHtml(html: string, h: HtmlHandler): void {
  let i = 0;
  const n = html.length;
  const state: ScanState = { quotesBroken: false };
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) h.text(i, textEnd, true);
    if (lt < 0) return;
    i = lt;
    const next = html.charCodeAt(i + 1);
    if (next === 33 || next === 63) {
      // `<!--` comment, `<!doctype>`, `<?xml?>`
      const comment = next === 33 && html.startsWith('--', i + 2);
      const end = comment ? html.indexOf('-->', i + 4) : html.indexOf('>', i + 2);
      i = end < 0 ? n : end + (comment ? 3 : 1);
      continue;
    }
    const closing = next === 47;
    const nameStart = i + (closing ? 2 : 1);
    const c = html.charCodeAt(nameStart) | 0x20;
    if (c < 97 || c > 122) {
      // A lone `<` is text.
      h.text(i, i + 1, false);
      i += 1;
      continue;
    }
    let nameEnd = nameStart + 1;
    let upper = c !== html.charCodeAt(nameStart);
    while (nameEnd < n && nameEnd - nameStart < MAX_NAME) {
      const d = html.charCodeAt(nameEnd);
      if (endsName(d)) break;
      if ((d >= 65 && d <= 90) || d > 127) upper = true;
      nameEnd += 1;
    }
    const rawName = html.slice(nameStart, nameEnd);
    const name = upper ? rawName.toLowerCase() : rawName;
    const end = tagEnd(html, i + 1, state);
    if (end < 0) return;
    i = end + 1;
    if (closing) {
      h.close(name);
      continue;
    }
    const selfClosing = html.charCodeAt(end - 1) === 47 && end - 1 >= nameEnd;
    h.open(name, end > nameEnd ? html.slice(nameEnd, end) : '', selfClosing);
    const decodeRaw = RAW_TEXT.get(name);
    if (decodeRaw !== undefined && !selfClosing) {
      const stop = rawTextEnd(html, name, i);
      if (stop > i) h.text(i, stop, decodeRaw);
      i = stop;
    }
  }
}
