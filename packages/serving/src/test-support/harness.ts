import { afterEach } from 'vitest';
import { createApp, type AppOptions, type ServingApp } from '../app.js';
import { createApiKeyAuth, createNoAuth, hashApiKey, type ApiKeyEntry } from '../auth/api-keys.js';
import { createStaticClassifierSource } from '../model/classifier-source.js';
import { createSqliteStore } from '../store/sqlite-store.js';
import { createFakeClassifier, type FakeClassifier } from './fake-classifier.js';

export const KEYS = { all: 'mr_test_all_scopes', classify: 'mr_test_classify_only', slow: 'mr_test_rate_limited' } as const;

export function testKeys(): ApiKeyEntry[] {
  return [
    { id: 'all', sha256: hashApiKey(KEYS.all), scopes: ['classify', 'feedback', 'admin'] },
    { id: 'classify', sha256: hashApiKey(KEYS.classify), scopes: ['classify'] },
    { id: 'slow', sha256: hashApiKey(KEYS.slow), scopes: ['classify'], rateLimit: { perSecond: 1, burst: 2 } },
  ];
}

/** An app on the fake classifier and an in-memory SQLite store; auth on unless `noAuth`. */
export async function buildTestApp(
  overrides: Partial<AppOptions> & { classifier?: FakeClassifier; noAuth?: boolean } = {},
): Promise<ServingApp & { classifier: FakeClassifier }> {
  const classifier = overrides.classifier ?? createFakeClassifier();
  const source = overrides.classifierSource ?? createStaticClassifierSource(classifier);
  if (!overrides.classifierSource) await source.reload();
  const serving = createApp({
    store: createSqliteStore({ file: ':memory:' }),
    auth: overrides.noAuth ? createNoAuth() : createApiKeyAuth(testKeys()),
    ...overrides,
    classifierSource: source,
  });
  return { ...serving, classifier };
}

/** `buildTestApp` for a test file, called once at its top: the apps it builds are closed after each test. */
export function testAppBuilder(): typeof buildTestApp {
  let open: ServingApp[] = [];
  afterEach(async () => {
    await Promise.all(open.map((s) => s.close()));
    open = [];
  });
  return async (...args) => {
    const s = await buildTestApp(...args);
    open.push(s);
    return s;
  };
}

export function jsonRequest(body: unknown, key: string | null = KEYS.all, method = 'POST'): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return { method, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

export function authed(key: string = KEYS.all, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${key}` } };
}

/** Response JSON, loosely typed: the assertions check its shape at run time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only, shapes asserted by expect()
export type Loose = any;

export async function json(res: Response | Promise<Response>): Promise<Loose> {
  return (await res).json();
}
