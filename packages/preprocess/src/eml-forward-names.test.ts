import { describe, expect, it } from 'vitest';
import { FORWARD_NAME, parseEml } from './eml.js';

const crlf = (lines: string[]) => lines.join('\r\n');
const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** A cover note and a forward as attachment: `part`, the forward's part header fields; `inner`, its own header fields. */
function forward(part: string[], inner: string[], body = 'Bitte setzen Sie meinen Sparplan aus.', after: string[] = []): string {
  return crlf([
    'From: Jan Vogel <jan.vogel@example.de>',
    'Subject: WG: Sparplan',
    'Content-Type: multipart/mixed; boundary="mix"',
    '',
    '--mix',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Zur Info.',
    '--mix',
    ...part,
    '',
    'From: Jan Vogel <jan.vogel@example.de>',
    ...inner,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    ...after,
    '--mix--',
    '',
  ]);
}

describe('parseEml: an attached message (message/rfc822) in attachmentNames', () => {
  it("lists a forward as attachment by its part's file name, and still reads its text", async () => {
    // The trial's 20_rfc822_attachment.eml.
    const email = await parseEml(
      forward(['Content-Type: message/rfc822; name="Ihre Order wurde storniert.eml"', 'Content-Disposition: attachment; filename="Ihre Order wurde storniert.eml"'], ['Subject: =?UTF-8?Q?Ihre_Order_wurde_storniert?=']),
    );
    expect(email.attachmentNames).toEqual(['Ihre Order wurde storniert.eml']);
    expect(email.body).toContain('Bitte setzen Sie meinen Sparplan aus.');
    // A name in RFC 2231's form, or only in the Content-Type, or in an encoded word, is decoded as a file's is.
    for (const [part, name] of [
      [["Content-Type: message/rfc822", "Content-Disposition: attachment; filename*=utf-8''K%C3%BCndigung%20Depot.eml"], 'Kündigung Depot.eml'],
      [['Content-Type: message/rfc822; name="Depot.eml"'], 'Depot.eml'],
      [['Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="=?utf-8?Q?K=C3=BCndigung.eml?="'], 'Kündigung.eml'],
    ] as const) {
      expect((await parseEml(forward([...part], ['Subject: Sparplan']))).attachmentNames, name).toEqual([name]);
    }
  });

  it('lists a nameless forward by its Subject and .eml, or as forwarded.eml when it has none', async () => {
    // The trial's 31_rfc822_short_cover.eml.
    expect((await parseEml(forward(['Content-Type: message/rfc822'], ['Subject: Sparplan']))).attachmentNames).toEqual(['Sparplan.eml']);
    expect((await parseEml(forward(['Content-Type: message/rfc822'], ['Subject: =?UTF-8?B?S8O8bmRpZ3VuZw==?=']))).attachmentNames).toEqual(['Kündigung.eml']);
    // A raw 8-bit Windows-1252 Subject reads as the message's own fields do.
    expect((await parseEml(latin1(forward(['Content-Type: message/rfc822'], ['Subject: \xdcberweisung'])))).attachmentNames).toEqual(['Überweisung.eml']);
    expect((await parseEml(forward(['Content-Type: message/rfc822'], []))).attachmentNames).toEqual([FORWARD_NAME]);
    expect((await parseEml(forward(['Content-Type: message/rfc822'], ['Subject:   ']))).attachmentNames).toEqual([FORWARD_NAME]);
    // RFC 6532's message/global, read as message/rfc822.
    expect((await parseEml(forward(['Content-Type: message/global'], ['Subject: Sparplan']))).attachmentNames).toEqual(['Sparplan.eml']);
  });

  it('lists a base64-encoded forward, a forward beside a file, and a file in a forward', async () => {
    const inner = crlf(['From: bank@example.com', 'Subject: Kontoauszug', 'Content-Type: text/plain', '', 'Anbei.', '']);
    const encoded = Buffer.from(inner, 'latin1').toString('base64');
    const base64 = await parseEml(crlf(['Subject: WG', 'Content-Type: multipart/mixed; boundary=B1', '', '--B1', 'Content-Type: message/rfc822', 'Content-Transfer-Encoding: base64', '', encoded, '--B1--', '']));
    expect(base64.attachmentNames).toEqual(['Kontoauszug.eml']);
    expect(base64.body).toContain('Anbei.');
    const beside = await parseEml(
      forward(['Content-Type: message/rfc822'], ['Subject: Sparplan'], 'Bitte aussetzen.', ['--mix', 'Content-Type: application/pdf; name="Vollmacht.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK']),
    );
    expect(beside.attachmentNames).toEqual(['Sparplan.eml', 'Vollmacht.pdf']);
    // A file and a message attached to the forward (which the parser lists, reading one level of forwards) after it.
    const nested = await parseEml(
      crlf(['Subject: WG', 'Content-Type: multipart/mixed; boundary=B1', '', '--B1', 'Content-Type: text/plain', '', 'Zur Info', '--B1', 'Content-Type: message/rfc822', '',
        'From: a@b.example', 'Subject: Vollmacht', 'Content-Type: multipart/mixed; boundary=B2', '', '--B2', 'Content-Type: text/plain', '', 'Anbei', '--B2',
        'Content-Type: application/pdf; name="Vollmacht.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK', '--B2', 'Content-Type: message/rfc822', '', 'From: c@d.example', 'Subject: Alt', '', 'alt', '--B2--', '--B1--', '']),
    );
    expect(nested.attachmentNames).toEqual(['Vollmacht.eml', 'Vollmacht.pdf', 'Alt.eml']);
  });

  it("lists a delivery report's returned message once, by its Subject", async () => {
    const report = crlf([
      'From: MAILER-DAEMON@mx.example',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'This is the mail system at host mx.example.',
      '--r',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; kunde@mail.example',
      'Action: failed',
      '',
      '--r',
      'Content-Type: message/rfc822',
      '',
      'From: service@bank.example',
      'Subject: Ihre Steuerbescheinigung',
      '',
      'Text',
      '--r--',
      '',
    ]);
    expect((await parseEml(report)).attachmentNames).toEqual(['Ihre Steuerbescheinigung.eml']);
  });
});
