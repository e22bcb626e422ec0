import { z } from 'zod';
import { RedactionSchema } from './redact.js';

/** One line of a batch to clean (`mailroute clean --in`). */
export const CleanInputLineSchema = z.object({
  id: z.string().min(1).max(200),
  format: z.enum(['text', 'html', 'eml']),
  input: z.string(),
});
export type CleanInputLine = z.infer<typeof CleanInputLineSchema>;

/** One line of a cleaned batch (`mailroute clean --out`); absent parts are null. */
export const CleanOutputLineSchema = z.object({
  id: z.string(),
  /**
   * The subject without Re:/AW:/WG:/Fwd: prefixes, masked as the text is; null when the email has none
   * (`text` and `html` lines never do). Files written before it was added read as null.
   */
  subject: z.string().nullable().default(null),
  text: z.string(),
  signature: z.string().nullable(),
  quoted: z.string().nullable(),
  language: z.string(),
  redactions: z.array(RedactionSchema),
});
export type CleanOutputLine = z.infer<typeof CleanOutputLineSchema>;
