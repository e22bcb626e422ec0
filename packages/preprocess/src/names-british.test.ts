import { describe, expect, it } from 'vitest';
import { redactPii } from './redact.js';

// Names as British and Irish customers write them: titles and initials without a dot, a name signed after a dash or
// before masked contact details, teams greeted by name, and firms and funds that hold a signer's surname.

const masked = (text: string, knownNames: string[] = []) => redactPii(text, { names: true, knownNames }).text;
const kept = (texts: readonly string[], knownNames: string[] = []) => {
  for (const text of texts) expect(masked(text, knownNames), text).toBe(text);
};

describe('titles and initials without a dot', () => {
  it('masks the name after `Dr`, `Prof` and `Mx` without a dot, in a greeting and a signature, the title kept', () => {
    expect(masked('Dear Dr Mehta,')).toBe('Dear Dr [NAME],');
    expect(masked('Hi Dr Jones,')).toBe('Hi Dr [NAME],');
    expect(masked('Dear Prof Hughes,')).toBe('Dear Prof [NAME],');
    expect(masked('Dear Mx Taylor,')).toBe('Dear Mx [NAME],');
    expect(masked('Please sell my shares.\nBest regards,\nDr Anil Mehta')).toBe('Please sell my shares.\nBest regards,\nDr [NAME]');
    expect(masked('Sehr geehrter Herr Dr Müller,')).toBe('Sehr geehrter Herr Dr [NAME],');
    // Found so, the surname is looked for elsewhere as after any title.
    expect(masked('Dear Dr Mehta,\nMehta Holdings plc is not my firm, Mehta is my name.')).toBe('Dear Dr [NAME],\nMehta Holdings plc is not my firm, [NAME] is my name.');
  });

  it('masks a name with its initial without a dot, the initial and the surname', () => {
    expect(masked('Please sell.\nKind regards\nJ Thornton')).toBe('Please sell.\nKind regards\n[NAME]');
    expect(masked('Account name: Mr G Pryce')).toBe('Account name: Mr [NAME]');
    expect(masked('Name: Mr G Pryce')).toBe('Name: Mr [NAME]');
    expect(masked('Payee: Mr G Pryce')).toBe('Payee: Mr [NAME]');
    expect(masked('Please pay Mr G Pryce £1,250.00 on 14/03/2025.')).toBe('Please pay Mr [NAME] £1,250.00 on 14/03/2025.');
    expect(masked('Dear Mr A Smith,')).toBe('Dear Mr [NAME],');
    expect(masked('Name: Mx Taylor')).toBe('Name: Mx [NAME]');
    expect(masked('Mit freundlichen Grüßen\nE Mustermann')).toBe('Mit freundlichen Grüßen\n[NAME]');
  });

  it('keeps words that start as a title does, and `A` or `I` before a word without a title', () => {
    kept(['Please send it to Dresden.', 'Mein Profil ist alt.', 'Hi A Team,', 'Hello I Need Help,', 'Regards\nP S Please call', 'Professional clients only']);
    kept(['Please buy 100 Unilever (ULVR) shares, ISIN GB00B10RZP78, on 14/03/2025 for £1,250.00.']);
  });
});

describe('names signed after a dash, and before what masking left of contact details', () => {
  it('masks a name after a closing and a dash', () => {
    expect(masked('Please set it up. Thanks! - Ravi Patel')).toBe('Please set it up. Thanks! - [NAME]');
    expect(masked('Please set it up.\nCheers – Ravi Patel | 07700 900123')).toBe('Please set it up.\nCheers – [NAME] | [PHONE]');
    expect(masked('Bitte prüfen. Danke - Anna')).toBe('Bitte prüfen. Danke - [NAME]');
    const ravi = masked('Can you set up £300 per month into iShares Core FTSE 100 (ISF, IE0005042456)? Thanks! - Ravi Patel, Leicester LE2 1XL');
    expect(ravi).toContain('£300 per month into iShares Core FTSE 100 (ISF, IE0005042456)? Thanks! - [NAME], ');
    expect(ravi).not.toMatch(/Ravi|Patel/);
  });

  it('masks a name before a placeholder as before the number or address it stands for', () => {
    expect(masked('Please change my address. Thanks, Tom Baker, [EMAIL]')).toBe('Please change my address. Thanks, [NAME], [EMAIL]');
    expect(masked('Please call me back. Thanks, Clare Patterson, [PHONE]')).toBe('Please call me back. Thanks, [NAME], [PHONE]');
    expect(masked('Bitte zurückrufen.\nViele Grüße, Anna Schmidt, Tel. [PHONE]')).toBe('Bitte zurückrufen.\nViele Grüße, [NAME], Tel. [PHONE]');
  });

  it('keeps a sentence after a closing and a dash, a firm, and a comma before no contact detail', () => {
    kept(['Thanks - I will call you tomorrow', 'Danke - Bitte melden Sie sich', 'Thanks - see you', 'Many thanks - Apple Inc, 5 shares please']);
    kept(['Thanks, Please Call, [PHONE]', 'Danke, Die Überweisung, [ACCOUNT]']);
  });
});

describe('teams greeted, and firms and funds that hold a signer’s surname', () => {
  it('keeps a team, a desk or a department greeted', () => {
    kept(['Hi Pensions Team,', 'Dear Compliance,', 'Dear Payments Team,', 'Hello Private Client Desk,', 'Hi Client Services,']);
    expect(masked('Hi Pensions Team,\nPlease call Mr Jones.')).toBe('Hi Pensions Team,\nPlease call Mr [NAME].');
  });

  it('keeps a firm’s or a fund’s name that holds the signer’s surname, and masks the surname elsewhere', () => {
    expect(masked('Please buy 50 Marks & Spencer (MKS) at market.\nKind regards,\nJohn Marks')).toBe('Please buy 50 Marks & Spencer (MKS) at market.\nKind regards,\n[NAME]');
    expect(masked('Please switch into the Baillie Gifford American fund.\nRegards,\nFiona Gifford')).toBe('Please switch into the Baillie Gifford American fund.\nRegards,\n[NAME]');
    kept(['Buy Smith & Nephew shares', 'Sell my Marks and Spencer Group plc shares'], ['John Smith', 'John Marks']);
    expect(masked('Mr Marks asked me to sell Marks & Spencer.', ['John Marks'])).toBe('Mr [NAME] asked me to sell Marks & Spencer.');
    // Two people, not a firm: `&` before a title or after a given name.
    expect(masked('Please pay Mr Smith & Mrs Jones', ['John Smith'])).toBe('Please pay Mr [NAME] & Mrs [NAME]');
    expect(masked('Peter & Anna Schmidt', ['Peter Schmidt'])).toBe('[NAME] & Anna [NAME]');
  });
});

describe('the rest of a name next to a part of it found again', () => {
  it('masks a given name before a surname found again, and a surname after a given name, on a name’s own line', () => {
    expect(masked('My husband Patrick Doyle died last week.\n\nMary Doyle\nTel 01 555 0188')).toBe('My husband [NAME] died last week.\n\n[NAME]\nTel [PHONE]');
    expect(masked('Under my maiden name (Miss Rebecca Stone) I had an account.\n\nRebecca Holt (née Stone)')).toBe(
      'Under my maiden name (Miss [NAME]) I had an account.\n\n[NAME] (née [NAME])',
    );
    expect(masked('Mary Doyle, Cork', ['Patrick Doyle'])).toBe('[NAME], Cork');
  });

  it('keeps a word that names no one next to it, and a noun before a surname in a sentence or a file’s name', () => {
    expect(masked('Dear Doyle', ['Mary Doyle'])).toBe('Dear [NAME]');
    expect(masked('Thanks Doyle\n', ['Pat Doyle'])).toBe('Thanks [NAME]\n');
    expect(masked('Konto Müller\n', ['Hans Müller'])).toBe('Konto [NAME]\n');
    expect(masked('Ausweis Mueller.pdf', ['Anna Müller'])).toBe('Ausweis [NAME].pdf');
    expect(masked('I spoke to Mr Doyle.\nAnlage Doyle.pdf', ['Pat Doyle'])).toBe('I spoke to Mr [NAME].\nAnlage [NAME].pdf');
  });
});
