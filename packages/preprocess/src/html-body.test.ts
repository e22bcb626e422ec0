import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { bodyIsHtml, SNIFF_CHARS } from './html-body.js';

/** The QA case: an HTML email a CRM put into the plain-text body field. */
const HTML_EMAIL = '<html><head><style>p{color:red}</style></head><body><p>Bitte &uuml;bertragen Sie mein Depot</p></body></html>';

/** Plain-text bodies holding `<` that must stay plain text. */
const PLAIN_WITH_LT = [
  'Von: Max Muster <max@example.de>\nGesendet: Montag, 3. November 2025 10:15\nAn: service@bank.example\nBetreff: Depot',
  '<max@example.de> schrieb am 3.11.2025:\n> Bitte übertragen Sie mein Depot.',
  'Am 3.11.2025 schrieb Max Muster <max@example.de>:\n> alt',
  'Der Betrag < 5 EUR wurde nicht gebucht.',
  '<<Anhang>> Kontoauszug\n<<Anhang>> Vollmacht',
  '<Anhang: Kontoauszug.pdf>\nSiehe Anhang.',
  'Depot -> Girokonto, bitte umbuchen',
  'Danke für die schnelle Hilfe <3',
  'Ergebnis: a <= b, und 3 << 2',
  'Link: <https://example.de/depot?id=1>',
  'Die API liefert List<String> statt Map<String, List<Integer>>: if (a < b && c > d) { return x; }',
  'Mit <b>fett</b> und <i>kursiv</i> im Text',
  'Bitte kein <br> im Betreff',
  '<p nicht geschlossen und <div auch nicht',
];

describe('bodyIsHtml', () => {
  it('reads a body that opens with a document or block tag as HTML, after blanks and a BOM', () => {
    for (const body of [
      HTML_EMAIL,
      '<!DOCTYPE html><html><body>x</body></html>',
      '\ufeff\n  <!doctype HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">',
      '<HTML xmlns:o="urn:schemas-microsoft-com:office:office">',
      '<head><meta charset="utf-8"></head>',
      '<meta http-equiv="Content-Type" content="text/html">Hallo',
      '<style>p{}</style>Hallo',
      '<div dir="ltr">Hallo</div>',
      '<p>Hallo',
      '<table><tr><td>1</td></tr></table>',
      '<br/>Hallo',
      '<span style="font-size:11pt">Hallo</span>',
    ])
      expect(bodyIsHtml(body), body).toBe(true);
  });

  it('reads a body with two line or block tags in its first characters as HTML', () => {
    expect(bodyIsHtml('Hallo,<br>bitte übertragen Sie mein Depot.<br />Gruß')).toBe(true);
    expect(bodyIsHtml('Hallo</p><p class="x">bitte')).toBe(true);
    expect(bodyIsHtml('Hallo,\n<div>eins</div>')).toBe(true);
    // Only the first SNIFF_CHARS characters are read.
    expect(bodyIsHtml(`${'a'.repeat(SNIFF_CHARS)}<br><br>`)).toBe(false);
    expect(bodyIsHtml(`${'a'.repeat(SNIFF_CHARS - 8)}<br><br>`)).toBe(true);
  });

  it('reads a body with a line that opens with such a tag as HTML: cleaning may drop the lines above it', () => {
    for (const body of ['> quoted line\n<bR>', 'Von meinem iPhone gesendet\n<p\n>\n!', 'Hallo,\n  <div class="x">', 'Hallo,\r<br/>'])
      expect(bodyIsHtml(body), body).toBe(true);
    // A tag runs to its first `>`, over a `<` too, as HTML reads it.
    expect(bodyIsHtml('<p\nSent from my iPhone <\nclass=x>')).toBe(true);
    expect(bodyIsHtml('Hallo<p\na < b\n> und<br>')).toBe(true);
  });

  it('reads a body whose line opens with an XML declaration or comments before the tag as HTML, past a long head', () => {
    const head = `<head><style>${'p{margin:0}'.repeat(140)}</style></head><body><p>Bitte Festgeld verlängern.</p></body></html>`;
    for (const prefix of ['<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><html>', '<!--[if gte mso 9]><xml><o:x></o:x></xml><![endif]--> <html>', '<![endif]--><html>'])
      expect(bodyIsHtml(prefix + head), prefix).toBe(true);
    // Neither opens a line as text does.
    for (const body of ['<!-- Entwurf --> Betrag < 5 EUR', '<?php echo 1; ?> hallo']) expect(bodyIsHtml(body), body).toBe(false);
  });

  it('keeps plain text that merely holds < as plain text', () => {
    for (const body of PLAIN_WITH_LT) expect(bodyIsHtml(body), body).toBe(false);
  });
});

describe('cleanEmail on a body that is HTML', () => {
  it('reads its visible text, as it reads the same markup sent as html', () => {
    const r = cleanEmail({ body: HTML_EMAIL });
    expect(r.text).toBe('Bitte übertragen Sie mein Depot');
    expect(r.language).toBe('de');
    expect(r).toEqual(cleanEmail({ html: HTML_EMAIL }));
    // Quotes in the markup are cut as in html.
    const reply = '<div>Neu hier</div><blockquote type="cite">Alt</blockquote>';
    expect(cleanEmail({ body: reply })).toEqual(cleanEmail({ html: reply }));
  });

  it('has no text left when the body is markup only, and then reads html if there is any', () => {
    expect(cleanEmail({ body: '<div></div>' }).text).toBe('');
    expect(cleanEmail({ body: '<html><head><style>p{color:red}</style></head><body> </body></html>' }).text).toBe('');
    expect(cleanEmail({ body: '<div></div>', html: '<p>Depot &uuml;bertragen</p>' }).text).toBe('Depot übertragen');
    // A body with text wins over html, as before; one of invisible characters only is blank.
    expect(cleanEmail({ body: '<p>Sparplan</p>', html: '<p>Depot</p>' }).text).toBe('Sparplan');
    for (const body of ['\u200b', ' \u200d\r\n\u00ad', '<p>\u200b</p>']) expect(cleanEmail({ body, html: '<p>Depot &uuml;bertragen</p>' }).text, body).toBe('Depot übertragen');
    // A body that only says to read the HTML is no text of the email: the html is read, as parseEml reads such parts.
    for (const body of ['Diese Nachricht ist im HTML-Format. Bitte verwenden Sie ein E-Mail-Programm, das HTML darstellen kann.', 'To view the message, please use an HTML compatible email viewer!']) {
      expect(cleanEmail({ body, html: '<p>Bitte sperren Sie meine Karte, sie wurde gestohlen!</p>' }).text, body).toBe('Bitte sperren Sie meine Karte, sie wurde gestohlen!');
      // Without html, or with html that shows nothing, the body is what there is.
      expect(cleanEmail({ body, html: '<p> </p>' }).text).toBe(body);
    }
    // PGP armor around a signed text body goes, the text stays.
    expect(cleanEmail({ body: '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nBitte Depot schließen.\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----' }, { redact: false }).text).toBe('Bitte Depot schließen.');
    // The customer's own words about HTML are the email's text.
    const own = 'Ihre Nachricht ist im HTML-Format, ich kann sie nicht lesen. Bitte senden Sie sie als Text.';
    expect(cleanEmail({ body: own, html: '<p>Karte sperren!</p>' }).text).toBe(own);
    // Outlook's image placeholders in a text body, as parseEml drops them from a text part.
    expect(cleanEmail({ body: 'Hallo,\n\nanbei der Screenshot.\n\n[cid:image001.png@01DB4A2C.5E6F7A80]\n\nBitte prüfen.' }, { redact: false }).text).toBe('Hallo,\n\nanbei der Screenshot.\n\nBitte prüfen.');
  });

  it('reads a stray <br> in plain text as the line break it stands for (the model read `<br>` as text)', () => {
    expect(cleanEmail({ body: 'Dear Customer Support, <br>Our marketing tools are malfunctioning. Please help.' }, { redact: false }).text).toBe('Dear Customer Support,\nOur marketing tools are malfunctioning. Please help.');
    expect(cleanEmail({ body: 'Hallo,<BR/>bitte Depot schließen.' }, { redact: false }).text).toBe('Hallo,\nbitte Depot schließen.');
  });

  it('cleans plain text holding < as plain text', () => {
    expect(cleanEmail({ body: 'Der Betrag < 5 EUR wurde nicht gebucht. <<Anhang>>' }, { redact: false }).text).toBe('Der Betrag < 5 EUR wurde nicht gebucht. <<Anhang>>');
    expect(cleanEmail({ body: 'Die API liefert List<String> statt Map<String, int>: if (a < b) { x(); }' }, { redact: false }).text).toBe('Die API liefert List<String> statt Map<String, int>: if (a < b) { x(); }');
  });
});
