import { describe, expect, it } from 'vitest';
import { GUESSED_BODY_START_WARNING, parseEml, UNSPLIT_MULTIPART_WARNING } from './eml.js';
import { cleanEmail } from './clean.js';
import { decodeFlowed } from './eml-flowed.js';
import { headerBlock } from './eml-header-block.js';

const crlf = (lines: string[]) => lines.join('\r\n');

describe('parseEml: format=flowed (RFC 3676)', () => {
  const flowed = (params: string, encoding: string, body: string) =>
    crlf(['From: a@example.org', 'Subject: Re: Adresse', `Content-Type: text/plain; charset=utf-8; format=flowed${params}`, `Content-Transfer-Encoding: ${encoding}`, '', body]);
  const REPLY = ['Am 02.03.26 um 09:00 schrieb Kundenservice:', '> Bitte nennen Sie uns Ihre neue ', '> Anschrift. ', 'Meine neue Anschrift ist Musterweg 5, 12345 Musterstadt.', '', 'Gruss', ''];

  it('ends a flowed quoted paragraph where the quote depth changes: the answer under it is not quoted', async () => {
    const email = await parseEml(flowed('', '8bit', crlf(REPLY)));
    expect(email.body).toBe('Am 02.03.26 um 09:00 schrieb Kundenservice:\n> Bitte nennen Sie uns Ihre neue Anschrift.\nMeine neue Anschrift ist Musterweg 5, 12345 Musterstadt.\n\nGruss\n');
    expect(cleanEmail(email).text).toContain('Meine neue Anschrift ist Musterweg 5');
  });

  it('reads flowed text sent quoted-printable or base64 the same, DelSp=yes taking the space before a soft break', async () => {
    const qp = await parseEml(flowed('', 'quoted-printable', crlf(REPLY.map((line) => line.replace(/ $/, '=20')))));
    expect(qp.body).toContain('> Bitte nennen Sie uns Ihre neue Anschrift.\nMeine neue Anschrift');
    const base64 = await parseEml(flowed('', 'base64', Buffer.from(crlf(REPLY), 'utf8').toString('base64')));
    expect(base64.body).toContain('> Bitte nennen Sie uns Ihre neue Anschrift.\nMeine neue Anschrift');
    const delSp = await parseEml(flowed('; DelSp=yes', '8bit', crlf(['Ich m\u00f6chte meine Kredit ', 'karte sperren. ', '> Alte Kunden ', '> nummer', ''])));
    expect(delSp.body).toBe('Ich möchte meine Kreditkarte sperren.\n> Alte Kundennummer\n');
  });

  it('decodes flowed lines: a paragraph per quote depth, quote marks and stuffing of its later lines out, the signature separator kept', () => {
    expect(decodeFlowed('> a \n> b\n>> c \n>> d \nE \n-- \nSig\n', false)).toBe('> a b\n>> c d\nE\n-- \nSig\n');
    expect(decodeFlowed(' From here \n on\n', false)).toBe('From here on\n');
    expect(decodeFlowed('no line end', false)).toBe('no line end');
  });
});

describe('parseEml: a header block not ended by an empty line', () => {
  it('starts the body at a line of blanks after the headers, or at a line that can be no field, and says so', async () => {
    for (const raw of [
      'From: a@example.org\nSubject: Konto\n \nIch möchte mein Konto kündigen.\n',
      'From: a@example.org\nSubject: Konto\n\t\r\nIch möchte mein Konto kündigen.\n',
      'From: a@example.org\nSubject: Konto\nIch möchte mein Konto kündigen.\n',
    ]) {
      const email = await parseEml(raw);
      expect(email.subject, JSON.stringify(raw)).toBe('Konto');
      expect(email.body, JSON.stringify(raw)).toBe('Ich möchte mein Konto kündigen.\n');
      expect(email.warnings, JSON.stringify(raw)).toEqual([GUESSED_BODY_START_WARNING]);
    }
  });

  it('takes fields of one-word names mail does not use, right before such a body, as its first lines', async () => {
    const email = await parseEml('From: a@example.org\nSubject: Konto\nHinweis: Ich möchte mein Konto kündigen.\nDanke\n');
    expect(email.body).toBe('Hinweis: Ich möchte mein Konto kündigen.\nDanke\n');
    expect(email.subject).toBe('Konto');
  });

  it('leaves a line of junk among header fields that an empty line ends in the header block, and well-formed messages as they were', async () => {
    const junk = await parseEml('From: a@example.org\nSubject: x\nX-Mailer: Scan2Mail\n=====\nTo: service@bank.example\n\nBitte Karte sperren.\n');
    expect(junk.body).toBe('Bitte Karte sperren.\n');
    expect(junk.warnings).toBeUndefined();
    const mbox = await parseEml('\ufeffFrom a@example.org Tue Mar  3 10:15:00 2026\nFrom: a@example.org\nSubject: y\n\nText\n');
    expect(mbox.body).toBe('Text\n');
    expect(mbox.warnings).toBeUndefined();
    expect((await parseEml('From: a@example.org\nSubject: Nur Betreff')).warnings).toBeUndefined();
  });

  it('reads a part of a multipart that has no header block and no empty line as text', async () => {
    const email = await parseEml(crlf(['From: a@example.org', 'Subject: Teile', 'Content-Type: multipart/mixed; boundary="q"', '', '--q', 'Content-Type: text/plain', '', 'Hallo,', '--q', 'Bitte Karte sperren.', '--q--', '']));
    expect(email.body).toContain('Bitte Karte sperren.');
  });

  it('finds the end of a header block in one pass', () => {
    const s = 'Subject: x\nHinweis: a\n folded\nText\n';
    expect(headerBlock(s, 0, s.length, true)).toEqual({ headEnd: 11, bodyStart: 11, eol: '\n', fix: { at: 11, text: '\n' } });
    const blank = 'Subject: x\r\n\r\nText';
    expect(headerBlock(blank, 0, blank.length, true)).toEqual({ headEnd: 12, bodyStart: 14, eol: '\r\n' });
  });
});

describe('parseEml: multipart structure', () => {
  const pdf = ['Content-Type: application/pdf; name="a.pdf"', 'Content-Disposition: attachment; filename="a.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK'];

  it("reads Exchange's ATT00001.txt and ATT00002.htm after an attachment as the body's continuation, not as files", async () => {
    const b64 = Buffer.from('Bitte pruefen Sie meinen Kreditantrag bis Freitag.').toString('base64');
    const raw = crlf([
      'From: a@example.org', 'Subject: Unterlagen', 'Content-Type: multipart/mixed; boundary="q"', '',
      '--q', 'Content-Type: text/plain; charset=us-ascii', '', 'Anbei die Nachweise.',
      '--q', ...pdf,
      '--q', 'Content-Type: text/plain; name="ATT00001.txt"', 'Content-Disposition: attachment; filename="ATT00001.txt"', 'Content-Transfer-Encoding: base64', '', b64,
      '--q', 'Content-Type: text/html; name="ATT00002.htm"', 'Content-Disposition: attachment; filename="ATT00002.htm"', '', '<p>Mit freundlichen Gruessen</p>',
      '--q--', '',
    ]);
    const email = await parseEml(raw);
    expect(email.body).toContain('Anbei die Nachweise.');
    expect(email.body).toContain('Bitte pruefen Sie meinen Kreditantrag bis Freitag.');
    expect(email.body).toContain('Mit freundlichen Gruessen');
    expect(email.attachmentNames).toEqual(['a.pdf']);
    // Another text file stays a file.
    const other = await parseEml(raw.replace(/ATT00001\.txt/g, 'ATT0001.txt'));
    expect(other.attachmentNames).toEqual(['a.pdf', 'ATT0001.txt']);
  });

  it('splits at a boundary that is a prefix of a nested one (=_b, =_b_alt) without a warning', async () => {
    const email = await parseEml(
      crlf(['From: a@example.org', 'Subject: x', 'Content-Type: multipart/mixed; boundary="=_b"', '',
        '--=_b', 'Content-Type: multipart/alternative; boundary="=_b_alt"', '', '--=_b_alt', 'Content-Type: text/plain; charset=utf-8', '', 'Hallo', '--=_b_alt--',
        '--=_b', ...pdf, '--=_b--', '']),
    );
    expect(email.body).toBe('Hallo\n');
    expect(email.attachmentNames).toEqual(['a.pdf']);
    expect(email.warnings).toBeUndefined();
    // A delimiter with blanks after it is one; one with other text after it is not.
    const blanks = await parseEml(crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary="b"', '', '--b \t', '', 'Hallo', '--b-- ', '']));
    expect(blanks.body).toBe('Hallo\n');
    const unsplit = await parseEml(crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary="b"', '', '--b_alt', '', 'Hallo', '']));
    expect(unsplit.warnings).toEqual([UNSPLIT_MULTIPART_WARNING]);
  });

  it('reads a forward sent as message/global (RFC 6532) as one sent as message/rfc822', async () => {
    const email = await parseEml(
      crlf(['From: a@example.org', 'Subject: WG', 'Content-Type: multipart/mixed; boundary="g"', '', '--g', 'Content-Type: text/plain; charset=utf-8', '', 'siehe unten',
        '--g', 'Content-Type: message/global', '', 'From: Käthe <k@example.net>', 'Subject: Gebühren', '', 'Die Gebühren sind zu hoch, ich kündige.', '--g--', '']),
    );
    expect(email.body).toContain('Die Gebühren sind zu hoch, ich kündige.');
    expect(email.body).toContain('Subject: Gebühren');
    expect(email.attachments).toEqual([]);
  });
});
