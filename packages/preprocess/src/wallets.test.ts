import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

describe('crypto wallet addresses', () => {
  it('masks Bitcoin (legacy and bech32) and Ethereum addresses as [ACCOUNT]', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['Meine Wallet: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, bitte prüfen', 'Meine Wallet: [ACCOUNT], bitte prüfen'],
      ['BTC an 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy gesendet.', 'BTC an [ACCOUNT] gesendet.'],
      ['Adresse bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq (SegWit)', 'Adresse [ACCOUNT] (SegWit)'],
      ['BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ', '[ACCOUNT]'],
      ['ETH: 0x52908400098527886E0F7030069857D2E4169EE7.', 'ETH: [ACCOUNT].'],
      ['send to 0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae', 'send to [ACCOUNT]'],
    ];
    for (const [text, masked] of cases) expect(redactPii(text).text).toBe(masked);
    expect(redactPii('0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae').redactions).toEqual([{ type: 'ACCOUNT', start: 0, end: 9 }]);
    expect(redactPii('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', { ids: false }).text).toBe('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq');
  });

  it('leaves hashes, ids, ISINs, WKNs, amounts, order numbers and words alone', () => {
    const kept = [
      // A transaction hash (64 hex digits), too short an address, part of a longer token.
      'Tx 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
      'Hex 0x1234abcd',
      'id_0x52908400098527886E0F7030069857D2E4169EE7',
      // Base58-shaped, but digits only, capitals only, or no digit after the first character.
      'Bestellnummer 12345678912345678912345678912',
      'Referenz 1ABCDEFGHJKMNPQRSTUVWXYZ23456',
      '1Bitcoinadressenbeispielwortx',
      // ISIN, WKN, amounts, dates.
      'ISIN US0378331005 WKN 865985, 1.250,00 EUR am 03.06.2026',
      'Order 3000000000000000000000000001 ausgeführt',
      'bc1 ist kein Konto, bc1qshort auch nicht',
    ];
    for (const text of kept) expect(redactPii(text).text).toBe(text);
  });
});
