import { describe, expect, it } from 'vitest';
import { metaValue, prepareModelInput } from './model-input.js';
import { routeFromPredictions } from './routing.js';

describe('prepareModelInput', () => {
  it('joins the normalised subject and the cleaned body, with language and bank meta tokens', () => {
    const input = prepareModelInput({
      subject: 'AW: Freistellungsauftrag ändern',
      body: 'Hallo zusammen,\n\nich möchte meinen Freistellungsauftrag auf 500 Euro ändern. Meine IBAN ist DE89 3704 0044 0532 0130 00.\n\nViele Grüße\nErika Mustermann\n\nVon meinem iPhone gesendet',
      bank: 'Comdirect Bank',
    });
    expect(input.text.startsWith('Freistellungsauftrag ändern\n')).toBe(true);
    expect(input.text).toContain('Freistellungsauftrag auf 500 Euro');
    expect(input.text).not.toContain('DE89 3704');
    expect(input.text).not.toContain('iPhone');
    expect(input.language).toBe('de');
    expect(input.meta).toEqual(['lang=de', 'bank=comdirect-bank']);
  });

  it('reads the subject masked as the body is (its IBAN the token [IBAN], as in the body)', () => {
    const input = prepareModelInput({ subject: 'AW: Kündigung DE89 3704 0044 0532 0130 00, Rückruf 0171 2345678', body: 'Bitte kündigen.' });
    expect(input.text).toBe('Kündigung [IBAN], Rückruf [PHONE]\nBitte kündigen.');
  });

  it('reads the words of attachment names as meta tokens (file=), after the language and bank', () => {
    const input = prepareModelInput({ body: 'Anbei das Formular.', bank: 'DKB', attachmentNames: ['Freistellungsauftrag_2026.pdf', 'Scan-Ausweis.JPG'] });
    expect(input.meta).toEqual(['lang=de', 'bank=dkb', 'file=freistellungsauftrag', 'file=scan', 'file=ausweis']);
    expect(input.text).toBe('Anbei das Formular.');
    expect(prepareModelInput({ body: 'Anbei das Formular.', attachmentNames: [] }).meta).toEqual(['lang=de']);
  });

  it('works without subject or bank', () => {
    const input = prepareModelInput({ body: 'Please reset my two-factor authentication, the app lost my device.' });
    expect(input.text.startsWith('Please reset')).toBe(true);
    expect(input.meta).toEqual([`lang=${input.language}`]);
    expect(metaValue('  DKB  AG ')).toBe('dkb-ag');
  });
});

describe('metaValue', () => {
  it('gives a bank written decomposed (NFD) or with invisible characters the token of the bank as it reads, so one bank is one feature', () => {
    const token = metaValue('Bank Müller');
    // A name in NFC with none of them: the token is byte for byte what it always was (no featurizer version to bump).
    expect(Buffer.from(token).toString('hex')).toBe(Buffer.from('bank-m\u00fcller').toString('hex'));
    for (const sent of ['Bank Mu\u0308ller', 'BANK MU\u0308LLER', 'Bank\u200b Müller', 'Bank Mül\u00adler', 'Bank \u2060Müller', '\ufeffBank Müller\u200e', 'Bank Müller\ufe0f', 'Bank\u00a0Müller']) {
      expect(metaValue(sent), JSON.stringify(sent)).toBe(token);
    }
    for (const plain of ['Comdirect Bank', 'DKB', 'ING-DiBa AG', 'Sparkasse Köln Bonn', 'Société Générale', 'Bank Ærø']) {
      expect(metaValue(plain), plain).toBe(plain.trim().toLowerCase().replace(/\s+/g, '-'));
    }
    expect(prepareModelInput({ body: 'Depot übertragen', bank: 'Bank Mu\u0308ller' }).meta).toEqual(prepareModelInput({ body: 'Depot übertragen', bank: 'Bank Müller' }).meta);
    // A bank of invisible characters alone is none, as a blank one.
    expect(prepareModelInput({ body: 'Depot übertragen', bank: '\u200b\u00ad' }).meta).toEqual(['lang=de']);
  });
});

describe('prepareModelInput on a body that is HTML', () => {
  it('reads its visible text, as for the same markup sent as html (a CRM that put an HTML email into body)', () => {
    const html = '<html><head><style>p{color:red}</style></head><body><p>Bitte &uuml;bertragen Sie mein Depot</p></body></html>';
    const input = prepareModelInput({ subject: 'Depot', body: html });
    expect(input).toEqual(prepareModelInput({ subject: 'Depot', html }));
    expect(input.text).toBe('Depot\nBitte übertragen Sie mein Depot');
    expect(prepareModelInput({ body: '<div></div>' }).text).toBe('');
  });

  it('keeps plain text with < as it is', () => {
    expect(prepareModelInput({ body: 'Von: Max Muster <max@example.de>: Betrag < 5 EUR <<Anhang>>' }).text).toBe('Von: Max Muster <[EMAIL]>: Betrag < 5 EUR <<Anhang>>');
  });
});

describe('prepareModelInput on forwards', () => {
  it('reads the forwarded message under a short cover note, and detects its language', () => {
    const input = prepareModelInput({ subject: 'Fwd: Depot', body: 'FYI\n\n---------- Forwarded message ---------\nFrom: Tim <t@example.com>\nSubject: Depot\n\nPlease transfer my securities account to another bank, thank you very much.' });
    expect(input.text).toBe('Depot\nFYI\n\nPlease transfer my securities account to another bank, thank you very much.');
    expect(input.language).toBe('en');
  });

  it('reads a forward known by its body alone (no Fwd: on the subject), as Apple Mail quotes it with `>`', () => {
    const body = 'Anfang der weitergeleiteten Nachricht:\n\n> Von: Tim <t@example.com>\n> Betreff: Depot\n> \n> Bitte kündigen Sie mein Depot zum Monatsende, ich wechsle die Bank.';
    expect(prepareModelInput({ subject: 'Depot', body }).text).toBe('Depot\nBitte kündigen Sie mein Depot zum Monatsende, ich wechsle die Bank.');
  });
});

describe('routeFromPredictions', () => {
  const task = (label: string, abstained: boolean) => ({ label, confidence: 0.5, top: [{ label, score: 0.5 }], abstained });
  it('routes to the queue label when no routing task abstains', () => {
    expect(routeFromPredictions({ queue: task('payments', false), topic: task('sparplan', true) }, { queueTask: 'queue' })).toEqual({ queue: 'payments', reason: 'confident' });
  });
  it('falls back to manual triage when the queue task or a watched task abstains', () => {
    expect(routeFromPredictions({ queue: task('payments', true) }, { queueTask: 'queue' })).toEqual({ queue: 'manual_triage', reason: 'low_confidence' });
    expect(routeFromPredictions({ queue: task('payments', false), area: task('savings', true) }, { queueTask: 'queue', abstainTasks: ['queue', 'area'] }).queue).toBe('manual_triage');
  });
  it('sends a confident `other` queue (rare queues merged at training) to manual triage', () => {
    expect(routeFromPredictions({ queue: task('other', false) }, { queueTask: 'queue' })).toEqual({ queue: 'manual_triage', reason: 'no_queue' });
    // Only the queue task's `other` matters; a topic of `other` still routes.
    expect(routeFromPredictions({ queue: task('payments', false), topic: task('other', false) }, { queueTask: 'queue' })).toEqual({ queue: 'payments', reason: 'confident' });
  });
});
