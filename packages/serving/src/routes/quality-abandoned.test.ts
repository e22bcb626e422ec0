import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/sqlite-store.js';
import type { PairWindow } from '../store/types.js';
import { authed, json, testAppBuilder } from '../test-support/harness.js';

const build = testAppBuilder();

describe('GET /v1/quality whose answer timed out', () => {
  it('stops its reads and its work once the caller got its 503: the store is told, and nothing more is read', async () => {
    const store = createSqliteStore({ file: ':memory:' });
    const windows: PairWindow[] = [];
    const goneWhenRead: boolean[] = [];
    // A read slower than the request timeout, as a year's window of a big store is.
    store.listPairs = async (window) => {
      windows.push(window);
      await new Promise((resolve) => setTimeout(resolve, 300));
      goneWhenRead.push(window.cancelled?.() ?? false);
      return [];
    };
    const { app } = await build({ store, limits: { requestTimeoutMs: 50 } });
    const res = await app.request('/v1/quality?hours=24', authed());
    expect(res.status).toBe(503);
    expect((await json(res)).code).toBe('REQUEST_TIMEOUT');
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Asked once, and told then that the caller was gone: no read of the window before it, no computing.
    expect(windows).toHaveLength(1);
    expect(goneWhenRead).toEqual([true]);
  });
});
