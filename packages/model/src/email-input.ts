import type { Email } from '@mailroute/preprocess';
import { PredictInputError } from './errors.js';

/** The fields `Email` types: every one a string but `metadata`, an object. */
const FIELDS = ['id', 'subject', 'body', 'html', 'from', 'bank', 'receivedAt', 'autoSubmitted', 'metadata'] as const;

/**
 * An email given to `predict`, checked as HTTP reads one: a field that is `null` is absent (many serializers
 * write null for an empty field), a text field of another type, or an email that is no object, is refused
 * with a `PredictInputError` naming its index. One look at a few fields; the email is copied only when it has
 * a null field.
 */
export function checkedEmail(value: unknown, index: number): Email {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PredictInputError(`email ${index} is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not an object with subject, body or html`);
  }
  const fields = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const field of FIELDS) {
    const v = fields[field];
    if (v === null) {
      out ??= { ...fields };
      delete out[field];
    } else if (v !== undefined && (field === 'metadata' ? typeof v !== 'object' || Array.isArray(v) : typeof v !== 'string')) {
      throw new PredictInputError(`email ${index}: ${field} is a ${Array.isArray(v) ? 'array' : typeof v}, not ${field === 'metadata' ? 'an object' : 'a string'}`);
    }
  }
  return (out ?? fields) as Email;
}
