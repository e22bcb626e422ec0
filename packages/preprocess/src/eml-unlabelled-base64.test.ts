import { describe, expect, it } from 'vitest';
import { unlabelledBase64 } from './eml-charset.js';
import { parseEml, UNLABELLED_BASE64_WARNING } from './eml.js';

const crlf = (lines: string[]) => lines.join('\r\n');
/** Base64 in lines of 76, as encoders wrap it. */
const wrapped = (text: string, charset: BufferEncoding = 'utf8') => (Buffer.from(text, charset).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
const TEXT = 'Sehr geehrte Damen und Herren,\r\nbitte erhöhen Sie meinen Freistellungsauftrag. Meine Kundennummer ist 1234567890, IBAN DE89 3704 0044 0532 0130 00.\r\nMit freundlichen Grüßen\r\nJürgen Müller\r\n';
const message = (headers: string[], body: string) => crlf(['From: kunde@example.org', 'Subject: Freistellungsauftrag', ...headers, '', body, '']);

describe('a text part whose body is base64 under another Content-Transfer-Encoding, or none (QA: the blob was the text, its IBAN unmasked)', () => {
  it('is decoded as base64 and said so, labelled quoted-printable, 7bit or nothing, in a multipart too', async () => {
    for (const headers of [['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'], ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit'], ['Content-Type: text/plain; charset=utf-8']]) {
      const email = await parseEml(message(headers, wrapped(TEXT)));
      expect(email.body, headers.join(' | ')).toContain('meinen Freistellungsauftrag. Meine Kundennummer ist 1234567890, IBAN DE89');
      expect(email.warnings).toEqual([UNLABELLED_BASE64_WARNING]);
    }
    const latin = await parseEml(message(['Content-Type: text/plain; charset=iso-8859-1'], wrapped(TEXT, 'latin1')));
    expect(latin.body).toContain('Jürgen Müller');
    const multipart = await parseEml(
      crlf(['From: kunde@example.org', 'Subject: Frage', 'Content-Type: multipart/alternative; boundary=b', '', '--b', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', wrapped(TEXT), '--b--', '']),
    );
    expect(multipart.body).toContain('Freistellungsauftrag');
    expect(multipart.warnings).toEqual([UNLABELLED_BASE64_WARNING]);
  });

  it('leaves text that only looks like it as it is: words, reference numbers, capitals, a key on one line', async () => {
    for (const body of ['Hallo', '12345678901234567890123456789012', 'ORDERREFERENCEABCDEFGHIJKLMNOPQRS', 'Rechnungsnummer1234ABCDabcd', 'Bitte+rufen/Sie+mich+an+danke=', 'aGVsbG8gd29ybGQ']) {
      expect(unlabelledBase64(body), body).toBe(false);
      const email = await parseEml(message(['Content-Type: text/plain; charset=utf-8'], body));
      expect(email.body?.trim(), body).toBe(body);
      expect(email.warnings ?? [], body).toEqual([]);
    }
    // A file's base64 (an image's bytes) sent as text is not text: left as it is.
    expect(unlabelledBase64(wrapped(Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 8, 9, 10, 11, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 1, 2, 3, 4]).toString('latin1'), 'latin1'))).toBe(false);
  });
});
