/**
 * The detail of the 400 that refuses a body `JSON.parse` refused: where it breaks (`jsonErrorOffset`), never its
 * text, which may be an email's. The valid path parses once, as before.
 */
import { jsonErrorOffset } from '@mailroute/model';
import { ValidationError } from '../errors.js';

/** The detail of a 400 for a body `JSON.parse` refused: where it breaks, or that it is empty; never its text. */
export function describeMalformedJson(text: string): string {
  if (text.trim() === '') return 'The body is empty: send a JSON object.';
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return 'Malformed JSON in request body.';
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const column = offset - lineStart + 1;
  if (offset >= text.length) return `Malformed JSON in request body: it ends at line ${line}, column ${column} (after ${text.length} characters) before the JSON is complete: send all of it (a Content-Length counts the body's UTF-8 bytes, not its characters).`;
  return `Malformed JSON in request body at line ${line}, column ${column} (character ${offset + 1} of ${text.length}): an unexpected character.`;
}

/** The 400 for a body `JSON.parse` refused: issue code `empty` for an empty one (as on /v1/classify/eml), else `invalid_json`. */
export function malformedJsonError(text: string): ValidationError {
  const detail = describeMalformedJson(text);
  const issue = text.trim() === '' ? { message: 'empty body', code: 'empty' } : { message: 'malformed JSON', code: 'invalid_json' };
  return new ValidationError(detail, [{ path: [], ...issue }]);
}
