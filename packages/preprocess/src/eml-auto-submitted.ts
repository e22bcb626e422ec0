import { parameter } from './eml-parameter.js';

/** Values of the X- headers that say no (`X-Autoreply: no`, `false`, `0`, `off`). */
const SAYS_NO = /^(?:no|false|0|off)\b/i;

/**
 * What a message's headers say of an automatic sender, as the `autoSubmitted` of `Email` (RFC 3834's values).
 * A mail system's report (multipart/report) first, whatever else it states: `auto-replied (delivery-status)` for a
 * delivery report (a bounce, a delay: `automatedKind` reads it as `delivery_failure`), `auto-replied
 * (disposition-notification)` for a read receipt, else `auto-replied`. Then the Auto-Submitted header itself; then the
 * older signs of an automatic reply, read as `auto-replied`: `X-Autoreply` and `X-Autorespond` (not `no`, `false`,
 * `0`, `off`) and `Precedence: auto_reply`.
 */
export function autoSubmittedOf(headers: readonly { key: string; value: string }[]): string | undefined {
  const value = (name: string): string | undefined => headers.find((h) => h.key === name)?.value?.trim();
  const contentType = value('content-type') ?? '';
  if (/^multipart\/report\s*(?:;|$)/i.test(contentType)) {
    const type = parameter(contentType, 'report-type')?.value.trim().toLowerCase();
    return type === 'delivery-status' || type === 'disposition-notification' ? `auto-replied (${type})` : 'auto-replied';
  }
  const stated = value('auto-submitted');
  if (stated) return stated.slice(0, 100);
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const v = value(name);
    if (v !== undefined && !SAYS_NO.test(v)) return 'auto-replied';
  }
  if (/^auto_reply\b/i.test(value('precedence') ?? '')) return 'auto-replied';
  return undefined;
}
