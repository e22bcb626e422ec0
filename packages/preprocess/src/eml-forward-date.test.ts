import { describe, expect, it } from 'vitest';
import { parseEml } from './eml.js';
import { inTimeZones } from './test-time-zones.js';
import { cleanEmail } from './clean.js';
import { forwardedText } from './forward.js';

const crlf = (lines: string[]) => lines.join('\r\n');

/** A cover note and a forward attached as message/rfc822 with the Date header `date` (lines, so it may be folded). */
function forward(date: string[], partHeaders: string[] = [], type = 'text/plain', body = 'Ich beschwere mich über die Depotgebühren.'): string {
  const message = ['From: Kunde <k@example.com>', ...date, 'Subject: Beschwerde', `Content-Type: ${type}; charset=utf-8`, '', body];
  const encoded = partHeaders.some((h) => /base64/.test(h)) ? [Buffer.from(crlf(message), 'utf8').toString('base64')] : message;
  return crlf(['Subject: Beschwerde', 'Content-Type: multipart/mixed; boundary=F1', '', '--F1', 'Content-Type: text/plain', '', 'Zur Info.', '--F1', 'Content-Type: message/rfc822', ...partHeaders, '', ...encoded, '--F1--', '']);
}

/** The header block the parser writes for the forward, with `date` on its Date line and rules as long as the longest line. */
function block(date: string): string {
  const lines = ['From:    Kunde <k@example.com>', 'Subject: Beschwerde', `Date:    ${date}`];
  const rule = '-'.repeat(Math.max(...lines.map((line) => line.length)));
  return [rule, ...lines, rule].join('\n');
}

const ZONES = ['America/New_York', 'Asia/Tokyo'];

describe('parseEml: the Date of an attached message', () => {
  it('is written into the text as sent (unfolded, trimmed), the same in every time zone', async () => {
    for (const [date, sent] of [
      [['Date: Mon, 30 Nov 2026 07:00:00 +0000'], 'Mon, 30 Nov 2026 07:00:00 +0000'],
      // Folded, with blanks around it.
      [['Date:   Mon, 30 Nov 2026', '\t07:00:00 +0100 (CET)  '], 'Mon, 30 Nov 2026\t07:00:00 +0100 (CET)'],
      // Without a zone, which the parser read in the process's time zone.
      [['Date: Mon, 30 Nov 2026 07:00:00'], 'Mon, 30 Nov 2026 07:00:00'],
      // No date at all: the parser writes it as it is.
      [['Date: gestern'], 'gestern'],
    ] as const) {
      await inTimeZones(ZONES, async (zone) => {
        const email = await parseEml(forward([...date]));
        expect(email.body, `${sent} in ${zone}`).toBe(`Zur Info.\n\n\n${block(sent)}\n\nIch beschwere mich über die Depotgebühren.\n`);
      });
    }
  });

  it('is the same in a forward sent base64 encoded and as an attachment, and in the HTML, whose data-date is ISO 8601 UTC', async () => {
    await inTimeZones(ZONES, async (zone) => {
      const encoded = await parseEml(forward(['Date: Mon, 30 Nov 2026 07:00:00'], ['Content-Disposition: attachment; filename="b.eml"', 'Content-Transfer-Encoding: base64']));
      expect(encoded.body, zone).toContain(`\n${block('Mon, 30 Nov 2026 07:00:00')}\n`);
      const html = await parseEml(forward(['Date: Mon, 30 Nov 2026 07:00:00'], [], 'text/html', '<p>Ich beschwere mich.</p>'));
      expect(html.html, zone).toContain('data-date="2026-11-30T07:00:00.000Z">Mon, 30 Nov 2026 07:00:00</div>');
      expect(html.body, zone).toContain(`\n${block('Mon, 30 Nov 2026 07:00:00')}\n`);
    });
  });

  it('leaves the header block a forward: the model still reads the forwarded text behind the cover note', async () => {
    await inTimeZones(ZONES, async () => {
      const email = await parseEml(forward(['Date: Mon, 30 Nov 2026 07:00:00 +0100']));
      expect(forwardedText(email, cleanEmail(email))).toBe('Ich beschwere mich über die Depotgebühren.');
    });
  });
});
