import { PassThrough } from 'node:stream';
import type { RunningServer } from '@mailroute/serving';
import { describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { textDatabase, timeZoneSetting } from './serve.js';
import { printBanner, type StoredTextBanner } from './serve-banner.js';
import type { TimeZoneSetting } from '../time-option.js';

function banner(textDb?: StoredTextBanner, { authEnabled = true, sagemaker = false, timeZone = undefined as TimeZoneSetting | undefined } = {}): string {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const server: RunningServer = { host: '127.0.0.1', port: 8080, url: 'http://127.0.0.1:8080', authEnabled, close: async () => {} };
  printBanner(createContext({ stdout, env: {}, cwd: '/srv' }), server, textDb, sagemaker, timeZone);
  return out;
}

describe('printBanner', () => {
  it('says when email text is stored, and in which database file', () => {
    const ctx = createContext({ env: {}, cwd: '/srv' });
    const db = textDatabase(ctx, { home: 'data', storeText: true });
    expect(db).toBe('/srv/data/mailroute.db');
    const lines = banner({ database: db }).split('\n');
    expect(lines.filter((l) => l.startsWith('text: '))).toEqual(["text: ON (--store-text): each email's subject and body, PII-masked, kept with its prediction in /srv/data/mailroute.db (predictions.text)"]);
    expect(lines[1]).toBe('auth: API keys required');
    // And the --pii-patterns file masked in that text too.
    expect(banner({ database: db, patternsFile: 'refs.json' }).split('\n').filter((l) => l.startsWith('text: '))).toEqual([
      "text: ON (--store-text): each email's subject and body, PII-masked (also by the patterns of refs.json), kept with its prediction in /srv/data/mailroute.db (predictions.text)",
    ]);
  });

  it('offers a key on loopback without one, but not to a SageMaker container, which takes none (IAM), even on loopback', () => {
    expect(banner(undefined, { authEnabled: false }).split('\n')[1]).toBe('auth: OFF (loopback only; `mailroute serve --new-key <id>` adds a key, and auth is on from the next start)');
    expect(banner(undefined, { authEnabled: false, sagemaker: true }).split('\n')[1]).toBe('auth: none in the container (the SageMaker runtime authenticates callers with IAM)');
  });

  it('says when text is not kept, that feedback export will have none to train on, and how to keep it; nothing of text in a SageMaker container, which keeps no predictions', () => {
    const lines = banner().split('\n');
    expect(lines.filter((l) => l.startsWith('text: '))).toEqual([
      'text: off: predictions keep no email text, so `mailroute feedback export` will have no text to train on (`mailroute serve --store-text` keeps it, PII-masked)',
    ]);
    expect(lines[2]).toBe(lines.find((l) => l.startsWith('text: ')));
    expect(banner(undefined, { authEnabled: false, sagemaker: true })).not.toContain('text:');
  });

  it("says the zone the CRM's times without one are read in, and where it was set: --time-zone, MAILROUTE_TIME_ZONE, or UTC by default", () => {
    const zoneLine = (flags: { timeZone?: string }, env: Record<string, string> = {}) =>
      banner(undefined, { timeZone: timeZoneSetting(createContext({ env, cwd: '/srv' }), flags) })
        .split('\n')
        .filter((l) => l.startsWith('time zone: '));
    expect(zoneLine({ timeZone: 'Europe/Berlin' }, { MAILROUTE_TIME_ZONE: 'Asia/Tokyo' })).toEqual(["time zone: Europe/Berlin (--time-zone): the CRM's times sent without one (receivedAt, closedAt) are read in it"]);
    expect(zoneLine({}, { MAILROUTE_TIME_ZONE: 'Asia/Tokyo' })).toEqual(["time zone: Asia/Tokyo (MAILROUTE_TIME_ZONE): the CRM's times sent without one (receivedAt, closedAt) are read in it"]);
    expect(zoneLine({})).toEqual(["time zone: UTC (by default; --time-zone or MAILROUTE_TIME_ZONE sets another): the CRM's times sent without one (receivedAt, closedAt) are read in it"]);
  });
});
