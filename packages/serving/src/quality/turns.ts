/**
 * Items a long computation handles between two turns of the event loop, as the SQLite store reads pages of
 * 2,000 predictions: at 100,000 predictions, `/v1/quality` computed for 0.3-0.7 s (seconds on a busy machine)
 * in one block, during which a Node server answered no other request, classify included.
 */
export const ITEMS_PER_TURN = 2_000;

/** Resolves after a turn of the event loop: the I/O and requests that came meanwhile go first. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Calls `fn` on each item in order, giving the event loop a turn every `ITEMS_PER_TURN` items. */
export async function forEachInTurns<T>(items: readonly T[], fn: (item: T) => void): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % ITEMS_PER_TURN === 0) await nextTurn();
    fn(items[i]);
  }
}
