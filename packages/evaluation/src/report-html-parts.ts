/** The building blocks of report.html: its styles, tables, pictures and dates, made to be read with a screen reader or zoomed. */

import type { PictureNumbers } from './picture-findings.js';
import type { Picture } from './pictures.js';
import { esc } from './svg-common.js';

export const STYLE = `
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 8px;border-bottom:2px solid #1f5fa8;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 6px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}caption{text-align:left;font-size:14px;color:#333;padding:0 0 4px}
th,td{border:1px solid #ddd;padding:4px 10px}th{background:#f0f4fa;text-align:left}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td,th[scope=row]{overflow-wrap:anywhere}th[scope=row]{min-width:14ch;font-weight:normal}.scroll{overflow-x:auto;max-width:100%}
th[scope=row],thead th:first-child{position:sticky;left:0}th[scope=row]{background:#fff}thead th:first-child{z-index:1}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
[role=region][tabindex]:focus-visible{outline:2px solid #1f5fa8;outline-offset:2px}
pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:13px}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:0.92em;background:#f3f3f3;padding:0 3px;border-radius:3px}
.headline{font-size:15px;color:#333}.kpi{display:inline-block;margin:6px 18px 6px 0;padding:10px 14px;border:1px solid #dde;border-radius:6px;background:#f7f9fc}
.kpi b{display:block;font-size:22px}.kpi small{display:block;font-size:12px;color:#555}.pic{overflow-x:auto;margin:8px 0}.pic svg{max-width:100%;height:auto}
.pic figcaption{position:sticky;left:0;font-size:14px;color:#333;margin:4px 0}
@media (max-width:720px){main{padding:12px}dl.guide{grid-template-columns:minmax(0,1fr)}dl.guide dd,h1{overflow-wrap:anywhere}}
.weak{color:#a50f15}.caption{font-size:14px;color:#333;margin:4px 0 8px}dl.guide{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;font-size:14px}dl.guide dt{font-weight:bold}dl.guide dd{margin:0}.operating{font-size:15px;background:#f4f0fa;border-left:4px solid #5b2c83;padding:6px 10px}.warning{background:#fff4e5;border-left:4px solid #e08a00;padding:6px 10px}details{margin:8px 0}
@page{margin:14mm}
@media print{body{background:#fff}main{max-width:none;padding:0}.pic{overflow:visible}.pic svg{min-width:0!important}a{color:inherit}
h2,h3,p.caption{break-after:avoid}figure,table,.kpi,p.operating,p.warning,dl.guide>*{break-inside:avoid}details{display:none}}
`;

/** What a table is, said before it: `visible` where no heading above it says so, else for a screen reader alone. */
export interface Caption {
  text: string;
  visible?: boolean;
}

/**
 * A table whose first cell of each row heads that row: `headers` are plain text (escaped here), `rows` HTML. In a box
 * of its own that scrolls sideways on a narrow screen, rather than breaking its cells mid-word; the box is focusable
 * and named, so that it scrolls from the keyboard too, and its first column stays in view as it scrolls.
 */
export function table(caption: Caption, headers: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: readonly boolean[] = []): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const n = (i: number) => (numeric[i] ? ' class="n"' : '');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row"${n(i)}>${c}</th>` : `<td${n(i)}>${c}</td>`)).join('')}</tr>`).join('');
  const cap = `<caption${caption.visible ? '' : ' class="sr-only"'}>${esc(caption.text)}</caption>`;
  return `<div class="scroll" tabindex="0" role="region" aria-label="${esc(caption.text)}, scrolls sideways"><table>${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A picture's size it is never drawn under before its box scrolls: 3/4 of its own, still legible at 200% zoom. */
const SMALLEST = 0.75;

/**
 * A picture with, for a reader who cannot see it, the sentence of what it finds (its figcaption, which the SVG names
 * as its description) and its numbers as a table, collapsed under it. It shrinks to the width it has down to 3/4 of
 * its size, then scrolls sideways in its box.
 */
export function figure(p: Pick<Picture, 'name' | 'title' | 'svg'> | undefined, finding: string | undefined, numbers: PictureNumbers | undefined): string {
  if (!p) return '';
  const id = `finding-${esc(p.name)}`;
  const width = Number(/^<svg [^>]*?width="(\d+(?:\.\d+)?)"/.exec(p.svg)?.[1] ?? 0);
  const attributes = `${finding === undefined ? '' : `aria-describedby="${id}" `}${width > 0 ? `style="min-width:${Math.round(width * SMALLEST)}px" ` : ''}`;
  const svg = p.svg.replace(/^<svg /, `<svg ${attributes}`);
  const caption = finding === undefined ? '' : `<figcaption id="${id}">${esc(finding)}</figcaption>`;
  const details = numbers === undefined ? '' : `<details data-numbers="${esc(p.name)}"><summary>The numbers of this picture</summary>${table({ text: numbers.caption, visible: true }, numbers.headers, numbers.rows.map((r) => r.map(esc)), numbers.numeric)}</details>`;
  return `<figure class="pic" data-picture="${esc(p.name)}" tabindex="0" role="region" aria-label="${esc(p.title)}, scrolls sideways">${svg}${caption}</figure>${details}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A time as people read it, with the machine's form beside it: `<time datetime="2026-12-06T15:46:49.965Z">6 December
 * 2026, 15:46 UTC</time>` (a screen reader spells an ISO timestamp out character by character); a text that is no
 * time stays as it is.
 */
export function timeHtml(text: string): string {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return esc(text);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `<time datetime="${d.toISOString()}">${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hm} UTC</time>`;
}
