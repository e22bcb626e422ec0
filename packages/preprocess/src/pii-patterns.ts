/**
 * A file of an institution's own patterns to mask (`--pii-patterns`): its customer or case reference formats, which
 * no built-in detector knows (`KD-123456`, `FALL-2025-00042`). The file is JSON:
 * `{ "patterns": [{ "type": "CASE_REF", "pattern": "\\bFALL-\\d{4}-\\d{5}\\b", "flags": "i", "placeholder": "[FALL]" }] }`.
 */
import { z } from 'zod';
import { CleanOptionsError } from './errors.js';
import { RedactPatternSchema, type RedactPattern } from './redact.js';

/** The most patterns a file may hold, and the longest pattern: each runs over every masked text. */
export const MAX_PII_PATTERNS = 100;
export const MAX_PII_PATTERN_CHARS = 1000;

const PatternEntrySchema = z.strictObject({
  type: RedactPatternSchema.shape.type,
  pattern: z.string().min(1, 'pattern must not be empty').max(MAX_PII_PATTERN_CHARS, `pattern must be at most ${MAX_PII_PATTERN_CHARS} characters`),
  flags: RedactPatternSchema.shape.flags,
  // Bracketed capitals, as the built-in placeholders: masking the masked text again (feedback export does) leaves it as it is.
  placeholder: z
    .string()
    .regex(/^\[\p{Lu}[\p{Lu}_]{0,40}\]$/u, 'placeholder must be capitals or _ in square brackets, e.g. [FALL] (masking leaves such a placeholder as it is)')
    .optional(),
});

const PatternFileSchema = z.strictObject({
  patterns: z.array(PatternEntrySchema).max(MAX_PII_PATTERNS, `at most ${MAX_PII_PATTERNS} patterns`),
});

/** Where a zod issue is: `patterns[2].flags`. */
function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at === '' ? String(key) : `${at}.${String(key)}`), '');
}

/**
 * The patterns of a `--pii-patterns` file's JSON, each checked: the shape (a `CleanOptionsError` naming the entry and
 * field), and that its text compiles with its flags (naming the entry, its type and the engine's message). Patterns
 * run on JavaScript's regular expressions, which can backtrack: keep them plain (no nested repetition such as `(\d+)+`).
 */
export function parsePiiPatterns(json: unknown): RedactPattern[] {
  const parsed = PatternFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issuePath(issue.path);
    throw new CleanOptionsError(`${at === '' ? 'the file' : at}: ${issue.message} (expected {"patterns": [{"type": "CASE_REF", "pattern": "…", "flags": "i", "placeholder": "[…]"}]})`);
  }
  return parsed.data.patterns.map((entry, i) => {
    try {
      new RegExp(entry.pattern, `${entry.flags ?? ''}g`);
    } catch (cause) {
      throw new CleanOptionsError(`patterns[${i}] (${entry.type}): not a valid regular expression: ${(cause as Error).message}`, { cause });
    }
    return entry;
  });
}
