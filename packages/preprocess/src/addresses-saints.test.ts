import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('street addresses with an apostrophe or a saint', () => {
  it.each([
    ["Please send it to 45 Queen's Road, Bristol BS8 1QU.", 'Please send it to [ADDRESS].'],
    ["I live at 5 King's Road, London SW3 4UD", 'I live at [ADDRESS]'],
    ['I live at 5 King’s Road, London SW3 4UD', 'I live at [ADDRESS]'],
    ["Address: 12 St John's Wood Road, London NW8 8RE", 'Address: [ADDRESS]'],
    ["Send it to 5 St. Mary's Road, Oxford OX1 2AB", 'Send it to [ADDRESS]'],
  ])('masks the English street %j whole', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it.each([
    ['Adresse: St.-Martin-Str. 12, 81541 München', 'Adresse: [ADDRESS]'],
    ['Adresse: St. Annenstraße 12, 81541 München', 'Adresse: [ADDRESS]'],
    ['Ich wohne in der St.-Anna-Straße 4, 80538 München.', 'Ich wohne in der [ADDRESS].'],
    ['Ich wohne in der Sankt-Anna-Straße 4, 80538 München.', 'Ich wohne in der [ADDRESS].'],
    ['Ich wohne in der Sankt Annenstraße 12.', 'Ich wohne in der [ADDRESS].'],
  ])('masks the German street %j with its saint', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it('keeps a possessive that no house number starts', () => {
    expect(masked("the Queen's Road 5 times")).toBe("the Queen's Road 5 times");
  });
});
