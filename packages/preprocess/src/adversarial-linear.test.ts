import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { redactPii } from './redact.js';

const MB = 1024 * 1024;

// Inputs of about 1 MB that a quadratic step took 10 s to a minute over, on a server's request thread: each test
// times out (5 s) if its step turns quadratic again. How long each takes is the benchmark's to show (bench/preprocess.ts).
describe('1 MB inputs whose cleaning once grew with the square of their size', () => {
  it('a <body> tag 170,000 times: each later one searched a stack as deep', () => {
    expect(cleanEmail({ html: `<p>Hallo</p>${'<body>'.repeat(MB / 6)}<p>Bitte sperren.</p>` }).text).toBe('Hallo\n\nBitte sperren.');
  });

  it('header tables 9,000 times, a table of 35,000 rows and 70,000 tables each opened in the last one\'s cell: each table reads its own cells once', () => {
    const pair = '<table><tr><th>Kundennummer</th><th>Depotnummer</th></tr><tr><td>1234567890</td><td>9876543210</td></tr></table>';
    expect(cleanEmail({ html: pair.repeat(Math.floor(MB / pair.length)) }).text).toMatch(/^Kundennummer: \[ACCOUNT\]\nDepotnummer: \[ACCOUNT\]\n\n/);
    expect(cleanEmail({ html: `<table><tr><th>Datum</th><th>Betrag</th></tr>${'<tr><td>1</td><td>2</td></tr>'.repeat(MB / 30)}</table>` }).text).toMatch(/^Datum Betrag\n1 2\n/);
    expect(cleanEmail({ html: `${'<table><tr><td>'.repeat(MB / 15)}Kundennummer 1234567890` }).text).toBe('Kundennummer [ACCOUNT]');
  });

  it('a reply header and a quoted line 14,000 times under 500,000 blank lines: each block walked the blank lines back', () => {
    const body = `Hallo\n${'\n'.repeat(MB / 2)}${'On Mon, 3 Nov 2025, a@b.de wrote:\n> x\n'.repeat(Math.floor(MB / 2 / 38))}`;
    expect(cleanEmail({ body }).text).toBe('Hallo');
  });

  it('a footer paragraph 200,000 times: each was put first (unshift), and the parts overflowed the stack when spread', () => {
    expect(() => cleanEmail({ body: `Hallo\n\n${'---\n\n'.repeat(MB / 5)}` })).not.toThrow();
  });

  it('a closing, a name and a comma 58,000 times on one line: each read the rest of the line for a digit', () => {
    // Three texts of the same words: what one remembered of its line must not be compared with the next (a whole
    // megabyte compared at each closing made the second and third take seconds).
    for (let run = 0; run < 3; run += 1) {
      const { text } = redactPii('Gruß, Max Muster, '.repeat(Math.floor(MB / 18)), { names: true });
      expect(text.length).toBeGreaterThan(0);
    }
  });
});
