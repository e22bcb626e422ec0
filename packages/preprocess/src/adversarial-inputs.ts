/**
 * Inputs that made a masking pattern backtrack or scan quadratically once (each a megabyte or 100 KB of one cue
 * repeated): the unit tests check what masking makes of them, `npm run bench -- preprocess` how long it takes
 * (speed is the benchmark's to show, not a unit test's). Not exported from the package.
 */
const fill = (unit: string, size = 100_000) => unit.repeat(Math.ceil(size / unit.length));

/** For `redactPii` with names on (`mailroute clean`, stored text): cues of names and addresses. */
export const NAME_CUE_RUNS: readonly string[] = [
  'Herr Frau '.repeat(100_000),
  'Hallo Anna Anna '.repeat(60_000),
  'hallo anna, this hi '.repeat(50_000), // lower-case greetings on one long line
  'Musterstraße 1 '.repeat(60_000),
  'Grüße,\n'.repeat(100_000),
  '1 Baker Street '.repeat(60_000),
  `${'Aaaaaaaaaa-'.repeat(50_000)}straße 1`,
  'Von: A '.repeat(150_000), // header cues on one megabyte line (was quadratic: 21 s)
  'An: Max; '.repeat(100_000),
  'Am Markt Am Markt 12345 Berlin '.repeat(30_000), // prepositions before many postal codes
  '12345 Berlin '.repeat(32_000), // many postal codes and no preposition (was quadratic: 7 s)
  'Yogamatte 2 '.repeat(80_000), // a mat at every street cue: the word before it read again
  `${'Aaaaaaaaaa-'.repeat(50_000)}matte 1`,
  'x 1000 EUR '.repeat(32_000),
];

/** For `redactPii` with names on: 100 KB of names in capitals after their cues, and of combining marks (NFC sorted them in quadratic time: 2.5 s). */
export const NAME_RUNS: readonly string[] = [
  fill('Herr MÜLLER IBAN '),
  fill('Grüße\nANNA SCHMIDT\n'),
  fill('Danke!\nBITTE DRINGEND\n'),
  `Herr ${fill('MÜLLER-')}`,
  `Herr ${fill("O'")}`,
  fill('Hallo AA AA AA '),
  `Herr ${'A'.repeat(100_000)}x`,
  `Frau Weber ${fill('weber WEBER Weberin ')}`,
  `Frau ${'Aa'.repeat(20)} ${fill('a')}`,
  `Herr Mu${'\u0301\u0323'.repeat(50_000)}ller`,
  `Herr ${'Mu\u0308ller '.repeat(12_000)}`,
];

/** For `redactPii` with its default detectors: numbers, at-signs, written-out addresses and identity document keywords. */
export const NUMBER_RUNS: readonly string[] = [
  '1 '.repeat(500_000),
  'a@'.repeat(500_000),
  'Kundennummer 1-'.repeat(70_000),
  'a(at)'.repeat(200_000),
  `${'a'.repeat(100_000)}(at)${'b.'.repeat(100_000)}`,
  ...['at ', 'a at ', 'dot ', 'a dot ', 'a at b dot ', 'a(.)', 'a(at)b(.)', 'a.b at ', 'a.b at c.', 'a @ ', 'a @ b.'].map((unit) => fill(unit)),
  fill('Führerschein '),
  `Führerschein ${fill('A1-')}`,
  fill('driving licence A1-'),
  fill("driver's license 12345678901234567 "),
  fill('Führerscheinnummer: 1'),
  `Führerschein ${fill('A1')} EUR`,
  fill('Führerschein B072 RRE2 I55 '),
  `Führerschein ${fill('AB12 ')}`,
  fill('Führerschein ABCDE ABCDE A1 '),
  `Führerschein ${fill('A ')}`,
  fill('Ausweis-Nr. 1 2 '),
  `Führerschein-Nr. ${fill('1 ')}`,
  `https://bank.example/?a=${'.'.repeat(1_000_000)}x`, // a web address's query ending in punctuation (was quadratic: 760 s)
  // Groups split by up to three blanks or a tab, IBANs grouped unevenly, cards wrapped after a group, a blank on one side of '@'.
  fill('DE89   '),
  `DE89 ${fill('12345 ')}`,
  fill('4111\t1111  '),
  fill('4111 1111\n'),
  fill('0171   '),
  fill("a' @b.de@ "),
  // Swiss numbers by their shape (AHV in blank-split groups, run together, UIDs with their suffix) and French and Italian keywords.
  fill('756 1234 5678 97 '),
  fill('7561234567897'),
  fill('CHE-123.456.789 MWST '),
  fill('756-1234-5678-97 '),
  fill('756-1234-'),
  // Italian tax codes and French NIRs by their shape: whole ones, tails without their letters, letters and digits run
  // together, NIRs in one and in blank-split groups, and groups that never end.
  fill('MSTMRA85C52Z133O '),
  fill('85C52Z133O'),
  fill('MSTMRA85C52Z133'),
  fill('aaaaaa11a11a111'),
  fill('185057800608491'),
  fill('1 85 05 78 006 084 91 '),
  fill('2 90 11 2A 004 123 51 '),
  fill('1 85 05 '),
  fill('compte n° 12345 '),
  fill('conto corrente corrente n. 12345 '),
  fill('né(e) le 01.02.1960 '),
  fill('mot de passe: a '),
];
