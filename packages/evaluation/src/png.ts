import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let fontFiles: string[] | undefined;
let resvgModule: typeof import('@resvg/resvg-js') | undefined;

/**
 * resvg (a native module, MPL-2.0), loaded at the first picture, not with this package: the server and the training
 * job import evaluation's metrics and never draw a PNG, so their processes (and the container's bundle, which leaves
 * the module out) hold no copy of it.
 */
function resvg(): typeof import('@resvg/resvg-js') {
  if (resvgModule === undefined) {
    try {
      resvgModule = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
    } catch (error) {
      throw new Error(`PNG rendering needs @resvg/resvg-js, which could not be loaded here (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): install it, or write the reports without PNGs (--no-png)`);
    }
  }
  return resvgModule;
}

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
  const drawing = new (resvg().Resvg)(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { fontFiles: bundledFonts(), loadSystemFonts: options.systemFonts ?? true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return drawing.render();
}

/** Renders an SVG to PNG with resvg; `zoom` 2 gives sharp text on screens. */
export function svgToPng(svg: string, zoom = 2): Buffer {
  return renderSvg(svg, zoom).asPng();
}
