import { declarations, MAY_HIDE_CSS, withoutComments } from './html-hidden.js';

/**
 * The rules of an email's `<style>` sheets that may hide an element's text (`.preheader { display: none }`), for
 * `visibility`. Only what can be matched on an opening tag alone is read: a selector that is an element name, a class
 * or both (`span`, `.preheader`, `div.hidden`). Descendant, child and sibling selectors, ids, attributes,
 * pseudo-classes and several classes are left out rather than guessed at, and so is every rule inside an at-rule:
 * `@media` rules apply on some screens only (a mobile layout hiding the desktop's column), `@font-face` and `@page`
 * style no element.
 */

/** The properties `visibility` reads; a rule's other declarations are dropped. */
const READ = new Set(['display', 'visibility', 'font-size', 'opacity', 'height', 'max-height', 'width', 'max-width', 'overflow', 'overflow-x', 'overflow-y']);
/** `span`, `.preheader`, `div.hidden`: an element name (group 1), a class (group 2) or both, nothing else. */
const SIMPLE_SELECTOR = /^([a-z][a-z0-9-]*)?(?:\.(-?[_a-z][\w-]*))?$/;
/** HTML comment marks, which a sheet may wrap its rules in (`<style><!-- … --></style>`, as Outlook writes it). */
const CDO_CDC = /<!--|-->/g;

/** A property's value as the winning rule of its selector declares it. */
interface Ranked {
  value: string;
  /** Specificity, then source order, as one number: a later or more specific rule wins. */
  rank: number;
}

/**
 * The rules read from an email's sheets, and how many: by class ('' for a rule with an element name only), then by
 * element name ('' for any), each property's winning declaration. Rules of one selector collapse into one entry, so
 * an element costs the same however many rules a sheet repeats (a sheet of 12,000 `.a{display:none}` over as many
 * elements took seconds when each element scanned and sorted every rule of its class).
 */
export interface StyleSheet {
  byClass: Map<string, Map<string, Map<string, Ranked>>>;
  count: number;
}

/** Room for the source order in a rank: the specificity counts in steps of this. */
const ORDER = 1 << 20;

/** Adds the rule `selectors { body }` to `sheet`, one entry per simple selector of its list. */
function addRule(sheet: StyleSheet, selectors: string, body: string): void {
  const all = declarations(body);
  const read = new Map<string, string>();
  for (const [k, v] of all) if (READ.has(k)) read.set(k, v);
  if (read.size === 0) return;
  for (const raw of selectors.split(',')) {
    const m = SIMPLE_SELECTOR.exec(raw.trim().toLowerCase());
    if (m === null || (m[1] === undefined && m[2] === undefined)) continue;
    const cls = m[2] ?? '';
    const tag = m[1] ?? '';
    const specificity = (cls === '' ? 0 : 2) + (tag === '' ? 0 : 1);
    const rank = specificity * ORDER + Math.min(sheet.count, ORDER - 1);
    let byTag = sheet.byClass.get(cls);
    if (byTag === undefined) sheet.byClass.set(cls, (byTag = new Map()));
    let winning = byTag.get(tag);
    if (winning === undefined) byTag.set(tag, (winning = new Map()));
    // Of one selector, the later rule wins each property it declares (past ORDER rules, ranks tie: still the later).
    for (const [property, value] of read) {
      const before = winning.get(property);
      if (before === undefined || rank >= before.rank) winning.set(property, { value, rank });
    }
    sheet.count += 1;
  }
}

/**
 * Reads the rules of a `<style>` element's text into `sheet` (a new one when undefined) when the text holds a
 * declaration that may hide (MAY_HIDE_CSS); most sheets set fonts, colours and margins only and are not parsed.
 * Linear: one pass over the characters.
 */
export function readStyleSheet(css: string, sheet: StyleSheet | undefined): StyleSheet | undefined {
  if (!MAY_HIDE_CSS.test(css)) return sheet;
  const text = withoutComments(css).replace(CDO_CDC, ' ');
  const out: StyleSheet = sheet ?? { byClass: new Map(), count: 0 };
  let depth = 0;
  let preludeStart = 0;
  let bodyStart = 0;
  let prelude = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 123) {
      // `{`: a rule's or an at-rule's block opens; one inside a block belongs to an at-rule (`@media`).
      if (depth === 0) {
        prelude = text.slice(preludeStart, i);
        bodyStart = i + 1;
      }
      depth += 1;
    } else if (c === 125) {
      // `}`: a block closes; a stray one at the top ends nothing but the prelude.
      if (depth === 0) preludeStart = i + 1;
      else if (--depth === 0) {
        const body = text.slice(bodyStart, i);
        if (!body.includes('{') && !prelude.trimStart().startsWith('@')) addRule(out, prelude, body);
        preludeStart = i + 1;
      }
    } else if (c === 59 && depth === 0) preludeStart = i + 1; // `;` ends `@import …;` or `@charset …;`
  }
  return out.count > 0 ? out : sheet;
}

const CLASS_ATTR = /(?:^|\s)class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/**
 * The declarations `sheet` gives an element `tag` with the attributes `attrSrc`, a later or more specific rule
 * winning; undefined when no rule applies. Class names are matched in any case, as quirks mode does (most
 * emails are in it).
 */
export function sheetDeclarations(sheet: StyleSheet, tag: string, attrSrc: string): Map<string, string> | undefined {
  const best = new Map<string, Ranked>();
  const take = (winning: ReadonlyMap<string, Ranked> | undefined) => {
    if (winning === undefined) return;
    for (const [property, r] of winning) {
      const before = best.get(property);
      if (before === undefined || r.rank > before.rank) best.set(property, r);
    }
  };
  take(sheet.byClass.get('')?.get(tag));
  const m = attrSrc.length >= 7 ? CLASS_ATTR.exec(attrSrc) : null;
  const value = m === null ? '' : (m[1] ?? m[2] ?? m[3]);
  if (value !== '') {
    for (const cls of value.toLowerCase().split(/\s+/)) {
      const byTag = cls === '' ? undefined : sheet.byClass.get(cls);
      if (byTag === undefined) continue;
      take(byTag.get(''));
      if (tag !== '') take(byTag.get(tag));
    }
  }
  if (best.size === 0) return undefined;
  const out = new Map<string, string>();
  for (const [property, r] of best) out.set(property, r.value);
  return out;
}
