import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { inIntroducedList, inIntroducedListAt } from './introduced-list.js';
import { redactPii } from './redact.js';

// A closing word (`LG`, `MfG`) in a list that a line ending in `:` introduces is an item (`LG Electronics`), not a
// closing: the cleaner (signature.ts) and the names detector (names.ts) read such a list by one rule.

/** `count` short items of a list, a line each. */
const items = (count: number) => Array.from({ length: count }, (_, i) => `Aktie ${String.fromCharCode(65 + i)}`).join('\n');

/** Texts whose last line is, or is not, an item of a list a line ending in `:` introduces. */
const IN_LIST = [
  'Bitte kaufen Sie:\nLG Petra',
  'Bitte kaufen Sie:\nIch warte.\nLG Petra',
  `Bitte kaufen Sie:\n${items(8)}\nLG Petra`,
  // The line that introduces the list may be long; only its items are short.
  'Bitte kaufen Sie für mein Depot die folgenden Aktien zum besten Kurs, danke schön:\nLG Petra',
];
const NOT_IN_LIST = [
  // A sentence between ends the list.
  'Bitte kaufen Sie:\nIch warte auf Ihre Antwort.\nLG Petra',
  'Bitte kaufen Sie:\r\nIch warte auf Ihre Antwort.\r\nLG Petra',
  // More than eight items, a blank line or a long line between.
  `Bitte kaufen Sie:\n${items(9)}\nLG Petra`,
  'Bitte kaufen Sie:\n\nLG Petra',
  'Bitte kaufen Sie:\nAktie A und dazu noch die Aktie B zum Limit aus meiner letzten Mail\nLG Petra',
  'LG Petra',
];

describe('inIntroducedList and inIntroducedListAt', () => {
  it('read a list alike, from the lines and from the text', () => {
    for (const [texts, inList] of [
      [IN_LIST, true],
      [NOT_IN_LIST, false],
    ] as const) {
      for (const text of texts) {
        const lines = text.split('\n');
        expect(inIntroducedList(lines, lines.length - 1), JSON.stringify(text)).toBe(inList);
        expect(inIntroducedListAt(text, text.lastIndexOf('\n') + 1), JSON.stringify(text)).toBe(inList);
      }
    }
  });
});

describe('a closing in a list, cleaned and masked alike', () => {
  it('keeps the closing of an item as text, and masks no name in it', () => {
    for (const text of IN_LIST) {
      expect(cleanEmail({ body: text }, { redact: false }).text, JSON.stringify(text)).toBe(text);
      expect(redactPii(text, { names: true }).text, JSON.stringify(text)).toBe(text);
    }
  });

  it('cuts a closing under a sentence as the signature, and masks the name signed there', () => {
    for (const text of NOT_IN_LIST.filter((t) => t.includes(':'))) {
      expect(cleanEmail({ body: text }, { redact: false }).text, JSON.stringify(text)).not.toContain('LG Petra');
      expect(redactPii(text, { names: true }).text, JSON.stringify(text)).toMatch(/\nLG \[NAME\]$/);
    }
  });
});
