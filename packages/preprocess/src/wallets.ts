import type { Hit } from './redact.js';

/**
 * Crypto wallet addresses a broker's customers paste: Ethereum (`0x` and 40 hex digits), Bitcoin bech32 (`bc1` and
 * 25-87 characters of its alphabet, in one case) and legacy Bitcoin (base58, `1` or `3` and 25-34 more characters).
 * Each stands alone: no letter, digit or `_` right before or after it, so a transaction hash (`0x` and 64 hex
 * digits) or the middle of a longer token is no address.
 */
const WALLET_RE =
  /(?<![\p{L}\p{N}_])(?:0[xX][0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{25,87}|BC1[02-9AC-HJ-NP-Z]{25,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})(?![\p{L}\p{N}_])/gu;

/**
 * Whether a base58 match reads as a Bitcoin address: letters in both cases and a digit after its first character, as
 * base58 of a hash has (`1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2`); a run of digits or an id in capitals (`1ABC23…`) is none.
 */
const isBase58Address = (s: string) => /[a-km-z]/.test(s) && /[A-HJ-NP-Z]/.test(s) && /\d/.test(s.slice(1));

/**
 * Crypto wallet addresses (Bitcoin legacy and bech32, Ethereum) as `[ACCOUNT]`: an account, as an IBAN is one. `from`:
 * where the scan starts, at most two characters before the text's first digit (every address has one there: `bc1`).
 */
export function walletHits(text: string, from = 0): Hit[] {
  const hits: Hit[] = [];
  WALLET_RE.lastIndex = from;
  for (let m = WALLET_RE.exec(text); m !== null; m = WALLET_RE.exec(text)) {
    const s = m[0];
    const c = s.charCodeAt(0);
    if ((c === 49 || c === 51) && !isBase58Address(s)) continue;
    hits.push({ type: 'ACCOUNT', start: m.index, end: m.index + s.length, placeholder: '[ACCOUNT]' });
  }
  return hits;
}
