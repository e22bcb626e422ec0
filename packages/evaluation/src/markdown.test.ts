import { describe, expect, it } from 'vitest';
import { cell } from './markdown.js';

describe('cell: a value from the data in Markdown', () => {
  it('leaves a plain & as it is: Markdown reads it as text (no `&amp;` in the source)', () => {
    expect(cell('Hausrat & Haftpflicht')).toBe('Hausrat & Haftpflicht');
    expect(cell('Kfz&Leben')).toBe('Kfz&Leben');
    expect(cell('Bauen & Wohnen / Grundstück')).toBe('Bauen & Wohnen / Grundstück');
    expect(cell('& ;')).toBe('& ;');
  });

  it('keeps text that reads as an entity literal, with a backslash before its &', () => {
    expect(cell('a &lt; b')).toBe('a \\&lt; b');
    expect(cell('&amp;')).toBe('\\&amp;');
    expect(cell('&#228; &#xE4; &Auml;')).toBe('\\&#228; \\&#xE4; \\&Auml;');
    // A backslash of the data is doubled first: it cannot escape the escape.
    expect(cell('\\&lt;')).toBe('\\\\\\&lt;');
  });

  it('still shows HTML, pipes and emphasis as text', () => {
    expect(cell('<b>x</b> & y')).toBe('&lt;b&gt;x&lt;/b&gt; & y');
    expect(cell('a|b *c* _d_ `e`')).toBe('a\\|b \\*c\\* \\_d\\_ \\`e\\`');
    expect(cell('Zahlung\nOffen')).toBe('Zahlung Offen');
  });
});
