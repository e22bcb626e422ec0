import type { Hit } from './redact-hit.js';

/**
 * The secrets of a crypto wallet that a customer pastes asking for help: its recovery (seed) phrase, which is the whole
 * wallet, and a private key. Found after their keyword only (`Seed-Phrase:`, `Wiederherstellungsphrase lautet`, `my
 * recovery phrase is`, `Private Key:`), masked as `[CREDENTIAL]`; the keyword stays.
 */

/** What joins a keyword to its value: `:`, `=`, `ist`, `is`, `lautet`, a dash between blanks, or blanks and one line break. */
const JOIN = String.raw`(?:[ \t]{0,3}(?:[:=]|[-–](?=[ \t])|ist|is|lautet|was|war)[ \t]{0,3}:?[ \t]{0,3}\n?[ \t]{0,3}|[ \t]{1,3}\n?[ \t]{0,3}|[ \t]{0,3}\n[ \t]{0,3})`;
/** Keywords of a recovery phrase, German and English; words between it and its link that say whose it is (`meiner Wallet`). */
const PHRASE_KEYWORD = String.raw`(?:[Ss]eed[- ]?(?:[Pp]hrase|[Ww]ords|[Ww]örter|[Ss]ätze)|[Rr]ecovery[- ](?:[Pp]hrase|[Ww]ords|[Ss]eed)|[Mm]nemonic(?:[- ][Pp]hrase)?|[Ww]iederherstellungs-?(?:[Pp]hrase|[Ww]örter|[Ss]ätze?|[Ss]chlüssel)|[Bb]ackup[- ][Pp]hrase)`;
const WHOSE = String.raw`(?:[ \t]{1,3}(?:meiner|meines|von|der|des|for|of|my)[ \t]{1,3}[\p{L}\p{N}-]{1,24}(?:[ \t]{1,3}[\p{L}\p{N}-]{1,24})?)?`;
/**
 * A recovery phrase: 12 to 24 words of 3-8 small letters (BIP-39's words are such), split by blanks, commas or line
 * breaks, maybe numbered (`1. witch 2. collapse …`).
 */
const PHRASE_WORD = String.raw`(?:\d{1,2}[.)][ \t]?)?[a-z]{3,8}`;
const PHRASE_VALUE = String.raw`${PHRASE_WORD}(?:[ \t,;]{1,3}\n?[ \t]{0,3}${PHRASE_WORD}|\n[ \t]{0,3}${PHRASE_WORD}){11,23}(?![\p{L}\p{N}])`;
/** Keywords of a private key. */
const KEY_KEYWORD = String.raw`(?:[Pp]rivate[- ]?[Kk]ey|[Pp]rivater[ \t]{1,3}[Ss]chlüssel|[Pp]rivatschlüssel)`;
/** A private key as wallets export it: 32 to 130 characters of hex, base58 or base64, holding a digit. */
const KEY_VALUE = String.raw`(?=[A-Za-z0-9+/=]{0,129}\d)(?:0x)?[A-Za-z0-9+/]{32,128}={0,2}(?![\p{L}\p{N}+/=])`;

/**
 * At a keyword (the scan of `credentialHits` finds where one may start): the keyword, whose it is and the join, then the
 * phrase (group 1) or the key (group 2).
 */
const SECRET_AT = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:${PHRASE_KEYWORD}${WHOSE}${JOIN}(${PHRASE_VALUE})|${KEY_KEYWORD}${WHOSE}${JOIN}(${KEY_VALUE}))`,
  'uy',
);

/** The `[CREDENTIAL]` span of a recovery phrase or private key whose keyword starts at `at`; undefined if none does. */
export function cryptoSecretAt(text: string, at: number): Hit | undefined {
  SECRET_AT.lastIndex = at;
  const m = SECRET_AT.exec(text);
  if (m === null) return undefined;
  const value = m[1] ?? m[2];
  const end = at + m[0].length;
  return { type: 'CREDENTIAL', start: end - value.length, end, placeholder: '[CREDENTIAL]' };
}
