import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

// UK and Irish addresses as customers write them: town and county between the street and the postcode, a flat before
// the house number, an Eircode, a postcode after its keyword or ending a line after its town. Addresses are masked with
// names on only; a postcode by its shape alone stays (`M1`, `SW1` name products too).

const masked = (text: string) => redactPii(text, { names: true }).text;

describe('UK and Irish addresses with their towns, counties and postcodes', () => {
  it.each([
    ['14 Cold Bath Road, Harrogate, North Yorkshire, HG1 4RT', '[ADDRESS]'],
    ['Flat 3, 27 Albert Road, Southsea, Portsmouth PO4 0JT', '[ADDRESS]'],
    ['Please write to 12 Main Street, Ballincollig, Co. Cork, P31 KX62.', 'Please write to [ADDRESS].'],
    ['Flat 12, 3 Victoria Quays, Sheffield S2 5SY', '[ADDRESS]'],
    ['Unit 4, 12 Baker Street, London SW1A 2AA', '[ADDRESS]'],
    ['5 Sea View, Brighton BN1 1AA', '[ADDRESS]'],
    ['14 Cold Bath Road\nHarrogate\nNorth Yorkshire\nHG1 4RT\nThanks', '[ADDRESS]\nThanks'],
    ['Our new address:\n\nFlat 2\n14 Cold Bath Road\nHarrogate HG1 4RT', 'Our new address:\n\n[ADDRESS]'],
  ])('masks %j whole', (text, want) => {
    expect(masked(text)).toBe(want);
  });

  it('masks a town and postcode ending a line, and a postcode after its keyword', () => {
    // The name before them is the names detector's: only the town and postcode are looked at here.
    expect(masked('Thanks! - Ravi Patel, Leicester LE2 1XL')).toMatch(/, \[ADDRESS\]$/);
    for (const [text, want] of [
      ['Thanks!\nLeicester LE2 1XL', 'Thanks!\n[ADDRESS]'],
      ['I live in Leicester LE2 1XL.', 'I live in [ADDRESS].'],
      ['Address: Leicester LE2 1XL', 'Address: [ADDRESS]'],
      ['[ADDRESS], Harrogate, North Yorkshire, HG1 4RT', '[ADDRESS], [ADDRESS]'],
      ['my postcode is BS8 1TH', 'my postcode is [ADDRESS]'],
      ['postcode: BS8 1TH', 'postcode: [ADDRESS]'],
      ['Postcode - BS8 1TH, thanks', 'Postcode - [ADDRESS], thanks'],
      ['My post code has changed to BS81TH', 'My post code has changed to [ADDRESS]'],
      ['my postcode is D06 F2X8', 'my postcode is [ADDRESS]'],
    ]) expect(masked(text), text).toBe(want);
  });

  it('keeps postcode shapes without a keyword or a town, and the figures an agent needs', () => {
    for (const text of [
      'The Apple M1 chip and the SW1 model',
      'I bought 12 shares of M1 2AB fund',
      'Order X12 3AB',
      'Ref AB1 2CD.',
      'HG1 4RT',
      'Buy 5 at Tesco M1 1AE today',
      'postcode BS8',
      'the 2 Pride Parade events',
      'please sell 3 Vanguard FTSE Global All Cap units at £1,250.00, trade date 12/03/2025',
      'ISIN GB00B03MLX29 and SEDOL B0YBKJ7, ticker VOD.L',
      'Class A1 2BC shares',
    ])
      expect(masked(text), text).toBe(text);
  });

  it('keeps addresses to names mode: the default detectors mask none', () => {
    for (const text of ['my postcode is BS8 1TH', 'Flat 3, 27 Albert Road, Southsea, Portsmouth PO4 0JT', 'Thanks! - Tom, Leicester LE2 1XL'])
      expect(redactPii(text).text, text).toBe(text);
  });

  it('still masks German and Swiss addresses as before', () => {
    for (const [text, want] of [
      ['Musterstraße 12, 10115 Berlin', '[ADDRESS]'],
      ['Bahnhofstrasse 5 CH-8001 Zürich', '[ADDRESS]'],
      ['Postfach 10 20 30, 10115 Berlin', '[ADDRESS]'],
      ['P.O. Box 12, London SW1A 2AA', '[ADDRESS]'],
    ]) expect(masked(text), text).toBe(want);
  });
});
