import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { GONE, INVISIBLE, TINY, visibility } from './html-hidden.js';
import { htmlToText, htmlToTextParts } from './html.js';

describe('visibility', () => {
  it('reads display, the hidden attribute, opacity, clipped sizes, font-size and visibility', () => {
    expect(visibility(' style="display:none"', 0)).toBe(GONE);
    expect(visibility(' STYLE = "color: red; Display : NONE !important;"', 0)).toBe(GONE);
    expect(visibility(" style='display:none; display:block'", 0)).toBe(0);
    expect(visibility(' hidden', 0)).toBe(GONE);
    expect(visibility(' hidden style="display:block"', 0)).toBe(0);
    expect(visibility(' style="opacity:0"', 0)).toBe(GONE);
    expect(visibility(' style="max-height:0px;overflow:hidden"', 0)).toBe(GONE);
    expect(visibility(' style="width:0;overflow-x:hidden"', 0)).toBe(GONE);
    expect(visibility(' style="max-height:0"', 0)).toBe(0);
    expect(visibility(' style="font-size:0px"', 0)).toBe(TINY);
    expect(visibility(' style="font-size:14px"', TINY)).toBe(0);
    expect(visibility(' style="visibility:hidden"', 0)).toBe(INVISIBLE);
    expect(visibility(' style="visibility:visible"', INVISIBLE | TINY)).toBe(TINY);
  });

  it('keeps what only mentions none, hidden or zero elsewhere', () => {
    for (const src of [
      ' style="border:none; text-decoration:none"',
      ' style="margin:0;padding:0;line-height:0"',
      ' style="overflow:hidden"',
      ' style="font-size:0.9em"',
      ' aria-hidden="true"',
      ' data-style="display:none"',
      ' class="none hidden"',
    ]) {
      expect(visibility(src, 0), src).toBe(0);
    }
  });
});

describe('htmlToText drops text no reader sees', () => {
  it('drops hidden elements with their content', () => {
    expect(htmlToText('<div style="display:none">Preheader text hidden</div><p>Sichtbar</p>')).toBe('Sichtbar');
    expect(htmlToText('<span style="visibility:hidden">x</span><p>Sichtbar</p>')).toBe('Sichtbar');
    expect(htmlToText('<div hidden>x</div><p>Sichtbar</p>')).toBe('Sichtbar');
    expect(htmlToText('<td style="DISPLAY: None ;">x</td><p>Sichtbar</p>')).toBe('Sichtbar');
  });

  it('drops preheaders as email marketing tools write them', () => {
    const litmus =
      '<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;">Nur heute: 5 % Zinsen</div>';
    const mailchimp = '<span class="mcnPreviewText" style="display:none; font-size:0px; line-height:0px; max-height:0px; max-width:0px; opacity:0; overflow:hidden; visibility:hidden; mso-hide:all;">Vorschau</span>';
    const sizeOnly = '<div style="font-size:0;line-height:0">Vorschau&zwnj;&nbsp;&zwnj;</div>';
    const clipped = '<div style="max-height:0;overflow:hidden">Vorschau</div>';
    for (const pre of [litmus, mailchimp, sizeOnly, clipped]) expect(htmlToText(`${pre}<p>Mein Depot ist gesperrt.</p>`), pre).toBe('Mein Depot ist gesperrt.');
  });

  it('drops nested and unclosed elements inside a hidden one, and no more', () => {
    expect(htmlToText('<div style="display:none"><div><span>a</span><b>b</div></div>Sichtbar')).toBe('Sichtbar');
    expect(htmlToText('<div style="display:none">a<span>b<i>c</div><p>Sichtbar</p>')).toBe('Sichtbar');
    expect(htmlToText('<p style="display:none">Vorschau<p>Sichtbar</p>')).toBe('Sichtbar');
    expect(htmlToText('<table><tr><td><p style="display:none">a</td><td>Sichtbar</td></tr></table>')).toBe('Sichtbar');
  });

  it('shows what a descendant makes visible again (layout tables with font-size:0)', () => {
    expect(htmlToText('<td style="font-size:0px"> <div style="font-size:14px">Sichtbar</div></td>')).toBe('Sichtbar');
    expect(htmlToText('<div style="visibility:hidden">a<span style="visibility:visible">Sichtbar</span></div>')).toBe('Sichtbar');
  });

  it('keeps elements that merely mention none, hidden or zero', () => {
    const html =
      '<table style="border:none"><tr><td style="text-decoration:none;margin:0">Eins</td></tr></table><div style="overflow:hidden">Zwei</div><a style="mso-hide:all" href="https://example.com">Drei</a> <span aria-hidden="true">Vier</span>';
    expect(htmlToText(html)).toBe('Eins\n\nZwei\nDrei Vier');
  });

  it('cleans and masks the visible text only', () => {
    const r = cleanEmail({ html: '<div style="display:none">Ihre IBAN DE89 3704 0044 0532 0130 00</div><p>Bitte Konto schließen.</p>' });
    expect(r.text).toBe('Bitte Konto schließen.');
    expect(htmlToTextParts('<div class="gmail_quote" style="display:none">alt</div>neu')).toEqual({ text: 'neu', quoted: '' });
  });
});
