import { describe, expect, it } from 'vitest';
import { cleanEmail } from './clean.js';
import { invitationText } from './eml-calendar.js';
import { CALENDAR_WARNING, CALENDAR_WITHOUT_TEXT_WARNING, parseEml } from './eml.js';

const calendar = (...event: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', ...event, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('invitationText', () => {
  it('reads the event\'s SUMMARY and DESCRIPTION, folded lines unfolded and TEXT escapes unescaped (RFC 5545)', () => {
    const source = calendar(
      'DESCRIPTION;LANGUAGE=de-DE:Guten Tag\\,\\n\\nich möchte meine Baufinanzierung be',
      ' sprechen\\; bitte bringen Sie die Unterlagen mit.\\NPfad: C:\\\\neu',
      'SUMMARY;ALTREP="cid:part1@example.net":Beratung',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Reminder',
      'END:VALARM',
    );
    expect(invitationText(source)).toBe('Beratung\n\nGuten Tag,\n\nich möchte meine Baufinanzierung besprechen; bitte bringen Sie die Unterlagen mit.\nPfad: C:\\neu');
  });

  it('reads only the first event that has text, and nothing where no event has any', () => {
    const two = calendar('SUMMARY:Erster Termin', 'END:VEVENT', 'BEGIN:VEVENT', 'SUMMARY:Zweiter Termin');
    expect(invitationText(two)).toBe('Erster Termin');
    expect(invitationText(calendar('DTSTART:20261210T100000Z', 'SUMMARY: '))).toBeUndefined();
    expect(invitationText('BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nDESCRIPTION:Zone\nEND:VTIMEZONE\nEND:VCALENDAR')).toBeUndefined();
  });
});

describe('parseEml: a message of only a calendar invitation', () => {
  const message = (source: string) =>
    ['From: Anna <anna@example.net>', 'Subject: Einladung: Beratung', 'MIME-Version: 1.0', 'Content-Type: text/calendar; charset=utf-8; method=REQUEST', '', source].join('\r\n');

  it('has the invitation\'s text as its body, and a warning that says where the text came from', async () => {
    const email = await parseEml(message(calendar('SUMMARY:Beratung', 'DESCRIPTION:Ich möchte mein Depot\\n', ' übertragen.')));
    expect(email.body).toBe('Beratung\n\nIch möchte mein Depot\nübertragen.');
    expect(cleanEmail(email, { redact: false }).text).toBe('Beratung\n\nIch möchte mein Depot\nübertragen.');
    expect(email.warnings).toEqual([CALENDAR_WARNING]);
  });

  it('is read by its subject only when the invitation has no summary or description, as the warning says', async () => {
    const email = await parseEml(message(calendar('DTSTART:20261210T100000Z')));
    expect(email.body).toBeUndefined();
    expect(email.warnings).toEqual([CALENDAR_WITHOUT_TEXT_WARNING]);
  });
});
