/**
 * The text of bytes that should be UTF-8, or the line of the first byte that is not (as an editor numbers
 * it: CRLF and a lone CR end one line), so that the message refusing a Latin-1 file can say where.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { badLine: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    return { badLine: text.slice(0, text.indexOf('\uFFFD')).replace(/\r\n?/g, '\n').split('\n').length };
  }
}
