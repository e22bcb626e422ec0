import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { htmlToText } from './html.js';
import { readStyleSheet, sheetDeclarations } from './html-sheet.js';

const BODY = '<p>Hallo Frau Beispiel,</p><p>bitte sperren Sie meine Karte.</p>';

describe('readStyleSheet', () => {
  it('reads element and class selectors, and not at-rules, complex selectors or sheets that hide nothing', () => {
    const sheet = readStyleSheet('.pre{display:none} a:hover, td .x, #id, [hidden], .a.b {display:none} @media (max-width:600px){.m{display:none}} u{font-size:0}', undefined);
    expect(sheet).toBeDefined();
    if (sheet === undefined) return;
    expect([...sheet.byClass.keys()].sort()).toEqual(['', 'pre']);
    expect(sheetDeclarations(sheet, 'span', ' class="x PRE"')?.get('display')).toBe('none');
    expect(sheetDeclarations(sheet, 'u', '')?.get('font-size')).toBe('0');
    expect(sheetDeclarations(sheet, 'span', ' class="m"')).toBeUndefined();
    expect(readStyleSheet('.pre{color:red;font-size:14px} p{margin:0}', undefined)).toBeUndefined();
  });

  it('lets a later or more specific rule win', () => {
    const sheet = readStyleSheet('.a{display:none} .b{display:block} span.b{display:none} .c{display:none}', undefined);
    if (sheet === undefined) throw new Error('no sheet');
    expect(sheetDeclarations(sheet, 'div', ' class="b a"')?.get('display')).toBe('block');
    expect(sheetDeclarations(sheet, 'span', ' class="b"')?.get('display')).toBe('none');
    expect(sheetDeclarations(sheet, 'div', ' class="c"')?.get('display')).toBe('none');
  });

  // A scan of every rule of an element's class for each element runs for minutes here (77 s for 1 MB, the request thread
  // of a server blocked meanwhile), and the test times out: one selector's rules are one entry, whatever their number.
  it('gives each element of a class the same few entries however many times the sheet repeats its rule', () => {
    const html = `<style>${'.a{display:none}'.repeat(32_000)}</style>${'<p class=a>t</p>'.repeat(32_000)}<p>Sichtbar</p>`;
    expect(htmlToText(html)).toBe('Sichtbar');
    const sheet = readStyleSheet('.a{display:none}'.repeat(1_000) + 'p.a{display:block}', undefined);
    expect(sheet?.byClass.get('a')?.size).toBe(2);
    expect(sheet && sheetDeclarations(sheet, 'p', ' class="a"')?.get('display')).toBe('block');
    expect(sheet && sheetDeclarations(sheet, 'div', ' class="a"')?.get('display')).toBe('none');
  });

  // A quadratic scan of these runs for minutes, and the test times out (how long they take is the benchmark's to show).
  it('reads a large sheet of braces and comments, hiding nothing it does not declare hidden', () => {
    for (const unit of ['{', '}', '/*', '.a{display:none', '@media{', '<!--']) {
      const sheet = readStyleSheet(`display:none ${unit.repeat(1_000_000 / unit.length)}`, undefined);
      expect(sheet && sheetDeclarations(sheet, 'p', '')?.get('display'), unit).toBeUndefined();
    }
  });
});

describe('htmlToText drops text a <style> sheet hides', () => {
  it('drops an element whose class the sheet hides, as a preheader is hidden', () => {
    const html = `<html><head><style>.pre{display:none}</style></head><body><span class="pre">Vorschau: Ihr Depot 12345</span>${BODY}</body></html>`;
    expect(htmlToText(html)).toBe('Hallo Frau Beispiel,\n\nbitte sperren Sie meine Karte.');
    expect(cleanEmail({ html }).text).not.toContain('Vorschau');
  });

  it('reads each hiding declaration that a style attribute may carry', () => {
    for (const rule of ['display: none !important', 'visibility:hidden', 'max-height:0; overflow:hidden', 'font-size:0px', 'opacity:0', 'width:0;overflow:hidden']) {
      const html = `<style>\n.preheader { ${rule}; }\n</style><div class="preheader">Nur heute: Zinsen</div>${BODY}`;
      expect(htmlToText(html), rule).toBe('Hallo Frau Beispiel,\n\nbitte sperren Sie meine Karte.');
    }
  });

  it('lets the element, its own style and its descendants show again what the sheet hides', () => {
    const style = '<style>.hide{display:none} .tiny{font-size:0} .big{font-size:14px} div.pre{display:none}</style>';
    expect(htmlToText(`${style}<span class="hide" style="display:inline">Eins</span>`)).toBe('Eins');
    expect(htmlToText(`${style}<td class="tiny"><span class="big">Zwei</span></td>`)).toBe('Zwei');
    expect(htmlToText(`${style}<span class="pre">Drei</span>`)).toBe('Drei');
    expect(htmlToText(`${style}<div class="pre">Vier</div>Fünf`)).toBe('Fünf');
  });

  it('keeps text that only a @media rule or a complex selector hides', () => {
    const style =
      '<style>@media only screen and (max-width: 480px) { .desktop { display: none !important; } } td .col { display:none } a:hover { display:none } .mobile-only:not(.x) { display:none }</style>';
    const html = `${style}<div class="desktop">Sichtbar</div><table><tr><td><span class="col">Auch</span></td></tr></table><a class="mobile-only">Link</a>`;
    expect(htmlToText(html)).toBe('Sichtbar\n\nAuch\n\nLink');
  });

  it('reads an Outlook-like sheet with many rules, comments and a @media block', () => {
    const style = [
      '<style><!--',
      '/* Font Definitions */',
      '@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}',
      '/* Style Definitions */',
      'p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}',
      'a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; text-decoration:underline;}',
      'span.E-MailFormatvorlage17 {mso-style-type:personal-compose; font-family:"Calibri",sans-serif; color:windowtext;}',
      '.MsoChpDefault {mso-style-type:export-only; font-size:10.0pt;}',
      '.x_preview {display:none; max-height:0px; overflow:hidden; mso-hide:all;}',
      '@page WordSection1 {size:612.0pt 792.0pt; margin:70.85pt 70.85pt 2.0cm 70.85pt;}',
      'div.WordSection1 {page:WordSection1;}',
      '@media screen and (max-width: 600px) { .x_desktop { display:none !important; } p.MsoNormal { font-size:0 } }',
      '--></style>',
    ].join('\n');
    const html = `<html><head>${style}</head><body lang="DE"><div class="x_preview">Ihre neue Nachricht</div><div class="WordSection1"><p class="MsoNormal">Guten Tag,<o:p></o:p></p><p class="MsoNormal"><span class="x_desktop">bitte überweisen Sie den Betrag zurück.</span></p><p class="MsoNormal"><a href="https://example.com"><span class="MsoHyperlink">Link</span></a></p></div></body></html>`;
    expect(htmlToText(html)).toBe('Guten Tag,\n\nbitte überweisen Sie den Betrag zurück.\n\nLink');
  });

  it('applies a sheet to the elements after it only', () => {
    expect(htmlToText('<span class="pre">Vorher</span><style>.pre{display:none}</style><span class="pre">Nachher</span>')).toBe('Vorher');
  });
});
