import { describe, expect, it } from 'vitest';
import { LATIN_AS_UTF8_WARNING, parseEml, UTF8_AS_LATIN_WARNING } from './eml.js';

const crlf = (lines: string[]) => lines.join('\r\n');
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('parseEml: charset labels the bytes contradict', () => {
  const FORM = 'Name: Jürgen Müller\r\nStraße: Hauptstraße 12, 80331 München\r\n';
  const single = (contentType: string, encoding: string, body: Buffer) =>
    Buffer.concat([utf8(crlf(['From: formular@bank-web.example', 'Subject: Kontaktformular', `Content-Type: ${contentType}`, `Content-Transfer-Encoding: ${encoding}`, '', ''])), body]);

  it('reads UTF-8 labelled ISO-8859-1, -15 or Windows-1252 (as web forms send it) as UTF-8, and says so', async () => {
    for (const label of ['iso-8859-1', 'ISO-8859-1', 'latin1', 'windows-1252', 'cp1252', 'iso-8859-15', '"ISO8859-1"']) {
      const email = await parseEml(single(`text/plain; charset=${label}`, '8bit', utf8(FORM)));
      expect(email.body, label).toBe(FORM.replace(/\r\n/g, '\n'));
      expect(email.warnings, label).toEqual([LATIN_AS_UTF8_WARNING]);
    }
    const qp = await parseEml(single('text/plain; charset=iso-8859-1', 'quoted-printable', latin1('Name: J=C3=BCrgen M=C3=BCller\r\n')));
    expect(qp.body).toBe('Name: Jürgen Müller\n');
    const html = await parseEml(single('text/html; charset=iso-8859-1', '8bit', utf8('<p>Ich möchte 50 € überweisen.</p>\r\n')));
    expect(html.html).toContain('Ich möchte 50 € überweisen.');
  });

  it('keeps real Latin-1 and Windows-1252 text as labelled, and ASCII text, without a warning', async () => {
    for (const label of ['iso-8859-1', 'windows-1252']) {
      const email = await parseEml(single(`text/plain; charset=${label}`, '8bit', latin1('Stra\xdfe \x84Am M\xfchlbach\x93 12\r\n')));
      expect(email.body, label).toBe('Straße „Am Mühlbach“ 12\n');
      expect(email.warnings, label).toBeUndefined();
    }
    const ascii = await parseEml(single('text/plain; charset=iso-8859-1', '7bit', latin1('Hallo\r\n')));
    expect(ascii.warnings).toBeUndefined();
  });

  it('reads UTF-8 encoded words labelled ISO-8859-1 as UTF-8, and Latin-1 ones as Latin-1', async () => {
    const subjectOf = async (subject: string) => (await parseEml(crlf([`Subject: ${subject}`, 'From: a@example.org', '', 'Text', '']))).subject;
    expect(await subjectOf('=?iso-8859-1?Q?K=C3=BCndigung_J=C3=BCrgen?=')).toBe('Kündigung Jürgen');
    expect(await subjectOf('=?ISO-8859-1?B?S8O8bmRpZ3VuZw==?=')).toBe('Kündigung');
    expect(await subjectOf('=?iso-8859-1?Q?K=FCndigung?=')).toBe('Kündigung');
    const warned = await parseEml(crlf(['Subject: =?iso-8859-1?Q?K=C3=BCndigung?=', '', 'Text', '']));
    expect(warned.warnings).toEqual([LATIN_AS_UTF8_WARNING]);
  });

  it('reads Latin-1 and Windows-1252 labelled UTF-8 (no UTF-8 sequence in it) as Windows-1252, and says so', async () => {
    // The trial's 33_mislabelled_utf8_is_latin1.eml: an old contact form, 8bit, charset=utf-8, Windows-1252 bytes.
    const BODY = 'Ich m\xf6chte mich \xfcber die hohen Geb\xfchren beschweren. 1,50 \x80 pro Ausf\xfchrung, \x84zu viel\x93.\r\n';
    const WANTED = 'Ich möchte mich über die hohen Gebühren beschweren. 1,50 € pro Ausführung, „zu viel“.\n';
    for (const label of ['utf-8', 'UTF-8', '"utf8"', 'unicode-1-1-utf-8']) {
      const email = await parseEml(single(`text/plain; charset=${label}`, '8bit', latin1(BODY)));
      expect(email.body, label).toBe(WANTED);
      expect(email.warnings, label).toEqual([UTF8_AS_LATIN_WARNING]);
    }
    const qp = await parseEml(single('text/plain; charset=utf-8', 'quoted-printable', latin1('Geb=FChren f=FCr 5 =80\r\n')));
    expect(qp.body).toBe('Gebühren für 5 €\n');
    const base64 = await parseEml(single('text/html; charset=utf-8', 'base64', latin1(`${latin1('<p>Geb\xfchren f\xfcr 5 \x80</p>').toString('base64')}\r\n`)));
    expect(base64.html).toContain('<p>Gebühren für 5 €</p>');
    expect(base64.warnings).toEqual([UTF8_AS_LATIN_WARNING]);
    // Windows-1252 where ß and a closing quote happen to form a UTF-8 sequence, outnumbered by its umlauts.
    const quotes = await parseEml(single('text/plain; charset=utf-8', '8bit', latin1('\x84Gru\xdf\x93 aus M\xfcnchen und K\xf6ln\r\n')));
    expect(quotes.body).toBe('„Gruß“ aus München und Köln\n');
    // A part with no charset is read as Windows-1252 as before, without the warning: it contradicts no label.
    const bare = await parseEml(single('text/plain', '8bit', latin1('Geb\xfchren\r\n')));
    expect(bare.body).toBe('Gebühren\n');
    expect(bare.warnings).toBeUndefined();
  });

  it('keeps UTF-8 labelled UTF-8 whose stray bytes do not outnumber its UTF-8 characters, without that warning', async () => {
    // One stray Windows-1252 byte among UTF-8 umlauts: one U+FFFD, not every umlaut as Ã¼.
    const stray = await parseEml(single('text/plain; charset=utf-8', '8bit', Buffer.concat([utf8('Grüße aus Köln, Caf'), Buffer.from([0xe9]), utf8('\r\n')])));
    expect(stray.body).toBe('Grüße aus Köln, Caf\uFFFD\n');
    expect(stray.warnings).toBeUndefined();
    // A tie (one UTF-8 character, one stray byte): the label decides.
    const tie = await parseEml(single('text/plain; charset=utf-8', '8bit', Buffer.concat([utf8('Grü'), Buffer.from([0xdf]), utf8('e\r\n')])));
    expect(tie.body).toBe('Grü\uFFFDe\n');
    expect(tie.warnings).toBeUndefined();
    // ASCII labelled UTF-8, and a file (a named text part of a multipart, which is not read), say nothing.
    expect((await parseEml(single('text/plain; charset=utf-8', '7bit', latin1('Hallo\r\n')))).warnings).toBeUndefined();
    const file = await parseEml(
      latin1(crlf(['Subject: Anbei', 'Content-Type: multipart/mixed; boundary=b1', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Anbei die Liste.', '--b1',
        'Content-Type: text/plain; charset=utf-8; name="liste.txt"', 'Content-Disposition: attachment; filename="liste.txt"', '', 'Geb\xfchren', '--b1--', ''])),
    );
    expect(file.body?.trim()).toBe('Anbei die Liste.');
    expect(file.warnings).toBeUndefined();
  });

  it('reads Latin-1 encoded words labelled UTF-8 as Windows-1252, and split UTF-8 words as UTF-8', async () => {
    const email = await parseEml(crlf(['Subject: =?utf-8?Q?Geb=FChren_f=FCr_meinen_Sparplan?=', 'From: =?UTF-8?Q?J=FCrgen_M=FCller?= <j@example.org>', '', 'Text', '']));
    expect(email.subject).toBe('Gebühren für meinen Sparplan');
    expect(email.from).toBe('Jürgen Müller <j@example.org>');
    expect(email.warnings).toEqual([UTF8_AS_LATIN_WARNING]);
    const split = await parseEml(crlf(['Subject: =?UTF-8?B?S8M=?= =?UTF-8?B?vG5kaWd1bmc=?=', '', 'Text', '']));
    expect(split.subject).toBe('Kündigung');
    expect(split.warnings).toBeUndefined();
  });

  it('reads Latin-9 under the labels the parser does not know (latin-9, Latin9) as ISO-8859-15: 0xA4 is the euro sign', async () => {
    for (const label of ['latin-9', 'Latin9', 'latin_9']) {
      const email = await parseEml(single(`text/plain; charset=${label}`, '8bit', latin1('Geb\xfchr 5 \xa4\r\n')));
      expect(email.body, label).toBe('Gebühr 5 €\n');
      expect(email.warnings, label).toBeUndefined();
    }
    expect((await parseEml(crlf(['Subject: =?latin-9?Q?5_=A4?=', '', 'Text', '']))).subject).toBe('5 €');
  });
});

describe('parseEml: raw 8-bit header fields and encoded words', () => {
  it('decides per field whether raw 8-bit bytes are UTF-8: a Latin-1 field beside raw UTF-8 ones leaves them as they are', async () => {
    const raw = Buffer.concat([utf8('From: Jürgen Müller <j@example.org>\r\n'), latin1('X-Note: gepr\xfcft\r\n'), utf8('Subject: Kündigung\r\n'), latin1('Comments: Gr\xfc\xdfe\r\n \xfcber zwei Zeilen\r\n\r\nText\r\n')]);
    const email = await parseEml(raw);
    expect(email.subject).toBe('Kündigung');
    expect(email.from).toBe('Jürgen Müller <j@example.org>');
  });

  it('decides per field in a forwarded message too', async () => {
    const inner = Buffer.concat([utf8('From: Käthe <k@example.net>\r\n'), latin1('X-Note: gepr\xfcft\r\n'), utf8('Subject: Gebühren zu hoch\r\n\r\nBitte prüfen.\r\n')]);
    const raw = Buffer.concat([utf8(crlf(['Subject: WG', 'Content-Type: multipart/mixed; boundary=F1', '', '--F1', 'Content-Type: text/plain; charset=utf-8', '', 'Zur Info.', '--F1', 'Content-Type: message/rfc822', '', ''])), inner, utf8('--F1--\r\n')]);
    const email = await parseEml(raw);
    expect(email.body).toContain('Subject: Gebühren zu hoch');
    expect(email.body).toContain('Käthe');
    expect(email.body).not.toContain('Ã');
  });

  it('reads a raw 8-bit Latin-1 file name in a part header as letters', async () => {
    const raw = latin1(
      crlf(['From: a@example.org', 'Subject: Antrag', 'Content-Type: multipart/mixed; boundary="q"', '', '--q', 'Content-Type: text/plain', '', 'Anbei.', '--q',
        'Content-Type: application/pdf; name="K\xfcndigung.pdf"', 'Content-Disposition: attachment; filename="K\xfcndigung.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK', '--q--', '']),
    );
    const email = await parseEml(raw);
    expect(email.attachmentNames).toEqual(['Kündigung.pdf']);
    expect(email.attachments[0].filename).toBe('Kündigung.pdf');
  });

  it('joins B encoded words that split a UTF-8 character, the left one padded', async () => {
    const email = await parseEml(crlf(['From: =?UTF-8?B?SsM=?= =?UTF-8?B?vHJnZW4gTcO8bGxlcg==?= <j@example.org>', 'Subject: =?UTF-8?B?S8M=?=', ' =?utf-8?B?vG5kaWd1bmc=?= Konto', '', 'Text', '']));
    expect(email.subject).toBe('Kündigung Konto');
    expect(email.from).toBe('Jürgen Müller <j@example.org>');
    // Words that each hold whole characters stay apart, and text between words is kept.
    const apart = await parseEml(crlf(['Subject: =?UTF-8?B?w7w=?= und =?UTF-8?B?w7Y=?=', '', 'Text', '']));
    expect(apart.subject).toBe('ü und ö');
  });
});
