import { describe, expect, it } from 'vitest';
import { FAILURE_MAX_BYTES, failureReason } from './failure.js';

describe('failureReason', () => {
  it('makes one paragraph of a message over several lines', () => {
    expect(failureReason('[DATASET_ROW_INVALID] a.csv:4: no text\n  a.csv:9: bad date\r\n\tand more  ')).toBe('[DATASET_ROW_INVALID] a.csv:4: no text a.csv:9: bad date and more');
  });

  it('cuts a long one under SageMaker\'s 1 KB at a whole character, ending in ...', () => {
    const reason = failureReason(`Übertrag ${'ä'.repeat(2000)}`);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(FAILURE_MAX_BYTES);
    expect(Buffer.byteLength(reason)).toBeGreaterThan(FAILURE_MAX_BYTES - 2);
    expect(reason).toMatch(/^Übertrag ä+\.\.\.$/);
    expect(failureReason('x'.repeat(FAILURE_MAX_BYTES))).toBe('x'.repeat(FAILURE_MAX_BYTES));
  });
});
