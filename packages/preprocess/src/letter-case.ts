/**
 * Tests of a word's first letter, shared by the cleaning rules. Constants, not literals in the functions that use them:
 * esbuild (tsx, and the serving bundle, built for Node) writes a regex literal with `\p{…}` as `new RegExp(…)`, built
 * anew at every call. Neither has the `g` flag, so they keep no state between tests.
 */

/** A capital first. */
export const STARTS_UPPER = /^\p{Lu}/u;

/** A lower-case letter first. */
export const STARTS_LOWER = /^\p{Ll}/u;
