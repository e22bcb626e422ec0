import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import type { Email } from './email.js';
import { CleanInputError } from './errors.js';

/** What a JavaScript caller may pass where TypeScript would have refused it. */
const untyped = (value: unknown) => value as Email;

describe('cleanEmail refuses what is not an email', () => {
  it('says which field is wrong, with a stable code, instead of a TypeError from deep in the cleaning', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'an email is an object with subject, body or html, not null'],
      ['Hallo', 'an email is an object with subject, body or html, not string'],
      [[{ body: 'x' }], 'an email is an object with subject, body or html, not an array'],
      [{ body: 42 }, 'email.body must be a string, not number'],
      [{ subject: null, body: 'x' }, 'email.subject must be a string, not null'],
      [{ html: { p: 'x' } }, 'email.html must be a string, not object'],
    ];
    for (const [input, message] of cases) {
      let thrown: unknown;
      try {
        cleanEmail(untyped(input));
      } catch (error) {
        thrown = error;
      }
      expect(thrown, message).toBeInstanceOf(CleanInputError);
      expect(thrown).toMatchObject({ code: 'PREPROCESS_INPUT_INVALID', message });
    }
  });

  it('still cleans an email with only some of its text fields', () => {
    expect(cleanEmail({ html: '<p>Bitte um Rückruf.</p>' }).text).toContain('Rückruf');
    expect(cleanEmail({ body: 'Bitte um Rückruf.', subject: undefined }).text).toContain('Rückruf');
  });
});
