import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = Buffer.alloc(8 * POOL_IDS);
/** The pool as hex, made once per refill: each id slices its 12 random hex digits from it. */
let poolHex = '';
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;
/** The id's first two groups (the milliseconds), made once per millisecond. */
let msPrefix = '';

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids from
 * one process in creation order within a millisecond, then 62 random bits. Ids that grow with time keep
 * the store's primary-key index appending at its end instead of writing to random pages (about 3-5x
 * cheaper inserts in SQLite than random version-4 ids), and sort by creation time.
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
    msPrefix = '';
  } else if (++counter > 0xfff) {
    // More than 4,096 ids in one millisecond (or the clock stepped back): borrow the next millisecond.
    lastMs += 1;
    counter = 0;
    msPrefix = '';
  }
  if (msPrefix === '') {
    const ms = hex(lastMs, 12);
    msPrefix = `${ms.slice(0, 8)}-${ms.slice(8)}-7`;
  }
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolHex = pool.toString('hex');
    poolAt = 0;
  }
  const variant = hex(0x8000 | ((pool[poolAt] & 0x3f) << 8) | pool[poolAt + 1], 4);
  const random = poolHex.slice(2 * poolAt + 4, 2 * poolAt + 16);
  poolAt += 8;
  return `${msPrefix}${hex(counter, 3)}-${variant}-${random}`;
}

/** A UUID version 7's time, in Unix milliseconds (its first 48 bits); undefined for an id of another form. */
export function timeOfOrderedId(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return Number.parseInt(`${id.slice(0, 8)}${id.slice(9, 13)}`, 16);
}
