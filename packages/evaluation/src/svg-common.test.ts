import { describe, expect, it } from 'vitest';
import { renderSvg } from './png.js';
import { esc, FONT, textWidth, unitAxes, wrapText } from './svg-common.js';

/** Width in px that resvg (which draws the PNGs) gives `text`, or 0 where no font draws it. */
function renderedWidth(text: string, fontSize: number, bold = false): number {
  const svg = (t: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="${fontSize * 3}" font-family="${FONT}"><rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="0" y="${fontSize * 2}" font-size="${fontSize}"${bold ? ' font-weight="bold"' : ''} fill="#000" xml:space="preserve">${esc(t)}</text></svg>`;
  const rightmost = (s: string) => {
    const { width, height, pixels } = renderSvg(s, 1);
    let right = -1;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (pixels[(y * width + x) * 4] < 200) right = Math.max(right, x);
    return right;
  };
  // Between two bars, so that blanks at either end count as well.
  return rightmost(svg(`|${text}|`)) - rightmost(svg('||'));
}

describe('text width', () => {
  it('estimates text no narrower than it is drawn, for wide and narrow letters alike', () => {
    const samples = [
      'Emails of each true label (row) predicted as each label (column), coloured by their share of the row; 3 labels, most frequent first.',
      'mmmmmmmmmm WWWWWWWWWW', 'iiiiiiiiii llllllll ....', 'ÄÖÜ äöü ß 0123456789', 'Confusion matrix: business_area',
      String.fromCharCode(...Array.from({ length: 95 }, (_, i) => 32 + i)),
    ];
    for (const text of samples) {
      for (const [size, bold] of [[13, false], [18, true], [9, false]] as const) {
        expect(textWidth(text, size, bold), `${size}${bold ? ' bold' : ''}: ${text}`).toBeGreaterThanOrEqual(renderedWidth(text, size, bold));
      }
    }
    // Not absurdly so: ordinary prose is estimated within a third of its drawn width.
    const prose = samples[0];
    const drawn = renderedWidth(prose, 13);
    // The font is bundled, so the text is drawn: were it not, every comparison above would hold of nothing.
    expect(drawn).toBeGreaterThan(0);
    expect(textWidth(prose, 13)).toBeLessThan(drawn * 1.34);
  });

  it('wraps text at blanks into lines no wider than asked, keeping every word', () => {
    const text = 'Emails of each true label (row) predicted as each label (column), coloured by their share of the row; 3 labels, most frequent first.';
    const lines = wrapText(text, 740, 13);
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).toBe(text);
    for (const line of lines) expect(textWidth(line, 13)).toBeLessThanOrEqual(740);
    expect(wrapText(text, 10_000, 13)).toEqual([text]);
    // A word wider than the line stays whole, on a line of its own.
    expect(wrapText('a Donaudampfschifffahrtsgesellschaft b', 50, 13)).toEqual(['a', 'Donaudampfschifffahrtsgesellschaft', 'b']);
    expect(wrapText('  ', 100, 13)).toEqual([]);
  });
});

describe('unit axes', () => {
  it('labels both ends of the y axis, 1.0 at the top included, wherever it starts', () => {
    const frame = { x: 80, y: 90, w: 500, h: 380 };
    for (const yMin of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
      const svg = unitAxes(frame, 'coverage', 'precision', true, yMin);
      const yLabels = [...svg.matchAll(/<text x="72" y="([\d.]+)"[^>]*text-anchor="end"[^>]*>([\d.]+)</g)].map((m) => ({ y: Number(m[1]), value: Number(m[2]) }));
      const values = yLabels.map((l) => l.value);
      expect(Math.max(...values), `yMin ${yMin}`).toBeCloseTo(1, 9);
      expect(Math.min(...values), `yMin ${yMin}`).toBeCloseTo(yMin, 9);
      // At most 11 labels, at least 30 px apart: legible.
      expect(values.length).toBeLessThanOrEqual(11);
      const ys = yLabels.map((l) => l.y).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(30);
    }
  });
});
