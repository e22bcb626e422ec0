import { describe, expect, it } from 'vitest';
import { createPrng, fillUniform, fillUniformRange, uniformStream } from './prng.js';

describe('fillUniformRange', () => {
  it('gives any stretch of the stream fillUniform writes, without running through the values before it', () => {
    const whole = new Float32Array(1000);
    fillUniform(whole, 0.25, createPrng(9));
    const stream = uniformStream(createPrng(9), 0.25);
    for (const [from, count] of [[0, 10], [37, 32], [968, 32], [500, 1]]) {
      const part = new Float32Array(count + 3);
      fillUniformRange(part, 3, stream, from, count);
      expect(Array.from(part.subarray(3))).toEqual(Array.from(whole.subarray(from, from + count)));
    }
    expect(whole.every((v) => v >= -0.25 && v < 0.25)).toBe(true);
    expect(new Set(whole).size).toBeGreaterThan(990);
  });
});
