import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALENDAR_WARNING, ENCRYPTED_WARNING, parseEml, REPORT_WARNING, TEXT_ATTACHMENT_WARNING, TNEF_WARNING } from './eml.js';
import { cleanEmail } from './clean.js';
import { withoutPgpArmor } from './eml-text.js';
import { automatedKind } from './automated.js';

/** An invented message of packages/preprocess/fixtures/eml (as a mail client sends it, CRLF line ends). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/eml/${name}`, import.meta.url)));

describe('parseEml: messages whose text is not read', () => {
  it('says that an encrypted message (S/MIME enveloped-data, PGP/MIME, an inline PGP block) was read by its subject only', async () => {
    for (const name of ['smime-encrypted.eml', 'pgp-mime-encrypted.eml', 'pgp-inline-encrypted.eml']) {
      const email = await parseEml(fixture(name));
      expect(email.body?.trim() ?? '', name).toBe('');
      expect(cleanEmail(email, { redact: false }).text, name).toBe('');
      expect(email.warnings, name).toEqual([ENCRYPTED_WARNING]);
    }
  });

  it('reads the text of a signed message (S/MIME, PGP/MIME) without its signature, and warns of nothing', async () => {
    for (const name of ['smime-signed.eml', 'pgp-mime-signed.eml']) {
      const email = await parseEml(fixture(name));
      const { text } = cleanEmail(email, { redact: false });
      expect(text, name).toMatch(/^(?:Guten Morgen|Hallo),/);
      expect(text, name).not.toMatch(/SIGNATURE|[A-Za-z0-9+/]{60}/);
      expect(email.warnings, name).toBeUndefined();
    }
  });

  it('reads a message of only a calendar invitation by its summary and description, and says so (not that it is a named attachment)', async () => {
    const only = await parseEml(fixture('calendar-only.eml'));
    expect(only.body).toBe('Beratung Baufinanzierung\n\nTermin zur Besprechung der Baufinanzierung');
    expect(cleanEmail(only, { redact: false }).text).toBe(only.body);
    expect(only.warnings).toEqual([CALENDAR_WARNING]);
    expect(only.warnings).not.toContain(TEXT_ATTACHMENT_WARNING);
    // An invitation with a text part: the text is read, the calendar source is not, and nothing is warned of.
    const invite = await parseEml(fixture('calendar-invite.eml'));
    expect(cleanEmail(invite, { redact: false }).text).toBe('Termin zur Besprechung der Baufinanzierung. Ich bringe die Unterlagen mit.');
    expect(invite.warnings).toBeUndefined();
  });

  it('says that a message whose only content is an Outlook winmail.dat (TNEF) was read by its subject only', async () => {
    const only = await parseEml(fixture('outlook-tnef-only.eml'));
    expect(only.body).toBeUndefined();
    expect(only.warnings).toEqual([TNEF_WARNING]);
    // Beside a text part (as Outlook mostly sends it) the text is read and the winmail.dat only listed.
    const withText = await parseEml(fixture('outlook-tnef-with-text.eml'));
    expect(cleanEmail(withText, { redact: false }).text).toBe('Hallo,\n\nmir fehlt der Kontoauszug für Oktober. Können Sie ihn mir bitte zusenden?');
    expect(withText.attachments.map((a) => a.filename)).toEqual(['winmail.dat']);
    expect(withText.warnings).toBeUndefined();
  });

  it("says that a bounce (multipart/report, a DSN) or a read receipt is a mail system's report, not a person's email", async () => {
    const bounce = await parseEml(fixture('bounce-dsn.eml'));
    expect(bounce.body).toContain('could not\nbe delivered');
    expect(bounce.warnings).toEqual([REPORT_WARNING]);
    const receipt = ['Subject: Gelesen: Depot', 'Content-Type: multipart/report;', ' report-type=disposition-notification; boundary="R"', '', '--R', 'Content-Type: text/plain', '', 'Ihre Nachricht wurde gelesen.', '--R', 'Content-Type: message/disposition-notification', '', 'Disposition: manual-action/MDN-sent-manually; displayed', '--R--', ''];
    expect((await parseEml(receipt.join('\r\n'))).warnings).toEqual([REPORT_WARNING]);
    // A person's multipart email is none.
    expect((await parseEml(fixture('calendar-invite.eml'))).warnings).toBeUndefined();
  });

  it('reads the signs of an automatic sender into autoSubmitted: Auto-Submitted, X-Autoreply, Precedence, a report', async () => {
    const message = (...headers: string[]) => [...headers, 'Subject: Ihre Nachricht', 'Content-Type: text/plain; charset=utf-8', '', 'Ich bin bis 14.12. nicht im Büro.', ''].join('\r\n');
    expect((await parseEml(message('Auto-Submitted: auto-replied (vacation)'))).autoSubmitted).toBe('auto-replied (vacation)');
    expect((await parseEml(message('Auto-Submitted: no'))).autoSubmitted).toBe('no');
    expect((await parseEml(message('X-Autoreply: yes'))).autoSubmitted).toBe('auto-replied');
    expect((await parseEml(message('X-Autorespond: Abwesend'))).autoSubmitted).toBe('auto-replied');
    expect((await parseEml(message('Precedence: auto_reply'))).autoSubmitted).toBe('auto-replied');
    // A mail system's report says which, whatever else it states: a delivery report is a bounce (or a delay).
    expect((await parseEml(fixture('bounce-dsn.eml'))).autoSubmitted).toBe('auto-replied (delivery-status)');
    const report = (type: string, ...headers: string[]) =>
      [...headers, 'From: mailadmin@mx.example', 'Subject: Nondelivery notification', `Content-Type: multipart/report; report-type=${type}; boundary="R"`, '', '--R', 'Content-Type: text/plain', '', 'Report.', '--R--', ''].join('\r\n');
    const bounce = await parseEml(report('delivery-status', 'Auto-Submitted: auto-generated'));
    expect(bounce.autoSubmitted).toBe('auto-replied (delivery-status)');
    expect(automatedKind(bounce)).toBe('delivery_failure');
    const receipt = await parseEml(report('disposition-notification'));
    expect([receipt.autoSubmitted, automatedKind(receipt)]).toEqual(['auto-replied (disposition-notification)', 'auto_reply']);
    // None of them: a person's email (a mailing list's Precedence: bulk is not an automatic reply; the X- headers may say no).
    expect((await parseEml(message('Precedence: bulk'))).autoSubmitted).toBeUndefined();
    for (const no of ['X-Autoreply: no', 'X-Autoreply: false', 'X-Autoreply: 0', 'X-Autorespond: off']) expect((await parseEml(message(no))).autoSubmitted, no).toBeUndefined();
    expect(await parseEml(message())).not.toHaveProperty('autoSubmitted');
    // Exchange's inbox rules send auto-generated with X-Autoreply: an automatic reply; auto-generated alone stays as stated.
    const rule = await parseEml(message('Auto-Submitted: auto-generated', 'X-Autoreply: yes', 'X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent'));
    expect([rule.autoSubmitted, automatedKind(rule)]).toEqual(['auto-replied', 'auto_reply']);
    expect((await parseEml(message('Auto-Submitted: auto-generated'))).autoSubmitted).toBe('auto-generated');
    expect((await parseEml(message('Auto-Submitted: no', 'X-Autoreply: yes'))).autoSubmitted).toBe('no');
  });

  it("reads a delivery report's Action: all recipients delayed or delivered is an auto-reply, one failed a failure", async () => {
    const dsn = (...actions: string[]) =>
      [
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'Subject: Delivery Status Notification',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
        '',
        '--R',
        'Content-Type: text/plain',
        '',
        'Report.',
        '--R',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example',
        ...actions.flatMap((action, i) => ['', `Final-Recipient: rfc822; kunde${i}@mail.example`, `Action: ${action}`, 'Status: 4.4.1']),
        '--R--',
        '',
      ].join('\r\n');
    const delayed = await parseEml(dsn('delayed'));
    expect([delayed.autoSubmitted, automatedKind(delayed)]).toEqual(['auto-replied (delivery-status; delayed)', 'auto_reply']);
    expect(automatedKind(await parseEml(dsn('delivered', 'relayed')))).toBe('auto_reply');
    // RFC 6533's global reports (mail to an address with umlauts) alike.
    const global = (...actions: string[]) => dsn(...actions).replace('report-type=delivery-status', 'report-type=global-delivery-status').replace('message/delivery-status', 'message/global-delivery-status');
    expect((await parseEml(global('failed'))).autoSubmitted).toBe('auto-replied (delivery-status)');
    expect((await parseEml(global('delayed'))).autoSubmitted).toBe('auto-replied (delivery-status; delayed)');
    const mixed = await parseEml(dsn('delayed', 'failed'));
    expect([mixed.autoSubmitted, automatedKind(mixed)]).toEqual(['auto-replied (delivery-status)', 'delivery_failure']);
  });
});

describe('parseEml: what mail clients write into the text that is not the writer\'s', () => {
  it('reads an inline PGP-signed body (clearsigned) as the signed text, without its armor and signature block', async () => {
    const email = await parseEml(fixture('pgp-inline-signed.eml'));
    expect(email.body).not.toMatch(/PGP|Hash: SHA256|iQEz/);
    const { text, signature } = cleanEmail(email, { redact: false });
    expect(text).toBe('Hallo,\n\nbitte erhöhen Sie meinen Sparplan auf 200 Euro monatlich.');
    expect(signature).toBe('Gruß\nKai Fantasie');
  });

  it('undoes the dash-escaping of clearsigned text and leaves an armor without its signature block as written', () => {
    const signed = ['Text davor', '-----BEGIN PGP SIGNED MESSAGE-----', 'Hash: SHA512', '', 'Bitte kündigen.', '- -- ', '- - Punkt', '-----BEGIN PGP SIGNATURE-----', '', 'iQEz', '=ab12', '-----END PGP SIGNATURE-----', 'Text danach'];
    expect(withoutPgpArmor(signed.join('\r\n'))).toBe('Text davor\r\nBitte kündigen.\r\n-- \r\n- Punkt\r\n\r\nText danach');
    const unsigned = '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nBitte kündigen.\n';
    expect(withoutPgpArmor(unsigned)).toBe(unsigned);
  });

  it("drops Outlook's placeholders for inline images ([cid:image001.png@...]) from the text alternative", async () => {
    const email = await parseEml(fixture('outlook-inline-image.eml'));
    expect(email.body).not.toContain('cid:');
    expect(cleanEmail(email, { redact: false }).text).toBe('Hallo,\n\nmein Konto ist gesperrt, siehe Screenshot:\n\nBitte um Rückruf.');
  });

  it('reads the HTML of an email whose text alternative only says to view the HTML (a web form sent by PHPMailer)', async () => {
    const email = await parseEml(fixture('web-form-html-only.eml'));
    expect(email.body).toBeUndefined();
    expect(cleanEmail(email, { redact: false }).text).toBe('Name: Paul Platzhalter\n\nNachricht: Bitte rufen Sie mich wegen meiner Kreditanfrage zurück.');
    // A text that names HTML is the writer's when no HTML with text stands beside it.
    const plain = await parseEml(['Subject: Online-Banking', 'Content-Type: text/plain; charset=utf-8', '', 'Die HTML-Ansicht im Online-Banking wird nicht angezeigt.', ''].join('\r\n'));
    expect(plain.body?.trim()).toBe('Die HTML-Ansicht im Online-Banking wird nicht angezeigt.');
  });

  it('joins quoted-printable lines at a soft line break a relay padded with blanks (`= ` or `=\\t` at the line end)', async () => {
    const email = await parseEml(fixture('qp-padded-soft-breaks.eml'));
    expect(email.body?.trim()).toBe('Bitte prüfen Sie meine Überweisung vom Montag. Sie ist nicht angekommen.');
    // In an HTML part of a multipart too, with the charset judged on the joined bytes.
    const html = ['Subject: x', 'Content-Type: multipart/alternative; boundary=Q', '', '--Q', 'Content-Type: text/html; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', '<p>R=FCck= ', 'ruf bitte</p>', '--Q--', ''];
    expect(cleanEmail(await parseEml(html.join('\r\n')), { redact: false }).text).toBe('Rückruf bitte');
  });
});
