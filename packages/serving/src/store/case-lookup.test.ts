import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupCase, LOOKUP_MAX_PREDICTIONS } from './case-lookup.js';
import { createSqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-lookup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lookupCase', () => {
  it('lists the newest predictions of an email up to the cap and says there are more; an unknown id is undefined', async () => {
    const file = path.join(dir, 'many.db');
    const store = createSqliteStore({ file, writer: 'inline', retentionDays: 0 });
    const base = Date.parse('2026-12-01T09:00:00.000Z');
    const records = Array.from({ length: LOOKUP_MAX_PREDICTIONS + 5 }, (_, i) => ({
      predictionId: `p-${String(i).padStart(3, '0')}`,
      emailId: 'crm-retried',
      modelId: 'm',
      createdAt: new Date(base + i * 1000).toISOString(),
      labels: { queue: 'payments' },
      confidences: { queue: 0.9 },
      abstained: { queue: false },
      queue: 'payments',
      latencyMs: 1,
    }));
    await store.savePredictions(records);
    await store.close();
    const found = lookupCase(file, 'p-003');
    expect(found?.matchedBy).toBe('predictionId');
    expect(found?.predictions).toHaveLength(LOOKUP_MAX_PREDICTIONS);
    expect(found?.predictions[0].predictionId).toBe(`p-0${LOOKUP_MAX_PREDICTIONS + 4}`);
    expect(found?.morePredictions).toBe(true);
    expect(lookupCase(file, 'crm-unknown')).toBeUndefined();
  });

  it('refuses a file of a newer data version rather than misread it', () => {
    const file = path.join(dir, 'newer.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => lookupCase(file, 'crm-1')).toThrow(/written by a newer mailroute \(data version 99/);
  });
});
