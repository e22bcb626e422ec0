import { composeDiacritics } from './compose.js';
import { plainSpaces } from './spaces.js';

// Reply and forward prefixes in the languages we see: Re, AW (Antwort), WG (Weitergeleitet), Fwd/Fw,
// SV (Nordic), VS, RE:, TR (French transfert), RV (Spanish reenviado), Odp (Polish), Antw, Doorst.
const PREFIX = /^\s*(?:re|aw|wg|fwd?|sv|vs|tr|rv|odp|antw|antwort|doorst|enc|res|r|i)\s*(?:\[\d{1,4}\]|\(\d{1,4}\))?\s*:\s*/i;

/**
 * The tag a receiving mail system puts before the subject of mail from outside: `[EXTERNAL]`, `[EXTERN]`,
 * `*EXTERNAL*`, `EXTERNAL:`, `[Externe E-Mail]`. It says nothing of the customer's request (see `banner.ts`).
 */
export const EXTERNAL_TAG = /^\s*(?:\[\s*(?:external|extern|ext|externe?)(?:\s+(?:e-?mail|mail|sender|absender))?\s*\]|\*+\s*(?:external|extern)\s*\*+|(?:external|extern)\s*:)\s*/i;

/** White space that folding to one blank changes: a run of it, or white space other than a blank (most subjects have neither). */
const FOLDS = /[^\S ]| \s/;

/**
 * The subject without its stack of reply/forward prefixes and external-sender tags, with whitespace folded, soft hyphens and zero-width
 * characters gone (`plainSpaces`) and decomposed letters composed, as `cleanEmail` reads the body.
 */
export function normaliseSubject(subject: string | undefined): string {
  if (subject === undefined || subject === '') return '';
  const plain = composeDiacritics(plainSpaces(subject));
  let s = (FOLDS.test(plain) ? plain.replace(/\s+/g, ' ') : plain).trim();
  // Bounded loop: each pass removes at least one prefix character.
  for (let i = 0; i < 50; i += 1) {
    const m = PREFIX.exec(s) ?? EXTERNAL_TAG.exec(s);
    if (!m || m[0].length === 0) break;
    s = s.slice(m[0].length);
  }
  return s.trim();
}
