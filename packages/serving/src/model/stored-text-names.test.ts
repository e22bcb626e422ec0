import { cleanEmail, type Email } from '@mailroute/preprocess';
import { describe, expect, it } from 'vitest';
import { maskStoredText, storedText } from './stored-text.js';

// Stored text masks names in the model's input, whose numbers and addresses are masked already: a name signed before
// them must be masked as `mailroute clean` (names mode) masks it before the raw address or number.

/** What `--store-text` keeps of an email: the model's input, masked with the email's names. */
const stored = (email: Email) => {
  const { text, knownNames } = storedText(email);
  return maskStoredText(text, knownNames);
};
const cleaned = (email: Email) => cleanEmail(email, { redact: { names: true } }).text;

describe('stored text masks a name signed before masked contact details', () => {
  it('masks a name after a closing and before an email address or a phone number, as cleaning does', () => {
    const baker: Email = { subject: 'Address', body: 'Please change my address. Thanks, Tom Baker, tom.baker@example.co.uk' };
    expect(cleaned(baker)).toBe('Please change my address. Thanks, [NAME], [EMAIL]');
    expect(stored(baker)).toBe('Address\nPlease change my address. Thanks, [NAME], [EMAIL]');
    const patterson: Email = { subject: 'Call back', body: 'Please call me back about my ISA. Thanks, Clare Patterson, 0114 496 0321' };
    expect(cleaned(patterson)).toBe('Please call me back about my ISA. Thanks, [NAME], [PHONE]');
    expect(stored(patterson)).toBe('Call back\nPlease call me back about my ISA. Thanks, [NAME], [PHONE]');
  });

  it('masks a name signed after a dash, and keeps the amounts, funds and dates the request needs', () => {
    const email: Email = { subject: 'Regular investment', body: 'Please invest £300 per month into iShares Core FTSE 100 (ISF, IE0005042456) from 1st May. Thanks! - Ravi Patel, 07700 900123' };
    const text = stored(email);
    expect(text).toContain('£300 per month into iShares Core FTSE 100 (ISF, IE0005042456) from 1st May. Thanks! - [NAME], [PHONE]');
    expect(text).not.toMatch(/Ravi|Patel/);
  });

  it('masks a title’s name without a dot and its initial, and keeps a team greeted', () => {
    const email: Email = { subject: 'Withdrawal', body: 'Hi Pensions Team,\n\nPlease withdraw £2,500.00.\nAccount name: Mr G Pryce\n\nKind regards\nJ Thornton' };
    const text = stored(email);
    expect(text).toContain('Hi Pensions Team,');
    expect(text).toContain('Please withdraw £2,500.00.\nAccount name: Mr [NAME]');
    expect(text).not.toMatch(/Pryce|Thornton/);
  });
});
