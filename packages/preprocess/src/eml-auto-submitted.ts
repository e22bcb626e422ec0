import { parameter } from './eml-parameter.js';

/** Values of the X- headers that say no (`X-Autoreply: no`, `false`, `0`, `off`). */
const SAYS_NO = /^(?:no|false|0|off)\b/i;

/**
 * What a message's headers say of an automatic sender, as the `autoSubmitted` of `Email` (RFC 3834's values).
 * A mail system's report (multipart/report) first, whatever else it states: `auto-replied (delivery-status)` for a
 * delivery report (a bounce: `automatedKind` reads it as `delivery_failure`), `auto-replied (delivery-status;
 * delayed)` for one whose recipients (`deliveryActions`: the `Action:` fields of its message/delivery-status part) were
 * all delayed, delivered, relayed or expanded, none failed (an `auto_reply` then), `auto-replied
 * (disposition-notification)` for a read receipt, else `auto-replied`. Then the Auto-Submitted header itself, unless
 * it is `auto-generated` (or another value than `auto-replied` and `no`) and an older sign of an automatic reply is
 * there too (Exchange's inbox rules send both): `X-Autoreply` and `X-Autorespond` (not `no`, `false`, `0`, `off`)
 * and `Precedence: auto_reply`, read as `auto-replied`.
 */
export function autoSubmittedOf(headers: readonly { key: string; value: string }[], deliveryActions: readonly string[] = []): string | undefined {
  const value = (name: string): string | undefined => headers.find((h) => h.key === name)?.value?.trim();
  const contentType = value('content-type') ?? '';
  if (/^multipart\/report\s*(?:;|$)/i.test(contentType)) {
    // RFC 6533's global- forms (reports of mail to addresses with umlauts) read as the plain ones.
    const type = parameter(contentType, 'report-type')?.value.trim().toLowerCase().replace(/^global-/, '');
    if (type === 'delivery-status') {
      const notFailed = deliveryActions.length > 0 && deliveryActions.every((a) => NOT_FAILED.has(a));
      return notFailed ? `auto-replied (delivery-status; ${deliveryActions[0]})` : 'auto-replied (delivery-status)';
    }
    return type === 'disposition-notification' ? `auto-replied (${type})` : 'auto-replied';
  }
  const stated = value('auto-submitted');
  if (stated && (/^\s*(?:auto-replied|no)\b/i.test(stated) || !olderAutoReplySign(value))) return stated.slice(0, 100);
  if (stated || olderAutoReplySign(value)) return 'auto-replied';
  return undefined;
}

/** Actions of a delivery report's recipients that are no failure (RFC 3464): mail on its way or arrived. */
const NOT_FAILED = new Set(['delayed', 'delivered', 'relayed', 'expanded']);

/** `X-Autoreply` or `X-Autorespond` (not `no`, `false`, `0`, `off`), or `Precedence: auto_reply`. */
function olderAutoReplySign(value: (name: string) => string | undefined): boolean {
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const v = value(name);
    if (v !== undefined && !SAYS_NO.test(v)) return true;
  }
  return /^auto_reply\b/i.test(value('precedence') ?? '');
}

/**
 * The `Action:` fields of a delivery report's message/delivery-status part (one per recipient: `failed`, `delayed`,
 * `delivered`, `relayed`, `expanded`), lower case; none when it has no such part.
 */
export function deliveryActions(parts: readonly { mimeType: string; content: ArrayBuffer | string | Uint8Array }[]): string[] {
  const actions: string[] = [];
  for (const part of parts) {
    if (!/^message\/(?:global-)?delivery-status$/i.test(part.mimeType)) continue;
    const text = typeof part.content === 'string' ? part.content : new TextDecoder('latin1').decode(part.content);
    for (const m of text.slice(0, 100_000).matchAll(/^action\s*:\s*([a-z]+)/gim)) actions.push(m[1].toLowerCase());
  }
  return actions;
}
