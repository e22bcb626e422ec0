import { describe, expect, it } from 'vitest';
import { cleanEmail, normaliseText } from './clean.js';
import { redactPii } from './redact.js';
import { plainSpaces } from './spaces.js';

describe('plainSpaces', () => {
  it('reads no-break spaces as spaces and drops zero-width characters; other text is the same string', () => {
    expect(plainSpaces('a\u00a0b\u202fc\u2007d\u2009e\u200bf\u200cg\u200dh\ufeffi')).toBe('a b c d efghi');
    const plain = 'Tel 030 1234567';
    expect(plainSpaces(plain)).toBe(plain);
  });

  it('reads en and em spaces (`&ensp;`, `&emsp;`) and the other fixed-width spaces as spaces, so an IBAN spaced with them is masked', () => {
    expect(plainSpaces('a\u2002b\u2003c\u2004d\u2005e\u2006f\u2008g')).toBe('a b c d e f g');
    expect(redactPii('IBAN DE89\u20023704\u20030044\u20020532\u20020130\u200200').text).toBe('IBAN [IBAN]');
    expect(cleanEmail({ html: '<p>IBAN DE89&ensp;3704&emsp;0044&ensp;0532&ensp;0130&ensp;00, Betrag 1.234,56&ensp;EUR</p>' }).text).toBe('IBAN [IBAN], Betrag 1.234,56 EUR');
  });

  it('drops soft hyphens and every other invisible format character, so the word they split is one word', () => {
    expect(plainSpaces('Frei\u00adstellungs\u00adauftrag')).toBe('Freistellungsauftrag');
    const invisible = ['\u00ad', '\u034f', '\u180e', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\u1427'];
    for (const c of invisible) expect(plainSpaces(`Depot${c}auszug`), `U+${c.charCodeAt(0).toString(16)}`).toBe('Depotauszug');
  });
});

describe('soft hyphens and zero-width characters, masked and cleaned', () => {
  it('masks numbers split by soft hyphens in redactPii', () => {
    expect(redactPii('Tel. 0171\u00ad1234567')).toEqual({ text: 'Tel. [PHONE]', redactions: [{ type: 'PHONE', start: 5, end: 12 }] });
    expect(redactPii('IBAN DE89\u00ad3704\u00ad0044\u00ad0532\u00ad0130\u00ad00').text).toBe('IBAN [IBAN]');
    expect(redactPii('IBAN DE89\u20603704\u034f0044\u180e0532\u202a0130\u206600').text).toBe('IBAN [IBAN]');
  });

  it('masks an IBAN written with &shy; in HTML and in plain text in cleanEmail', () => {
    const html = '<p>Bitte auf IBAN DE89&shy;3704&shy;0044&shy;0532&shy;0130&shy;00 überweisen.</p>';
    const fromHtml = cleanEmail({ html });
    expect(fromHtml.text).toBe('Bitte auf IBAN [IBAN] überweisen.');
    expect(fromHtml.redactions).toEqual([{ type: 'IBAN', start: 15, end: 21 }]);
    expect(cleanEmail({ body: 'Bitte auf IBAN DE89\u00ad3704\u00ad0044\u00ad0532\u00ad0130\u00ad00 überweisen.' }).text).toBe('Bitte auf IBAN [IBAN] überweisen.');
  });

  it('gives the model one word where a soft hyphen or zero-width character split it, in body and subject', () => {
    const r = cleanEmail({ subject: 'AW: Frei\u00adstellungs\u200bauftrag', body: 'Mein Frei\u00adstellungs\u00adauftrag fehlt.' });
    expect(r.text).toBe('Mein Freistellungsauftrag fehlt.');
    expect(r.subject).toBe('Freistellungsauftrag');
  });

  it('composes a letter whose mark follows a combining grapheme joiner once the joiner is gone', () => {
    expect(redactPii('Mu\u034f\u0308ller').text).toBe('Müller');
  });
});

describe('redactPii on text with no-break spaces and zero-width characters', () => {
  // Text masked outside cleanEmail (serving's stored text, subjects) comes as sent, not normalised.
  const body = 'Tel +49\u00a0171\u00a01234567\nIBAN DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000\nMit freundlichen Grüßen\nAnna\u00a0Schmidt\nMusterstraße\u00a012, 10115\u00a0Berlin';

  it('masks phone, IBAN, name and address as it masks them with plain spaces', () => {
    const masked = redactPii(body, { names: true }).text;
    expect(masked).toBe('Tel [PHONE]\nIBAN [IBAN]\nMit freundlichen Grüßen\n[NAME]\n[ADDRESS]');
    expect(masked).toBe(redactPii(body.replaceAll('\u00a0', ' '), { names: true }).text);
  });

  it('masks numbers split by narrow no-break spaces or zero-width characters', () => {
    expect(redactPii('Tel. 030\u202f123\u202f4567').text).toBe('Tel. [PHONE]');
    expect(redactPii('IBAN DE89\u200b3704\u200b0044\u200b0532\u200b0130\u200b00').text).toBe('IBAN [IBAN]');
    expect(redactPii('\ufeffKunden\u200dnummer 12345678').text).toBe('Kundennummer [ACCOUNT]');
    expect(redactPii('Meine\u00a0PIN\u00a0lautet\u00a04711').text).toBe('Meine PIN lautet [CREDENTIAL]');
    expect(redactPii('Karte 4111\u20091111\u20091111\u20091111').text).toBe('Karte [CARD]');
    expect(redactPii('IBAN DE89\u20113704\u20110044\u20110532\u20110130\u201100').text).toBe('IBAN [IBAN]');
  });

  it('gives redaction offsets in the returned text', () => {
    const r = redactPii('\u200bTel.\u00a0030 1234567');
    expect(r.text).toBe('Tel. [PHONE]');
    expect(r.redactions).toEqual([{ type: 'PHONE', start: 5, end: 12 }]);
  });

  it('masks as cleanEmail does', () => {
    expect(redactPii(body, { names: true }).text).toBe(cleanEmail({ body: `Hallo,\n\nbitte ändern.\n\n${body}` }, { scope: 'quotes', redact: { names: true } }).text.split('\n\n').at(-1));
  });
});

describe('the Unicode line breaks (NEL U+0085, LS U+2028, PS U+2029)', () => {
  it('are read as line breaks, so a sign-off after one is cut and the words on either side stay apart', () => {
    expect(cleanEmail({ subject: 'x', body: 'Bitte Karte sperren\u2029Gruß\u0085Anna Beispiel' }).text).toBe('Bitte Karte sperren');
    expect(cleanEmail({ subject: 'x', body: 'Bitte Karte sperren\u2028\u2028Mit freundlichen Grüßen\u2028Anna Beispiel' }).text).toBe('Bitte Karte sperren');
    expect(normaliseText('eins\u2028zwei\u0085drei\r\nvier')).toBe('eins\nzwei\ndrei\nvier');
  });
});
