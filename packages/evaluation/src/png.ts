import { Resvg } from '@resvg/resvg-js';

/** The SVG drawn by resvg (no canvas, no browser), as the PNGs are: RGBA pixels, row by row (`pixels` copies them at each read). */
export function renderSvg(svg: string, zoom = 2): { width: number; height: number; pixels: Buffer; asPng(): Buffer } {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render();
}

/** Renders an SVG to PNG with resvg; `zoom` 2 gives sharp text on screens. */
export function svgToPng(svg: string, zoom = 2): Buffer {
  return renderSvg(svg, zoom).asPng();
}
