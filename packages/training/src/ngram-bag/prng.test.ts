import { seededRandom } from '@mailroute/evaluation';
import { describe, expect, it } from 'vitest';
import { createRandom, shuffleInPlace } from '../random.js';
import { createPrng, fillUniform, fillUniformRange, uniformStream } from './prng.js';

describe('createPrng and shuffleInPlace', () => {
  it("give the streams and orders of the trainer's own mulberry32 and shuffle before they were evaluation's and random.ts's", () => {
    // Values the trainer's own copies gave: its initial weights, dropout and epoch orders depend on them.
    const prng = createPrng(42);
    expect(Array.from({ length: 4 }, () => prng.next())).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]);
    const top = createPrng(0xffffffff);
    expect(Array.from({ length: 2 }, () => top.next())).toEqual([0.8964226141106337, 0.189478256739676]);
    const random = seededRandom(0);
    const zero = createPrng(0);
    for (let i = 0; i < 1000; i++) expect(zero.next()).toBe(random());
    // An epoch's order (an Int32Array) and a split's (an array) by the one shuffle.
    const order = Int32Array.from({ length: 10 }, (_, i) => i);
    expect(Array.from(shuffleInPlace(order, createPrng(7).next))).toEqual([6, 5, 8, 1, 2, 3, 4, 7, 9, 0]);
    expect(shuffleInPlace(Array.from({ length: 10 }, (_, i) => i), createRandom(7))).toEqual([4, 2, 6, 8, 7, 1, 0, 5, 3, 9]);
  });
});

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
