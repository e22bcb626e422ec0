/**
 * Python's `format(x, '.Nf')`: correctly rounded, ties to even. `Number.prototype.toFixed` rounds
 * exact ties up (0.125 -> "0.13" where Python prints "0.12"), so ties are detected exactly here.
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const scaledByTwo = x * 2 ** (digits + 1); // exact: a power-of-two scale
  if (Number.isInteger(scaledByTwo) && Math.abs(scaledByTwo) < Number.MAX_SAFE_INTEGER) {
    // x * 10^digits = scaledByTwo * 5^digits / 2: a tie when that numerator is odd.
    const numerator = BigInt(scaledByTwo) * 5n ** BigInt(digits);
    if (numerator % 2n !== 0n) {
      const down = (numerator - 1n) / 2n;
      const n = down % 2n === 0n ? down : down + 1n;
      return formatScaled(n, digits);
    }
  }
  return x.toFixed(digits);
}

function formatScaled(n: bigint, digits: number): string {
  const negative = n < 0n;
  const s = (negative ? -n : n).toString().padStart(digits + 1, '0');
  const body = digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return negative ? `-${body}` : body;
}
