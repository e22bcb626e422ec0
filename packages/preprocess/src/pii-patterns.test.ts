import { describe, expect, it } from 'vitest';
import { CleanOptionsError } from './errors.js';
import { MAX_PII_PATTERNS, parsePiiPatterns } from './pii-patterns.js';
import { redactPii } from './redact.js';

describe('parsePiiPatterns', () => {
  it('reads a file of patterns that redactPii masks first, with their flags and placeholders', () => {
    const patterns = parsePiiPatterns({
      patterns: [
        { type: 'CASE_REF', pattern: String.raw`\bfall-\d{4}-\d{5}\b`, flags: 'i', placeholder: '[FALL]' },
        { type: 'CUSTOMER_REF', pattern: String.raw`\bKD-\d{6}\b` },
      ],
    });
    expect(patterns).toHaveLength(2);
    const r = redactPii('Zu FALL-2025-00042 und kd-123456, Kunde KD-654321, IBAN DE89 3704 0044 0532 0130 00', { patterns });
    expect(r.text).toBe('Zu [FALL] und kd-123456, Kunde [CUSTOMER_REF], IBAN [IBAN]');
    expect(r.redactions.map((x) => x.type)).toEqual(['CASE_REF', 'CUSTOMER_REF', 'IBAN']);
  });

  it('masks what a built-in detector found beyond a pattern\'s match, and leaves its own placeholders as they are', () => {
    const patterns = parsePiiPatterns({ patterns: [{ type: 'V', pattern: String.raw`\b\d{6}` }, { type: 'CUSTOMER_REF', pattern: String.raw`\bKD-\d{6}\b`, flags: 'i', placeholder: '[KUNDE]' }] });
    expect(redactPii('Kundennr. 1234567890', { patterns }).text).toBe('Kundennr. [V][ACCOUNT]');
    expect(redactPii('kd-123456@kunden-mail.example schrieb', { patterns: patterns.slice(1) }).text).toBe('[KUNDE][EMAIL] schrieb');
    // Without patterns the detectors' own overlaps are as before: a phone number keyed and found again is one.
    expect(redactPii('Tel. (069) 123456 / 2024 Depot').text).toBe('Tel. [PHONE] / 2024 Depot');
    const once = redactPii('Meine KD-123456, Fall 654321', { patterns, names: true }).text;
    expect(redactPii(once, { patterns, names: true }).text).toBe(once);
  });

  it('takes an empty list', () => {
    expect(parsePiiPatterns({ patterns: [] })).toEqual([]);
  });

  it.each([
    [[], 'the file: '],
    [{}, 'patterns: '],
    [{ patterns: [{ type: 'case_ref', pattern: 'x' }] }, 'patterns[0].type: type must be upper-case letters, digits or _'],
    [{ patterns: [{ type: 'A', pattern: '' }] }, 'patterns[0].pattern: pattern must not be empty'],
    [{ patterns: [{ type: 'A', pattern: 'x', flags: 'g' }] }, 'patterns[0].flags: flags must be some of i, m, s and u, each once'],
    [{ patterns: [{ type: 'A', pattern: 'x', flags: 'ii' }] }, 'patterns[0].flags: flags must be'],
    [{ patterns: [{ type: 'A', pattern: 'x', placeholder: '' }] }, 'patterns[0].placeholder: placeholder must be capitals or _ in square brackets'],
    [{ patterns: [{ type: 'A', pattern: 'x', placeholder: 'Kundennr. 000000' }] }, 'patterns[0].placeholder: placeholder must be capitals or _ in square brackets'],
    [{ patterns: [{ type: 'A', pattern: 'x', regex: 'y' }] }, 'patterns[0]: '],
    [{ patterns: [{ type: 'A', pattern: 'x' }, { type: 'B', pattern: '(unclosed' }] }, 'patterns[1] (B): not a valid regular expression: '],
    [{ patterns: [{ type: 'A', pattern: String.raw`\p{L}+`, flags: '' }, { type: 'B', pattern: String.raw`\p{Lu`, flags: 'u' }] }, 'patterns[1] (B): not a valid regular expression'],
    [{ patterns: Array.from({ length: MAX_PII_PATTERNS + 1 }, () => ({ type: 'A', pattern: 'x' })) }, `patterns: at most ${MAX_PII_PATTERNS} patterns`],
  ])('refuses %j, naming where: %s', (json, message) => {
    expect(() => parsePiiPatterns(json)).toThrow(CleanOptionsError);
    expect(() => parsePiiPatterns(json)).toThrow(message);
  });
});
