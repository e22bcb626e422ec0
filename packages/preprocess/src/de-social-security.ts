// German pension insurance numbers (Rentenversicherungsnummer, the social security number: `65 170839 J 003`) by their
// shape, as `[SOCIAL_SECURITY]`: with a right check digit wherever they stand, with a wrong one (a typo is still the
// customer's number) after a keyword not far before them. Customers write them after `Versicherungsnummer` (the
// official name, which also names an insurance policy's number), in lists (`meine 12 150368 K 017, die meines Mannes
// 12 220765 M 503`), after the plural (`Sozialversicherungsnummern: ...`), or alone.

import { allMatches, type Hit } from './redact-hit.js';

/**
 * Area number (two digits), birth date (day, month, year: `170839`), the first letter of the birth name, serial number
 * (two digits) and check digit; in one (`65170839J003`) or split by single blanks or dashes as people write it (`65
 * 170839 J 003`). The letter is a capital. Not inside a longer word or number, nor right after a digit and `.`, `,`, `/`.
 */
const DE_SOCIAL_RE = /(?<![\p{L}\p{N}_]|\d[.,'/-])(\d{2})[ -]?(\d{2})(\d{2})\d{2}[ -]?([A-Z])[ -]?(\d{2})(\d)(?![\p{L}\p{N}_]|[.,'/-]\d)/gu;

/** Weights of the twelve digits before the check digit (the letter written as its two-digit place in the alphabet). */
const WEIGHTS = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];

/**
 * Whether `number` (its twelve digits before the check digit: area, birth date, the letter's place `01`-`26`, serial)
 * gives `check`: each digit times its weight, the digit sums of the products added, modulo 10.
 */
export function germanSocialCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i += 1) {
    const product = Number(digits[i]) * WEIGHTS[i];
    sum += Math.floor(product / 10) + (product % 10);
  }
  return sum % 10;
}

/** A keyword of the number (`Versicherungsnummer`, `Sozialversicherungsnummern`, `SV-Nr.`, `RV-Nummer`), ending the text before it. */
const KEYWORD = /(?<![\p{L}])(?:(?:sozial|renten)?versicherungs-?(?:nummer|nr\.?)n?|[sr]v[- ]?(?:nummer|nr\.?)n?)(?![\p{L}])/iu;
/** How far before a number its keyword may stand: a list's second number after the first (`…ist A, die meines Mannes B`). */
const KEYWORD_WINDOW = 80;

/**
 * The German pension insurance numbers of `text`, from `from` on: a birth date that is a day of the year, and a right
 * check digit or a keyword (KEYWORD) within KEYWORD_WINDOW characters before it.
 */
export function germanSocialHits(text: string, from = 0): Hit[] {
  const hits: Hit[] = [];
  for (const m of allMatches(DE_SOCIAL_RE, text, Math.max(0, from))) {
    const [whole, area, day, month, letter, serial, check] = m;
    if (Number(day) < 1 || Number(day) > 31 || Number(month) < 1 || Number(month) > 12) continue;
    const birth = whole.replace(/\D/g, '').slice(2, 8);
    const place = String(letter.charCodeAt(0) - 64).padStart(2, '0');
    const checked = germanSocialCheckDigit(`${area}${birth}${place}${serial}`) === Number(check);
    if (!checked && !KEYWORD.test(text.slice(Math.max(0, m.index - KEYWORD_WINDOW), m.index))) continue;
    hits.push({ type: 'SOCIAL_SECURITY', start: m.index, end: m.index + whole.length, placeholder: '[SOCIAL_SECURITY]' });
  }
  return hits;
}
