import { randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = Buffer.alloc(8 * POOL_IDS);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

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
  } else if (++counter > 0xfff) {
    // More than 4,096 ids in one millisecond (or the clock stepped back): borrow the next millisecond.
    lastMs += 1;
    counter = 0;
  }
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = pool.subarray(poolAt, poolAt + 8);
  poolAt += 8;
  const ms = hex(lastMs, 12);
  const variant = hex(0x8000 | ((r[0] & 0x3f) << 8) | r[1], 4);
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${hex(counter, 3)}-${variant}-${r.subarray(2, 8).toString('hex')}`;
}
