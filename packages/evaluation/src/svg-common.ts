/** Small helpers for the hand-written SVG pictures: escaping, colours, axes. */

import { headUnits, tailUnits } from './text-cut.js';

export const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

/** The characters XML 1.0 does not allow (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF). */
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Text from the data (a label, a task name) for SVG and HTML: markup shown, not rendered, and a control character
 * that XML does not allow a blank, as Markdown shows it: one in an SVG would make the file unreadable, and resvg
 * refuse to draw it.
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(NOT_XML, ' ');
}

/** A Markdown code span in words of our own (`other`): the text between two backticks on one line. */
const CODE_SPAN = /`([^`\n]*)`/g;

/**
 * Words written for Markdown, naming a value as a code span (`other`), as plain text for a picture: each code span in
 * quotes ("other"), as a picture has no code font to set it apart (escape the result with `esc`). The Markdown keeps its backticks.
 */
export function plainCodeSpans(s: string): string {
  return s.replace(CODE_SPAN, '"$1"');
}

/** Words written for Markdown, naming a value as a code span (`other`), as HTML: escaped as `esc` does, each code span a `<code>`. */
export function htmlCodeSpans(s: string): string {
  return s
    .split(CODE_SPAN)
    .map((part, i) => (i % 2 === 1 ? `<code>${esc(part)}</code>` : esc(part)))
    .join('');
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${headUnits(s, max - 1)}…`;
}

/** `s` cut to `max` characters in the middle: its start and its end, `…` between. */
function truncateMiddle(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = Math.ceil((max - 1) * 0.4);
  return `${headUnits(s, head)}…${tailUnits(s, max - 1 - head)}`;
}

/**
 * Each label cut to `max` characters, and no two alike: labels that `truncate` would cut to one text
 * (`Zahlungsverkehr / SEPA-Überweisung / Rückruf` and `… / Gutschrift`, which differ only after the cut)
 * keep their start and end instead, and those still alike are shown whole.
 */
export function distinctTruncations(labels: readonly string[], max: number): string[] {
  const clash = (texts: readonly string[]) => {
    const seen = new Map<string, number>();
    for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1);
    return texts.map((t) => (seen.get(t) ?? 0) > 1);
  };
  const cut = labels.map((l) => truncate(l, max));
  const first = clash(cut);
  const middle = labels.map((l, i) => (first[i] ? truncateMiddle(l, max) : cut[i]));
  const second = clash(middle);
  return labels.map((l, i) => (second[i] ? l : middle[i]));
}

/**
 * Width in px of `text` in the pictures' font, estimated from above: every character counts as wide as the
 * widest of its class in DejaVu Sans, the first and widest font of FONT (Helvetica and Arial, which a
 * browser may use instead, are narrower), so text that fits by this estimate fits whichever draws it.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (/[\s.,:;!'()[\]/\\|\-fijlrtIJ·]/.test(ch)) em += 0.43;
    else if (/[mwMW@%#&+<=>^~…—]/.test(ch)) em += 1;
    else if (/\p{Lu}/u.test(ch)) em += 0.8;
    else em += 0.66;
  }
  return em * fontSize * (bold ? 1.15 : 1);
}

/**
 * Breaks `text` at blanks into lines no wider than `maxWidth` by `textWidth`; a word wider than that on its
 * own stays whole, on a line of its own.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const longer = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(longer, fontSize, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = longer;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Rounds to 2 decimals so the SVG text stays short. */
export const r2 = (x: number): string => String(Math.round(x * 100) / 100);

type Rgb = [number, number, number];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t)) as Rgb;
}

const WHITE: Rgb = [255, 255, 255];
const BLUE: Rgb = [8, 48, 107];
const RED: Rgb = [165, 15, 21];

/** The colour of a row-normalised cell, as red, green and blue. */
function cellRgb(value: number, diagonal: boolean): Rgb {
  if (value <= 0) return WHITE;
  // A square root scale so that small confusions are still visible next to a full diagonal.
  const t = Math.sqrt(Math.min(1, value));
  return mix(WHITE, diagonal ? BLUE : RED, 0.08 + 0.92 * t);
}

/** Colour of a row-normalised cell: blues for the diagonal (right), reds off it (confusions). */
export function cellColour(value: number, diagonal: boolean): string {
  const [r, g, b] = cellRgb(value, diagonal);
  return `rgb(${r},${g},${b})`;
}

/** The relative luminance of a colour (WCAG 2). */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The luminance of the dark text colour, #222. */
const DARK_TEXT = 0.016;

/** Text colour that reads best on a cell of the given value: white or #222, whichever has the higher contrast with its colour. */
export function textColour(value: number, diagonal = false): string {
  const l = luminance(cellRgb(value, diagonal));
  return 1.05 / (l + 0.05) > (l + 0.05) / (DARK_TEXT + 0.05) ? '#fff' : '#222';
}

export interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * A [0, 1] x [yMin, 1] plot frame with grid lines, ticks every tenth of each range (labels every
 * second one, both ends included) and axis titles.
 */
export function unitAxes(frame: Frame, xTitle: string, yTitle: string, xPercent = false, yMin = 0): string {
  const { x, y, w, h } = frame;
  const parts: string[] = [];
  for (let i = 0; i <= 10; i++) {
    const v = i / 10;
    const gx = x + v * w;
    const stroke = i % 2 === 0 ? '#ddd' : '#f0f0f0';
    parts.push(`<line x1="${r2(gx)}" y1="${y}" x2="${r2(gx)}" y2="${y + h}" stroke="${stroke}"/>`);
    if (i % 2 === 0) {
      const xl = xPercent ? `${i * 10}%` : v.toFixed(1);
      parts.push(`<text x="${r2(gx)}" y="${y + h + 18}" font-size="13" text-anchor="middle" fill="#333">${xl}</text>`);
    }
  }
  // Round y ticks: the largest step of 0.01/0.02/0.05/0.1 that gives at most 10 intervals.
  const range = 1 - yMin;
  const step = [0.1, 0.05, 0.02, 0.01].reverse().find((s) => range / s <= 10.0001) ?? 0.1;
  const ticks = Math.round(range / step);
  for (let i = 0; i <= ticks; i++) {
    const yv = yMin + i * step;
    const gy = y + h - ((yv - yMin) / range) * h;
    // Every second tick is labelled, unless that would leave an end unlabelled (an odd count of intervals, as 0.1 to 1):
    // then each is, so that the top of a precision axis, 1.0, always reads.
    const major = step < 0.1 || ticks % 2 === 1 || i % 2 === 0;
    parts.push(`<line x1="${x}" y1="${r2(gy)}" x2="${x + w}" y2="${r2(gy)}" stroke="${major ? '#ddd' : '#f0f0f0'}"/>`);
    if (major) parts.push(`<text x="${x - 8}" y="${r2(gy + 4)}" font-size="13" text-anchor="end" fill="#333">${yv.toFixed(step < 0.1 ? 2 : 1)}</text>`);
  }
  parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#666"/>`);
  parts.push(`<text x="${x + w / 2}" y="${y + h + 42}" font-size="14" text-anchor="middle" fill="#111">${esc(xTitle)}</text>`);
  parts.push(
    `<text x="${x - 46}" y="${y + h / 2}" font-size="14" text-anchor="middle" fill="#111" transform="rotate(-90 ${x - 46} ${y + h / 2})">${esc(yTitle)}</text>`,
  );
  return parts.join('');
}

/** A footer line's height. */
const FOOTER_LINE = 16;

/**
 * An SVG picture. `footer`: what it was measured on (`model … · data … · 590 emails · 2026-12-04`), at its foot (on
 * as many lines as it takes, a part too long for any cut), so a picture copied into a ticket or a slide still says
 * which model and data it shows; it is the picture's `<desc>` too, for a screen reader.
 */
export function svgDocument(width: number, height: number, body: string, title: string, footer?: string): string {
  const lines = footer === undefined ? [] : wrapText(footer, width - 40, 12).map((line) => fitText(line, width - 40, 12));
  const total = height + (lines.length === 0 ? 0 : 8 + lines.length * FOOTER_LINE);
  const foot = lines.map((line, i) => `<text x="20" y="${height + 4 + (i + 1) * FOOTER_LINE}" font-size="12" fill="#555">${esc(line)}</text>`).join('');
  const desc = footer === undefined ? '' : `<desc>${esc(footer)}</desc>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="${FONT}" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title>${desc}<rect width="100%" height="100%" fill="#fff"/>${body}${foot}</svg>`
  );
}

/** `text` cut (with `…`) to at most `maxWidth` px by `textWidth`. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  let n = text.length;
  while (n > 1 && textWidth(`${text.slice(0, n)}…`, fontSize) > maxWidth) n--;
  return truncate(text, n + 1);
}
