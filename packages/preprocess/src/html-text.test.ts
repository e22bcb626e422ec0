import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { htmlToText } from './html.js';
import { decodeEntities, foldBlanks, Sink, tidyLines } from './html-text.js';

const referenceArb = fc.constantFrom(
  '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&nbsp;', '&AMP;', '&copy;', '&raquo;', '&amp', '&nbsp', '&ltx;',
  '&#39;', '&#x27;', '&#X41;', '&#0039;', '&#160;', '&#8217;', '&#x1F600;', '&#0;', '&#9;', '&#10;', '&#128;', '&#x9F;',
  '&#55296;', '&#xDFFF;', '&#1114111;', '&#1114112;', '&#99999999;', '&#;', '&#x;', '&', ';', '#', 'x', ' ', 'Grüße',
);

describe('decodeEntities', () => {
  it('decodes the common and numeric references itself', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&#39; &nbsp;&#x2022;&#8217;')).toBe('a & b <c> "d" \'e\' \u00a0•’');
  });

  it('gives the same text as decodeHTML, also for references it hands over', () => {
    fc.assert(
      fc.property(fc.array(referenceArb, { maxLength: 8 }), (parts) => {
        const s = parts.join('');
        expect(decodeEntities(s)).toBe(decodeHTML(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('foldBlanks', () => {
  it('folds runs with a line break to one break and other runs to one space', () => {
    expect(foldBlanks('a  b\t c\n   d \r\n e f', 0, 19)).toBe('a b c\nd\ne f');
    expect(foldBlanks('<x>\n    </x>', 3, 8)).toBe('\n');
    expect(foldBlanks('one two', 0, 7)).toBe('one two');
  });

  it('equals the two regex replacements it stands for', () => {
    const blanksArb = fc.array(fc.constantFrom(' ', '  ', '\t', '\n', '\r', '\f', '\v', '\u00a0', 'a', 'bc'), { maxLength: 20 });
    fc.assert(
      fc.property(blanksArb, (parts) => {
        const s = parts.join('');
        expect(foldBlanks(s, 0, s.length)).toBe(s.replace(/[ \t\r\f]+/g, ' ').replace(/ ?\n[ \n]*/g, '\n'));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('tidyLines', () => {
  it('trims lines, keeps one blank line of a run and none at the ends', () => {
    expect(tidyLines('\n\n  a \u00a0b  \n \n\n\t\nc\n\n')).toEqual(['a  b', '', 'c']);
    expect(tidyLines(' \n ')).toEqual([]);
  });
});

describe('blanks across inline elements', () => {
  it('folds a blank that ends one text and one that starts the next into one, as a browser does', () => {
    const sink = new Sink();
    for (const part of ['Karte 4111 ', ' 1111', ' ', ' 1111']) sink.foldedText(part);
    expect(sink.parts.join('')).toBe('Karte 4111 1111 1111');
    expect(htmlToText('<p>Hallo <b>Welt</b> und <i> du</i></p>')).toBe('Hallo Welt und du');
    // Preformatted text keeps every blank.
    expect(htmlToText('<pre>a  <b> b</b></pre>')).toBe('a   b');
  });

  it('masks a card split so, and one padded with &nbsp;', () => {
    expect(cleanEmail({ html: '<p>Karte 4111 <span> 1111</span> 1111 1111</p>' }).text).toBe('Karte [CARD]');
    expect(cleanEmail({ html: '<p>Karte 4111&nbsp; 1111&nbsp; 1111&nbsp; 1111</p>' }).text).toBe('Karte [CARD]');
    expect(cleanEmail({ html: '<p>Betrag <b> 1.234,56 </b> EUR am <i> 03.11.2025 </i></p>' }).text).toBe('Betrag 1.234,56 EUR am 03.11.2025');
  });
});
