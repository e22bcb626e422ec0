import { parseAttrs } from './html-tokens.js';

/**
 * Whether an element's content is drawn, read from its own attributes: marketing tools and mail clients put a
 * preheader (`<div style="display:none;max-height:0;overflow:hidden">Nur heute: 5 % Zins</div>`) and other
 * text no reader sees into the markup, and the text of an email is what its reader sees. Rules of a `<style>`
 * sheet (`.preheader { display: none }`) come in as the declarations `html-sheet.ts` finds for the element.
 */

/**
 * Hidden with all it holds, whatever its descendants say: `display:none`, the `hidden` attribute (unless the
 * style sets a `display`), `opacity:0`, a zero `height`, `max-height`, `width` or `max-width` with
 * `overflow:hidden` (or `clip`).
 */
export const GONE = 1;
/** `font-size:0`: its text is not drawn, until a descendant sets a size again (layout tables do so). */
export const TINY = 2;
/** `visibility:hidden` (or `collapse`): its text is not drawn, until a descendant sets `visibility:visible`. */
export const INVISIBLE = 4;

/** The declarations that may hide, without the `hidden` attribute: a `<style>` sheet without one is not parsed (`html-sheet.ts`). */
export const MAY_HIDE_CSS = /display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|(?:size|opacity|height|width)\s*:\s*[+-]?\.?0/i;
/**
 * Attributes that may hide: a cheap test before any parse, which `border:none` and `overflow:hidden`, common
 * in mail, do not pass. Some that hide nothing (`class="hidden"`, `line-height:0`) pass it; `visibility` then
 * reads them exactly.
 */
const MAY_HIDE = new RegExp(String.raw`${MAY_HIDE_CSS.source}|(?:^|[\s"'])hidden\b`, 'i');
const ZERO = /^[+-]?(?:0+\.?0*|\.0+)(?:[a-z]{1,4}|%)?$/;
const CLIPS = /^(?:hidden|clip)\b/;
const IMPORTANT = /\s*!\s*important$/;

/**
 * CSS without its comments (a `style` attribute's or a sheet's), in one pass: `indexOf` from where the last one
 * ended. An unclosed comment runs to the end, as in CSS. (A lazy regex from each `/*` was quadratic: 180 KB of
 * `/*a` in one style attribute took 4.7 s.)
 */
export function withoutComments(css: string): string {
  let open = css.indexOf('/*');
  if (open < 0) return css;
  let out = '';
  let from = 0;
  while (open >= 0) {
    out += css.slice(from, open);
    const close = css.indexOf('*/', open + 2);
    if (close < 0) return out;
    from = close + 2;
    open = css.indexOf('/*', from);
  }
  return out + css.slice(from);
}

/**
 * The declarations of a `style` attribute or a sheet's rule, property names and values in lower case; a later one
 * wins, over those of `base` too (a sheet's, which an element's own style overrides).
 */
export function declarations(style: string, base?: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>(base);
  for (const part of withoutComments(style).split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const value = part.slice(colon + 1).trim().toLowerCase().replace(IMPORTANT, '');
    out.set(part.slice(0, colon).trim().toLowerCase(), value);
  }
  return out;
}

function isZero(value: string | undefined): boolean {
  return value !== undefined && ZERO.test(value);
}

/** Whether `size` (a height or width) is zero with its content clipped, by `overflow` or by the axis' own property. */
function clippedToNothing(d: Map<string, string>, axis: 'height' | 'width'): boolean {
  if (!isZero(d.get(axis)) && !isZero(d.get(`max-${axis}`))) return false;
  const own = d.get(axis === 'height' ? 'overflow-y' : 'overflow-x');
  return CLIPS.test(d.get('overflow') ?? '') || CLIPS.test(own ?? '');
}

/**
 * How an element with the attributes `attrSrc` (an opening tag's source after its name) shows its content:
 * GONE, or the TINY and INVISIBLE bits it passes on, `inherited` (its parent's) as its style changes them. `sheet`:
 * the declarations a `<style>` sheet gives the element (`sheetDeclarations`), which its own style overrides.
 */
export function visibility(attrSrc: string, inherited: number, sheet?: ReadonlyMap<string, string>): number {
  const resets = (inherited & TINY && /font-size/i.test(attrSrc)) || (inherited & INVISIBLE && /visibility/i.test(attrSrc));
  if (sheet === undefined && !resets && !MAY_HIDE.test(attrSrc)) return inherited;
  const attrs = parseAttrs(attrSrc);
  const d = declarations(attrs.style ?? '', sheet);
  const display = d.get('display');
  if (display === 'none' || ('hidden' in attrs && display === undefined)) return GONE;
  if (isZero(d.get('opacity')) || clippedToNothing(d, 'height') || clippedToNothing(d, 'width')) return GONE;
  let bits = inherited;
  const size = d.get('font-size');
  if (size !== undefined && size !== 'inherit' && size !== 'unset') bits = isZero(size) ? bits | TINY : bits & ~TINY;
  const seen = d.get('visibility');
  if (seen === 'hidden' || seen === 'collapse') bits |= INVISIBLE;
  else if (seen === 'visible') bits &= ~INVISIBLE;
  return bits;
}
