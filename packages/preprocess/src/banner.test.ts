import { describe, expect, it } from 'vitest';
import { removeLeadingBanner } from './banner.js';
import { cleanEmail } from './clean.js';

const clean = (body: string) => cleanEmail({ body }, { redact: false }).text;
const request = 'Hallo,\nbitte ändern Sie meinen Freistellungsauftrag auf 1.000 EUR.\nDanke';

describe('removeLeadingBanner', () => {
  it.each([
    ['CAUTION: This email originated from outside of the organization. Do not click links or open attachments unless you\nrecognize the sender and know the content is safe.'],
    ['ACHTUNG: Diese E-Mail stammt von einem externen Absender. Klicken Sie nicht auf Links und öffnen Sie keine Anhänge,\nwenn Sie den Absender nicht kennen.'],
    ['[EXTERNAL]'],
    ['*** EXTERNE E-MAIL ***'],
    ["You don't often get email from kunde@example.org. Learn why this is important"],
    ['Sie erhalten nicht oft eine E-Mail von kunde@example.org. Erfahren Sie, warum dies wichtig ist'],
    ['    CAUTION:This message is from an EXTERNAL SENDER - be CAUTIOUS, Do NOT Click any links or Open any attachments if you were not expecting them.'],
    ['Vorsicht: Diese Nachricht kommt von außerhalb der Organisation.'],
    ['This email originated from outside of the organization.'],
    // Outlook's tip as Microsoft 365 words it now, and one-line tags with their advice (HTML audit).
    ["Some people who received this message don't often get email from kunde@example.com. Learn why this is important"],
    ['Einige Personen, die diese Nachricht erhalten haben, erhalten nicht oft E-Mails von kunde@example.com. Erfahren Sie, warum dies wichtig ist'],
    ['This message originated outside your organization. Please be cautious with links and attachments.'],
    ['CAUTION - EXTERNAL EMAIL: Do not click links or open attachments unless you recognize the sender.'],
    ['EXTERNE E-MAIL: Prüfen Sie Absender und Links, bevor Sie klicken.'],
  ])('takes %j from the top, leaving the customer\'s text as it was', (banner) => {
    expect(clean(`${banner}\n\n${request}`)).toBe(clean(request));
    // Right above the greeting, with no blank line between.
    expect(clean(`${banner}\n${request}`)).toBe(clean(request));
  });

  it.each([
    ['CAUTION: This email originated from outside of the organization. Do not click links or open attachments unless you recognize the sender.', 'My card was stolen yesterday, please block it.\nThanks, John'],
    ['ACHTUNG: Diese E-Mail stammt von einem externen Absender.', 'Meine Karte wurde gestohlen, bitte sofort sperren!\nHans'],
    ["You don't often get email from john@example.com. Learn why this is important", 'I want to dispute a transaction of 49.99 on my credit card.\nJohn'],
    ['Sie erhalten nicht oft eine E-Mail von max@example.de. Erfahren Sie, warum dies wichtig ist', 'Ich möchte eine Lastschrift zurückgeben lassen.'],
    ['ACHTUNG: Diese E-Mail stammt von einem externen Absender.\nKlicken Sie nicht auf Links, wenn Sie den Absender nicht kennen.', 'Ich kann den Anhang Ihrer letzten Mail nicht öffnen.'],
    ['[EXTERNAL]', 'Bitte lösen Sie mein Depot auf.'],
    // Outlook's tip with its link, and a first line with no full stop: the customer's line under it is no rest of it.
    ["You don't often get email from john@example.com. Learn why this is important<https://aka.ms/LearnAboutSenderIdentification>", 'I want to dispute a transaction.\nJohn'],
    ['CAUTION: This email originated from outside of the organization', 'I want to dispute a transaction.\nJohn'],
    ['CAUTION: This email originated from outside of the organization.', 'The link in your last email does not work.'],
  ])('takes %j and leaves the customer\'s text written right under it, with no greeting or blank line between', (banner, text) => {
    expect(clean(`${banner}\n${text}`)).toBe(clean(text));
  });

  it.each([
    ['[EXTERNAL EMAIL]\nThis email originated outside of the organization.\nPlease verify the sender before clicking links or opening attachments.', 'Hi,\nplease send my statement.'],
    ['ACHTUNG: Diese E-Mail stammt von einem externen Absender.\nSeien Sie vorsichtig beim Öffnen von Links und Anhängen.', 'Bitte sperren Sie meine Karte.'],
    ['ACHTUNG: Diese E-Mail stammt von einem externen Absender.\nPrüfen Sie Links und Anhänge sorgfältig.', 'Bitte sperren Sie meine Karte.'],
    ['CAUTION: This email originated from outside of the organization.\nBe cautious, particularly with links and attachments.', 'Please block my card.'],
  ])('takes a banner\'s further sentences in its own words (%j), whatever their wording', (banner, text) => {
    expect(clean(`${banner}\n${text}`)).toBe(clean(text));
  });

  it('takes a banner in its own HTML block above the customer\'s block (one line break between them)', () => {
    const html = '<div style="border:1px solid red"><b>CAUTION:</b> This email originated from outside of the organization. Do not click links or open attachments unless you recognize the sender.</div><div>Please block my card, it was stolen.</div><div>John</div>';
    expect(cleanEmail({ html }, { redact: false }).text).toBe('Please block my card, it was stolen.\nJohn');
  });

  it('takes stacked banners, and says what went as a disclaimer', () => {
    const lines = ["You don't often get email from kunde@example.org. Learn why this is important", '', '[EXTERNAL]', '', ...request.split('\n')];
    const { lines: kept, removed } = removeLeadingBanner(lines);
    expect(kept).toEqual(request.split('\n'));
    expect(removed.map((r) => r.kind)).toEqual(['disclaimer', 'disclaimer']);
    expect(cleanEmail({ body: lines.join('\n') }).removed.filter((r) => r.kind === 'disclaimer').map((r) => r.text)).toEqual([lines[0], '[EXTERNAL]']);
  });

  it('leaves a banner that does not stand at the top, and the customer\'s own words about outside mail', () => {
    const below = `${request}\n\nCAUTION: This email originated from outside of the organization.\n\nMehr Text`;
    expect(clean(below)).toContain('Mehr Text');
    const own = 'Diese E-Mail stammt von meinem Mann, der das Depot mit mir führt.\nBitte übertragen Sie es.';
    expect(removeLeadingBanner(own.split('\n')).removed).toEqual([]);
    const extern = 'Externe Depotüberträge dauern zu lange.\nBitte prüfen Sie das.';
    expect(removeLeadingBanner(extern.split('\n')).removed).toEqual([]);
    // A tag's words with the writer's own words after them: no gateway's advice.
    for (const own of ['External email: I cannot log in since yesterday.', 'External email: Please reset my online banking password, I cannot log in.', 'Externe Nachricht: Bitte überweisen Sie 500 EUR an meinen Sohn.']) {
      expect(clean(`${own}\nDas ist dringend.`), own).toBe(`${own}\nDas ist dringend.`);
    }
    // A tag and a long run of blanks ends in linear time (two blank runs side by side in the pattern were quadratic:
    // 80,000 blanks took 6.6 s); a slow pattern fails this test by its timeout.
    const long = `CAUTION${' '.repeat(200_000)}x`;
    expect(clean(long) === long).toBe(true);
  });

  it('takes only the first line of a long paragraph that opens as a banner (the customer wrote on under it)', () => {
    const long = ['CAUTION: This email originated from outside of the organization.', ...Array.from({ length: 8 }, (_, i) => `Line ${i} of the customer's request.`)];
    const { lines: kept } = removeLeadingBanner(long);
    expect(kept).toEqual(long.slice(1));
  });

  it('is idempotent under cleaning', () => {
    const body = `[EXTERNAL]\n\nCAUTION: This email originated from outside of the organization.\n\n${request}`;
    expect(clean(clean(body))).toBe(clean(body));
  });
});
