import type { Calibration, CoverageCurve } from './scores.js';
import { esc, r2, svgDocument, textWidth, unitAxes, type Frame } from './svg-common.js';

/** A chart's width: its own, or wider for a title that would not fit (`Reliability diagram: <a long task name>`). */
const widthFor = (base: number, title: string) => Math.max(base, Math.ceil(textWidth(title, 18, true)) + 40);

/** Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration, with bin counts. */
export function reliabilityDiagramSvg(cal: Calibration, title = 'Reliability diagram'): string {
  const frame: Frame = { x: 80, y: 70, w: 480, h: 360 };
  const parts: string[] = [
    `<text x="20" y="30" font-size="18" font-weight="bold" fill="#111">${esc(title)}</text>`,
    `<text x="20" y="52" font-size="13" fill="#444">ECE ${cal.ece.toFixed(4)} · MCE ${cal.mce.toFixed(4)} · mean confidence ${cal.meanConfidence.toFixed(3)} · accuracy ${cal.accuracy.toFixed(3)} · n ${cal.n}</text>`,
    unitAxes(frame, 'confidence of the predicted label', 'accuracy'),
  ];
  const X = (v: number) => frame.x + v * frame.w;
  const Y = (v: number) => frame.y + frame.h - v * frame.h;
  const maxCount = Math.max(1, ...cal.bins.map((b) => b.count));
  for (const b of cal.bins) {
    if (b.count === 0) continue;
    const x0 = X(b.lo) + 1;
    const w = X(b.hi) - X(b.lo) - 2;
    parts.push(`<rect x="${r2(x0)}" y="${r2(Y(b.accuracy))}" width="${r2(w)}" height="${r2(frame.h * b.accuracy)}" fill="#4a7fb5" fill-opacity="0.85"/>`);
    // The gap to perfect calibration, hatched in red.
    const top = Math.max(b.accuracy, b.confidence);
    const bottom = Math.min(b.accuracy, b.confidence);
    parts.push(`<rect x="${r2(x0)}" y="${r2(Y(top))}" width="${r2(w)}" height="${r2(frame.h * (top - bottom))}" fill="none" stroke="#d62728" stroke-width="1.5"/>`);
    parts.push(`<circle cx="${r2((X(b.lo) + X(b.hi)) / 2)}" cy="${r2(Y(b.confidence))}" r="3" fill="#d62728"/>`);
  }
  parts.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#333" stroke-dasharray="6 4"/>`);
  // Counts per bin below the axes, so empty and thin bins are visible.
  const hy = frame.y + frame.h + 62;
  const hh = 60;
  parts.push(`<text x="${frame.x - 8}" y="${hy + hh / 2 + 4}" font-size="12" text-anchor="end" fill="#333">count</text>`);
  for (const b of cal.bins) {
    const h = (b.count / maxCount) * hh;
    parts.push(`<rect x="${r2(X(b.lo) + 1)}" y="${r2(hy + hh - h)}" width="${r2(X(b.hi) - X(b.lo) - 2)}" height="${r2(h)}" fill="#999"/>`);
    if (b.count > 0) parts.push(`<text x="${r2((X(b.lo) + X(b.hi)) / 2)}" y="${r2(hy + hh - h - 3)}" font-size="11" text-anchor="middle" fill="#333">${b.count}</text>`);
  }
  const lx = frame.x + frame.w + 20;
  parts.push(`<rect x="${lx}" y="${frame.y}" width="14" height="14" fill="#4a7fb5"/><text x="${lx + 20}" y="${frame.y + 12}" font-size="12" fill="#222">accuracy</text>`);
  parts.push(`<circle cx="${lx + 7}" cy="${frame.y + 30}" r="4" fill="#d62728"/><text x="${lx + 20}" y="${frame.y + 34}" font-size="12" fill="#222">mean confidence</text>`);
  parts.push(`<rect x="${lx}" y="${frame.y + 46}" width="14" height="14" fill="none" stroke="#d62728" stroke-width="1.5"/><text x="${lx + 20}" y="${frame.y + 58}" font-size="12" fill="#222">gap to perfect</text>`);
  parts.push(`<line x1="${lx}" y1="${frame.y + 78}" x2="${lx + 14}" y2="${frame.y + 78}" stroke="#333" stroke-dasharray="4 3"/><text x="${lx + 20}" y="${frame.y + 82}" font-size="12" fill="#222">perfect</text>`);
  return svgDocument(widthFor(720, title), hy + hh + 20, parts.join(''), title);
}

/** Precision of the automatically routed mail against the share routed, with the round thresholds marked. */
export function coverageCurveSvg(curve: CoverageCurve, title = 'Precision vs. coverage of the abstention threshold'): string {
  const frame: Frame = { x: 80, y: 92, w: 520, h: 380 };
  // Zoom the precision axis to where the curve lives (in steps of 0.1), so differences read.
  const lowest = Math.min(...curve.points.map((p) => p.precision));
  const yMin = Math.max(0, Math.min(0.9, Math.floor(lowest * 10 - 1e-9) / 10));
  const X = (v: number) => frame.x + v * frame.w;
  const Y = (v: number) => frame.y + frame.h - ((v - yMin) / (1 - yMin)) * frame.h;
  const parts: string[] = [
    `<text x="20" y="30" font-size="18" font-weight="bold" fill="#111">${esc(title)}</text>`,
    `<text x="20" y="52" font-size="13" fill="#444">Mail with confidence at or above the threshold t is routed automatically;</text>`,
    `<text x="20" y="70" font-size="13" fill="#444">the rest goes to manual triage. ${curve.n} emails.</text>`,
    unitAxes(frame, 'share of mail routed automatically (coverage)', 'precision of routed mail', true, yMin),
  ];
  const pts = [...curve.points].sort((a, b) => a.coverage - b.coverage);
  const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r2(X(p.coverage))},${r2(Y(p.precision))}`).join(' ');
  parts.push(`<path d="${d}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>`);
  const marked = curve.atThresholds.filter((p) => p.routed > 0 && p.threshold > 0);
  const placed: { x: number; y: number }[] = [];
  for (const p of marked) {
    const cx = X(p.coverage);
    const cy = Y(p.precision);
    parts.push(`<circle cx="${r2(cx)}" cy="${r2(cy)}" r="4.5" fill="#e67e22" stroke="#fff"/>`);
    // Label to the lower right of its own point. Where it would sit on a label already placed, the point
    // stays unlabelled (the table beside gives every threshold): a label moved away reads as another point's.
    const ly = cy + 16;
    if (placed.some((q) => Math.abs(cx - q.x) < 48 && Math.abs(ly - q.y) < 15)) continue;
    const anchor = cx > frame.x + frame.w - 40 ? 'end' : 'start';
    const lx = anchor === 'end' ? cx - 6 : cx + 6;
    parts.push(`<text x="${r2(lx)}" y="${r2(ly)}" font-size="12" font-weight="bold" text-anchor="${anchor}" fill="#a04000" stroke="#fff" stroke-width="3" paint-order="stroke">t=${p.threshold}</text>`);
    placed.push({ x: cx, y: ly });
  }
  return svgDocument(widthFor(680, title), frame.y + frame.h + 60, parts.join(''), title);
}
