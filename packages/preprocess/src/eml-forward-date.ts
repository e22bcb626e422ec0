/**
 * The Date of an attached message (a forward sent as `message/rfc822`) as it was sent. postal-mime writes the
 * headers of such a message into the email's text (a rule of dashes, `From:`, `Subject:`, `Date:` ... lines, the
 * rule again; in the HTML a `postal-email-header` block), with the date formatted in the process's locale and
 * time zone (`11/30/2026, 07:00:00` under TZ=UTC, `11/30/2026, 02:00:00` under TZ=America/New_York; a Date
 * without a zone read as local time): the same email's cleaned and stored text differed from one server to
 * the next. That line gets the message's own Date header value back (unfolded, trimmed), as the forwards a
 * mail program writes into the text show it.
 */

import { headerDate } from './eml-date.js';

const FORMAT: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false };

/** The date as postal-mime writes it (text-format.ts, formatDate): a value that reads as no date is written as it is. */
function parserDate(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime()) || typeof Intl === 'undefined') return value;
  // Made once per time zone (TZ), not per date: made per date, it took most of a second for a message of 2,700
  // attached emails.
  const zone = globalThis.process?.env.TZ;
  if (formatter === undefined || formatter.zone !== zone) formatter = { zone, format: new Intl.DateTimeFormat('default', FORMAT) };
  return formatter.format.format(time);
}
let formatter: { zone: string | undefined; format: Intl.DateTimeFormat } | undefined;

/** As postal-mime escapes a value in its HTML header block (text-format.ts, escapeHtml). */
function escapeHtml(value: string): string {
  return value.trim().replace(/[<>"'?&]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')};`);
}

/** The sent values of `dates` by the form the parser wrote them in, each taken once, in order. */
function byParserForm(dates: readonly string[], form: (value: string) => string): (written: string) => string | undefined {
  const sent = new Map<string, string[]>();
  for (const date of dates) {
    const key = form(parserDate(date));
    sent.set(key, [...(sent.get(key) ?? []), date]);
  }
  return (written) => sent.get(written)?.shift();
}

const RULE = /^-{3,}$/;
const DATE_ROW = /^(Date: *)(.+)$/;
const HEADER_ROW = /^(?:From|Subject|Date|To|Cc|Bcc): |^ +\S/;

/** The text with the Date line of each header block the parser wrote given as sent, its rules redrawn to the longest line as the parser draws them. */
function sentDatesInText(text: string, dates: readonly string[]): string {
  const sentFor = byParserForm(dates, (value) => value);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (!RULE.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && HEADER_ROW.test(lines[j])) j += 1;
    if (j === i + 1 || lines[j] !== lines[i]) continue;
    const row = lines.slice(i + 1, j).findIndex((line) => DATE_ROW.test(line));
    const match = row < 0 ? null : DATE_ROW.exec(lines[i + 1 + row]);
    const sent = match ? sentFor(match[2]) : undefined;
    if (match && sent !== undefined) {
      lines[i + 1 + row] = match[1] + sent;
      const rule = '-'.repeat(Math.max(...lines.slice(i + 1, j).map((line) => line.length)));
      lines[i] = rule;
      lines[j] = rule;
    }
    i = j;
  }
  return lines.join('\n');
}

const HTML_DATE = /(<div class="postal-email-header-value postal-email-header-date" data-date=")[^"]*(">)([^<]*)(<\/div>)/g;

/**
 * The HTML with the date of each header block the parser wrote given as sent, and its `data-date` as ISO 8601
 * UTC read as eml-date.ts reads a Date (the parser read a Date without a zone in the process's time zone).
 */
function sentDatesInHtml(html: string, dates: readonly string[]): string {
  const sentFor = byParserForm(dates, escapeHtml);
  return html.replace(HTML_DATE, (whole, open: string, middle: string, written: string, close: string) => {
    const sent = sentFor(written);
    return sent === undefined ? whole : `${open}${escapeHtml(headerDate(sent)?.receivedAt ?? sent)}${middle}${escapeHtml(sent)}${close}`;
  });
}

/** The parser's text and HTML with the Date of each attached message read inline given as sent (`dates`, from eml-prepare.ts). */
export function withSentDates<T extends { text?: string; html?: string }>(parsed: T, dates: readonly string[]): T {
  if (dates.length === 0) return parsed;
  if (parsed.text !== undefined) parsed.text = sentDatesInText(parsed.text, dates);
  if (parsed.html !== undefined) parsed.html = sentDatesInHtml(parsed.html, dates);
  return parsed;
}
