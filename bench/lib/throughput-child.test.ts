import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('bench/throughput-child.ts', () => {
  it('refuses a sample count that is not a whole number (it gave NaN samples and a null result) before any work', () => {
    const child = fileURLToPath(new URL('../throughput-child.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), child, '/nonexistent-artifact', '/nonexistent-emails.jsonl', 'abc'], {
      encoding: 'utf8',
      env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' },
    });
    expect(r.stderr).toContain('samples (third argument) must be an integer from 1 to 1000, not "abc"');
    expect(r.status).toBe(2);
  }, 60_000);
});
