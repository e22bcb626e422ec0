import { describe, expect, it } from 'vitest';
import { cleanText } from './clean.js';
import { isDeviceLine, isSignOff } from './signature.js';

const visible = (s: string) => cleanText(s, 'visible');

describe('signatures, device lines, disclaimers and footers', () => {
  it('recognises German and English sign-offs, with or without a name on the line', () => {
    for (const l of ['Mit freundlichen Grüßen', 'Viele Grüße,', 'MfG', 'Best regards,', 'Kind regards', 'Thanks, Anna']) expect(isSignOff(l)).toBe(true);
    for (const l of ['Grüße an Ihr Team und bitte um Antwort bis Freitag', 'Regards to the way you handled this.']) expect(isSignOff(l)).toBe(false);
  });

  it('removes a sign-off with name and contact lines', () => {
    const r = visible('Bitte senden Sie mir den Depotauszug.\n\nMit freundlichen Grüßen\nMax Mustermann\nMusterstraße 1\n12345 Berlin');
    expect(r.text).toBe('Bitte senden Sie mir den Depotauszug.');
    expect(r.signature).toBe('Mit freundlichen Grüßen\nMax Mustermann\nMusterstraße 1\n12345 Berlin');
  });

  it('removes a "-- " signature block', () => {
    expect(visible('Please call me back.\n\n-- \nJane Doe\nExample Ltd').text).toBe('Please call me back.');
  });

  it('keeps a closing "Thanks" without a name under it', () => {
    expect(visible('I just saw the new plan has the feature.\n\nThank you!').text).toBe('I just saw the new plan has the feature.\n\nThank you!');
  });

  it('keeps a sign-off followed by long prose lines', () => {
    const text = 'Call me, please.\n\nThanks in advance,\nsome long text here which does not look like a signature at all';
    expect(visible(text).text).toBe(text);
  });

  it('recognises device lines in several languages but not sentences about devices', () => {
    for (const l of ['Von meinem iPhone gesendet', 'Sent from my iPhone', 'Gesendet von Outlook für Android', 'Envoyé de mon iPhone', 'Enviado do meu iPhone']) {
      expect(isDeviceLine(l)).toBe(true);
    }
    expect(isDeviceLine('Sent from my desk, is much easier than my mobile phone.')).toBe(false);
    expect(isDeviceLine('Mein iPhone wurde gestohlen, bitte Karte sperren')).toBe(false);
  });

  it('removes confidentiality disclaimers and marketing footers at the end', () => {
    const r = visible(
      'Bitte Konto schließen.\n\nDiese E-Mail enthält vertrauliche Informationen und ist nur für den Empfänger bestimmt.\n\nNewsletter abbestellen: https://example.com/abmelden',
    );
    expect(r.text).toBe('Bitte Konto schließen.');
    expect(r.removed.map((p) => p.kind)).toEqual(['disclaimer', 'footer']);
  });
});
