import { describe, expect, it } from 'vitest';
import { logLine } from './logger.js';

describe('logLine', () => {
  it('escapes C1 controls, DEL and the line separators as it escapes C0, and they read back as written', () => {
    const value = 'id\u001b[2J\u009b2J\u0085next\u007f\u2028\u2029é';
    const line = logLine('INFO', `message ${value}`, { emailId: value }, '2026-12-01T00:00:00.000Z');
    expect(line).toContain('\\u001b[2J\\u009b2J\\u0085next\\u007f\\u2028\\u2029é');
    expect([...line].filter((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f) || c === '\u2028' || c === '\u2029')).toEqual([]);
    expect(JSON.parse(line)).toEqual({ time: '2026-12-01T00:00:00.000Z', level: 'INFO', message: `message ${value}`, emailId: value });
  });
});
