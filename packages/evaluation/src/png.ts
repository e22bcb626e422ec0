import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

let fontFiles: string[] | undefined;

/**
 * DejaVu Sans, regular and bold, from the `dejavu-fonts-ttf` package: the pictures' font on every machine. Without
 * it a server or container with no system fonts drew every PNG without a word on it (titles, labels, counts), and
 * macOS and Windows drew them in Helvetica or Arial. Found at the first picture, not when this module loads.
 */
function bundledFonts(): string[] {
  if (fontFiles === undefined) {
    const dir = path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
    fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((name) => path.join(dir, 'ttf', name));
  }
  return fontFiles;
}

/**
 * The SVG drawn by resvg (no canvas, no browser), as the PNGs are: RGBA pixels, row by row (`pixels` copies them at
 * each read). Text is set in the bundled DejaVu Sans; the system's fonts (`systemFonts`, default true) only supply
 * what it lacks (Chinese or Japanese labels).
 */
export function renderSvg(svg: string, zoom = 2, options: { systemFonts?: boolean } = {}): { width: number; height: number; pixels: Buffer; asPng(): Buffer } {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { fontFiles: bundledFonts(), loadSystemFonts: options.systemFonts ?? true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render();
}

/** Renders an SVG to PNG with resvg; `zoom` 2 gives sharp text on screens. */
export function svgToPng(svg: string, zoom = 2): Buffer {
  return renderSvg(svg, zoom).asPng();
}
