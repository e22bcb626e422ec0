import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import {
  DAMAGED_BASE64_WARNING,
  ENCRYPTED_WARNING,
  OTHER_CONTENT_WARNING,
  parseEml,
  startsWithHeader,
  subjectlessWarning,
  TEXT_ATTACHMENT_WARNING,
  UNSPLIT_MULTIPART_WARNING,
} from './eml.js';
import { DATE_WITHOUT_ZONE_WARNING } from './eml-date.js';
import { inTimeZones } from './test-time-zones.js';
import { cleanEmail } from './clean.js';
import { forwardedText } from './forward.js';

const crlf = (lines: string[]) => lines.join('\r\n');

/** The lines of a MIME part that attaches a (fake, 13-byte) PDF named `name`. */
const pdfPart = (name: string) => [
  `Content-Type: application/pdf; name="${name}"`,
  `Content-Disposition: attachment; filename="${name}"`,
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 fake').toString('base64'),
];

describe('parseEml', () => {
  it('decodes quoted-printable ISO-8859-1 with umlauts intact', async () => {
    const raw = crlf([
      'From: Erika Beispiel <erika@example.com>',
      'Subject: =?ISO-8859-1?Q?AW:_Kontoer=F6ffnung?=',
      'Date: Wed, 03 Jun 2026 09:43:00 +0200',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Gr=FC=DFe aus K=F6ln',
    ]);
    const email = await parseEml(Buffer.from(raw, 'latin1'));
    expect(email.body?.trim()).toBe('Grüße aus Köln');
    expect(email.subject).toBe('AW: Kontoeröffnung');
    expect(email.from).toBe('Erika Beispiel <erika@example.com>');
    expect(email.receivedAt).toBe('2026-06-03T07:43:00.000Z');
    expect(cleanEmail(email).subject).toBe('Kontoeröffnung');
  });

  it('reads raw 8-bit Windows-1252 header bytes as letters, and leaves raw UTF-8 headers as they are', async () => {
    const lines = (subject: string) => crlf(['From: Jürgen Müller <jm@example.com>', `Subject: ${subject}`, 'Content-Type: text/plain; charset=utf-8', '', 'Grüße']);
    // Windows-1252 bytes: Ü is 0xDC, € is 0x80.
    const latin = await parseEml(Buffer.from(lines('Überweisung über 50 \x80 storniert'), 'latin1'));
    expect(latin.subject).toBe('Überweisung über 50 € storniert');
    expect(latin.from).toBe('Jürgen Müller <jm@example.com>');
    const utf8 = await parseEml(Buffer.from(lines('Überweisung über 50 € storniert'), 'utf8'));
    expect(utf8.subject).toBe('Überweisung über 50 € storniert');
    expect(utf8.body?.trim()).toBe('Grüße');
  });

  it('keeps the euro sign and quotes of a Windows-1252 HTML part, and takes the Message-ID as the id', async () => {
    const raw = crlf([
      'From: kunde@example.com',
      'Message-ID: <4711@mail.example.com>',
      'Subject: Gebuehr',
      'Content-Type: text/html; charset=windows-1252',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Die Geb=FChr von 20 =80 ist zu hoch =96 bitte =84erstatten=93.</p>',
    ]);
    const email = await parseEml(Buffer.from(raw, 'latin1'));
    expect(email.id).toBe('4711@mail.example.com');
    expect(email.html).toContain('Die Gebühr von 20 € ist zu hoch – bitte „erstatten“.');
  });

  it('reads multipart/alternative with base64 Windows-1252 and lists attachments without reading them', async () => {
    // Windows-1252 puts the euro sign at 0x80.
    const body = Buffer.concat([Buffer.from('Überweisung über 100 ', 'latin1'), Buffer.from([0x80]), Buffer.from(' bitte prüfen', 'latin1')]);
    const raw = crlf([
      'From: max@example.com',
      'Subject: Test',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: multipart/alternative; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain; charset=windows-1252',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(body).toString('base64'),
      '--b2',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>HTML</p>',
      '--b2--',
      '--b1',
      ...pdfPart('auszug.pdf'),
      '--b1--',
      '',
    ]);
    const email = await parseEml(raw);
    expect(email.body?.trim()).toBe('Überweisung über 100 € bitte prüfen');
    expect(email.html).toContain('<p>HTML</p>');
    expect(email.attachments).toEqual([{ filename: 'auszug.pdf', contentType: 'application/pdf', size: 13 }]);
    expect(email.attachmentNames).toEqual(['auszug.pdf']);
  });

  it("names the attached files in attachmentNames, not the images the HTML shows (a signature's logo)", async () => {
    const raw = crlf([
      'From: max@example.com',
      'Subject: Formular',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      '--m',
      'Content-Type: multipart/related; boundary="r"',
      '',
      '--r',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Anbei das Formular.</p><img src="cid:logo@x">',
      '--r',
      'Content-Type: image/png; name="image001.png"',
      'Content-Disposition: inline; filename="image001.png"',
      'Content-ID: <logo@x>',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('png').toString('base64'),
      '--r--',
      '--m',
      ...pdfPart('Freistellungsauftrag_2026.pdf'),
      '--m--',
      '',
    ]);
    const email = await parseEml(raw);
    expect(email.attachments.map((a) => a.filename)).toEqual(['image001.png', 'Freistellungsauftrag_2026.pdf']);
    expect(email.attachmentNames).toEqual(['Freistellungsauftrag_2026.pdf']);
    // A message without files has none.
    expect(await parseEml(crlf(['Subject: x', '', 'Text']))).not.toHaveProperty('attachmentNames');
  });

  it('takes the id in the angle brackets of a Message-ID, without a comment beside them', async () => {
    const idOf = async (field: string) => (await parseEml(crlf(['From: a@b.example', field, 'Subject: x', '', 'body', '']))).id;
    expect(await idOf('Message-ID: <4711@mail.example.com> (added by the gateway)')).toBe('4711@mail.example.com');
    expect(await idOf('Message-ID: (relay) <4712@mail.example.com>')).toBe('4712@mail.example.com');
    expect(await idOf('Message-ID:\r\n <4713@mail.example.com>')).toBe('4713@mail.example.com');
    expect(await idOf('Message-ID: no-brackets-4714@mail.example.com')).toBe('no-brackets-4714@mail.example.com');
    expect(await idOf('Message-ID: <"odd id"+/%?#&=@[127.0.0.1]>')).toBe('"odd id"+/%?#&=@[127.0.0.1]');
    expect(await idOf('Message-ID: <>')).toBeUndefined();
  });

  it('returns a Message-ID longer than an email id whole, for the caller to refuse or replace (never cut)', async () => {
    const long = `${'m'.repeat(230)}@bank.example`;
    const email = await parseEml(crlf(['From: a@b.example', `Message-ID: <${long}>`, 'Subject: x', '', 'body', '']));
    expect(email.id).toBe(long);
  });

  it('reads a raw 8-bit body with no charset as Windows-1252 when it is not UTF-8, like the headers', async () => {
    // The tester's message: no MIME headers at all, ü and ß as single Windows-1252 bytes, € as 0x80.
    const bare = Buffer.from(crlf(['From: a@b.example', 'Subject: K\xfcndigung meines Kontos', 'Message-ID: <l1@x>', '', 'Hiermit k\xfcndige ich, 5 \x80 Gr\xfc\xdfe', '']), 'latin1');
    const email = await parseEml(bare);
    expect(email.subject).toBe('Kündigung meines Kontos');
    expect(email.body?.trim()).toBe('Hiermit kündige ich, 5 € Grüße');
    // A Content-Type without a charset, folded or ending in a semicolon, sent 8bit.
    for (const contentType of ['Content-Type: text/plain', 'Content-Type: text/plain;\r\n\tformat=fixed', 'Content-Type: text/plain;']) {
      const raw = Buffer.from(crlf(['Subject: x', contentType, 'Content-Transfer-Encoding: 8bit', '', 'Gr\xfc\xdfe', '']), 'latin1');
      expect((await parseEml(raw)).body?.trim(), contentType).toBe('Grüße');
    }
    // Windows-1252 where ß and a closing quote happen to form a UTF-8 sequence.
    const quotes = Buffer.from(crlf(['Subject: x', '', 'Bitte richten Sie ihm einen \x84Gru\xdf\x93 aus.', '']), 'latin1');
    expect((await parseEml(quotes)).body?.trim()).toBe('Bitte richten Sie ihm einen „Gruß“ aus.');
    // Quoted-printable without a charset.
    const qp = Buffer.from(crlf(['Subject: x', 'Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable', '', 'Gr=FC=DFe', '']), 'latin1');
    expect((await parseEml(qp)).body?.trim()).toBe('Grüße');
  });

  it('falls back per part: a multipart text part without a charset, not its declared or UTF-8 siblings', async () => {
    const raw = Buffer.concat([
      Buffer.from(crlf(['Subject: x', 'Content-Type: multipart/alternative; boundary=zz', '', '--zz', 'Content-Type: text/plain', '', 'K\xfcndigung', '--zz', 'Content-Type: text/html', '', '']), 'latin1'),
      Buffer.from(crlf(['<p>Kündigung</p>', '--zz--', '']), 'utf8'),
    ]);
    const email = await parseEml(raw);
    expect(email.body?.trim()).toBe('Kündigung');
    expect(email.html).toContain('<p>Kündigung</p>');
  });

  it('keeps a declared charset and leaves UTF-8 bodies without one as they are', async () => {
    const utf8 = await parseEml(Buffer.from(crlf(['Subject: x', '', 'Grüße €', '']), 'utf8'));
    expect(utf8.body?.trim()).toBe('Grüße €');
    // Undeclared UTF-8 with one stray byte stays UTF-8 (one U+FFFD, which the API names in a warning), not Ã¼ throughout.
    const stray = Buffer.concat([Buffer.from('Subject: x\r\n\r\nGrüße aus Köln, 20€ ', 'utf8'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
    expect((await parseEml(stray)).body?.trim()).toBe('Grüße aus Köln, 20€ \uFFFD');
    // Declared UTF-8 text with a stray Latin-1 byte stays UTF-8: the loss is the sender's, and the warning says so.
    // (Declared UTF-8 whose bytes are mostly not UTF-8 is read as Windows-1252: eml-labels.test.ts.)
    const declared = await parseEml(Buffer.concat([Buffer.from('Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße ', 'utf8'), Buffer.from([0xe9, 0x0d, 0x0a])]));
    expect(declared.body?.trim()).toBe('Grüße \uFFFD');
    const koi8 = await parseEml(Buffer.from(crlf(['Subject: x', 'Content-Type: text/plain; charset="koi8-r"', '', '\xf0\xd2\xc9\xd7\xc5\xd4', '']), 'latin1'));
    expect(koi8.body?.trim()).toBe('Привет');
  });

  it('reads a part whose charset label the parser does not know as UTF-8 when its bytes are UTF-8, not as Windows-1252', async () => {
    const part = (label: string, body: Buffer) =>
      Buffer.concat([Buffer.from(crlf(['Subject: x', `Content-Type: text/plain; charset=${label}`, 'Content-Transfer-Encoding: 8bit', '', '']), 'latin1'), body, Buffer.from('\r\n')]);
    const utf8 = Buffer.from('Überweisung über 500 € storniert', 'utf8');
    // 3Dutf-8: a gateway quoted-printable-encoded the header; the others are labels no decoder has.
    for (const label of ['3Dutf-8', 'x-unknown', '"unknown-8bit"', '"UTF-8 "']) {
      expect((await parseEml(part(label, utf8))).body?.trim(), label).toBe('Überweisung über 500 € storniert');
    }
    // Folded, and quoted-printable: the label is found and replaced where it is written.
    const folded = Buffer.from(crlf(['Subject: x', 'Content-Type: text/plain;', '\tcharset="x-user-unknown"', 'Content-Transfer-Encoding: quoted-printable', '', 'Gr=C3=BC=C3=9Fe', '']), 'latin1');
    expect((await parseEml(folded)).body?.trim()).toBe('Grüße');
    // 8-bit bytes under an unknown label stay the parser's Windows-1252; an empty label (read as UTF-8) falls back too.
    const latin = Buffer.from('Gr\xfc\xdfe 5 \x80', 'latin1');
    expect((await parseEml(part('x-unknown', latin))).body?.trim()).toBe('Grüße 5 €');
    expect((await parseEml(part('""', latin))).body?.trim()).toBe('Grüße 5 €');
    // A label the parser maps to a CJK charset (cp932 is Shift_JIS) is left to it.
    expect((await parseEml(part('cp932', Buffer.from([0x93, 0xfa, 0x96, 0x7b])))).body?.trim()).toBe('日本');
  });

  it('reads RFC 2231 charset and boundary parameters (extended, in sections) as the parser does, unknown labels and fallbacks included', async () => {
    const utf8 = Buffer.from('Grüße aus Köln', 'utf8');
    const latin1 = Buffer.from('Grüße aus Köln', 'latin1');
    const single = (contentType: string, body: Buffer) =>
      parseEml(Buffer.concat([Buffer.from(crlf(['Subject: x', `Content-Type: ${contentType}`, 'Content-Transfer-Encoding: 8bit', '', ''])), body]));
    for (const [contentType, body] of [
      // Labels the parser knows, joined from sections or percent-decoded.
      ["text/plain; charset*=utf-8''iso-8859-1", latin1],
      ['text/plain; charset*0="iso-8859-"; charset*1="15"', latin1],
      // Labels it does not know, on UTF-8 bytes: read as UTF-8, as a plain `charset=x-unknown` is.
      ["text/plain; charset*=''x-unknown", utf8],
      ["text/plain; charset*=utf-8'de'unknown%2D8bit", utf8],
      ['text/plain; charset*0=x-unk; charset*1=nown', utf8],
      ['text/plain; charset=us-ascii;\r\n charset*0*=x-unk; charset*1=nown', utf8],
      // An empty label on bytes that are not UTF-8: Windows-1252, as a plain `charset=""` is.
      ["text/plain; charset*=''", latin1],
    ] as const) {
      expect((await single(contentType, body)).body?.trim(), contentType).toBe('Grüße aus Köln');
    }
    // A boundary in sections is the boundary, though no closing delimiter line shows it.
    const sections = await parseEml(
      Buffer.from(crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary*0="ab"; boundary*1="cd"', '', '--abcd', 'Content-Type: text/plain', '', 'Gr\xfc\xdfe', '']), 'latin1'),
    );
    expect(sections.body?.trim()).toBe('Grüße');
    expect(sections.warnings).toBeUndefined();
  });

  it('reads encoded words whose charset label the parser does not know as UTF-8 when their bytes are UTF-8', async () => {
    const subjectOf = async (subject: string) => (await parseEml(Buffer.from(crlf(['From: a@b.example', `Subject: ${subject}`, '', 'body', '']), 'latin1'))).subject;
    expect(await subjectOf('=?unknown-8bit?Q?K=C3=BCndigung_meines_Depots?=')).toBe('Kündigung meines Depots');
    expect(await subjectOf('=?x-unknown?B?w5xiZXJ3ZWlzdW5n?=')).toBe('Überweisung');
    // A character split between two words of the label.
    expect(await subjectOf('=?unknown-8bit?Q?K=C3?=\r\n =?unknown-8bit?Q?=BCndigung?=')).toBe('Kündigung');
    // 8-bit bytes under such a label stay the parser's Windows-1252.
    expect(await subjectOf('=?unknown-8bit?Q?K=FCndigung?=')).toBe('Kündigung');
  });

  it('reads a forwarded message (message/rfc822 read inline) with raw 8-bit Windows-1252 text and headers as letters', async () => {
    const inner = ['From: Kunde <k@example.com>', 'Subject: Beschwerde \xfcber Geb\xfchren', '', 'Ich m\xf6chte eine Erstattung von 20 \x80. Gr\xfc\xdfe'];
    const forward = (partHeaders: string[], message: string[]) =>
      Buffer.from(crlf(['Subject: WG: Beschwerde', 'Content-Type: multipart/mixed; boundary=F1', '', '--F1', 'Content-Type: text/plain; charset=us-ascii', '', 'Zur Info.', '--F1', ...partHeaders, '', ...message, '--F1--', '']), 'latin1');
    const email = await parseEml(forward(['Content-Type: message/rfc822'], inner));
    expect(email.body).toContain('Subject: Beschwerde über Gebühren');
    expect(email.body).toContain('Ich möchte eine Erstattung von 20 €. Grüße');
    expect(email.body).not.toContain('\uFFFD');
    // Its multipart text parts too; a charset it declares is kept.
    const multipart = ['Subject: x', 'Content-Type: multipart/alternative; boundary=I1', '', '--I1', 'Content-Type: text/plain', '', 'Geb\xfchr', '--I1', 'Content-Type: text/html; charset=iso-8859-1', '', '<p>Geb\xfchr</p>', '--I1--'];
    const nested = await parseEml(forward(['Content-Type: message/rfc822'], multipart));
    expect(nested.body).toContain('Gebühr');
    expect(nested.body).not.toContain('\uFFFD');
    // A message attached inside the attached message, which the parser lists as an attachment, keeps its bytes (and so its size).
    const twice = forward(['Content-Type: message/rfc822'], ['Subject: y', 'Content-Type: multipart/mixed; boundary=I2', '', '--I2', 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="b.eml"', '', ...inner, '--I2--']);
    const unedited = (await PostalMime.parse(twice, { attachmentEncoding: 'arraybuffer' })).attachments[0].content as ArrayBuffer;
    expect((await parseEml(twice)).attachments).toEqual([{ filename: 'b.eml', contentType: 'message/rfc822', size: unedited.byteLength }]);
  });

  it('reads a forward sent as an attachment (Content-Disposition: attachment, as Outlook, Thunderbird and Gmail send it) as one sent inline', async () => {
    const message = ['From: Kunde <k@example.com>', 'Subject: Beschwerde', 'Content-Type: text/plain; charset=utf-8', '', 'Ich beschwere mich über die Depotgebühren.'];
    const forward = (partHeaders: string[], body: string[]) =>
      crlf(['Subject: FW: Beschwerde', 'Content-Type: multipart/mixed; boundary=F1', '', '--F1', 'Content-Type: text/plain; charset=utf-8', '', 'Zur Info.', '--F1', ...partHeaders, '', ...body, '--F1--', '']);
    for (const disposition of ['Content-Disposition: attachment; filename="Beschwerde.eml"', 'Content-Disposition:\r\n ATTACHMENT']) {
      const email = await parseEml(Buffer.from(forward(['Content-Type: message/rfc822; name="Beschwerde.eml"', disposition], message), 'utf8'));
      expect(email.body, disposition).toContain('Ich beschwere mich über die Depotgebühren.');
      expect(email.attachments, disposition).toEqual([]);
      // So the model reads the forward behind the cover note, as cleaning an inline forward gives it.
      expect(forwardedText(email, cleanEmail(email))).toContain('Ich beschwere mich über die Depotgebühren.');
    }
    // Sent base64 encoded, and given as text (a JSONL line of clean): the same.
    const encoded = forward(['Content-Type: message/rfc822', 'Content-Disposition: attachment', 'Content-Transfer-Encoding: base64'], [Buffer.from(crlf(message), 'utf8').toString('base64')]);
    expect((await parseEml(encoded)).body).toContain('Ich beschwere mich über die Depotgebühren.');
    // Other attachments stay unread.
    const pdf = await parseEml(forward(['Content-Type: application/pdf', 'Content-Disposition: attachment; filename="a.pdf"', 'Content-Transfer-Encoding: base64'], ['JVBERi0xLjQK']));
    expect(pdf.attachments).toEqual([{ filename: 'a.pdf', contentType: 'application/pdf', size: 9 }]);
  });

  it('gives the model a forward sent as an attached message when the subject has no FW: (its headers in the text name it)', async () => {
    const message = ['From: Kunde <k@example.com>', 'Subject: Beschwerde', 'Content-Type: text/plain; charset=utf-8', '', 'Ich beschwere mich über die Depotgebühren.'];
    const raw = crlf(['Subject: Beschwerde', 'Content-Type: multipart/mixed; boundary=F1', '', '--F1', 'Content-Type: text/plain', '', 'Zur Info.', '--F1', 'Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="b.eml"', '', ...message, '--F1--', '']);
    const email = await parseEml(raw);
    expect(forwardedText(email, cleanEmail(email))).toBe('Ich beschwere mich über die Depotgebühren.');
  });

  it('leaves a numeric Date header (01.06.2026, which JavaScript reads as 6 January) unread, as the API refuses it', async () => {
    const receivedAt = async (date: string) => (await parseEml(crlf(['From: a@b.example', `Date: ${date}`, 'Subject: x', '', 'body', '']))).receivedAt;
    for (const date of ['01.06.2026', '01.06.2026 14:03', 'Mo, 01.06.2026 14:03:00 +0200', '06/01/2026 14:03']) expect(await receivedAt(date), date).toBeUndefined();
    expect(await receivedAt('Mon, 1 Jun 2026 14:03:00 +0200 (CEST)')).toBe('2026-06-01T12:03:00.000Z');
    expect(await receivedAt('2026-06-01T14:03:00Z')).toBe('2026-06-01T14:03:00.000Z');
    // In UTC past 9999: ISO 8601 cannot write it (JavaScript writes +010000-01-01T04:00:00.000Z).
    expect(await receivedAt('Fri, 31 Dec 9999 23:00:00 -0500')).toBeUndefined();
    expect(await receivedAt('Fri, 31 Dec 9999 23:00:00')).toBe('9999-12-31T23:00:00.000Z');
  });

  it('reads a Date header that names CET or MEZ, and warns of one it cannot read (no receivedAt then), not of a missing one', async () => {
    const parse = (headers: string[]) => parseEml(crlf(['From: a@b.example', ...headers, 'Subject: x', '', 'body', '']));
    for (const date of ['Fri, 04 Dec 2026 14:03:00 CET', 'Fri, 04 Dec 2026 14:03:00 MEZ', 'Fri, 04 Dec 2026 14:03:00 +0100 (Mitteleuropäische Zeit)']) {
      const email = await parse([`Date: ${date}`]);
      expect(email.receivedAt, date).toBe('2026-12-04T13:03:00.000Z');
      expect(email.warnings, date).toBeUndefined();
    }
    const unread = await parse(['Date: 04.12.2026 14:03']);
    expect(unread.receivedAt).toBeUndefined();
    expect(unread.warnings).toEqual(['The message\'s Date header ("04.12.2026 14:03") could not be read as a time, so the email has no receivedAt.']);
    expect((await parse([])).warnings).toBeUndefined();
  });

  it('reads a Date header without a time zone as UTC, whatever the TZ the process runs in, and says so', async () => {
    const parse = (date: string) => parseEml(crlf(['From: a@b.example', `Date: ${date}`, 'Subject: x', '', 'body', '']));
    await inTimeZones(['America/New_York', 'Asia/Tokyo'], async (tz) => {
      for (const [date, iso, zoneless] of [
        ['Mon, 2 Nov 2026 09:15:00', '2026-11-02T09:15:00.000Z', true],
        ['2 Nov 2026 09:15 (CET)', '2026-11-02T09:15:00.000Z', true],
        ['Mon Nov  2 09:15:00 2026', '2026-11-02T09:15:00.000Z', true],
        ['2026-11-02T09:15:00', '2026-11-02T09:15:00.000Z', true],
        ['Mon, 2 Nov 2026', '2026-11-02T00:00:00.000Z', true],
        // A zone, by offset or by name, is read as written and needs no warning.
        ['Mon, 2 Nov 2026 09:15:00 +0100 (CET)', '2026-11-02T08:15:00.000Z', false],
        // -0000 is UTC too (RFC 5322 3.3; -00:00 in RFC 3339 4.3): the instant is exact, only the sender's local
        // zone is unsaid, so receivedAt is not off by any offset and no warning is due.
        ['Mon, 2 Nov 2026 09:15:00 -0000', '2026-11-02T09:15:00.000Z', false],
        ['2026-11-02T09:15:00-00:00', '2026-11-02T09:15:00.000Z', false],
        ['Mon, 2 Nov 2026 09:15:00 EST', '2026-11-02T14:15:00.000Z', false],
        ['Mon Nov 02 2026 09:15:00 GMT+0100', '2026-11-02T08:15:00.000Z', false],
        ['2026-11-02T09:15:00+01:00', '2026-11-02T08:15:00.000Z', false],
        ['2026-11-02T09:15:00Z', '2026-11-02T09:15:00.000Z', false],
      ] as const) {
        const email = await parse(date);
        expect(email.receivedAt, `${date} in ${tz}`).toBe(iso);
        expect(email.warnings, `${date} in ${tz}`).toEqual(zoneless ? [DATE_WITHOUT_ZONE_WARNING] : undefined);
      }
    });
  });

  it('reads a message with old Mac line ends (CR alone): its headers and body, under the same line limit', async () => {
    const lines = ['From: Erika Beispiel <erika@example.com>', 'Subject: Depot schließen', 'Date: Wed, 03 Jun 2026 09:43:00 +0200', '', 'Bitte schließen Sie mein Depot.', 'Danke'];
    const email = await parseEml(Buffer.from(lines.join('\r'), 'utf8'));
    expect(email.subject).toBe('Depot schließen');
    expect(email.from).toBe('Erika Beispiel <erika@example.com>');
    expect(email.receivedAt).toBe('2026-06-03T07:43:00.000Z');
    expect(email.body?.trim()).toBe('Bitte schließen Sie mein Depot.\nDanke');
    expect((await parseEml(lines.join('\r'))).body?.trim()).toBe('Bitte schließen Sie mein Depot.\nDanke');
    await expect(parseEml(lines.join('\r'), { maxLines: 3 })).rejects.toThrow(/5 lines, over the limit of 3/);
    expect(startsWithHeader(new Uint8Array(Buffer.from('From kim@example.org Mon Nov  3 10:15:00 2025\rSubject: x\r\rbody')))).toBe(true);
  });

  it('reads CRLF, LF and CR line ends, mixed in one message, as the same message', async () => {
    const lines = [
      'From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm@example.com>',
      'Subject: Depot',
      ' schlie\xdfen',
      'Date: Wed, 03 Jun 2026 09:43:00 +0200',
      'Content-Type: multipart/mixed;',
      '\tboundary="B1"',
      '',
      '--B1',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Bitte schlie=DFen Sie mein Depot, der Satz ist umbro=',
      'chen.',
      '',
      'Danke',
      '--B1',
      'Content-Type: text/plain',
      '',
      'Gr\xfc\xdfe aus K\xf6ln',
      '--B1',
      'Content-Type: application/pdf; name="a.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK',
      '--B1--',
      '',
    ];
    const parse = async (end: (i: number) => string) => parseEml(Buffer.from(lines.map((l, i) => l + end(i)).join(''), 'latin1'));
    const expected = await parse(() => '\r\n');
    expect(expected).toMatchObject({ subject: 'Depot schließen', from: 'Jürgen Müller <jm@example.com>', receivedAt: '2026-06-03T07:43:00.000Z' });
    expect(expected.body).toBe('Bitte schließen Sie mein Depot, der Satz ist umbrochen.\n\nDanke\n\nGrüße aus Köln\n');
    expect(expected.attachments).toEqual([{ filename: 'a.pdf', contentType: 'application/pdf', size: 9 }]);
    // CR then LF is one line end (CRLF), so an LF line ending empty after a CR line is not a mix of the two.
    const ends = ['\r\n', '\n', '\r'];
    const mixes: Record<string, (i: number) => string> = {
      lf: () => '\n',
      cr: () => '\r',
      'crlf and lf': (i) => ends[i % 2],
      'crlf and cr': (i) => ends[(i % 2) * 2],
      'all three': (i) => ends[i % 3],
      'all three, shifted': (i) => ends[(i + 1) % 3],
      'all three, shifted twice': (i) => ends[(i + 2) % 3],
      // CRLF written out again as CRLF: one line end, as the parser reads it, not a CR and a CRLF.
      'cr cr lf': () => '\r\r\n',
    };
    for (const [name, end] of Object.entries(mixes)) expect(await parse(end), name).toEqual(expected);
    for (const eol of ['\r', '\r\n', '\r\r\n', '\n']) {
      expect(startsWithHeader(new Uint8Array(Buffer.from(`From kim@example.org Mon Nov  3 10:15:00 2025${eol}Subject: x\n\nbody`))), JSON.stringify(eol)).toBe(true);
    }
  });

  it('reads a message whose line ends are all CRLF written out again as CRLF (\\r\\r\\n) as its CRLF form', async () => {
    // The header block and each part's end at a line of CRs: raw 8-bit headers beside an ISO-8859-1 body, a
    // part without a charset in Windows-1252, an attached message's Date as sent (found by eml.property.test.ts).
    const messages = [
      ['From: kunde@example.com', 'Subject: \xdcberweisung', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit', '', 'Gr\xfc\xdfe aus K\xf6ln', ''],
      [
        'From: kunde@example.com',
        'Subject: Depot',
        'Content-Type: multipart/mixed;',
        ' boundary="B1"',
        '',
        '--B1',
        'Content-Type: text/plain',
        '',
        'Gr\xfc\xdfe aus K\xf6ln',
        '--B1',
        'Content-Type: message/rfc822',
        '',
        'From: bank@example.com',
        'Date: Mon, 30 Nov 2026 07:00:00 +0100',
        '',
        'Ihr Depot',
        '--B1--',
        '',
      ],
    ];
    for (const lines of messages) {
      const crlfForm = await parseEml(Buffer.from(lines.join('\r\n'), 'latin1'));
      expect(crlfForm.body).toMatch(/^Grüße aus Köln\n/);
      expect(await parseEml(Buffer.from(lines.join('\r\r\n'), 'latin1'))).toEqual(crlfForm);
    }
  });

  it('reads Content-Type and Content-Transfer-Encoding fields with RFC 822 comments as the MIME parser does', async () => {
    // A comment may stand where blanks may (RFC 2045 5.1, 6.1); found by eml.property.test.ts.
    const parts = [
      ['Content-Type: text/plain', '', 'Gr\xfc\xdfe aus K\xf6ln'],
      // UTF-8 bytes, written one character per byte as the rest of the message.
      ['Content-Type: text/plain; (Kunde) charset=x-unknown', '', 'Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln'],
      ['Content-Type: text/plain; charset=unknown-8bit', 'Content-Transfer-Encoding: base64 (encoded)', '', Buffer.from('Grüße aus Köln').toString('base64')],
      ['Content-Type: message/rfc822 (forwarded)', '', 'From: bank@example.com', 'Date: Mon, 30 Nov 2026 07:00:00 +0100', '', 'Ihr Depot'],
    ];
    const raw = crlf(['From: kunde@example.com', 'Subject: Depot', 'Content-Type: multipart/mixed; (generated) boundary*0="B"; boundary*1="1"', '', ...parts.flatMap((p) => ['--B1', ...p]), '--B1--', '']);
    const email = await parseEml(Buffer.from(raw, 'latin1'));
    expect(email.body).toMatch(/^Grüße aus Köln\n+Grüße aus Köln\n+Grüße aus Köln\n+-+\nFrom: bank@example.com\nDate: Mon, 30 Nov 2026 07:00:00 \+0100\n-+\n\nIhr Depot/);
  });

  it('reads a base64-encoded attached message with the fallbacks of one sent as it is', async () => {
    // Raw Windows-1252 in its Subject and in a part without a charset (found by eml.property.test.ts).
    const forward = crlf(['From: bank@example.com', 'Subject: \xdcberweisung', 'Date: Mon, 30 Nov 2026 07:00:00 +0100', 'Content-Type: text/plain', '', 'Gr\xfc\xdfe aus K\xf6ln', '']);
    const encoded = Buffer.from(forward, 'latin1').toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = crlf(['From: kunde@example.com', 'Subject: WG', 'Content-Type: multipart/mixed; boundary=B1', '', '--B1', 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', encoded, '--B1--', '']);
    const email = await parseEml(Buffer.from(raw, 'latin1'));
    expect(email.body).toMatch(/\nSubject: Überweisung\n[\s\S]*\n\nGrüße aus Köln\n$/);
  });

  it('reads a body a mailer sent as a nameless attachment; warns when the only text is an attachment with a file name', async () => {
    const single = (disposition: string) => Buffer.from(crlf(['Subject: Depot', 'Content-Type: text/plain; charset=iso-8859-1', disposition, '', 'Bitte schlie\xdfen Sie mein Depot.', '']), 'latin1');
    const nameless = await parseEml(single('Content-Disposition: attachment'));
    expect(nameless.body?.trim()).toBe('Bitte schließen Sie mein Depot.');
    expect(nameless.attachments).toEqual([]);
    expect(nameless.warnings).toBeUndefined();
    const named = await parseEml(single('Content-Disposition: attachment; filename="brief.txt"'));
    expect(named.body).toBeUndefined();
    expect(named.warnings).toEqual([TEXT_ATTACHMENT_WARNING]);
    // In a multipart, beside a PDF; a text attachment beside a body stays an attachment.
    const mixed = (first: string[]) =>
      crlf(['Subject: Depot', 'Content-Type: multipart/mixed; boundary=M1', '', '--M1', ...first, '--M1', 'Content-Type: text/plain', 'Content-Disposition: attachment', '', 'Anhang', '--M1--', '']);
    const pdf = await parseEml(mixed(['Content-Type: application/pdf; name="a.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK']));
    expect(pdf.body?.trim()).toBe('Anhang');
    const withBody = await parseEml(mixed(['Content-Type: text/plain', '', 'Bitte schließen Sie mein Depot.']));
    expect(withBody.body?.trim()).toBe('Bitte schließen Sie mein Depot.');
    expect(withBody.attachments).toEqual([{ contentType: 'text/plain', size: 7 }]);
  });

  it('splits a multipart without a boundary parameter at the boundary its body shows; warns when it shows none', async () => {
    const raw = (body: string[]) => crlf(['Subject: Depot', 'Content-Type: multipart/mixed', '', ...body, '']);
    const found = await parseEml(raw(['This is a multi-part message in MIME format.', '--XYZ', 'Content-Type: text/plain', '', 'Bitte schließen Sie mein Depot.', '--XYZ--']));
    expect(found.body?.trim()).toBe('Bitte schließen Sie mein Depot.');
    expect(found.warnings).toBeUndefined();
    // Never closed, but a part's header field under the delimiter line (QA: a script's mail lost its text): read all the same.
    const unclosed = await parseEml(raw(['--XYZ', 'Content-Type: text/plain', '', 'Bitte schließen Sie mein Depot.']));
    expect(unclosed.body?.trim()).toBe('Bitte schließen Sie mein Depot.');
    expect(unclosed.warnings).toBeUndefined();
    for (const body of [['--XYZ', '', 'Bitte schließen Sie mein Depot.'], ['Bitte schließen Sie mein Depot.', '-- ', 'Erika'], ['Bitte schließen Sie mein Depot.', '--Erika', 'Tel. 030 1234567']]) {
      const unsplit = await parseEml(raw(body));
      expect(unsplit.subject).toBe('Depot');
      expect(unsplit.warnings).toEqual([UNSPLIT_MULTIPART_WARNING]);
    }
  });
});

describe('parseEml of mislabelled MIME', () => {
  const DEPOT = 'Bitte kündigen Sie mein Depot.';
  const single = (contentType: string[], body: string, encoding: BufferEncoding = 'utf8') =>
    Buffer.from(crlf(['From: kunde@example.com', 'Subject: Depot', ...contentType, '', body, '']), encoding);

  it('reads no file as text: a text part with a file name in a multipart is an attachment, inline or not', async () => {
    const withFile = (fileHeaders: string[]) =>
      crlf(['Subject: Festgeld', 'Content-Type: multipart/mixed; boundary=B', '', '--B', 'Content-Type: text/plain; charset=utf-8', '', DEPOT, '--B', ...fileHeaders, '', 'login failed otp timeout', '--B--', '']);
    for (const fileHeaders of [
      ['Content-Disposition: inline; filename=app.log', 'Content-Type: text/plain; name="app.log"'],
      ['Content-Type: text/html; name="Abrechnung.html"'],
      ['Content-Type: text/plain', 'Content-Disposition: INLINE;', ' filename*=utf-8\'\'notizen.txt'],
    ]) {
      const email = await parseEml(withFile(fileHeaders));
      expect(email.body?.trim(), fileHeaders.join(' ')).toBe(DEPOT);
      expect(email.attachments).toHaveLength(1);
      expect(email.warnings).toBeUndefined();
    }
    // A message of one text part with a file name is read: it has no other text.
    expect((await parseEml(single(['Content-Type: text/plain; charset=utf-8; name="brief.txt"'], DEPOT))).body?.trim()).toBe(DEPOT);
  });

  it('reads a Content-Type that is no valid type as text/plain, its charset kept', async () => {
    for (const contentType of ['text/plain, charset=iso-8859-1', 'text/plain charset=iso-8859-1', 'text; charset=iso-8859-1', ';;; charset=iso-8859-1', '', 'text']) {
      const email = await parseEml(single([`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: 8bit'], DEPOT, 'latin1'));
      expect(email.body?.trim(), contentType).toBe(DEPOT);
      expect(email.warnings, contentType).toBeUndefined();
    }
    const html = await parseEml(single(['Content-Type: text/html, charset=utf-8'], `<p>${DEPOT}</p>`));
    expect(html.html).toContain(DEPOT);
  });

  it('says a message of only parts it does not read has no body text, without blaming a file name', async () => {
    for (const contentType of ['plain/text', 'application/octet-stream', 'text/x-unknown', 'text/rtf']) {
      const email = await parseEml(single([`Content-Type: ${contentType}`], DEPOT));
      expect(email.body, contentType).toBeUndefined();
      expect(email.warnings, contentType).toEqual([OTHER_CONTENT_WARNING]);
    }
    // One with a file name is still said so.
    const named = await parseEml(single(['Content-Type: text/plain', 'Content-Disposition: attachment; filename="brief.txt"'], DEPOT));
    expect(named.warnings).toEqual([TEXT_ATTACHMENT_WARNING]);
  });

  it('says of a message with neither body text nor a subject that none of its text was read, not that its subject was', async () => {
    // The trial's 11b_attachment_only_nosubject.eml: a scan, no Subject field.
    const scan = (subject: string[]) =>
      crlf(['From: Hans Meier <hm@example.de>', ...subject, 'Content-Type: multipart/mixed; boundary="m"', '', '--m', 'Content-Type: application/pdf; name="Scan_20261206.pdf"',
        'Content-Disposition: inline; filename="Scan_20261206.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK', '--m--', '']);
    for (const subject of [[], ['Subject:'], ['Subject:  \u200b']]) {
      const email = await parseEml(scan(subject));
      expect(email.attachmentNames, subject.join()).toEqual(['Scan_20261206.pdf']);
      expect(email.warnings, subject.join()).toEqual([subjectlessWarning(OTHER_CONTENT_WARNING)]);
      expect(email.warnings?.[0], subject.join()).not.toMatch(/only the subject/);
      expect(email.warnings?.[0], subject.join()).toMatch(/no text of it was read, as it has no subject either/);
    }
    expect((await parseEml(scan(['Subject: Scan']))).warnings).toEqual([OTHER_CONTENT_WARNING]);
    // So for a text attachment with a file name, and for encrypted content.
    const named = await parseEml(crlf(['From: a@example.org', 'Content-Type: text/plain', 'Content-Disposition: attachment; filename="brief.txt"', '', DEPOT, '']));
    expect(named.warnings).toEqual([subjectlessWarning(TEXT_ATTACHMENT_WARNING)]);
    const encrypted = await parseEml(crlf(['From: a@example.org', 'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m', 'Content-Transfer-Encoding: base64', '', 'MIAGCSqGSIb3DQEHA6CAMIACAQAx', '']));
    expect(encrypted.warnings).toEqual([subjectlessWarning(ENCRYPTED_WARNING)]);
    expect(subjectlessWarning(ENCRYPTED_WARNING)).not.toBe(ENCRYPTED_WARNING);
  });

  it('reads UTF-8 declared as US-ASCII as UTF-8, in parts and encoded words; Windows-1252 so declared stays Windows-1252', async () => {
    const utf8 = await parseEml(single(['Content-Type: text/plain; charset=us-ascii', 'Content-Transfer-Encoding: 8bit'], DEPOT));
    expect(utf8.body?.trim()).toBe(DEPOT);
    const qp = await parseEml(single(['Content-Type: text/plain; charset="US-ASCII"', 'Content-Transfer-Encoding: quoted-printable'], 'Bitte k=C3=BCndigen Sie mein Depot.'));
    expect(qp.body?.trim()).toBe(DEPOT);
    const subject = await parseEml(crlf(['Subject: =?us-ascii?Q?K=C3=BCndigung?=', 'Content-Type: text/plain', '', 'x']));
    expect(subject.subject).toBe('Kündigung');
    const latin = await parseEml(single(['Content-Type: text/plain; charset=ascii', 'Content-Transfer-Encoding: 8bit'], DEPOT, 'latin1'));
    expect(latin.body?.trim()).toBe(DEPOT);
  });

  it('reads a charset whose quote is not closed as the parser does', async () => {
    const email = await parseEml(single(['Content-Type: text/plain; charset="utf-8', 'Content-Transfer-Encoding: 8bit'], DEPOT));
    expect(email.body?.trim()).toBe(DEPOT);
  });

  it('splits a multipart at the boundary its body uses when the one named is not there; warns when none is', async () => {
    const raw = (boundary: string, body: string[]) => crlf(['Subject: Depot', `Content-Type: multipart/alternative; boundary=${boundary}`, '', ...body, '']);
    const parts = ['--b9', 'Content-Type: text/plain; charset=utf-8', '', DEPOT, '--b9--'];
    for (const boundary of ["'b9'", 'b8', 'b9*']) {
      const email = await parseEml(raw(boundary, parts));
      expect(email.body?.trim(), boundary).toBe(DEPOT);
      expect(email.warnings, boundary).toBeUndefined();
    }
    const unsplit = await parseEml(raw('b8', [DEPOT]));
    expect(unsplit.warnings).toEqual([UNSPLIT_MULTIPART_WARNING]);
    // The one used is never closed (a line cut short of its name, `--b9` for `b99`, and no closing line): read all the same.
    const cut = await parseEml(raw('b99', parts.slice(0, -1)));
    expect(cut.body?.trim()).toBe(DEPOT);
  });

  it('reads the HTML beside a text part of invisible characters only', async () => {
    const raw = crlf(['Subject: Festgeld', 'Content-Type: multipart/alternative; boundary=A', '', '--A', 'Content-Type: text/plain; charset=utf-8', '', '\u200b', '--A', 'Content-Type: text/html; charset=utf-8', '', `<p>${DEPOT}</p>`, '--A--', '']);
    expect(cleanEmail(await parseEml(raw), { redact: false }).text).toBe(DEPOT);
  });

  it('says a text part sent as base64 holds characters base64 has not, and not for one that is whole', async () => {
    const encoded = Buffer.from(DEPOT).toString('base64');
    const damaged = await parseEml(single(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], `${encoded}*&^%$\r\nnot base64 at all!!!`));
    expect(damaged.warnings).toEqual([DAMAGED_BASE64_WARNING]);
    const whole = await parseEml(single(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], `${encoded.slice(0, 20)}\r\n${encoded.slice(20)}`));
    expect(whole.body?.trim()).toBe(DEPOT);
    expect(whole.warnings).toBeUndefined();
  });
});

describe('parseEml limits', () => {
  it('refuses a message of more lines than its size allows, before parsing it', async () => {
    const raw = new Uint8Array(Buffer.from(`Subject: x\r\n\r\n${'\n'.repeat(100_000)}`));
    await expect(parseEml(raw)).rejects.toThrow(/lines, over the limit/);
    await expect(parseEml(crlf(['Subject: x', '', 'a', 'b']), { maxLines: 2 })).rejects.toThrow(/over the limit of 2/);
    // Headers over the parser's limit are said so, not as a message that cannot be parsed.
    const headers = Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${'v'.repeat(100)}`);
    await expect(parseEml(crlf([...headers, 'Subject: x', '', 'a']))).rejects.toThrow('its headers are over the limit of 262144 bytes (all parts together)');
  });
});

describe('startsWithHeader', () => {
  const starts = (text: string) => startsWithHeader(new Uint8Array(Buffer.from(text, 'utf8')));
  it('finds a header field first, after a byte-order mark or an mbox From line', () => {
    expect(starts('Subject: x\r\n\r\nbody')).toBe(true);
    expect(starts('X-Mailer : obsolete blank before the colon')).toBe(true);
    expect(starts('\uFEFFFrom: kim@example.org\n')).toBe(true);
    expect(starts('From kim@example.org Mon Nov  3 10:15:00 2025\nReceived: from x\n')).toBe(true);
  });
  it('refuses text with no header block', () => {
    for (const text of ['hello world this is not an email', '\r\nSubject: x', 'From kim only', ':no name', 'Dear Sir: hello']) expect(starts(text), text).toBe(false);
  });
});
