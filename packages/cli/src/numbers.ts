import { UsageError } from './errors.js';

/**
 * A whole-number option or environment variable (`--rows`, `--port`, `PORT`, `MAILROUTE_MAX_CONNECTIONS`):
 * plain decimal digits only, with a leading minus only where `min` is negative. Number() alone would also
 * take `0x10` (16), `1e2` (100), `1.8e4` or blanks around the digits (and read a blank value as 0): each is
 * refused here, with the same message for every option. A usage error (exit code 2), also when a Commander
 * option parser throws it.
 */
export function wholeNumber(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = (min < 0 ? /^-?\d+$/ : /^\d+$/).test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be an integer ${range} in plain digits, got "${text.slice(0, 40)}"`);
  }
  return n;
}

/** The largest seed (`--seed` of demo-data and compare): the generators take the seed as 32 bits. */
export { MAX_SEED } from '@mailroute/evaluation';

/** A Commander option parser for a whole number (see wholeNumber). */
export function wholeNumberOption(name: string, min: number, max?: number): (text: string) => number {
  return (text) => wholeNumber(name, text, min, max);
}

/**
 * A decimal number as an option takes it (`--rate-limit 20` or `0.5`): digits with an optional fraction, the
 * form the HTTP API takes for `hours`; NaN for anything else (hex, exponents, blanks, signs).
 */
export function plainDecimal(text: string): number {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
}
