import { describe, expect, it } from 'vitest';
import { badEscape, undecodableParam } from './query.js';

describe('badEscape', () => {
  it('finds nothing in UTF-8 percent-encoding, plain text or a + for a blank', () => {
    expect(badEscape('K%C3%BCndigung-42')).toBeUndefined();
    expect(badEscape('a1%40bank.example')).toBeUndefined();
    expect(badEscape('a+b')).toBeUndefined();
    expect(badEscape('50%25')).toBeUndefined();
  });

  it('names a Latin-1 escape and a % without two hex digits', () => {
    expect(badEscape('K%FCndigung-42')).toBe('%FC');
    expect(badEscape('50%')).toBe('%');
    expect(badEscape('50%zz')).toBe('%zz');
    // A UTF-16 surrogate written as (CESU) bytes is not UTF-8 either.
    expect(badEscape('x%ED%B0%80')).toBe('%ED%B0%80');
  });
});

describe('undecodableParam', () => {
  it('checks only the parameters named', () => {
    expect(undecodableParam('?id=K%FCndigung&x=1', ['id'])).toEqual({ name: 'id', escape: '%FC' });
    expect(undecodableParam('?other=%FC&id=ok', ['id'])).toBeUndefined();
    expect(undecodableParam('', ['id'])).toBeUndefined();
  });

  it('reads a name as the router does, percent-escapes decoded: ?i%64= is ?id= (found by the API fuzz test)', () => {
    expect(undecodableParam('?i%64=K%FCndigung-42', ['id'])).toEqual({ name: 'id', escape: '%FC' });
    expect(undecodableParam('?%6Dodel=%FC', ['model'])).toEqual({ name: 'model', escape: '%FC' });
    expect(undecodableParam('?i%FF=%FC', ['id'])).toBeUndefined();
  });
});
