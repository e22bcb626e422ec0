/**
 * The writer speaking: `ich`, `mich`, `mir`, `mein…`, `I`, `me`, `my` as words of their own (not `i.A.`, `i.e.`). A
 * line with one is the customer's own, not a mail system's banner or placeholder (`Ich kann den Anhang nicht öffnen.`,
 * `Ihre Nachricht ist im HTML-Format, ich kann sie nicht lesen.`).
 */
export const FIRST_PERSON = /(?<![\p{L}])(?:ich|mich|mir|mein\w*|i|me|my)(?![\p{L}.])/iu;
