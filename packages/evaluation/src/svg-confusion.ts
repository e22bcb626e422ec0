import { cellColour, distinctTruncations, esc, r2, svgDocument, textColour, textWidth, wrapText } from './svg-common.js';
import type { TaskMetrics } from './task-metrics.js';

export interface HeatmapOptions {
  title?: string;
  /** `support`: most frequent true label first (default); `labels`: the metrics' label order. */
  order?: 'support' | 'labels';
  /** Show counts in the cells; default when there are at most 25 labels (with more, in the cells where they fit). */
  showCounts?: boolean;
  /** What it was measured on, at its foot (see `svgDocument`). */
  footer?: string;
}

/** Label indices, most frequent true label first (ties by label order), so the busy queues sit top left. */
export function supportOrder(metrics: TaskMetrics): number[] {
  return metrics.labels.map((_, i) => i).sort((a, b) => metrics.perClass[b].support - metrics.perClass[a].support || a - b);
}

/**
 * Confusion-matrix heatmap, row-normalised (share of each true label), diagonal in blue and
 * confusions in red; readable from 2 to about 100 labels: cells shrink, labels stay legible.
 */
export function confusionHeatmapSvg(metrics: TaskMetrics, options: HeatmapOptions = {}): string {
  const n = metrics.labels.length;
  const order = options.order === 'labels' ? metrics.labels.map((_, i) => i) : supportOrder(metrics);
  const cell = Math.max(11, Math.min(44, Math.floor(880 / Math.max(1, n))));
  const fontSize = Math.max(9, Math.min(13, cell - 2));
  const labelChars = 32;
  // Room for the widest row label (`label (support)`) and the tallest rotated column label, by textWidth.
  // Cut to labelChars, yet never two alike: labels that differ only past the cut keep their ends.
  const shortLabels = distinctTruncations(metrics.labels, labelChars);
  const rowLabels = shortLabels.map((l, i) => `${l} (${metrics.perClass[i].support})`);
  const left = Math.ceil(Math.max(textWidth('xxxx (0)', fontSize), ...rowLabels.map((l) => textWidth(l, fontSize)))) + 40;
  const columnHeight = Math.ceil(Math.max(textWidth('xxxx', fontSize), ...shortLabels.map((l) => textWidth(l, fontSize))));
  const grid = cell * n;
  // The legend stands right of the matrix and of its axis caption, which is wider than a matrix of one label.
  const legendX = left + Math.max(grid, Math.ceil(grid / 2 + textWidth(PREDICTED_CAPTION, 14) / 2)) + 24;
  const legendW = 110;
  const title = options.title ?? 'Confusion matrix';
  // Equal supports (a balanced test set) leave the label order: said so, not "most frequent first".
  const ordered = options.order === 'labels' || metrics.perClass.every((c) => c.support === metrics.perClass[0].support) ? 'in label order' : 'most frequent first';
  const showCounts = options.showCounts ?? n <= 25;
  const counts = showCounts ? '' : ' Counts are written in the cells where they fit.';
  const subtitle = `Emails of each true label (row) predicted as each label (column), coloured by their share of the row; ${n === 1 ? '1 label' : `${n} labels, ${ordered}`}.${counts}`;
  // The matrix sets the width, and the title widens it; the subtitle wraps within it, so a matrix of few
  // labels shows it whole on two lines (a word too long for any line widens the picture instead).
  const fitted = Math.max(legendX - 24 + legendW + 30, 780, Math.ceil(textWidth(title, TITLE_SIZE, true)) + 2 * MARGIN);
  const lines = wrapText(subtitle, fitted - 2 * MARGIN, SUBTITLE_SIZE);
  const width = Math.max(fitted, ...lines.map((l) => Math.ceil(textWidth(l, SUBTITLE_SIZE)) + 2 * MARGIN));
  const top = 80 + (lines.length - 1) * SUBTITLE_LINE + columnHeight;
  // Tall enough for the legend too (10 steps, its two captions), which a grid of few labels is not.
  const height = top + Math.max(grid + 50, LEGEND_HEIGHT + 20);
  // Without room for every count (many labels), each count that fits its cell is written: 1 confusion tells from 3.
  const countSize = Math.min(fontSize, 12, cell - 2);
  const fits = (count: number) => showCounts || textWidth(String(count), countSize) <= cell - 2;
  const parts: string[] = [];
  parts.push(`<text x="${MARGIN}" y="30" font-size="${TITLE_SIZE}" font-weight="bold" fill="#111">${esc(title)}</text>`);
  lines.forEach((line, i) => {
    parts.push(`<text x="${MARGIN}" y="${52 + i * SUBTITLE_LINE}" font-size="${SUBTITLE_SIZE}" fill="#444">${esc(line)}</text>`);
  });
  order.forEach((ri, r) => {
    const row = metrics.confusion.normalized[ri];
    const y = top + r * cell;
    parts.push(
      `<text x="${left - 6}" y="${r2(y + cell / 2 + fontSize * 0.35)}" font-size="${fontSize}" text-anchor="end" fill="#222">${esc(rowLabels[ri])}</text>`,
    );
    order.forEach((ci, c) => {
      const v = row[ci];
      const x = left + c * cell;
      if (v > 0) parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${cellColour(v, ri === ci)}"/>`);
      const count = metrics.confusion.counts[ri][ci];
      if (count > 0 && fits(count)) {
        parts.push(
          `<text x="${r2(x + cell / 2)}" y="${r2(y + cell / 2 + countSize * 0.35)}" font-size="${countSize}" text-anchor="middle" fill="${textColour(v, ri === ci)}">${count}</text>`,
        );
      }
    });
  });
  order.forEach((ci, c) => {
    const x = left + c * cell + cell / 2 + fontSize * 0.35;
    const y = top - 6;
    parts.push(
      `<text x="${r2(x)}" y="${y}" font-size="${fontSize}" text-anchor="start" fill="#222" transform="rotate(-90 ${r2(x)} ${y})">${esc(shortLabels[ci])}</text>`,
    );
  });
  // Faint grid so a row can be followed across a large matrix.
  const step = n > 30 ? 5 : 1;
  for (let k = 0; k <= n; k += step) {
    parts.push(`<line x1="${left}" y1="${top + k * cell}" x2="${left + grid}" y2="${top + k * cell}" stroke="#e3e3e3" stroke-width="0.6"/>`);
    parts.push(`<line x1="${left + k * cell}" y1="${top}" x2="${left + k * cell}" y2="${top + grid}" stroke="#e3e3e3" stroke-width="0.6"/>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${grid}" height="${grid}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${left + grid / 2}" y="${top + grid + 30}" font-size="14" text-anchor="middle" fill="#111">${PREDICTED_CAPTION}</text>`);
  parts.push(`<text x="16" y="${top + grid / 2}" font-size="14" text-anchor="middle" fill="#111" transform="rotate(-90 16 ${top + grid / 2})">true label (support)</text>`);
  parts.push(legend(legendX, top));
  return svgDocument(width, height, parts.join(''), title, options.footer);
}

const MARGIN = 20;
const PREDICTED_CAPTION = 'predicted label';
const TITLE_SIZE = 18;
const SUBTITLE_SIZE = 13;
/** From one subtitle line's baseline to the next. */
const SUBTITLE_LINE = 17;

/** From the legend's top square to its last caption's baseline. */
const LEGEND_HEIGHT = 10 * 16 + 16 + 30 + 4;

/**
 * The shares the legend shows, low ones too: on a square-root scale a share of 0.02 (1 email of 50) is a pale but
 * visible colour, which a legend starting at 0.1 could not decode.
 */
const LEGEND_SHARES = [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];

function legend(x: number, y: number): string {
  const parts: string[] = [`<text x="${x}" y="${y - 8}" font-size="12" fill="#222">share of row</text>`];
  const steps = LEGEND_SHARES.length;
  const h = 16;
  LEGEND_SHARES.forEach((v, i) => {
    const yy = y + (steps - 1 - i) * h;
    parts.push(`<rect x="${x}" y="${yy}" width="18" height="${h}" fill="${cellColour(v, true)}"/>`);
    parts.push(`<rect x="${x + 20}" y="${yy}" width="18" height="${h}" fill="${cellColour(v, false)}"/>`);
    parts.push(`<text x="${x + 44}" y="${yy + 12}" font-size="11" fill="#333">${v}</text>`);
  });
  const below = y + steps * h + 16;
  parts.push(`<text x="${x}" y="${below}" font-size="11" fill="#333">blue: right</text>`);
  parts.push(`<text x="${x}" y="${below + 15}" font-size="11" fill="#333">red: confused</text>`);
  parts.push(`<text x="${x}" y="${below + 30}" font-size="11" fill="#333">square-root scale</text>`);
  return parts.join('');
}
