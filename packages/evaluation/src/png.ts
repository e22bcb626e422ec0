import { Resvg } from '@resvg/resvg-js';

/** Renders an SVG to PNG with resvg (no canvas, no browser); `zoom` 2 gives sharp text on screens. */
export function svgToPng(svg: string, zoom = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
