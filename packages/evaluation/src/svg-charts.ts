import { coverageWords, type CoverageWords } from './coverage-words.js';
import { pyFixed } from './python-format.js';
import type { Calibration, CoverageCurve } from './scores.js';
import { esc, plainCodeSpans, r2, svgDocument, textWidth, unitAxes, wrapText, type Frame } from './svg-common.js';

/** The font size of the reliability diagram's bin counts. */
const COUNT_SIZE = 11;

/** A chart's width: its own, or wider for a title that would not fit (`Reliability diagram: <a long task name>`). */
const widthFor = (base: number, title: string) => Math.max(base, Math.ceil(textWidth(title, 18, true)) + 40);

/** Emails under which a confidence bin's accuracy is too thin to judge: such bins are drawn dashed, their dot hollow. */
export const THIN_BIN = 20;

/*
 * Marker colours, each at least 3:1 against the white ground (WCAG 1.4.11), by the WCAG 2 contrast ratio of its
 * relative luminance: (1.05) / (L + 0.05). A thin bin is told by its dashed outline and hollow dot at these colours,
 * not by fading: a bar at 0.3 opacity was 1.44:1, a dot at 0.5 opacity 2.30:1.
 */
/** Accuracy bars: 4.20:1 on white. */
const BAR = '#4a7fb5';
/** Mean-confidence dots and the gap outline: 5.02:1 on white. */
const DOT = '#d62728';
/** Bin-count bars: 4.54:1 on white (#999 was 2.85:1). */
export const COUNT_BAR = '#767676';
/** Round-threshold dots on the coverage chart: 4.80:1 on white (#e67e22 was 2.85:1). */
export const ROUND_DOT = '#b35a00';

/**
 * The non-empty bin whose accuracy is furthest from its mean confidence (the MCE's bin; the first of equals), or
 * undefined when every bin is empty.
 */
export function largestGapBin(cal: Calibration): Calibration['bins'][number] | undefined {
  const gap = (b: Calibration['bins'][number]) => Math.abs(b.accuracy - b.confidence);
  return cal.bins.filter((b) => b.count > 0).reduce<Calibration['bins'][number] | undefined>((w, b) => (w === undefined || gap(b) > gap(w) ? b : w), undefined);
}

/** Reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration, with bin counts. */
export function reliabilityDiagramSvg(cal: Calibration, title = 'Reliability diagram', footer?: string): string {
  // The MCE is one bin's gap: said with that bin's emails, as a gap in a bin of 1 email says little.
  const worst = largestGapBin(cal);
  const mceBin = worst === undefined ? '' : ` (in a bin of ${worst.count} email${worst.count === 1 ? '' : 's'})`;
  const thin = cal.bins.some((b) => b.count > 0 && b.count < THIN_BIN);
  const subtitle = [
    `ECE ${pyFixed(cal.ece, 4)} over ${cal.bins.length} bins · MCE ${pyFixed(cal.mce, 4)}${mceBin}`,
    `mean confidence ${cal.meanConfidence.toFixed(3)} · accuracy ${cal.accuracy.toFixed(3)} · n ${cal.n}`,
    ...(thin ? [`Dashed, hollow dot: bins of fewer than ${THIN_BIN} emails, too few to judge.`] : []),
  ];
  const frame: Frame = { x: 80, y: 52 + subtitle.length * 18, w: 480, h: 360 };
  const parts: string[] = [
    `<text x="20" y="30" font-size="18" font-weight="bold" fill="#111">${esc(title)}</text>`,
    ...subtitle.map((line, i) => `<text x="20" y="${52 + i * 18}" font-size="13" fill="#444">${esc(line)}</text>`),
    unitAxes(frame, 'confidence of the predicted label', 'accuracy'),
  ];
  const X = (v: number) => frame.x + v * frame.w;
  const Y = (v: number) => frame.y + frame.h - v * frame.h;
  const maxCount = Math.max(1, ...cal.bins.map((b) => b.count));
  for (const b of cal.bins) {
    if (b.count === 0) continue;
    const x0 = X(b.lo) + 1;
    const w = X(b.hi) - X(b.lo) - 2;
    const thinBin = b.count < THIN_BIN;
    // A thin bin's bar: its outline dashed at the full colour (the pale fill only tells it from an empty bin).
    const bar = thinBin ? `fill="${BAR}" fill-opacity="0.15" stroke="${BAR}" stroke-width="1.5" stroke-dasharray="4 3" data-thin="true"` : `fill="${BAR}" fill-opacity="0.85"`;
    parts.push(`<rect x="${r2(x0)}" y="${r2(Y(b.accuracy))}" width="${r2(w)}" height="${r2(frame.h * b.accuracy)}" ${bar}/>`);
    // The gap to perfect calibration, outlined in red (dashed for a thin bin).
    const top = Math.max(b.accuracy, b.confidence);
    const bottom = Math.min(b.accuracy, b.confidence);
    parts.push(`<rect x="${r2(x0)}" y="${r2(Y(top))}" width="${r2(w)}" height="${r2(frame.h * (top - bottom))}" fill="none" stroke="${DOT}" stroke-width="1.5"${thinBin ? ' stroke-dasharray="3 3"' : ''}/>`);
    // A thin bin's dot hollow: a ring at the full colour.
    const dot = thinBin ? `r="3.5" fill="#fff" stroke="${DOT}" stroke-width="1.5"` : `r="3" fill="${DOT}"`;
    parts.push(`<circle cx="${r2((X(b.lo) + X(b.hi)) / 2)}" cy="${r2(Y(b.confidence))}" ${dot}/>`);
  }
  parts.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#333" stroke-dasharray="6 4"/>`);
  // Counts per bin below the axes, so empty and thin bins are visible: across its bar where every count fits its bin,
  // else up it (rotated), and with too many bins for even that (--bins 100) left out and said so, never run together.
  const binWidth = frame.w / Math.max(1, cal.bins.length);
  const counts = cal.bins.filter((b) => b.count > 0).map((b) => String(b.count));
  const widest = Math.max(0, ...counts.map((c) => textWidth(c, COUNT_SIZE)));
  const countsAs = widest <= binWidth - 2 ? 'across' : binWidth >= COUNT_SIZE ? 'up' : 'none';
  // Room above the tallest bar for its count, below the axis title (its baseline 42 px under the frame).
  const room = countsAs === 'up' ? Math.ceil(widest) + 8 : 14;
  const hy = frame.y + frame.h + 48 + room;
  const hh = 60;
  parts.push(`<text x="${frame.x - 8}" y="${hy + hh / 2 + 4}" font-size="12" text-anchor="end" fill="#333">count</text>`);
  for (const b of cal.bins) {
    const h = (b.count / maxCount) * hh;
    parts.push(`<rect x="${r2(X(b.lo) + 1)}" y="${r2(hy + hh - h)}" width="${r2(X(b.hi) - X(b.lo) - 2)}" height="${r2(h)}" fill="${COUNT_BAR}"/>`);
    if (b.count === 0 || countsAs === 'none') continue;
    const cx = (X(b.lo) + X(b.hi)) / 2;
    const y = hy + hh - h - 3;
    if (countsAs === 'across') parts.push(`<text x="${r2(cx)}" y="${r2(y)}" font-size="${COUNT_SIZE}" text-anchor="middle" fill="#333">${b.count}</text>`);
    else parts.push(`<text x="${r2(cx + COUNT_SIZE * 0.35)}" y="${r2(y)}" font-size="${COUNT_SIZE}" text-anchor="start" fill="#333" transform="rotate(-90 ${r2(cx + COUNT_SIZE * 0.35)} ${r2(y)})">${b.count}</text>`);
  }
  let bottom = hy + hh + 20;
  if (countsAs === 'none') {
    parts.push(`<text x="${frame.x}" y="${hy + hh + 18}" font-size="12" fill="#333">Too many bins to write each one&#39;s count: metrics.json holds them.</text>`);
    bottom += 10;
  }
  const lx = frame.x + frame.w + 20;
  parts.push(`<rect x="${lx}" y="${frame.y}" width="14" height="14" fill="${BAR}"/><text x="${lx + 20}" y="${frame.y + 12}" font-size="12" fill="#222">accuracy</text>`);
  parts.push(`<circle cx="${lx + 7}" cy="${frame.y + 30}" r="4" fill="${DOT}"/><text x="${lx + 20}" y="${frame.y + 34}" font-size="12" fill="#222">mean confidence</text>`);
  parts.push(`<rect x="${lx}" y="${frame.y + 46}" width="14" height="14" fill="none" stroke="${DOT}" stroke-width="1.5"/><text x="${lx + 20}" y="${frame.y + 58}" font-size="12" fill="#222">gap to perfect</text>`);
  parts.push(`<line x1="${lx}" y1="${frame.y + 78}" x2="${lx + 14}" y2="${frame.y + 78}" stroke="#333" stroke-dasharray="4 3"/><text x="${lx + 20}" y="${frame.y + 82}" font-size="12" fill="#222">perfect</text>`);
  if (thin) {
    parts.push(
      `<rect x="${lx + 1}" y="${frame.y + 94}" width="12" height="14" fill="${BAR}" fill-opacity="0.15" stroke="${BAR}" stroke-width="1.5" stroke-dasharray="4 3"/><circle cx="${lx + 7}" cy="${frame.y + 94}" r="3.5" fill="#fff" stroke="${DOT}" stroke-width="1.5"/>` +
        `<text x="${lx + 20}" y="${frame.y + 106}" font-size="12" fill="#222">under ${THIN_BIN} emails</text>`,
    );
  }
  return svgDocument(Math.max(widthFor(720, title), ...subtitle.map((line) => Math.ceil(textWidth(line, 13)) + 40)), bottom, parts.join(''), title, footer);
}

/** Where the model answers at its own threshold, as `TaskReport.operating` holds it. */
export interface OperatingPoint {
  coverage: number;
  precision: number | null;
  threshold?: number;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** How far a point is from a box (0 inside it). */
function distanceTo(box: Box, x: number, y: number): number {
  return Math.hypot(Math.max(box.x0 - x, 0, x - box.x1), Math.max(box.y0 - y, 0, y - box.y1));
}

/**
 * A place for a label of `width` next to its point (cx, cy): the first of a few positions around it that
 * stays inside `bounds`, clear of every box in `taken` (other labels, the points themselves, a target line),
 * and no nearer any of the `others` points than its own, by its edge (and, `byMiddle`, by its middle: a label
 * closer to another point reads as that point's). Undefined when none is: the caller says which points went unlabelled, as a label moved further
 * off reads as another point's.
 */
export function placeLabel(
  cx: number,
  cy: number,
  width: number,
  taken: readonly Box[],
  bounds: Box,
  others: ReadonlyArray<{ x: number; y: number }> = [],
  byMiddle = false,
): { x: number; y: number; anchor: 'start' | 'end' } | undefined {
  const candidates: Array<[number, number, 'start' | 'end']> = [
    [cx + 7, cy + 17, 'start'],
    [cx + 7, cy - 8, 'start'],
    [cx - 7, cy + 17, 'end'],
    [cx - 7, cy - 8, 'end'],
    [cx + 9, cy + 4, 'start'],
    [cx - 9, cy + 4, 'end'],
  ];
  for (const [x, y, anchor] of candidates) {
    const box = { x0: anchor === 'start' ? x - 1 : x - width - 1, x1: anchor === 'start' ? x + width + 1 : x + 1, y0: y - 12, y1: y + 3 };
    if (box.x0 < bounds.x0 || box.x1 > bounds.x1 || box.y0 < bounds.y0 || box.y1 > bounds.y1) continue;
    if (taken.some((t) => overlaps(t, box))) continue;
    const own = distanceTo(box, cx, cy);
    if (others.some((p) => (p.x !== cx || p.y !== cy) && distanceTo(box, p.x, p.y) < own)) continue;
    // A short label (`byMiddle`) may not have its middle nearer another point either: `t=0.7` under-left of its point
    // and right under another's reads as the other's. (A long one's middle is far from its point wherever it goes.)
    if (byMiddle) {
      const mx = (box.x0 + box.x1) / 2;
      const my = (box.y0 + box.y1) / 2;
      const ownMiddle = Math.hypot(mx - cx, my - cy);
      if (others.some((p) => (p.x !== cx || p.y !== cy) && Math.hypot(mx - p.x, my - p.y) < ownMiddle)) continue;
    }
    return { x, y, anchor };
  }
  return undefined;
}

const thresholdText = (t: number): string => String(Math.round(t * 1000) / 1000);

/**
 * Precision of the mail the task answers automatically against the share it answers, with the round
 * thresholds marked and, when given, the model's own operating point (a distinct diamond). Every marked point
 * is labelled where its label fits beside it; those that do not fit are named under the chart. Round
 * thresholds that answer the same emails share one point and one label (`t=0.3, 0.5`). `words` say what the
 * task does (`coverageWords`): only the routing task's chart says `routed` and manual triage; the default,
 * for a task whose use is not known, says `answered`.
 */
export function coverageCurveSvg(
  curve: CoverageCurve,
  title = 'Precision vs. coverage of the abstention threshold',
  operating?: OperatingPoint,
  words: CoverageWords = coverageWords(undefined, ''),
  more: { footer?: string; targetPrecision?: number } = {},
): string {
  const frame: Frame = { x: 80, y: 92, w: 520, h: 380 };
  // The words name `other` as Markdown does: in quotes here, where backticks would show as they are.
  const restLine = plainCodeSpans(`${words.rest} ${curve.n} emails.`);
  // Wider for a line of words that would not fit (the routing task's, naming `other` and the tasks whose abstention also triages).
  const width = Math.max(widthFor(680, title), Math.ceil(textWidth(restLine, 13)) + 40);
  // Zoom the precision axis to where the curve lives (in steps of 0.1), so differences read.
  const model = operating && operating.precision !== null && operating.coverage > 0 ? { ...operating, precision: operating.precision } : undefined;
  // No point at all (the routing task, every email predicted `other`): the whole axis, not a zoom onto nothing.
  const empty = curve.points.length === 0;
  const target = more.targetPrecision;
  const lowest = Math.min(...curve.points.map((p) => p.precision), ...(model ? [model.precision] : []), ...(target === undefined ? [] : [target]));
  const yMin = empty ? 0 : Math.max(0, Math.min(0.9, Math.floor(lowest * 10 - 1e-9) / 10));
  const X = (v: number) => frame.x + v * frame.w;
  const Y = (v: number) => frame.y + frame.h - ((v - yMin) / (1 - yMin)) * frame.h;
  const parts: string[] = [
    `<text x="20" y="30" font-size="18" font-weight="bold" fill="#111">${esc(title)}</text>`,
    `<text x="20" y="52" font-size="13" fill="#444">Mail with confidence at or above the threshold t is ${words.verb} automatically;</text>`,
    `<text x="20" y="70" font-size="13" fill="#444">${esc(restLine)}</text>`,
    // An axis that does not start at 0 says so in its title: a drop from 0.99 to 0.92 fills it.
    unitAxes(frame, `share of mail ${words.verb} automatically (coverage)`, `precision of ${words.verb} mail${yMin > 0 ? ` (axis from ${yMin.toFixed(1)})` : ''}`, true, yMin),
  ];
  if (target !== undefined && !empty) {
    parts.push(`<line data-marker="target" x1="${frame.x}" y1="${r2(Y(target))}" x2="${frame.x + frame.w}" y2="${r2(Y(target))}" stroke="#5b2c83" stroke-width="1.2" stroke-dasharray="7 4"/>`);
  }
  const pts = [...curve.points].sort((a, b) => a.coverage - b.coverage);
  const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r2(X(p.coverage))},${r2(Y(p.precision))}`).join(' ');
  if (empty) {
    parts.push(`<text x="${frame.x + frame.w / 2}" y="${frame.y + frame.h / 2}" font-size="15" text-anchor="middle" fill="#a04000">No email is ${words.verb} automatically at any threshold.</text>`);
  } else parts.push(`<path d="${d}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>`);
  // Round thresholds that answer the same emails are one point: grouped, highest threshold first.
  const groups: Array<{ thresholds: number[]; coverage: number; precision: number }> = [];
  for (const p of [...curve.atThresholds].filter((q) => q.routed > 0).sort((a, b) => b.threshold - a.threshold)) {
    const same = groups.find((g) => g.coverage === p.coverage && g.precision === p.precision);
    if (same) same.thresholds.push(p.threshold);
    else groups.push({ thresholds: [p.threshold], coverage: p.coverage, precision: p.precision });
  }
  const bounds: Box = { x0: frame.x + 2, y0: frame.y + 2, x1: width - 4, y1: frame.y + frame.h - 2 };
  const dot = (cx: number, cy: number, r: number): Box => ({ x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r });
  // A round threshold's point under the model's own (within a few pixels) is the model's: drawn and labelled
  // once, as the model's (`model t=0 (also t=0.3)`), not as a dot hidden under the diamond with a label of its own.
  const modelAt = model ? { x: X(model.coverage), y: Y(model.precision) } : undefined;
  const underModel = (g: (typeof groups)[number]) => modelAt !== undefined && Math.abs(X(g.coverage) - modelAt.x) < 4 && Math.abs(Y(g.precision) - modelAt.y) < 4;
  const alsoModel = groups.filter(underModel).flatMap((g) => g.thresholds).filter((t) => model?.threshold === undefined || thresholdText(t) !== thresholdText(model.threshold));
  const shown = groups.filter((g) => !underModel(g));
  const points = [...shown.map((g) => ({ x: X(g.coverage), y: Y(g.precision) })), ...(modelAt ? [modelAt] : [])];
  const taken: Box[] = shown.map((g) => dot(X(g.coverage), Y(g.precision), 5));
  // A label on the dashed target line hides it: the line is kept clear.
  if (target !== undefined && !empty) taken.push({ x0: frame.x, x1: frame.x + frame.w, y0: Y(target) - 1, y1: Y(target) + 1 });
  const label = (cx: number, cy: number, text: string, colour: string, byMiddle = false): boolean => {
    const w = textWidth(text, 12, true);
    const at = placeLabel(cx, cy, w, taken, bounds, points, byMiddle);
    if (!at) return false;
    taken.push({ x0: at.anchor === 'start' ? at.x : at.x - w, x1: at.anchor === 'start' ? at.x + w : at.x, y0: at.y - 12, y1: at.y + 3 });
    parts.push(`<text x="${r2(at.x)}" y="${r2(at.y)}" font-size="12" font-weight="bold" text-anchor="${at.anchor}" fill="${colour}" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(text)}</text>`);
    return true;
  };
  for (const g of shown) parts.push(`<circle cx="${r2(X(g.coverage))}" cy="${r2(Y(g.precision))}" r="4.5" fill="${ROUND_DOT}" stroke="#fff"/>`);
  if (model) {
    // The model's own point first: it is the one a reader looks for, so it gets the first choice of place.
    const cx = X(model.coverage);
    const cy = Y(model.precision);
    const s = 7;
    taken.push(dot(cx, cy, 5));
    parts.push(`<path data-marker="model" d="M${r2(cx)},${r2(cy - s)} L${r2(cx + s)},${r2(cy)} L${r2(cx)},${r2(cy + s)} L${r2(cx - s)},${r2(cy)} Z" fill="#5b2c83" stroke="#fff" stroke-width="1.5"/>`);
    const also = alsoModel.length > 0 ? ` (also t=${alsoModel.map(thresholdText).join(', ')})` : '';
    const text = `model${model.threshold === undefined ? '' : ` t=${thresholdText(model.threshold)}`}${also}`;
    // Unlabelled when no place fits: the key under the chart names it all the same.
    label(cx, cy, text, '#5b2c83');
  }
  const unlabelled: string[] = [];
  for (const g of shown) {
    const text = `t=${g.thresholds.map(thresholdText).join(', ')}`;
    if (!label(X(g.coverage), Y(g.precision), text, '#a04000', true)) unlabelled.push(text);
  }
  // Under the axes: the key to the markers, and the points whose label found no room beside them.
  let y = frame.y + frame.h + 66;
  const lx = frame.x;
  if (model) {
    const at = model.threshold === undefined ? "the model's own threshold" : `the model's threshold t=${thresholdText(model.threshold)}`;
    parts.push(`<path d="M${lx + 6},${y - 11} L${lx + 12},${y - 5} L${lx + 6},${y + 1} L${lx},${y - 5} Z" fill="#5b2c83"/>`);
    parts.push(`<text x="${lx + 18}" y="${y}" font-size="13" fill="#222">${esc(`${at}: ${(model.coverage * 100).toFixed(1)}% ${words.verb} at precision ${(model.precision * 100).toFixed(1)}%`)}</text>`);
    y += 20;
  }
  if (target !== undefined && !empty) {
    parts.push(`<line x1="${lx}" y1="${y - 5}" x2="${lx + 12}" y2="${y - 5}" stroke="#5b2c83" stroke-width="1.2" stroke-dasharray="4 2"/>`);
    parts.push(`<text x="${lx + 18}" y="${y}" font-size="13" fill="#222">${esc(`the precision its threshold was chosen for: ${(target * 100).toFixed(1)}%`)}</text>`);
    y += 20;
  }
  if (groups.length > 0) {
    parts.push(`<circle cx="${lx + 6}" cy="${y - 5}" r="4.5" fill="${ROUND_DOT}"/>`);
    const rest = unlabelled.length > 0 ? `; no room beside the point for ${unlabelled.join('; ')} (in the table)` : '';
    for (const line of wrapText(`round thresholds t${rest}`, width - lx - 30, 13)) {
      parts.push(`<text x="${lx + 18}" y="${y}" font-size="13" fill="#222">${esc(line)}</text>`);
      y += 18;
    }
    y += 2;
  }
  return svgDocument(width, y, parts.join(''), title, more.footer);
}
