import { expect } from 'vitest';
import { redactPii } from './redact.js';

// For the masking tests: what the default detectors make of a text, compared with what it must become.

/** Each text masked as given, with the default detectors. */
export function expectMasked(cases: ReadonlyArray<readonly [text: string, masked: string]>): void {
  for (const [text, masked] of cases) expect(redactPii(text).text, JSON.stringify(text)).toBe(masked);
}

/** Each text left as it is, with the default detectors. */
export function expectKept(texts: readonly string[]): void {
  for (const text of texts) expect(redactPii(text).text, JSON.stringify(text)).toBe(text);
}
