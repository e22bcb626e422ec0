import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiKeyAuth, generateApiKey, hashApiKey } from './api-keys.js';

// The comparison counted: node:crypto's own timingSafeEqual, each call seen.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('API key authentication', () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it('compares the presented key with every stored digest in constant time, not stopping at the one it matches', () => {
    const keys = [generateApiKey(), generateApiKey(), generateApiKey()];
    const auth = createApiKeyAuth(keys.map((key, i) => ({ id: `crm-${i}`, sha256: hashApiKey(key), scopes: ['classify'] })));
    expect(auth.authenticate(keys[0])?.keyId).toBe('crm-0');
    expect(vi.mocked(crypto.timingSafeEqual)).toHaveBeenCalledTimes(3);
    vi.mocked(crypto.timingSafeEqual).mockClear();
    expect(auth.authenticate('mr_not-a-key')).toBeUndefined();
    expect(vi.mocked(crypto.timingSafeEqual)).toHaveBeenCalledTimes(3);
  });
});
