import { describe, expect, it } from 'vitest';
import { createApiKeyAuth, hashApiKey } from '../auth/api-keys.js';
import { json, jsonRequest, KEYS, testAppBuilder, testKeys } from '../test-support/harness.js';
import { classify, closedDay } from '../test-support/route-helpers.js';

const build = testAppBuilder();

/** A second key with the feedback scope: any such key may correct any email, so which one did is recorded. */
const HELPDESK = 'mr_test_helpdesk_feedback';
const auth = () => createApiKeyAuth([...testKeys(), { id: 'helpdesk', sha256: hashApiKey(HELPDESK), scopes: ['feedback'] }]);

/** A log that keeps its lines. */
function recordingLogger() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

const REPLACED = 'feedback replaced by another key';

describe('POST /v1/feedback: which API key recorded it', () => {
  it('stores the key id with the feedback, and logs a warning naming both keys and the tasks when another key replaces it', async () => {
    const { lines, logger } = recordingLogger();
    const { app, context } = await build({ auth: auth(), logger });
    const [p] = await classify(app, [{ id: 'crm-victim-1', body: 'invoice please' }]);
    const send = (key: string, labels: Record<string, string>, hour: number) =>
      app.request('/v1/feedback', jsonRequest({ emailId: 'crm-victim-1', labels, closedAt: `${closedDay}T${String(hour).padStart(2, '0')}:00:00Z` }, key));
    expect((await send(KEYS.all, { queue: 'billing', topic: 'invoice' }, 9)).status).toBe(202);
    // The same key correcting itself is no replacement.
    expect((await send(KEYS.all, { queue: 'billing' }, 10)).status).toBe(202);
    expect(lines.filter(([, m]) => m === REPLACED)).toEqual([]);
    const stored = async () => (await context.store.listPairs({ since: '2000-01-01T00:00:00Z' }))[0].feedback;
    expect(await stored()).toMatchObject({ keyId: 'all', labels: { queue: 'billing', topic: 'invoice' } });
    // Another key's older feedback is superseded: nothing replaced, nothing logged.
    expect((await json(send(HELPDESK, { queue: 'technical' }, 8))).status).toBe('superseded');
    expect(lines.filter(([, m]) => m === REPLACED)).toEqual([]);
    // Another key's later one overwrites the CRM's label: recorded (this is no access control), and said in the log.
    const res = await send(HELPDESK, { queue: 'technical', topic: 'invoice' }, 11);
    expect(res.status).toBe(202);
    expect((await json(res)).status).toBe('recorded');
    expect(lines.filter(([, m]) => m === REPLACED)).toEqual([
      [
        'warn',
        REPLACED,
        { keyId: 'helpdesk', previousKeyId: 'all', emailId: 'crm-victim-1', predictionId: p.predictionId, tasks: ['queue'], labels: { queue: { from: 'billing', to: 'technical' } } },
      ],
    ]);
    expect(await stored()).toMatchObject({ keyId: 'helpdesk', labels: { queue: 'technical', topic: 'invoice' } });
  });

  it('stores no key id on a server without keys, and logs no replacement there', async () => {
    const { lines, logger } = recordingLogger();
    const { app, context } = await build({ noAuth: true, logger });
    await classify(app, [{ id: 'mail-1', body: 'invoice please' }]);
    for (const [queue, hour] of [['billing', 9], ['technical', 10]] as const) {
      expect((await app.request('/v1/feedback', jsonRequest({ emailId: 'mail-1', labels: { queue }, closedAt: `${closedDay}T${String(hour).padStart(2, '0')}:00:00Z` }, null))).status).toBe(202);
    }
    const [pair] = await context.store.listPairs({ since: '2000-01-01T00:00:00Z' });
    expect(pair.feedback?.labels).toEqual({ queue: 'technical' });
    expect(pair.feedback).not.toHaveProperty('keyId');
    expect(lines.filter(([, m]) => m === REPLACED)).toEqual([]);
  });
});
