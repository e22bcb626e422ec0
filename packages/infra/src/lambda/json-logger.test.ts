import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger } from './json-logger.js';

describe('jsonLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes one JSON line whose own keys no field can overwrite', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    jsonLogger.error('model load failed', { modelId: 'm1', message: 'bad manifest', time: 'then' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'ERROR', message: 'model load failed', modelId: 'm1', field_message: 'bad manifest', field_time: 'then' });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
