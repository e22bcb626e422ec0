import { describe, expect, it } from 'vitest';
import { describeMalformedJson } from './malformed-json.js';

describe('describeMalformedJson', () => {
  it('says where, by line and column, without the text; and that an empty body is empty', () => {
    expect(describeMalformedJson('{"emails": [}')).toBe('Malformed JSON in request body at line 1, column 13 (character 13 of 13): an unexpected character.');
    expect(describeMalformedJson('{\n  "emails": [\n    {"subject": "Kündigung"\n  ]\n}')).toBe('Malformed JSON in request body at line 4, column 3 (character 47 of 49): an unexpected character.');
    expect(describeMalformedJson('{"emails": [')).toBe('Malformed JSON in request body: it ends at line 1, column 13 (after 12 characters) before the JSON is complete: send all of it (a Content-Length counts the body\'s UTF-8 bytes, not its characters).');
    expect(describeMalformedJson('')).toBe('The body is empty: send a JSON object.');
    expect(describeMalformedJson(' \r\n')).toBe('The body is empty: send a JSON object.');
  });
});
