import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALENDAR_WARNING, ENCRYPTED_WARNING, parseEml, TEXT_ATTACHMENT_WARNING } from './eml.js';
import { cleanEmail } from './clean.js';

/** An invented message of packages/preprocess/fixtures/eml (as a mail client sends it, CRLF line ends). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/eml/${name}`, import.meta.url)));

describe('parseEml: messages whose text is not read', () => {
  it('says that an encrypted message (S/MIME enveloped-data, PGP/MIME) was read by its subject only', async () => {
    for (const name of ['smime-encrypted.eml', 'pgp-mime-encrypted.eml']) {
      const email = await parseEml(fixture(name));
      expect(email.body ?? '', name).toBe('');
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

  it('says that a message of only a calendar invitation has no body text (not that it is a named attachment)', async () => {
    const only = await parseEml(fixture('calendar-only.eml'));
    expect(only.body).toBeUndefined();
    expect(only.warnings).toEqual([CALENDAR_WARNING]);
    expect(only.warnings).not.toContain(TEXT_ATTACHMENT_WARNING);
    // An invitation with a text part: the text is read, the calendar source is not, and nothing is warned of.
    const invite = await parseEml(fixture('calendar-invite.eml'));
    expect(cleanEmail(invite, { redact: false }).text).toBe('Termin zur Besprechung der Baufinanzierung. Ich bringe die Unterlagen mit.');
    expect(invite.warnings).toBeUndefined();
  });
});
