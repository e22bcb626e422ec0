import { decodeHTML } from 'entities';

/**
 * What the tokenizer reports. Text comes as a range of the source (`decode`: whether it holds entities to
 * decode), so that the common run of blanks between two tags costs no copy; opening tags come with
 * their raw attribute source and where the source goes on after them (`after`).
 */
export interface HtmlHandler {
  text(start: number, end: number, decode: boolean): void;
  open(name: string, attrs: string, selfClosing: boolean, after: number): void;
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

/**
 * Where the next `>`, `"`, `'` and `&` lie, searched natively and kept until passed: tags and text are asked
 * for in document order, so each search covers new ground and the whole scan stays linear.
 */
class Cursors {
  /** After one unbalanced quote the document's quoting is not trusted again, so no tag rescans to the end twice. */
  private quotesBroken = false;
  private readonly at = [-1, -1, -1, -1];

  constructor(private readonly html: string) {}

  /** Index of the first `char` (one of CURSOR_CHARS) at or after `from`; the length of the document if none. */
  private next(slot: number, from: number): number {
    if (this.at[slot] < from) {
      const k = this.html.indexOf(CURSOR_CHARS[slot], from);
      this.at[slot] = k < 0 ? this.html.length : k;
    }
    return this.at[slot];
  }

  /** Whether `[start, end)` holds an `&` (an entity to decode). */
  hasEntity(start: number, end: number): boolean {
    return this.next(AMP, start) < end;
  }

  /**
   * Index of the `>` that ends a tag starting at `from`, skipping quoted attribute values (which may hold `>`);
   * -1 if none. A quote left open to the end of the document counts as no quote: the first `>` ends the tag.
   */
  tagEnd(from: number): number {
    const n = this.html.length;
    if (this.quotesBroken) return this.html.indexOf('>', from);
    let j = from;
    for (;;) {
      const gt = this.next(GT, j);
      const q = Math.min(this.next(DQ, j), this.next(SQ, j));
      if (gt < q) return gt;
      if (q >= n) break;
      const close = this.next(q === this.at[DQ] ? DQ : SQ, q + 1);
      if (close >= n) break;
      j = close + 1;
    }
    const gt = this.html.indexOf('>', from);
    if (gt >= 0) this.quotesBroken = true;
    return gt;
  }
}

const CURSOR_CHARS = ['>', '"', "'", '&'];
const GT = 0;
const DQ = 1;
const SQ = 2;
const AMP = 3;

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
  const cursors = new Cursors(html);
  while (i < n) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) h.text(i, textEnd, cursors.hasEntity(i, textEnd));
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
    const end = cursors.tagEnd(i + 1);
    if (end < 0) return;
    i = end + 1;
    if (closing) {
      h.close(name);
      continue;
    }
    const selfClosing = html.charCodeAt(end - 1) === 47 && end - 1 >= nameEnd;
    h.open(name, end > nameEnd ? html.slice(nameEnd, end) : '', selfClosing, i);
    const decodeRaw = RAW_TEXT.get(name);
    if (decodeRaw !== undefined && !selfClosing) {
      const stop = rawTextEnd(html, name, i);
      if (stop > i) h.text(i, stop, decodeRaw && cursors.hasEntity(i, stop));
      i = stop;
    }
  }
}
