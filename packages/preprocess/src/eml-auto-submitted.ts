/**
 * What a message's headers say of an automatic sender, as the `autoSubmitted` of `Email` (RFC 3834's values). The
 * Auto-Submitted header itself when present; else the older signs of an automatic reply, read as `auto-replied`:
 * `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`, and a mail system's report (multipart/report: a
 * delivery failure or delay, a read receipt), which answers a message as an automatic reply does.
 */
export function autoSubmittedOf(headers: readonly { key: string; value: string }[]): string | undefined {
  const value = (name: string): string | undefined => headers.find((h) => h.key === name)?.value?.trim();
  const stated = value('auto-submitted');
  if (stated) return stated.slice(0, 100);
  const autoReply = value('x-autoreply');
  if ((autoReply !== undefined && !/^no\b/i.test(autoReply)) || value('x-autorespond') !== undefined) return 'auto-replied';
  if (/^auto_reply\b/i.test(value('precedence') ?? '')) return 'auto-replied';
  if (/^multipart\/report\s*(?:;|$)/i.test(value('content-type') ?? '')) return 'auto-replied';
  return undefined;
}
