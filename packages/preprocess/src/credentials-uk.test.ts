import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';
import { expectKept, expectMasked } from './redact-expect.js';

// The secrets UK customers give in an email: a new password after `reset ... to`, the memorable word and other answers
// UK banks ask for, a mother's maiden name, a card's security code by its UK abbreviations or described. Each with the
// ordinary text next to it that must keep its words.

describe('a secret set anew, after `to`', () => {
  it('masks the value after `to` where the sentence says the secret was changed', () => {
    expectMasked([
      ["I've reset my password to Summer2025!!", "I've reset my password to [CREDENTIAL]"],
      ['My password has been reset to Winter2024, please check.', 'My password has been reset to [CREDENTIAL], please check.'],
      ['I changed my PIN to 4711 yesterday', 'I changed my PIN to [CREDENTIAL] yesterday'],
      ['PIN changed to 4711', 'PIN changed to [CREDENTIAL]'],
      ['I updated the online banking password to correcthorsebattery.', 'I updated the online banking password to [CREDENTIAL].'],
    ]);
    expectKept([
      'Please send my password to me',
      'I gave my password to ABC Ltd',
      'I want to reset my password to log in',
      'please reset my password to something memorable.',
      'I reset my password to default',
      'my password to the app is not working',
      'Please sell 120 shares of VOD at £1,250.00 on 12/03/2025 and send the contract note to me',
    ]);
  });
});

describe('answers UK banks ask for as secrets', () => {
  it('masks the memorable word, memorable information and a security answer', () => {
    expectMasked([
      ['my memorable word is lighthouse', 'my memorable word is [CREDENTIAL]'],
      ['My memorable word is owl.', 'My memorable word is [CREDENTIAL].'],
      ['memorable word: lighthouse', 'memorable word: [CREDENTIAL]'],
      ['My memorable information is Lighthouse77', 'My memorable information is [CREDENTIAL]'],
      ['Memorable place: New York, account 2', 'Memorable place: [CREDENTIAL], account 2'],
      ['Security answer: Rover', 'Security answer: [CREDENTIAL]'],
    ]);
    expectKept([
      'I forgot my memorable word.',
      'What is my memorable word?',
      'My memorable information is wrong',
      'my memorable word is not accepted',
      'my memorable word is correct',
      'my memorable word is being rejected',
      'Memorable word: incorrect',
      'Please enter characters 2, 5 and 7 of your memorable word',
      // A dash is a link after an answer's keyword only: a subject reads so.
      'Passwort - Zurücksetzen',
      'Password - Reset required',
    ]);
  });

  it("masks a mother's maiden name given as a security answer", () => {
    expectMasked([
      ["my mother's maiden name is Hargreaves", "my mother's maiden name is [CREDENTIAL]"],
      ["mother's maiden name: Hargreaves", "mother's maiden name: [CREDENTIAL]"],
      ['Mothers maiden name - Hargreaves', 'Mothers maiden name - [CREDENTIAL]'],
      ['Memorable word – lighthouse', 'Memorable word – [CREDENTIAL]'],
      ["My mum's maiden name is Smith, if you need it", "My mum's maiden name is [CREDENTIAL], if you need it"],
      ["my mother's maiden name is Van Dyke.", "my mother's maiden name is [CREDENTIAL]."],
    ]);
    expectKept(["I can't remember my mother's maiden name", "Is my mother's maiden name needed?"]);
  });

  it('masks the answer with names on as well, as a credential', () => {
    expect(redactPii("mother's maiden name: Hargreaves", { names: true }).text).toBe("mother's maiden name: [CREDENTIAL]");
  });
});

describe("a card's security code", () => {
  it('masks the code after CSC, CV2, CVN and after CVV or CVC with `number`', () => {
    expectMasked([
      ['CSC 771', 'CSC [CVV]'],
      ['CSC: 771', 'CSC: [CVV]'],
      ['csc 771', 'csc [CVV]'],
      ['CV2 771', 'CV2 [CVV]'],
      ['CV2 number: 771', 'CV2 number: [CVV]'],
      ['CVV number is 771', 'CVV number is [CVV]'],
      ['CSC code 771', 'CSC code [CVV]'],
      ['CSC 771 and expiry 12/27', 'CSC [CVV] and expiry 12/27'],
      ['CVN 1234', 'CVN [CVV]'],
    ]);
    expect(redactPii('CSC 771').redactions).toEqual([{ type: 'CVV', start: 4, end: 9 }]);
  });

  it('masks the code a customer describes: the digits on the back of the card', () => {
    expectMasked([
      ['the 3 digit code on the back is 771', 'the 3 digit code on the back is [CVV]'],
      ['the three digit code on the back of my card is 771', 'the three digit code on the back of my card is [CVV]'],
      ['the last 3 digits on the back are 771', 'the last 3 digits on the back are [CVV]'],
      ['the security number on the back of the debit card is 0771.', 'the security number on the back of the debit card is [CVV].'],
      ['3 digit code: 771', '3 digit code: [CVV]'],
      ['the 3-digit code is 771', 'the 3-digit code is [CVV]'],
    ]);
    expectKept([
      'CSC 2024 annual report',
      'we use CSC 365 days a year',
      'come back is 300 metres away',
      'I got back: 250 shares',
      'please call me back on Monday',
      'the 6 digit code is 123456',
      'the 4 digit code is on the back',
      'Bought 250 units at £1,250.00, trade date 12/03/2025, ISIN GB00B03MLX29',
    ]);
  });
});
