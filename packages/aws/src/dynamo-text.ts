/** DynamoDB's limit on one item: its attribute names and values together, in UTF-8 (400 KB). */
export const DYNAMO_ITEM_BYTES = 400 * 1024;
/** Left free under the limit: the other attributes are measured as JSON, close to their stored size but not it. */
const ITEM_MARGIN_BYTES = 4 * 1024;

const marker = (kept: number, total: number) => `\n[text cut to fit DynamoDB's 400 KB item limit: ${kept} of ${total} UTF-8 bytes kept]`;

/**
 * The stored text of an item whose other attributes take `restBytes` (as JSON): whole when the item fits
 * DynamoDB's limit with it, else cut at a character boundary (never inside a UTF-8 sequence) and ended with
 * a marker that says so, the whole item then under the limit. Without the cut such a write fails, and the
 * prediction is lost with it.
 */
export function fitText(text: string, restBytes: number): { text: string; cut: boolean } {
  const budget = DYNAMO_ITEM_BYTES - ITEM_MARGIN_BYTES - restBytes;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= budget) return { text, cut: false };
  // The marker's length with the most digits it can have: the kept count is at most the total.
  let keep = Math.max(0, budget - Buffer.byteLength(marker(bytes.length, bytes.length)));
  while (keep > 0 && (bytes[keep] & 0xc0) === 0x80) keep--; // back to the first byte of a character
  return { text: bytes.subarray(0, keep).toString('utf8') + marker(keep, bytes.length), cut: true };
}
