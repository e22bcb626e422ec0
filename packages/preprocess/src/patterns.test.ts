import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORWARD_LINE_PHRASES,
  FORWARD_PHRASES,
  isReplyHeader,
  mayBeReplyHeader,
  mayNameSplit,
  replyHeaderRules,
  SPLIT_PHRASES,
  SPLIT_WORDS,
  splitKindOf,
  speaksToReader,
  splitterKind,
} from './patterns.js';

const PHRASES = [...SPLIT_PHRASES, ...FORWARD_PHRASES, ...FORWARD_LINE_PHRASES, 'reply above this line', 'über dieser zeile'];

/** A phrase as a mail client may draw it: any case, markers inside, blank runs, rules around, a colon after. */
const separatorArb = fc
  .tuple(
    fc.constantFrom(...PHRASES),
    fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(40), fc.constantFrom('*', '_', '**', '__', ' ', '\t', '  ', 'İ', 'K')), { maxLength: 3 }),
    fc.constantFrom('', '-----', '---------- ', '** ', '==== ', '~~ ', '# '),
    fc.constantFrom('', '-----', ' ----------', ' **', ':', '.', ' :', '：', ' ===='),
  )
  .map(([phrase, upper, inserts, before, after]) => {
    let s = [...phrase].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
    for (const [at, piece] of inserts) s = s.slice(0, at % (s.length + 1)) + piece + s.slice(at % (s.length + 1));
    return `${before}${s}${after}`.trim();
  })
  .filter((s) => s.length >= 8 && s.length <= 120);

describe('splitterKind word gate', () => {
  it('every separator phrase holds one of the gate words', () => {
    for (const phrase of PHRASES) expect(SPLIT_WORDS.some((w) => phrase.includes(w))).toBe(true);
  });

  it('lets every line through that the phrase rules call a separator', () => {
    const found = fc.sample(separatorArb, { numRuns: 2000, seed: 1 }).filter((s) => splitKindOf(s) !== undefined);
    // The generator does produce separators, so the property below is not empty.
    expect(found.length).toBeGreaterThan(300);
    fc.assert(
      fc.property(fc.oneof(separatorArb, fc.string({ minLength: 8, maxLength: 120 }).map((s) => s.trim())), (raw) => {
        if (raw.length < 8 || splitKindOf(raw) === undefined) return;
        expect(mayNameSplit(raw)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('still finds separators behind the gate', () => {
    expect(splitterKind('-----Original Message-----')).toBe('splitter');
    expect(splitterKind('-------- Weitergeleitete Nachricht --------')).toBe('forward');
    expect(splitterKind('**Begin forwarded message:**')).toBe('forward');
    expect(splitterKind('## Reply above this line ##')).toBe('splitter');
    expect(splitterKind('Dear team, see my note:')).toBeUndefined();
  });

  it('reads a rule that names the message answered with its date as a separator, and not the words alone', () => {
    expect(splitterKind('--- Ihre Nachricht vom 02.02.2026 ---')).toBe('splitter');
    expect(splitterKind('----- Ihre Nachricht vom 2. 2. 2026 um 10:15 Uhr -----')).toBe('splitter');
    expect(splitterKind('-----Your message of Feb 2, 2026-----')).toBe('splitter');
    expect(splitterKind('=== your message dated 2026-02-02 ===')).toBe('splitter');
    // Without a rule it is the customer's sentence; without a date it names no message.
    expect(splitterKind('Ihre Nachricht vom 02.02.2026:')).toBeUndefined();
    expect(splitterKind('--- Ihre Nachricht zum Depot ---')).toBeUndefined();
  });
});

/** Lines shaped like reply headers, with and without dates, addresses and intro words, in any case. */
const headerArb = fc
  .tuple(
    fc.constantFrom('On', 'ON', 'am', 'Le', 'El', 'op', 'Il', 'Em', 'W dniu', 'dnia', 'Den', 'd.', 'På', 'PÅ', 'В', 'у', 'Στις', 'pe', 'Vào', '在', 'في', 'Hi', 'Dear', 'See', 'Kelvin', '', 'ſo'),
    fc.constantFrom('', ' Monday,', ' 3. Juni 2026 um 09:43', ' Tue, Jun 3, 2026 at 9:43 AM', ' Mittwoch', ' lundi', ' 2026-06-03 09:43', ' Mon 12.01.'),
    fc.constantFrom('', ' John Smith', ' Support <help@example.com>', ' "Anna"', ' Kundenservice'),
    fc.constantFrom(' wrote', ' schrieb', ' a écrit', ' escribió', ' napisał', ' skrev', ' написал', ' 写道', ' writes', ' said', ''),
    fc.constantFrom(':', '：', '', ' :', ' <x@y.z>'),
  )
  .map((parts) => parts.join('').trim())
  .filter((l) => l.length >= 6 && l.length <= 330);

describe('isReplyHeader gate', () => {
  it('lets every line through that the reply-header rules accept', () => {
    const found = fc.sample(headerArb, { numRuns: 2000, seed: 2 }).filter((l) => replyHeaderRules(l));
    // Headers without a digit or an address are among them, so the intro-word half of the gate is exercised.
    expect(found.filter((l) => !/[@\d]/.test(l)).length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.oneof(headerArb, fc.string({ minLength: 6, maxLength: 80 }).map((s) => s.trim())), (l) => {
        if (l.length < 6 || !replyHeaderRules(l)) return;
        expect(mayBeReplyHeader(l)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('still finds reply headers behind the gate', () => {
    expect(isReplyHeader('On Monday, John Smith wrote:')).toBe(true);
    expect(isReplyHeader('Am 03.06.2026 um 09:43 schrieb Support <s@example.com>:')).toBe(true);
    expect(isReplyHeader('Please see my notes below:')).toBe(false);
  });

  it("does not take a sender's own sentence about earlier mail for a reply header", () => {
    for (const line of [
      'am 18.10.2026 schrieb ich Ihnen bereits, dass meine Überweisung fehlt:',
      'Am Montag haben wir Ihnen geschrieben:',
      'On Monday I wrote to you about this:',
      'On 3 June we already wrote:',
      'Ihr Kollege Herr Berger schrieb mir am 3.11.2025:',
      'Am 3.11.2025 hat uns Herr Berger geschrieben:',
      'On 3 Nov 2025 your colleague wrote to me:',
      'Sie schrieben mir am 03.11.2025:',
    ]) {
      expect(isReplyHeader(line), line).toBe(false);
    }
    expect(isReplyHeader('Am 18.10.2026 um 17:05 schrieb Kundenservice <service@broker.example>:')).toBe(true);
    expect(isReplyHeader('On Tue, Oct 18, 2026 at 5:05 PM Wendy <wendy@example.com> wrote:')).toBe(true);
  });
});

describe('speaksToReader', () => {
  it('finds a possessive for the reader, or `you`/`Sie` opening the line, in a line without an address', () => {
    for (const l of ['am 03.11.2025 schrieb Ihr Berater Herr Meier:', 'On Monday your colleague wrote:', 'You wrote on 3 Nov 2025:', 'Sie schrieben am 03.11.2025:']) {
      expect(speaksToReader(l), l).toBe(true);
    }
    for (const l of [
      'On Mon, 3 Nov 2025 at 10:15, Your Bank <s@bank.example> wrote:',
      'On Nov 26, 2013 you wrote:',
      'Am 03.11.2025 um 10:15 schrieb Kundenservice:',
      'Am 03.11.2025 schrieb Ihrig:',
    ]) {
      expect(speaksToReader(l), l).toBe(false);
    }
  });
});

// Lines that once made a pattern backtrack or scan quadratically: read here for what they are, each sized so such a
// pattern runs for minutes and the test times out (how long they take is the benchmark's to show).
describe('worst-case lines', () => {
  it('does not backtrack over a date, a time and one long word before `!:`', () => {
    // `(?:word[\s,]*){1,6}` split the word n^5 ways: 60 letters took 0.5 to 3 s, 80 letters 20 s, so 120 take minutes.
    expect(isReplyHeader(`03.11.2025 10:15 ${'a'.repeat(120)}!:`)).toBe(false);
    expect(isReplyHeader('03.11.2025 10:15 Max Mustermann:')).toBe(true);
  });

  it('reads a long line of rules without a quadratic scan', () => {
    expect(splitKindOf(`x${'-'.repeat(1_000_000)}:`)).toBeUndefined();
    expect(splitKindOf(`${'-'.repeat(300)} Forwarded message ${'-'.repeat(300)}`)).toBe('forward');
  });
});
