import { describe, expect, it } from 'vitest';
import { parseEml, UNUSABLE_MESSAGE_ID_WARNING } from './eml.js';

const message = (messageId: string) => Buffer.from(['From: kunde@example.org', 'Subject: Depot', `Message-ID: ${messageId}`, 'Content-Type: text/plain; charset=utf-8', '', 'Bitte Depot schließen.', ''].join('\r\n'), 'utf8');

describe("the email's id from its Message-ID", () => {
  it('is what the angle brackets hold, =, + and @ included', async () => {
    expect((await parseEml(message('<a1.b2=c3+d4@bank.example>'))).id).toBe('a1.b2=c3+d4@bank.example');
  });

  it('is not taken from one holding control or invisible characters, and says so (QA: an escape sequence in an id reached a terminal and a CSV)', async () => {
    for (const id of ['<\x1b[31mred@x.example>', '<evil\u202e@x.example>', '<zero\u200bwidth@x.example>']) {
      const email = await parseEml(message(id));
      expect(email.id, JSON.stringify(id)).toBeUndefined();
      expect(email.warnings, JSON.stringify(id)).toEqual([UNUSABLE_MESSAGE_ID_WARNING]);
      expect(email.body?.trim()).toBe('Bitte Depot schließen.');
    }
  });
});
